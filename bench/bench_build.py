"""Building the graph from files, and how long a command or the server takes to answer from a cold start.

- build: ``loaders.curated.load(root)`` in a fresh process (gazetteer cache warm), seconds inside the
  process and the process's peak RSS;
- snapshot: the same through ``graph_api.runtime.load_data`` (builds and writes the on-disk snapshot),
  then reading the snapshot back;
- CLI: ``aidgraph who-supports NAME`` end to end (interpreter start included) with an empty cache
  (gazetteer and graph built), with the gazetteer cached but no snapshot, and with the snapshot;
- serve: from spawning ``aidgraph serve`` until ``/api/stats`` answers 200, without and with snapshot.

    .venv/bin/python bench/bench_build.py --data /tmp/aid-national [--repeat 3] [--place 泸水]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import AIDGRAPH, PYTHON, REPO, env_for, free_port, header, load_avg, run_timed

BUILD = """
import time, resource
from pathlib import Path
from aidgraph.loaders.curated import load
t = time.perf_counter()
g = load(Path({root!r})).graph
print(f"BUILD {{time.perf_counter() - t:.3f}} {{g.g.number_of_nodes()}} {{g.g.number_of_edges()}}")
"""
SNAPSHOT = """
import time
from pathlib import Path
from aidgraph.graph_api.runtime import load_data
t = time.perf_counter()
g = load_data(Path({root!r})).graph
print(f"SNAP {{time.perf_counter() - t:.3f}}")
"""


def serve_start(env: dict, timeout: float = 900) -> float:
    port = free_port()
    t = time.perf_counter()
    proc = subprocess.Popen([AIDGRAPH, "serve", "--port", str(port)], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t + timeout
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited with {proc.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=60).status_code == 200:
                    return time.perf_counter() - t
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("serve did not answer in time")
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--place", default="泸水")
    args = ap.parse_args()
    data = args.data.resolve()
    header("build from files and start-up", data)
    cache = Path(tempfile.mkdtemp(prefix="aidgraph-bench-cache-"))
    try:
        env = env_for(data, cache)
        # 1. the gazetteer once (cold), then the build with it cached
        wall, rss, rc, last = run_timed([PYTHON, "-c", "from aidgraph.loaders.gazetteer import load_gazetteer;"
                                         f"from pathlib import Path; load_gazetteer(Path({str(data)!r}))"], env)
        print(f"gazetteer built and cached (first run on a machine): {wall:.2f} s wall, peak RSS {rss:.0f} MiB "
              f"[load {load_avg()}]")
        builds = []
        for _ in range(args.repeat):
            wall, rss, rc, last = run_timed([PYTHON, "-c", BUILD.format(root=str(data))], env)
            if rc:
                raise SystemExit(f"build failed: {last}")
            _, secs, nodes, rels = last.split()
            builds.append((float(secs), wall, rss))
            print(f"build: {float(secs):.2f} s in process ({wall:.2f} s with interpreter start), peak RSS "
                  f"{rss:.0f} MiB; {int(nodes):,} nodes, {int(rels):,} relationships [load {load_avg()}]")
        print(f"build median: {statistics.median(b[0] for b in builds):.2f} s, peak RSS max "
              f"{max(b[2] for b in builds):.0f} MiB")
        # 2. the snapshot: written on the first load, read on the next
        shutil.rmtree(cache / "snapshots", ignore_errors=True)
        wall, rss, rc, last = run_timed([PYTHON, "-c", SNAPSHOT.format(root=str(data))], env)
        print(f"load_data, no snapshot (build + write snapshot): {float(last.split()[1]):.2f} s in process, "
              f"peak RSS {rss:.0f} MiB [load {load_avg()}]")
        size = sum(p.stat().st_size for p in (cache / "snapshots").glob("*.json"))
        reads = []
        for _ in range(args.repeat):
            wall, rss, rc, last = run_timed([PYTHON, "-c", SNAPSHOT.format(root=str(data))], env)
            reads.append(float(last.split()[1]))
        print(f"load_data from the snapshot ({size / 2**20:.1f} MiB): median {statistics.median(reads):.2f} s in "
              f"process, peak RSS {rss:.0f} MiB [load {load_avg()}]")
        # 3. a CLI answer
        cmd = [AIDGRAPH, "who-supports", args.place]
        empty = Path(tempfile.mkdtemp(prefix="aidgraph-bench-empty-"))
        wall, rss, rc, last = run_timed(cmd, env_for(data, empty))
        shutil.rmtree(empty, ignore_errors=True)
        print(f"CLI `aidgraph who-supports {args.place}`, empty cache (gazetteer + build + snapshot): {wall:.2f} s, "
              f"peak RSS {rss:.0f} MiB, exit {rc} [load {load_avg()}]")
        shutil.rmtree(cache / "snapshots", ignore_errors=True)
        wall, rss, rc, last = run_timed(cmd, env)
        print(f"CLI, gazetteer cached, no snapshot: {wall:.2f} s, peak RSS {rss:.0f} MiB, exit {rc} "
              f"[load {load_avg()}]")
        warm = []
        for _ in range(max(3, args.repeat)):
            wall, rss, rc, last = run_timed(cmd, env)
            warm.append(wall)
        print(f"CLI with the snapshot: median {statistics.median(warm):.2f} s (min {min(warm):.2f}), "
              f"peak RSS {rss:.0f} MiB, exit {rc} [load {load_avg()}]")
        # 4. serve
        shutil.rmtree(cache / "snapshots", ignore_errors=True)
        print(f"serve until /api/stats answers, no snapshot: {serve_start(env):.2f} s [load {load_avg()}]")
        print(f"serve until /api/stats answers, with the snapshot: {serve_start(env):.2f} s [load {load_avg()}]")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
