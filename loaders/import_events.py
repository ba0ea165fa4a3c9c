"""The graph's own history: each import a dated ``ImportEvent`` (a PROV activity) that used its document.

The registers already record it: a document ``import-doc`` or ``import-pairings`` wrote carries
``imported by aidgraph import-… from FILE on YYYY-MM-DD`` in its ``origin``. Every other document
(the five texts and the cited documents shipped with the data) belongs to one event, the initial load
(``import:initial``, order 1), dated by the newest of those documents (the data's own date, not the day
anyone loaded it). The imports follow, by date and then in the register's order.

What an event added or ended is read from the facts citing its documents: a pairing whose first
reference is one of them was added by it, a pairing citing one of them after another document's
reference was ended by it (an end row of a notice adds its reference to the pairing it ends), a task
read from one of them was added by it."""
from __future__ import annotations

import re

from ..schema.graph import CanonicalGraph
from ..schema.sources import split_refs

ORIGIN = re.compile(r"^imported by aidgraph (import-doc|import-pairings) from (.+?) on (\d{4}-\d{2}-\d{2})")
INITIAL = "import:initial"


def add(graph: CanonicalGraph, register: list[str]) -> None:
    """Add the events of the documents ``register`` names (document ids, in the registers' order)."""
    initial: list[str] = []
    imported: list[tuple[str, int, str, str, str]] = []  # (date, position, doc id, kind, file)
    for i, doc in enumerate(register):
        node = graph.props(f"doc:{doc}")
        m = ORIGIN.match(node.get("origin") or "")
        if m:
            imported.append((m.group(3), i, doc, m.group(1), m.group(2)))
        else:
            initial.append(doc)
    events = [(INITIAL, "initial", max((graph.props(f"doc:{d}").get("date") or "" for d in initial), default=""),
               "", initial)]
    events += [(f"import:{doc}", kind, date, file, [doc]) for date, _i, doc, kind, file in sorted(imported)]
    for order, (eid, kind, date, file, docs) in enumerate(events, 1):
        if not docs:
            continue
        added, ended, tasks = _effects(graph, set(docs))
        props = {"kind": kind, "order": order, "date": date or None, "file": file or None, "added_pairings": added,
                 "ended_pairings": ended, "added_tasks": tasks}
        graph.add_node("ImportEvent", eid, **{k: v for k, v in props.items() if v is not None})
        for d in docs:
            graph.add_edge("USED", eid, f"doc:{d}")


def _effects(graph: CanonicalGraph, docs: set[str]) -> tuple[int, int, int]:
    added = ended = tasks = 0
    for d in sorted(docs):
        for fact in sorted(set(graph.into(f"doc:{d}", "DERIVED_FROM"))):
            if fact.startswith("pairing:"):
                refs = [r.doc for r in split_refs(graph.props(fact).get("source"))]
                if refs and refs[0] == d:
                    added += 1
                elif d in refs:
                    ended += 1
            elif fact.startswith("task:"):
                tasks += 1
    return added, ended, tasks
