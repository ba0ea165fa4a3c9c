"""Subgraphs for exports and pictures: a centre (place, district, unit or
document) and a radius in hops, over the canonical graph."""
from __future__ import annotations

import networkx as nx

from ..loaders.canonical import CanonicalGraph
from ..schema.model import place_id
from .service import AidGraph

MAX_HOPS = 4


class CentreNotFound(LookupError):
    pass


def centre_id(aid: AidGraph, graph: CanonicalGraph, text: str) -> str:
    """A node id for what the user typed: a node id, a document id or number, a unit, or a place."""
    if text in graph.g:
        return text
    for d in graph.nodes("Document"):
        if text in (d["id"].removeprefix("doc:"), d["number"]):
            return d["id"]
    try:
        units = aid.unit(text)
    except LookupError:
        units = []
    if len(units) == 1:
        u = units[0]
        return next(n["id"] for n in graph.nodes("Unit") if n["name"] == u.name
                    and graph.out(n["id"], "UNIT_OF")[0] == place_id(aid.resolve(u.district).division))
    m = aid.resolve(text)  # raises Ambiguous / Unknown with candidates / suggestions
    nid = place_id(m.division)
    if nid not in graph.g:
        raise CentreNotFound(f"{aid.gaz.get(m.division).name} has no facts in the graph")
    return nid


def neighbourhood(graph: CanonicalGraph, centre: str, hops: int) -> set[str]:
    if not 0 <= hops <= MAX_HOPS:
        raise ValueError(f"hops must be between 0 and {MAX_HOPS}")
    return set(nx.ego_graph(graph.g.to_undirected(as_view=True), centre, radius=hops).nodes)
