"""What every export format registers, and the sorted copy of a (sub)graph the
graph formats write from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from ...schema.graph import CanonicalGraph


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

    def render(self, graph: CanonicalGraph, nodes: set[str] | None = None, *, title: str = "aidgraph",
               geographic: bool = False) -> bytes:
        return self.writer(graph, nodes, fmt=self.name, title=title, geographic=geographic)


def ordered(graph: CanonicalGraph, nodes: set[str] | None, *, scalars: bool = False) -> nx.MultiDiGraph:
    """A copy of the graph or the subgraph on ``nodes`` with nodes, edges and attributes in sorted order,
    so writers that follow insertion order give the same bytes in every process (a subgraph view iterates
    its node set, whose order changes with PYTHONHASHSEED). ``scalars``: lists joined with ' | '."""
    src = graph.g if nodes is None else graph.g.subgraph(nodes)

    def attrs(data: dict) -> dict:
        return {k: (" | ".join(map(str, v)) if scalars and isinstance(v, list) else v)
                for k, v in sorted(data.items())}

    g = nx.MultiDiGraph(**attrs(graph.g.graph))
    for n in sorted(src.nodes):
        g.add_node(n, **attrs(src.nodes[n]))
    for s, e, k in sorted(src.edges(keys=True)):
        g.add_edge(s, e, key=k, **attrs(src.edges[s, e, k]))
    return g
