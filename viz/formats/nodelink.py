"""Node-link JSON (networkx's ``node_link_data``, as d3 and networkx read it)."""
from __future__ import annotations

import json

import networkx as nx

from ...schema.graph import CanonicalGraph
from .base import Format, ordered, view_graph


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str = "json", title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    data = nx.node_link_data(ordered(graph, nodes), edges="links")
    return _dump(data)


def render_view(view, graph: CanonicalGraph, fmt: str = "json") -> bytes:
    """Exactly the view's nodes (a district's pairings: the district, its prefectures and places) and edges."""
    return _dump(nx.node_link_data(view_graph(view), edges="links"))


def _dump(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


FORMATS = (Format("json", ".json", "application/json",
                  "节点-连线 JSON(networkx、d3)· node-link JSON for networkx and d3", False, render, render_view),)
