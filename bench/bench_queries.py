"""Print timings of the named queries on the embedded store (and on Neo4j when
NEO4J_URI is set and the database has been pushed). Not a test: figures only.

    .venv/bin/python bench/bench_queries.py
"""
from __future__ import annotations

import os
import statistics
import time

from aidgraph.loaders.curated import load_graph
from aidgraph.graph_api.runtime import load_data, open_aidgraph
from aidgraph.settings import data_dir


def timed(fn, n=1):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def report(name, samples):
    ms = [s * 1000 for s in samples]
    print(f"{name:40s} n={len(ms):4d}  median {statistics.median(ms):8.2f} ms  max {max(ms):8.2f} ms")


def run(store: str) -> None:
    aid = open_aidgraph(store)
    graph = load_data().graph
    codes = sorted(n["code"] for label in ("County", "Prefecture") for n in graph.nodes(label))
    print(f"-- {store} store, {len(codes)} places")
    report("who-supports (every place)", [timed(lambda c=c: aid.who_supports(c))[0] for c in codes])
    report("who-supports --year 2019", [timed(lambda c=c: aid.who_supports(c, year=2019))[0] for c in codes[:50]])
    report("district (16)", [timed(lambda c=c: aid.district(c))[0] for c in [f"3101{i:02d}" for i in
                                                                               (1, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18, 20, 51)]])
    report("tasks (all)", timed(aid.tasks, 20))
    report("tasks --unit 区人社局 --district 闵行", timed(lambda: aid.tasks(unit="区人社局", district="闵行"), 50))
    report("unit 援外机构", timed(lambda: aid.unit("援外机构"), 50))
    report("stats", timed(aid.stats, 20))


if __name__ == "__main__":
    report("load the canonical graph from data/", timed(lambda: load_graph(data_dir()), 5))
    run("embedded")
    if os.environ.get("NEO4J_URI"):
        run("neo4j")
