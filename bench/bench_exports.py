"""Exports of a 1,000-node view in every format of the registry (viz.formats): seconds per format
(median of --repeat renders, each in this process), bytes written and the peak RSS after all.

The view: the first 1,000 nodes reached breadth-first (both directions, neighbours in id order) from
a centre (default 闵行区, place:310112): its pairings and places, tasks, units and documents: the
kind of neighbourhood `aidgraph export --center 闵行 --hops 2` writes, cut to exactly 1,000 nodes.
--whole also renders the whole graph in each format, each in a child process stopped after --limit s.

    .venv/bin/python bench/bench_exports.py --data /tmp/aid-national [--nodes 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PYTHON, REPO, env_for, header, load_avg, peak_rss_mib

from aidgraph.loaders.curated import load
from aidgraph.viz.formats import FORMATS, render

WHOLE = """
import sys, time
from pathlib import Path
from aidgraph.loaders.curated import load
from aidgraph.viz.formats import render
g = load(Path(sys.argv[1])).graph
t = time.perf_counter()
out = render(g, None, sys.argv[2])
print(f"WHOLE {time.perf_counter() - t:.2f} {len(out)}")
"""


def first_nodes(graph, centre: str, n: int) -> set[str]:
    seen, todo = {centre}, deque([centre])
    g = graph.g
    while todo and len(seen) < n:
        node = todo.popleft()
        for nb in sorted(set(g.successors(node)) | set(g.predecessors(node))):
            if nb not in seen:
                seen.add(nb)
                todo.append(nb)
                if len(seen) >= n:
                    break
    return seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--center", default="place:310112")
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--whole", action="store_true")
    ap.add_argument("--limit", type=float, default=300.0)
    args = ap.parse_args()
    data = args.data.resolve()
    header("exports of a view in every format", data)
    graph = load(data).graph
    nodes = first_nodes(graph, args.center, args.nodes)
    sub = graph.g.subgraph(nodes)
    print(f"view: {len(nodes):,} nodes, {sub.number_of_edges():,} relationships around {args.center}")
    for fmt in args.formats.split(","):
        times, size = [], 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            try:
                size = len(render(graph, nodes, fmt, title="bench"))
            except Exception as e:  # noqa: BLE001 - a failing format is a figure too
                print(f"   {fmt:8s} FAILED: {type(e).__name__}: {e}")
                break
            times.append(time.perf_counter() - t)
        if times:
            print(f"   {fmt:8s} median {statistics.median(times):7.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
                  f"{size:>12,} bytes [load {load_avg()}]", flush=True)
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")
    if args.whole:
        print(f"-- the whole graph ({graph.g.number_of_nodes():,} nodes), one child process per format, "
              f"stopped after {args.limit:.0f} s")
        for fmt in args.formats.split(","):
            try:
                p = subprocess.run([PYTHON, "-c", WHOLE, str(data), fmt],
                                   env=env_for(data, Path.home() / ".cache/aidgraph"),
                                   capture_output=True, text=True, timeout=args.limit, cwd=REPO)
                last = (p.stdout.strip().splitlines() or [""])[-1]
                if p.returncode == 0 and last.startswith("WHOLE"):
                    _, secs, size = last.split()
                    print(f"   {fmt:8s} {float(secs):8.1f} s, {int(size):>14,} bytes [load {load_avg()}]", flush=True)
                else:
                    print(f"   {fmt:8s} FAILED: {(p.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
            except subprocess.TimeoutExpired:
                print(f"   {fmt:8s} not done after {args.limit:.0f} s [load {load_avg()}]", flush=True)


if __name__ == "__main__":
    main()
