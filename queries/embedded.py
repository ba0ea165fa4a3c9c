"""The embedded store: the canonical networkx graph, in process, no server."""
from __future__ import annotations

from typing import Any

from ..loaders.canonical import CanonicalGraph
from .store import PAIRING_KEYS, Store


class EmbeddedStore(Store):
    name = "embedded"

    def __init__(self, graph: CanonicalGraph):
        self.graph = graph

    def _record(self, pid: str) -> dict[str, Any]:
        g = self.graph
        node = g.node(pid)
        rec = {k: node.get(k) for k in PAIRING_KEYS}
        rec["supporter"] = g.out(pid, "SUPPORTER")[0]
        rec["place"] = g.out(pid, "SUPPORTED")[0]
        rec["program"] = g.out(pid, "UNDER")[0]
        rec["excluding"] = sorted(g.out(pid, "EXCLUDES"))
        return rec

    def pairings(self, *, places=None, supporter=None):
        g = self.graph
        if places is not None:
            ids = {p for place in places if place in g.g for p in g.into(place, "SUPPORTED")}
        elif supporter is not None:
            ids = set(g.into(supporter, "SUPPORTER")) if supporter in g.g else set()
        else:
            ids = {n["id"] for n in g.nodes("Pairing")}
        recs = [self._record(p) for p in ids]
        if supporter is not None:
            recs = [r for r in recs if r["supporter"] == supporter]
        return sorted(recs, key=lambda r: r["id"])

    def tasks(self, *, places=None):
        g = self.graph
        out = []
        wanted = None if places is None else set(places)
        for t in g.nodes("Task"):
            if wanted is not None and not wanted & set(g.out(t["id"], "NAMES_PLACE")):
                continue
            rec = dict(t)
            rec.pop("label", None)
            rec["district"] = g.out(t["id"], "TASK_OF")[0]
            rec["document"] = g.out(t["id"], "DERIVED_FROM")[0]
            rec["section"] = t.get("section")
            for key, rel in (("lead", "LEAD_UNIT"), ("responsible", "RESPONSIBLE_UNIT")):
                rec[key] = sorted(({"unit": u, "as_written": g.g.edges[t["id"], u, rel]["as_written"],
                                    "position": g.g.edges[t["id"], u, rel]["position"],
                                    "etc": g.g.edges[t["id"], u, rel]["etc"]} for u in g.out(t["id"], rel)),
                                  key=lambda r: r["position"])
            rec["places"] = sorted(g.out(t["id"], "NAMES_PLACE"))
            out.append(rec)
        return sorted(out, key=lambda r: r["id"])

    def units(self, *, ids=None, owners=None):
        g = self.graph
        out = []
        for u in g.nodes("Unit"):
            rec = {k: v for k, v in u.items() if k != "label"}
            rec["owner"] = g.out(u["id"], "UNIT_OF")[0]
            if (ids is not None and u["id"] not in ids) or (owners is not None and rec["owner"] not in owners):
                continue
            duties = sorted((g.node(d) for d in g.into(u["id"], "DUTY_OF")), key=lambda d: d["number"])
            rec["duties"] = [d["title"] for d in duties]
            out.append(rec)
        return sorted(out, key=lambda r: r["id"])

    def nodes_of(self, label):
        return sorted(({k: v for k, v in n.items() if k != "label"} for n in self.graph.nodes(label)),
                      key=lambda n: n["id"])

    def edges_of(self, rel):
        return sorted((s, e) for s, e, _ in self.graph.edges(rel))

    def nodes_by_id(self, ids):
        return {i: self.graph.node(i) for i in ids if i in self.graph.g}

    def counts(self):
        return self.graph.label_counts(), self.graph.rel_counts()

    def document_ids(self):
        return sorted(n["id"] for n in self.graph.nodes("Document"))
