"""What routes depend on: the served ``Runtime`` and, from it, one ``AidGraph`` per request.

A request takes ``runtime.aid`` once and reads everything from that object, so a
reload that swaps the graph mid-request never mixes two versions in one answer.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

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


async def _aid(request: Request) -> AidGraph:  # async: FastAPI runs it at once, not through a thread
    return get_aid(request)


async def _runtime(request: Request) -> Runtime:
    return get_runtime(request)


Aid = Annotated[AidGraph, Depends(_aid)]
Served = Annotated[Runtime, Depends(_runtime)]  # the runtime, for the settings it serves with

P = ParamSpec("P")
T = TypeVar("T")


async def answer(aid: AidGraph, question: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """A named question's answer, for the API's quick routes (async, so no thread carries the request).
    Over a store in this process's memory the question is answered at once, on the event loop: a lookup
    of well under a millisecond, cheaper than the hand-offs to a worker thread and back it would
    otherwise take. Over a database (Neo4j) it is answered in the thread pool, so that waiting on the
    database never holds up the other requests."""
    if aid.in_memory:
        return question(*args, **kwargs)
    return await run_in_threadpool(question, *args, **kwargs)
