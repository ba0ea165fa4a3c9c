"""The API's quick routes answer on the event loop over the graph in memory (no thread hand-off for a
lookup), and in the thread pool over a database, so that a wait on Neo4j never holds up the other
requests (graph_api.deps.answer)."""
from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

from aidgraph.graph_api.deps import answer
from aidgraph.queries.embedded import EmbeddedStore
from aidgraph.queries.neo4j_store import Neo4jStore
from aidgraph.queries.sqlite_store import SqliteStore


def _thread_of(store_cls) -> tuple[str, str]:
    aid = SimpleNamespace(in_memory=store_cls.in_memory)

    async def ask() -> tuple[str, str]:
        loop_thread = threading.current_thread().name
        ran_on = await answer(aid, lambda text, *, year: f"{threading.current_thread().name}|{text}|{year}",  # type: ignore[arg-type]
                              "泸水", year=2021)
        return loop_thread, ran_on

    return asyncio.run(ask())


def test_the_graph_in_memory_is_asked_on_the_event_loop():
    loop_thread, ran_on = _thread_of(EmbeddedStore)
    assert ran_on == f"{loop_thread}|泸水|2021"


def test_a_database_or_a_file_is_asked_in_a_worker_thread():
    for store_cls in (Neo4jStore, SqliteStore):
        loop_thread, ran_on = _thread_of(store_cls)
        thread, text, year = ran_on.split("|")
        assert thread != loop_thread and (text, year) == ("泸水", "2021"), store_cls.name
