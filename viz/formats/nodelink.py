"""Node-link JSON (networkx's ``node_link_data``, as d3 and networkx read it)."""
from __future__ import annotations

import json

from ...schema.graph import CanonicalGraph
from ..view import View
from .base import Format, ordered, subgraph_nodes, the_graph, view_graph


def write(view: View, graph: CanonicalGraph | None, fmt: str = "json", geographic: bool = False) -> bytes:
    """A named view: exactly its nodes (a district's pairings: the district, its prefectures and places)
    and edges; a subgraph: its canonical nodes and relationships."""
    g = view_graph(view) if view.kind else ordered(the_graph(graph), subgraph_nodes(view))
    import networkx as nx
    data = nx.node_link_data(g, edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


FORMATS = (Format("json", ".json", "application/json",
                  "节点-连线 JSON(networkx、d3)· node-link JSON for networkx and d3", False, write),)
