"""`neo4j push` to the tests' Neo4j 5 (tests/neo4j-server, started here with AIDGRAPH_TEST_NEO4J_HEAP,
default 4g; or the Neo4j of AIDGRAPH_TEST_NEO4J_URI): rows/s of the push as shipped (batched
``UNWIND`` statements with the default batch settings, all in one transaction) against one row per
transaction (each node or relationship written by its own ``execute_write``, the way a naive loader
writes), on the same rows; then a second push with nothing to change.

The whole graph is pushed batched; one row per transaction is timed on a sample of the graph (the
first --sample nodes by id of each label, with the relationships among them; the whole graph when
it is smaller), and the sample is pushed batched too, so both rates are measured on the same rows.

    .venv/bin/python bench/bench_push.py --data /tmp/aid-national [--sample 400]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, header, load_avg, peak_rss_mib
from neo4jserver import make_server

from aidgraph.loaders.curated import load
from aidgraph.queries.neo4j_conn import connect
from aidgraph.queries.neo4j_push import PushSummary, apply_ddl, plan_push, push, wipe, write_steps
from aidgraph.schema.graph import CanonicalGraph


def rows_of(graph: CanonicalGraph) -> int:
    return graph.g.number_of_nodes() + graph.g.number_of_edges()


def sample(graph: CanonicalGraph, per_label: int) -> CanonicalGraph:
    """The first ``per_label`` nodes (by id) of every label and the relationships among them."""
    keep: set[str] = set()
    for label in sorted({d["label"] for _, d in graph.g.nodes(data=True)}):
        keep.update(graph.ids(label)[:per_label])
    out = CanonicalGraph()
    for nid in sorted(keep):
        d = graph.g.nodes[nid]
        out.add_node(d["label"], nid, **{k: v for k, v in d.items() if k not in ("label", "id")})
    for s, e, d in graph.g.edges(data=True):
        if s in keep and e in keep:
            out.add_edge(d["type"], s, e, **{k: v for k, v in d.items() if k != "type"})
    return out


def batched(graph, settings) -> tuple[float, int]:
    """(seconds, rows) of writing the graph into an emptied database as a push does (batched statements
    in one transaction, committed), timed from the first statement to the commit."""
    d = connect(settings)
    try:
        wipe(d, settings.database)
        apply_ddl(d, settings.database)
        steps = plan_push(graph, {}, {}, PushSummary())
        t = time.perf_counter()
        with d.session(database=settings.database) as s, s.begin_transaction() as tx:
            write_steps(tx, steps, settings)
            tx.commit()
        return time.perf_counter() - t, sum(len(rows) for *_x, rows in steps)
    finally:
        d.close()


def whole_push(graph, settings, **kw) -> float:
    t = time.perf_counter()
    push(graph, settings, **kw)
    return time.perf_counter() - t


def one_row_per_transaction(graph, settings) -> tuple[float, int]:
    """The same statements as the push, each with one row and in a transaction of its own."""
    d = connect(settings)
    try:
        wipe(d, settings.database)
        apply_ddl(d, settings.database)
        steps = plan_push(graph, {}, {}, PushSummary())
        n = 0
        t = time.perf_counter()
        with d.session(database=settings.database) as s:
            for _kind, _name, query, rows in steps:
                for row in rows:
                    s.execute_write(lambda tx, q=query, r=row: tx.run(q, rows=[r]).consume())
                    n += 1
        return time.perf_counter() - t, n
    finally:
        d.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--sample", type=int, default=400, help="nodes per label for the per-row comparison")
    ap.add_argument("--skip-full", action="store_true", help="only the sample")
    args = ap.parse_args()
    header("neo4j push: batched in one transaction vs one row per transaction", args.data.resolve())
    graph = load(args.data.resolve()).graph
    small = sample(graph, args.sample)
    os.environ.setdefault("AIDGRAPH_TEST_NEO4J_HEAP", "4g")
    server = make_server()
    t = time.perf_counter()
    server.start()
    print(f"server: {server.kind}, ready in {time.perf_counter() - t:.1f} s")
    try:
        base = server.settings()
        print(f"batched: ≤ {base.batch_rows} rows and ≤ {base.batch_bytes:,} bytes per statement, one transaction")
        secs, n = one_row_per_transaction(small, base)
        per_row = n / secs
        print(f"sample, one row per transaction: {n:,} rows in {secs:.2f} s = {per_row:,.0f} rows/s "
              f"[load {load_avg()}]")
        secs, n = batched(small, base)
        print(f"sample, batched:                 {n:,} rows in {secs:.2f} s = {n / secs:,.0f} rows/s "
              f"[load {load_avg()}]")
        print(f"batched / one row per transaction on the same rows: {n / secs / per_row:.1f}x")
        if not args.skip_full:
            n = rows_of(graph)
            secs, _ = batched(graph, base)
            print(f"whole graph, batched writing: {n:,} rows in {secs:.1f} s = {n / secs:,.0f} rows/s "
                  f"[load {load_avg()}]")
            secs = whole_push(graph, base, wipe_first=True)
            print(f"whole graph, `neo4j push --wipe` (wipe, DDL, write, commit): {secs:.1f} s = {n / secs:,.0f} rows/s "
                  f"[load {load_avg()}]")
            secs = whole_push(graph, base)
            print(f"whole graph, second push (reads the database, nothing to change): {secs:.1f} s "
                  f"[load {load_avg()}]")
        print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
