"""GraphML for Gephi and yEd."""
from __future__ import annotations

import networkx as nx

from ...schema.graph import CanonicalGraph
from .base import Format, ordered, view_graph


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str = "graphml", title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    """Scalar attributes only: lists are joined with ' | ' so the file stays valid. Nodes, edges and keys
    come in sorted order."""
    g = ordered(graph, nodes, scalars=True)
    return "\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)).encode("utf-8")


def render_view(view, graph: CanonicalGraph, fmt: str = "graphml") -> bytes:
    """Exactly the view's nodes and edges, with names, types and programmes."""
    return "\n".join(nx.generate_graphml(view_graph(view, scalars=True), encoding="utf-8",
                                         prettyprint=True)).encode("utf-8")


FORMATS = (Format("graphml", ".graphml", "application/graphml+xml",
                  "GraphML 图文件(Gephi、yEd)· GraphML for Gephi and yEd", False, render, render_view),)
