"""A big view's pictures and handout, and the whole graph's streamed exports, in process: wall and CPU
each, with the load beside it (on a shared machine CPU is the figure to read).

    .venv/bin/python bench/bench_big_exports.py --data /tmp/aid-national --cache DIR \\
        [--view programme --center east-west --formats png,svg,pdf --repeat 2] [--stream nt,ttl,jsonld]
        [--views pairings:闵行,province:云南,overview:,…]

--views draws several views in the one process (each ``kind:centre``; an empty centre for none) in place
of --view/--center, and ends with a table of each view's CPU seconds per format (the best of --repeat).

The graph is opened as the server opens it (the snapshot in --cache when one of --data is there). The view
is built and drawn --repeat times (the first pass pays matplotlib's and the fonts' first use); each
streamed format is written to /dev/null, with its bytes, its SHA-256 (to compare writers) and the peak RSS.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import header, peak_rss_mib


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> str:
    wall, cpu = _clock()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"wall {wall - start[0]:.2f} s, CPU {cpu - start[1]:.2f} s (load {load})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--cache", required=True, help="cache folder (AIDGRAPH_CACHE), reused and kept")
    ap.add_argument("--view", default="programme")
    ap.add_argument("--center", default="east-west")
    ap.add_argument("--formats", default="png,svg,pdf", help="the view's formats ('' for none)")
    ap.add_argument("--views", default="", help="several views, comma-separated kind:centre (overrides --view)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--stream", default="", help="whole-graph formats to stream, e.g. nt,ttl,jsonld,graphml")
    a = ap.parse_args()
    os.environ["AIDGRAPH_DATA"], os.environ["AIDGRAPH_CACHE"] = a.data, a.cache
    header("big views and whole-graph exports", data=Path(a.data))
    start = _clock()
    from aidgraph.graph_api.runtime import open_aidgraph
    from aidgraph.viz.formats import render_view, stream
    from aidgraph.viz.view import View
    from aidgraph.viz.views import build_view
    aid = open_aidgraph("embedded")
    graph = aid.graph()
    print(f"open: {_since(start)}; peak RSS {peak_rss_mib():.0f} MiB", flush=True)
    formats = [f for f in a.formats.split(",") if f]
    specs = [tuple(v.split(":", 1)) for v in a.views.split(",") if v] or [(a.view, a.center)]
    best: dict[tuple[str, str], dict[str, float]] = {}
    for attempt in range(a.repeat if formats else 0):
        for kind, center in specs:
            row = best.setdefault((kind, center), {})
            start = _clock()
            view = build_view(aid, kind, center or None)
            row["view"] = min(row.get("view", 1e9), time.process_time() - start[1])
            print(f"[{attempt + 1}] build_view({kind}, {center}): {len(view.nodes)} nodes: {_since(start)}", flush=True)
            for fmt in formats:
                start = _clock()
                data = render_view(graph, view, fmt)
                row[fmt] = min(row.get(fmt, 1e9), time.process_time() - start[1])
                print(f"    {fmt}: {len(data) / 1e3:,.0f} KB, {_since(start)}", flush=True)
    if best:
        print("\n| view | centre | build_view | " + " | ".join(formats) + " |  (CPU s, best of the passes)")
        for (kind, center), row in best.items():
            cells = " | ".join(f"{row[f]:.2f}" for f in ["view", *formats])
            print(f"| {kind} | {center or '—'} | {cells} |")
    for fmt in [f for f in a.stream.split(",") if f]:
        start = _clock()
        size, digest = 0, hashlib.sha256()
        for chunk in stream(View(title="", whole=True), graph, fmt):
            size += len(chunk)
            digest.update(chunk)
        print(f"stream {fmt}: {size / 1e6:,.1f} MB, {_since(start)}; peak RSS {peak_rss_mib():.0f} MiB; "
              f"sha256 {digest.hexdigest()[:16]}", flush=True)


if __name__ == "__main__":
    main()
