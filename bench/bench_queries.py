"""p50/p99 of the named questions in process: who-supports, a district's profile, tasks by unit and
a named meeting view (a district's pairings, what the district page draws and the export gives), on
the embedded store and (--neo4j) on the Neo4j store over the tests' Neo4j 5 (tests/neo4j-server,
started here with AIDGRAPH_TEST_NEO4J_HEAP, default 4g; or the Neo4j of AIDGRAPH_TEST_NEO4J_URI),
after pushing the same graph there with the default batch settings.

Who-supports asks about a fixed sample of the graph's paired places (seeded), 泸水 among them; the
district profile about a sample of supporters, 闵行 among them; tasks by unit about 区人社局 in 闵行.

    .venv/bin/python bench/bench_queries.py --data /tmp/aid-national [--n 400] [--neo4j] [--neo4j-n 50]
        [--only who-supports,tasks] [--cold]

The graph is read from the snapshot in AIDGRAPH_CACHE when one of --data is there (as a command reads it),
else built from the files and saved there. Beside each wall-clock figure the CPU time of the calls is
given (thread time: on a loaded machine it is what the answer itself costs). As `serve` does, the graph
is warmed (`AidGraph.warm`: indexes, every task's answer) and the collector frozen before the first
question; --cold skips the warming.
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, header, load_avg, pct, peak_rss_mib, service_of, summary_ms

from aidgraph.queries.service import AidGraph

ONLY: tuple[str, ...] = ()  # --only: the questions asked (prefixes of their names); empty: all


def meeting_view(aid: AidGraph, code: str):
    """The named view of a district's pairings (viz.views, the one view builder)."""
    from aidgraph.viz.views import build_view
    return build_view(aid, "pairings", code, year=None, program=None)


def questions(aid: AidGraph, graph, rng: random.Random) -> dict:
    places = sorted({graph.node(p)["code"] for pr in graph.ids("Pairing") for p in graph.out(pr, "SUPPORTED")})
    places = ["泸水", *rng.sample(places, min(len(places), 199))]
    supporters = sorted({graph.node(s)["code"] for pr in graph.ids("Pairing") for s in graph.out(pr, "SUPPORTER")}
                        - {"310000"})
    supporters = ["闵行", *rng.sample(supporters, min(len(supporters), 49))]
    return {
        "who-supports (200 places)": (places, lambda x: aid.who_supports(x)),
        "district profile (50 supporters)": (supporters, lambda x: aid.district(x)),
        "tasks --unit 区人社局 --district 闵行": (["区人社局"], lambda x: aid.tasks(unit=x, district="闵行")),
        "unit 援外机构 --district 闵行": (["援外机构"], lambda x: aid.unit(x, district="闵行")),
        "meeting view: 闵行's pairings": (["310112"], lambda x: meeting_view(aid, x)),
    }


def size_of(answer) -> str:
    if hasattr(answer, "supporters"):
        return f"{len(answer.supporters)} supporters, {len(answer.tasks)} tasks"
    if hasattr(answer, "paired_places"):
        return f"{answer.paired_places} paired places"
    if isinstance(answer, list):
        return f"{len(answer)} items" + (f", {sum(len(u.leads) + len(u.responsible_for) for u in answer)} tasks"
                                         if answer and hasattr(answer[0], "leads") else "")
    if hasattr(answer, "nodes"):
        return f"{len(answer.nodes)} nodes, {len(answer.edges)} edges"
    return "?"


