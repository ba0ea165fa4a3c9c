"""Seconds from `aidgraph serve` starting to its first answer, and to the graph being in memory.

    .venv/bin/python bench/bench_serve_start.py --data /tmp/aid-national --cache DIR [--workers 1]

Run a command (e.g. `aidgraph stats`) with the same AIDGRAPH_DATA/AIDGRAPH_CACHE first, so the snapshot
and its SQLite file exist (a warm cache). Loopback only; the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer(port: int, path: str) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{urllib.parse.quote(path)}", timeout=5) as r:
            r.read()
            return r.status
    except OSError:
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--limit", type=float, default=300, help="give up after this many seconds")
    a = ap.parse_args()
    env = {**os.environ, "AIDGRAPH_DATA": a.data, "AIDGRAPH_CACHE": a.cache, "AIDGRAPH_STORE": "embedded"}
    port = free_port()
    with tempfile.NamedTemporaryFile(suffix=".log", delete=False) as f:
        log = Path(f.name)
    with open(log, "wb") as out:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "aidgraph.graph_api.cli", "serve", "--port", str(port),
                                 "--workers", str(a.workers)], env=env, stdout=out, stderr=subprocess.STDOUT)
    first = loaded = None
    try:
        while time.monotonic() - t0 < a.limit and proc.poll() is None:
            if first is None and answer(port, "/api/places/泸水/supporters") == 200:
                first = time.monotonic() - t0
            if first is not None and ("now serving the new graph" in log.read_text() or a.workers > 1):
                loaded = time.monotonic() - t0
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    load = os.getloadavg()
    print(f"workers {a.workers}: first answer {first if first is None else round(first, 2)} s, "
          f"graph in memory {loaded if loaded is None else round(loaded, 2)} s "
          f"(load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")


if __name__ == "__main__":
    main()
