"""What every export format registers, and the sorted copy of a (sub)graph the
graph formats write from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ...schema.eras import OPEN_END
from ...schema.graph import CanonicalGraph
from ...schema.labels import RELATION_ZH
from ...schema.sources import short_cite

if TYPE_CHECKING:
    import networkx as nx

    from ..view import View


class Writer(Protocol):
    """The one writer of a format: a view — a named view, the pages' network or a subgraph's view — in
    that format (``geographic``: a subgraph's picture with places at their seats)."""

    def __call__(self, view: View, graph: CanonicalGraph | None, fmt: str, geographic: bool) -> bytes: ...


@dataclass(frozen=True)
class Format:
    name: str          # what --format and ?format= take
    suffix: str        # file name ending, with the dot
    media: str         # media type of the download
    description: str   # Chinese, then English
    binary: bool       # False: UTF-8 text
    writer: Writer
    # a named view's file holds the canonical facts behind it, read from the graph (the linked data, Cypher);
    # the others are written from the view alone, so a command can answer them without loading the graph
    view_needs_graph: bool = False

    def write(self, view: View, graph: CanonicalGraph | None, geographic: bool = False) -> bytes:
        return self.writer(view, graph, self.name, geographic)


def the_graph(graph: CanonicalGraph | None) -> CanonicalGraph:
    """The graph a writer was given; ValueError when it needs one and was given none (a subgraph's view,
    or a format whose named view draws on the graph's facts: ``Format.view_needs_graph``)."""
    if graph is None:
        raise ValueError("this file is written from the graph's facts, and no graph was given")
    return graph


def subgraph_nodes(view: View) -> set[str] | None:
    """The canonical nodes of a subgraph's view (None: the whole graph)."""
    return None if view.whole else set(view.facts)


def canonical_nodes(view: View, graph: CanonicalGraph) -> set[str] | None:
    """The canonical nodes a view stands for: a subgraph's own nodes, or a named view's facts (``view_facts``)."""
    return subgraph_nodes(view) if not view.kind else view_facts(view, graph)


def view_facts(view: View, graph: CanonicalGraph) -> set[str]:
    """The canonical nodes behind a view: its nodes, the pairings and tasks it shows, their programmes
    and source documents (so the linked data keep each fact with its provenance)."""
    ids = {n for n in view.node_ids() | view.facts if n in graph}
    extra: set[str] = set()
    for n in ids:
        if graph.props(n).get("label") in ("Pairing", "Task"):
            extra.update(m for rel in ("UNDER", "DERIVED_FROM") for m in graph.out(n, rel)
                         if graph.props(m).get("label") in ("Program", "Document"))
    return ids | extra


def ordered(graph: CanonicalGraph, nodes: set[str] | None, *, scalars: bool = False) -> nx.MultiDiGraph:
    """A copy of the graph or the subgraph on ``nodes`` with nodes, edges and attributes in sorted order,
    so writers that follow insertion order give the same bytes in every process (a subgraph view iterates
    its node set, whose order changes with PYTHONHASHSEED). ``scalars``: lists joined with ' | '."""
    import networkx as nx
    src = graph.networkx(nodes)

    def attrs(data: dict) -> dict:
        return {k: (" | ".join(map(str, v)) if scalars and isinstance(v, list) else v)
                for k, v in sorted(data.items())}

    g: nx.MultiDiGraph = nx.MultiDiGraph(**attrs(graph.networkx().graph))
    for n in sorted(src.nodes):
        g.add_node(n, **attrs(src.nodes[n]))
    for s, e, k in sorted(src.edges(keys=True)):
        g.add_edge(s, e, key=k, **attrs(src.edges[s, e, k]))
    return g


def view_graph(view: View, *, scalars: bool = False) -> nx.MultiDiGraph:
    """A named view as a graph of exactly its nodes and edges, in sorted order: nodes with their name,
    type, code, level and measure; edges keyed by their kind (a programme id or a relation), with the
    programme's or relation's Chinese name, the period and the source as cited (document number)."""
    import networkx as nx
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
            attrs["relation"] = RELATION_ZH.get(e["kind"], e["kind"])
        if scalars:
            attrs = {k: v for k, v in attrs.items() if v != ""}
        g.add_edge(e["from"], e["to"], key=e["kind"], **attrs)
    return g
