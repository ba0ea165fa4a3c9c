"""`neo4j push` against a FalkorDB Bolt server started here (tests/boltserver.py), or the Neo4j of
AIDGRAPH_TEST_NEO4J_URI: rows/s batched (UNWIND, up to 1,000 rows and AIDGRAPH_NEO4J_BATCH_BYTES per
request; 3,000 bytes by default here because FalkorDB's Bolt bridge crashes on requests over ~4 KB)
against one statement per row (batch_rows=1), side by side on the same rows, then a second push
with nothing to change.

The full graph is pushed batched; one statement per row is timed on a sample of the graph (the
first --sample nodes by id of each label, with the relationships among them), and the sample is
pushed batched too, so both rates are measured on the same rows.

    .venv/bin/python bench/bench_push.py --data /tmp/aid-national [--sample 3000] [--batch-bytes 3000]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from neo4jserver import make_server, without_goodbye  # noqa: E402
from _common import REPO, header, load_avg, peak_rss_mib  # noqa: E402

from aidgraph.loaders.curated import load  # noqa: E402
from aidgraph.queries.neo4j_push import push  # noqa: E402
from aidgraph.schema.graph import CanonicalGraph  # noqa: E402


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


def timed_push(graph, settings, **kw) -> tuple[float, float, int, int]:
    """(whole push s, writing s, rows written, changes): writing runs from the end of the first batch to
    the end of the last, so the fixed part (wipe, DDL, reading what the database holds) is left out."""
    marks: list[tuple[float, int]] = []  # (time, rows written by then) after every batch
    last: list = [None, 0]  # the step of the previous batch and its rows done

    def count(kind, name, done, total):
        step = (kind, name, total)
        inc = done - last[1] if step == last[0] and done > last[1] else done
        last[:] = [step, done]
        marks.append((time.perf_counter(), (marks[-1][1] if marks else 0) + inc))
    t = time.perf_counter()
    summary = push(graph, settings, on_step=count, **kw)
    whole = time.perf_counter() - t
    written = marks[-1][1] - marks[0][1] if len(marks) > 1 else 0
    writing = marks[-1][0] - marks[0][0] if len(marks) > 1 else float("nan")
    return whole, writing, written, summary.changes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--sample", type=int, default=400, help="nodes per label for the per-row comparison")
    ap.add_argument("--batch-bytes", type=int, default=3000)
    ap.add_argument("--skip-full", action="store_true", help="only the sample")
    args = ap.parse_args()
    header("neo4j push: batched vs one statement per row", args.data.resolve())
    graph = load(args.data.resolve()).graph
    small = sample(graph, args.sample)
    mp = pytest.MonkeyPatch()
    server = make_server()
    if server.kind == "falkordb":
        without_goodbye(mp)
    server.start()
    try:
        base = server.settings("bench").model_copy(update={"batch_bytes": args.batch_bytes, "batch_rows": 1000})
        print(f"server: {server.kind}; batched: ≤ {base.batch_rows} rows and ≤ {base.batch_bytes} bytes per request")
        n = rows_of(small)
        one = base.model_copy(update={"batch_rows": 1})
        whole, writing, written, changes = timed_push(small, one, wipe_first=True)
        per_row = written / writing
        print(f"sample, one statement per row: {n:,} rows, push {whole:.2f} s; writing {written:,} rows in "
              f"{writing:.2f} s = {per_row:,.0f} rows/s [load {load_avg()}]")
        whole, writing, written, changes = timed_push(small, base, wipe_first=True)
        print(f"sample, batched:               {n:,} rows, push {whole:.2f} s; writing {written:,} rows in "
              f"{writing:.2f} s = {written / writing:,.0f} rows/s [load {load_avg()}]")
        print(f"batched / per row on the same rows (writing): {written / writing / per_row:.1f}x")
        if not args.skip_full:
            n = rows_of(graph)
            whole, writing, written, changes = timed_push(graph, base, wipe_first=True)
            print(f"whole graph, batched: {n:,} rows, push {whole:.1f} s = {n / whole:,.0f} rows/s overall; "
                  f"writing {written / writing:,.0f} rows/s [load {load_avg()}]")
            t = time.perf_counter()
            changes = push(graph, base).changes
            print(f"whole graph, second push (nothing to change): {time.perf_counter() - t:.1f} s, {changes} changes "
                  f"[load {load_avg()}]")
        print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")
    finally:
        server.cleanup()
        mp.undo()


if __name__ == "__main__":
    main()
