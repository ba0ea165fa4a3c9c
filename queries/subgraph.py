"""Subgraphs for exports and pictures: the nodes within a radius in hops of a
centre (a node id, see ``AidGraph.centre``) of the canonical graph."""
from __future__ import annotations

import networkx as nx

from ..errors import BadParameter
from ..schema.graph import CanonicalGraph

MAX_HOPS = 4


def neighbourhood(graph: CanonicalGraph, centre: str, hops: int) -> set[str]:
    if not 0 <= hops <= MAX_HOPS:
        raise BadParameter(f"hops must be between 0 and {MAX_HOPS}")
    return set(nx.ego_graph(graph.g.to_undirected(as_view=True), centre, radius=hops).nodes)
