"""What every benchmark prints: the machine it ran on, the load at start, and percentiles.

Not a test and not part of the package: the scripts beside it import it by path."""
from __future__ import annotations

import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
AIDGRAPH = str(Path(sys.executable).with_name("aidgraph"))


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "?"
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (f"machine: {cpu}; {os.cpu_count()} cores; RAM {ram}; Python {platform.python_version()} "
            f"({platform.python_implementation()}); {platform.system()} {platform.release()}")


def load_avg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def header(what: str, data: Path | None = None) -> None:
    print(f"== {what}")
    print(machine())
    print(f"load average at start: {load_avg()}  ({time.strftime('%Y-%m-%d %H:%M:%S %Z')})")
    if data is not None:
        print(f"data: {data}")
    sys.stdout.flush()


def pct(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    s = sorted(samples)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(q / 100 * len(s) + 0.5) - 1))
    return s[k]


def summary_ms(samples: list[float]) -> str:
    ms = [x * 1000 for x in samples]
    return (f"n={len(ms):5d}  p50 {pct(ms, 50):9.3f} ms  p99 {pct(ms, 99):9.3f} ms  "
            f"mean {statistics.fmean(ms):9.3f} ms  max {max(ms):9.3f} ms")


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer():
    box = {}
    t = time.perf_counter()
    try:
        yield box
    finally:
        box["s"] = time.perf_counter() - t


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data: Path, cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIDGRAPH_", "NEO4J_"))}
    env.update(AIDGRAPH_DATA=str(data), AIDGRAPH_CACHE=str(cache), **extra)
    return env


def run_timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak RSS of the child in MiB, exit code, last line of its output) of one command,
    the peak read by GNU time (``/usr/bin/time -f %M``)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        t = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *cmd], env=env, cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - t
        try:
            rss = int(f.read().strip().splitlines()[-1]) / 1024
        except (ValueError, IndexError):
            rss = float("nan")
    lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
    return wall, rss, proc.returncode, lines[-1] if lines else ""


def service_of(data: Path, note: str = ""):
    """The load of ``data`` (from the snapshot in AIDGRAPH_CACHE when there is one, else built) and the
    service over it on the embedded store, not yet warmed; prints how long loading took."""
    from aidgraph.graph_api.runtime import load_data
    from aidgraph.queries.embedded import EmbeddedStore
    from aidgraph.queries.service import AidGraph
    t = time.perf_counter()
    loaded = load_data(data.resolve())
    graph = loaded.graph
    print(f"loaded {graph.g.number_of_nodes():,} nodes, {graph.g.number_of_edges():,} relationships in "
          f"{time.perf_counter() - t:.1f} s{note}")
    return loaded, AidGraph(EmbeddedStore(graph), loaded.gazetteer, loaded.unit_names)
