"""What every export format registers, and the sorted copy of a (sub)graph the
graph formats write from."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import networkx as nx

from ...schema.eras import OPEN_END
from ...schema.graph import CanonicalGraph
from ...schema.sources import short_cite

if TYPE_CHECKING:
    from ..network import View


class Writer(Protocol):
    """The one entry point of a format family's module."""

    def __call__(self, graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str, title: str,
                 geographic: bool) -> bytes: ...


@dataclass(frozen=True)
class Format:
    name: str          # what --format and ?format= take
    suffix: str        # file name ending, with the dot
    media: str         # media type of the download
    description: str   # Chinese, then English
    binary: bool       # False: UTF-8 text
    writer: Writer
    # a named view (viz.views) written from the view itself; None: the canonical subgraph of its facts
    view_writer: Callable[[View, CanonicalGraph, str], bytes] | None = None

    def render(self, graph: CanonicalGraph, nodes: set[str] | None = None, *, title: str = "aidgraph",
               geographic: bool = False) -> bytes:
        return self.writer(graph, nodes, fmt=self.name, title=title, geographic=geographic)

    def render_view(self, view: View, graph: CanonicalGraph) -> bytes:
        if self.view_writer is not None:
            return self.view_writer(view, graph, self.name)
        return self.writer(graph, view_facts(view, graph), fmt=self.name, title=view.title, geographic=False)


def view_facts(view: View, graph: CanonicalGraph) -> set[str]:
    """The canonical nodes behind a view: its nodes, the pairings and tasks it shows, their programmes
    and source documents (so the linked data keep each fact with its provenance)."""
    ids = {n for n in view.node_ids() | view.facts if n in graph.g}
    extra: set[str] = set()
    for n in ids:
        if graph.g.nodes[n].get("label") in ("Pairing", "Task"):
            extra.update(m for m in graph.g.successors(n) if graph.g.nodes[m].get("label") in ("Program", "Document"))
    return ids | extra


def ordered(graph: CanonicalGraph, nodes: set[str] | None, *, scalars: bool = False) -> nx.MultiDiGraph:
    """A copy of the graph or the subgraph on ``nodes`` with nodes, edges and attributes in sorted order,
    so writers that follow insertion order give the same bytes in every process (a subgraph view iterates
    its node set, whose order changes with PYTHONHASHSEED). ``scalars``: lists joined with ' | '."""
    src = graph.g if nodes is None else graph.g.subgraph(nodes)

    def attrs(data: dict) -> dict:
        return {k: (" | ".join(map(str, v)) if scalars and isinstance(v, list) else v)
                for k, v in sorted(data.items())}

    g: nx.MultiDiGraph = nx.MultiDiGraph(**attrs(graph.g.graph))
    for n in sorted(src.nodes):
        g.add_node(n, **attrs(src.nodes[n]))
    for s, e, k in sorted(src.edges(keys=True)):
        g.add_edge(s, e, key=k, **attrs(src.edges[s, e, k]))
    return g


RELATION_CN = {"PART_OF": "隶属", "LEAD_UNIT": "牵头单位", "RESPONSIBLE_UNIT": "责任单位", "NAMES_PLACE": "涉及地方"}


def view_graph(view: View, *, scalars: bool = False) -> nx.MultiDiGraph:
    """A named view as a graph of exactly its nodes and edges, in sorted order: nodes with their name,
    type, code, level and measure; edges keyed by their kind (a programme id or a relation), with the
    programme's or relation's Chinese name, the period and the source as cited (document number)."""
    g: nx.MultiDiGraph = nx.MultiDiGraph(title=view.title, view=view.kind,
                                         year=view.year if view.year is not None else "", data_date=view.data_date,
                                         sources=" | ".join(short_cite(d["number"], d["title"]) for d in view.sources))
    keep = ("code", "level", "measure", "number", "kind", "year")
    for n in sorted(view.nodes, key=lambda n: n["id"]):
        g.add_node(n["id"], name=n["label"], type=n["group"],
                   **{k: n[k] for k in keep if n.get(k) is not None and n.get(k) != ""})
    for e in sorted(view.edges, key=lambda e: (e["from"], e["to"], e["kind"])):
        attrs = {"kind": e["kind"]}
        if e["kind"] in view.programmes:
            attrs["programme"] = view.programmes[e["kind"]][0]
            attrs["valid_from"] = e.get("valid_from") if e.get("valid_from") is not None else ""
            attrs["valid_to"] = e.get("valid_to") if e.get("valid_to") is not None else OPEN_END
            attrs["source_ref"] = e.get("source", "")
        else:
            attrs["relation"] = RELATION_CN.get(e["kind"], e["kind"])
        if scalars:
            attrs = {k: v for k, v in attrs.items() if v != ""}
        g.add_edge(e["from"], e["to"], key=e["kind"], **attrs)
    return g