def run(aid: AidGraph, graph, n: int, seed: int, label: str) -> None:
    print(f"-- {label} store [load {load_avg()}]")
    for name, (args, fn) in questions(aid, graph, random.Random(seed)).items():
        if ONLY and not name.startswith(ONLY):
            continue
        fn(args[0])  # first call: caches (name forms, programmes) filled
        samples, cpu = [], []
        answer = None
        deadline = time.perf_counter() + 120  # bounded: at most two minutes per question
        for i in range(n):
            t, c = time.perf_counter(), time.thread_time()
            answer = fn(args[i % len(args)])
            cpu.append(time.thread_time() - c)
            samples.append(time.perf_counter() - t)
            if time.perf_counter() > deadline:
                break
        print(f"   {name:38s} {summary_ms(samples)}  CPU p50 {pct(cpu, 50) * 1000:.3f} ms p99 "
              f"{pct(cpu, 99) * 1000:.3f} ms  (last answer: {size_of(answer)}) [load {load_avg()}]")


def _plain(answer):
    if isinstance(answer, list):
        return [_plain(a) for a in answer]
    if hasattr(answer, "model_dump"):
        return answer.model_dump()
    if hasattr(answer, "nodes"):  # a view
        return sorted(n["id"] for n in answer.nodes), sorted((e["from"], e["to"]) for e in answer.edges)
    return answer


def parity(embedded: AidGraph, neo: AidGraph, graph, seed: int, per_question: int) -> None:
    """The same questions on both stores must give the same answers, at scale too."""
    qe, qn = questions(embedded, graph, random.Random(seed)), questions(neo, graph, random.Random(seed))
    for name, (args, fe) in qe.items():
        fn = qn[name][1]
        bad = [a for a in args[:per_question] if _plain(fe(a)) != _plain(fn(a))]
        print(f"   parity {name:38s} {min(len(args), per_question) - len(bad)}/{min(len(args), per_question)} "
              f"answers equal{'; differ: ' + ', '.join(map(str, bad[:5])) if bad else ''}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--n", type=int, default=400, help="calls per question on the embedded store")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--neo4j", action="store_true", help="also push to a Bolt server and ask there")
    ap.add_argument("--neo4j-n", type=int, default=100, help="calls per question on the Neo4j store")
    ap.add_argument("--check", type=int, default=20, help="answers per question compared between the stores")
    ap.add_argument("--cold", action="store_true",
                    help="ask without AidGraph.warm first (as a command does): each first answer makes its records")
    ap.add_argument("--only", default="", help="comma-separated prefixes of the questions to ask (default: all)")
    args = ap.parse_args()
    global ONLY
    ONLY = tuple(x for x in args.only.split(",") if x)
    header("named questions in process", args.data.resolve())
    loaded, aid = service_of(args.data)
    graph = loaded.graph
    if not args.cold:  # as `serve` starts: indexes and every task's answer made, then the collector frozen
        t, cpu = time.perf_counter(), time.thread_time()
        aid.warm()
        print(f"warmed (AidGraph.warm, as serve does before answering) in {time.perf_counter() - t:.1f} s, "
              f"CPU {time.thread_time() - cpu:.1f} s")
    gc.collect()
    gc.freeze()
    run(aid, graph, args.n, args.seed, "embedded")
    if args.neo4j:
        import os
        sys.path.insert(0, str(REPO / "tests"))
        from neo4jserver import make_server

        from aidgraph.queries.neo4j_push import push
        from aidgraph.queries.neo4j_store import open_neo4j
        os.environ.setdefault("AIDGRAPH_TEST_NEO4J_HEAP", "4g")
        server = make_server()
        server.start()
        try:
            settings = server.settings()
            t = time.perf_counter()
            push(graph, settings, wipe_first=True)
            print(f"pushed to {server.kind} in {time.perf_counter() - t:.1f} s (≤ {settings.batch_rows} rows, "
                  f"≤ {settings.batch_bytes} bytes per request, one transaction)")
            store = open_neo4j(settings)
            try:
                neo = AidGraph(store, loaded.gazetteer, loaded.unit_names)
                run(neo, graph, args.neo4j_n, args.seed, f"neo4j ({server.kind}, Bolt on loopback)")
                parity(aid, neo, graph, args.seed, args.check)
            finally:
                store.close()
        finally:
            server.cleanup()
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
