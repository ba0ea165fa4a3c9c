"""GraphML for Gephi and yEd."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..view import View
from .base import Format, ordered, subgraph_nodes, the_graph, view_graph


def write(view: View, graph: CanonicalGraph | None, fmt: str = "graphml", geographic: bool = False) -> bytes:
    """A named view: exactly its nodes and edges, with names, types and programmes; a subgraph: its
    canonical nodes and relationships. Scalar attributes only: lists are joined with ' | ' so the file
    stays valid. Nodes, edges and keys come in sorted order."""
    g = view_graph(view, scalars=True) if view.kind else ordered(the_graph(graph), subgraph_nodes(view), scalars=True)
    import networkx as nx
    return "\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)).encode("utf-8")


FORMATS = (Format("graphml", ".graphml", "application/graphml+xml",
                  "GraphML 图文件(Gephi、yEd)· GraphML for Gephi and yEd", False, write),)
