"""What routes depend on: the served ``Runtime`` and, from it, one ``AidGraph`` per request.

A request takes ``runtime.aid`` once and reads everything from that object, so a
reload that swaps the graph mid-request never mixes two versions in one answer.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..queries.service import AidGraph
from .runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_aid(request: Request) -> AidGraph:
    """The graph this request reads: taken from the runtime on first use, then kept on the request
    (so the route, its dependencies and its error handlers all see the same version)."""
    aid = getattr(request.state, "aid", None)
    if aid is None:
        aid = request.state.aid = get_runtime(request).aid
    return aid


Aid = Annotated[AidGraph, Depends(get_aid)]
Served = Annotated[Runtime, Depends(get_runtime)]  # the runtime, for the settings it serves with
