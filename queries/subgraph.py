"""Subgraphs for exports and pictures: the nodes within a radius in hops of a centre (a node id, see
``AidGraph.centre``), read from the store (``Store.neighbourhood``), never from the whole graph."""
from __future__ import annotations

from ..errors import BadParameter
from .store import Store

MAX_HOPS = 4


def neighbourhood(store: Store, centre: str, hops: int) -> set[str]:
    if not 0 <= hops <= MAX_HOPS:
        raise BadParameter(f"hops must be between 0 and {MAX_HOPS}")
    return store.neighbourhood(centre, hops)
