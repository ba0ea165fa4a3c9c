"""Time `neo4j push` against a FalkorDB Bolt server started here (or NEO4J_URI):
a full push into an empty graph, then a second push with nothing to change.

    .venv/bin/python bench/bench_push.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from boltserver import make_server, without_goodbye  # noqa: E402

from aidgraph.queries.neo4j_push import push  # noqa: E402
from aidgraph.graph_api.runtime import load_data  # noqa: E402

if __name__ == "__main__":
    mp = pytest.MonkeyPatch()
    server = make_server()
    if server.kind == "falkordb":
        without_goodbye(mp)
    server.start()
    try:
        settings = server.settings("bench")
        graph = load_data().graph
        rows = sum(graph.label_counts().values()) + sum(graph.rel_counts().values())
        t = time.perf_counter()
        first = push(graph, settings, wipe_first=True)
        full = time.perf_counter() - t
        t = time.perf_counter()
        second = push(graph, settings)
        noop = time.perf_counter() - t
        print(f"server: {server.kind}; batches ≤ {settings.batch_rows} rows / {settings.batch_bytes} bytes")
        print(f"full push:  {rows} nodes+relationships in {full:.2f} s ({rows / full:.0f} rows/s), {first.changes} changes")
        print(f"second push: {noop:.2f} s, {second.changes} changes")
    finally:
        server.cleanup()
        mp.undo()
