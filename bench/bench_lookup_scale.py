"""Does a named query's cost grow with its answer or with the graph?

Builds the seed graph, times a few named queries, then adds synthetic tasks and
units (under another district, through the validating CanonicalGraph API) to
reach about 10x and 100x the seed's relationships, and times the same queries
again. Not a test: it prints figures.

    .venv/bin/python bench/bench_lookup_scale.py
"""
from __future__ import annotations

import platform
import statistics
import time
from functools import partial

from aidgraph.graph_api.runtime import load_data
from aidgraph.queries.embedded import EmbeddedStore
from aidgraph.queries.service import AidGraph

QUERIES = {
    "who-supports 泸水": lambda aid: aid.who_supports("泸水"),
    "district 闵行": lambda aid: aid.district("闵行"),
    "tasks --unit 区人社局 --district 闵行": lambda aid: aid.tasks(unit="区人社局", district="闵行"),
    "tasks --place 昭通": lambda aid: aid.tasks(place="昭通"),
    "unit 援外机构": lambda aid: aid.unit("援外机构"),
}


def p50(fn, n=200) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def inflate(graph, tasks: int, units: int) -> None:
    """Synthetic work points of 徐汇区 (310104) up to ``tasks`` synthetic tasks and ``units`` units in
    all, each task led by 2 of the units (ids are numbered, so growing again only adds the rest)."""
    owner = "place:310104"
    doc = "doc:mfbf-2024-20"
    for u in range(units):
        uid = f"unit:310104:合成单位{u:06d}"
        graph.add_node("Unit", uid, name=f"合成单位{u:06d}", names_as_written=[f"合成单位{u:06d}"], kind="unit",
                       source="synthetic")
        graph.add_edge("UNIT_OF", uid, owner)
    for t in range(tasks):
        tid = f"task:synthetic:{t}"
        graph.add_node("Task", tid, number=t + 1, kind="task", title="合成任务", text="合成任务", year=2030,
                       source="synthetic")
        graph.add_edge("TASK_OF", tid, owner)
        graph.add_edge("DERIVED_FROM", tid, doc, locator="synthetic")
        for pos, u in enumerate((t % units, (t * 7 + 3) % units)):
            graph.add_edge("LEAD_UNIT", tid, f"unit:310104:合成单位{u:06d}", as_written="合成单位", position=pos,
                           etc=False)


def main() -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    loaded = load_data()
    graph = loaded.graph
    seed_rels = graph.g.number_of_edges()
    for factor, (tasks, units) in (("1x", (0, 0)), ("10x", (3_000, 600)), ("100x", (40_000, 8_000))):
        inflate(graph, tasks, units)
        aid = AidGraph(EmbeddedStore(graph), loaded.gazetteer, loaded.unit_names)
        n, r = graph.g.number_of_nodes(), graph.g.number_of_edges()
        print(f"-- {factor}: {n:,} nodes, {r:,} relationships ({r / seed_rels:.0f}x the seed's)")
        for name, q in QUERIES.items():
            print(f"   {name:38s} p50 {p50(partial(q, aid)):8.3f} ms")


if __name__ == "__main__":
    main()
