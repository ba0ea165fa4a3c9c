"""`aidgraph serve --workers 2`: two forked processes answer on one port, a dead one is replaced, SIGHUP
replaces them over the reloaded graph, and SIGTERM stops them all."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from neo4jserver import free_port
from server_process import until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="forking workers is POSIX only")


def _children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(stat.parent.name))
    return found


def _two_workers(pid: int, none_of: frozenset[int] | set[int] = frozenset()) -> set[int] | None:
    """The two workers of server ``pid`` when it has exactly two and none of them is in ``none_of``."""
    workers = _children(pid)
    return workers if len(workers) == 2 and not workers & none_of else None


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _stats(port: int) -> int | None:
    """The status of /api/stats on a new connection, or None when nothing answers within 2 s."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2) as r:
            return r.status
    except OSError:
        return None


def _answered_by_only(port: int, worker: int, others: set[int]) -> bool:
    """Whether /api/stats answers while every worker but ``worker`` is stopped (so ``worker`` answered)."""
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        return _stats(port) == 200
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def test_two_workers_answer_are_replaced_and_stop_together(tmp_path):
    port = free_port()
    env = {**os.environ, "AIDGRAPH_STORE": "embedded"}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "aidgraph.graph_api.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", "2"], stdout=out, stderr=subprocess.STDOUT,
                                env=env)
    seen: set[int] = set()
    try:
        workers = until(proc, "two workers", lambda: _two_workers(proc.pid), log)
        seen |= workers
        until(proc, "an answer", lambda: _stats(port) == 200, log)
        for w in workers:  # each worker answers by itself: the other one is stopped meanwhile
            assert until(proc, f"worker {w} answering", lambda w=w: _answered_by_only(port, w, workers - {w}), log)

        dead = min(workers)
        os.kill(dead, signal.SIGKILL)
        replaced = until(proc, "a replacement worker", lambda: _two_workers(proc.pid, {dead}), log)
        seen |= replaced
        new = (replaced - workers).pop()
        assert until(proc, "the new worker answering", lambda: _answered_by_only(port, new, replaced - {new}), log)

        os.kill(proc.pid, signal.SIGHUP)  # reload: the graph is rebuilt and both workers are replaced
        renewed = until(proc, "two workers after the reload", lambda: _two_workers(proc.pid, replaced), log)
        seen |= renewed
        until(proc, "an answer after the reload", lambda: _stats(port) == 200, log)
        assert "reloaded: now serving the new graph" in log.read_text(errors="replace")

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert [pid for pid in seen if _alive(pid)] == []  # no worker outlives the server
        assert _stats(port) is None
    finally:
        if proc.poll() is None:
            seen |= _children(proc.pid)
            proc.kill()
            proc.wait(10)
        for pid in seen:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
