"""The tests' Neo4j: Neo4j 5 itself (Neo4j's test harness, community edition, from Maven Central),
started by ``tests/neo4j-server/run PORT`` on a free loopback port and stopped at the end of the
session; or, when ``AIDGRAPH_TEST_NEO4J_URI`` is set, that Neo4j server instead (with
``AIDGRAPH_TEST_NEO4J_USER``, ``_PASSWORD`` and ``_DATABASE``, default database ``aidgraph-test``;
a database name without "test" in it is refused).

The tests never read ``NEO4J_*``, the variables the README tells users to export for their own
server: the suite wipes the database it pushes to, so it must never find a user's database by
accident. Tests that run the CLI against the test server hand it ``NEO4J_*`` built from the test
settings (``neo4j_env``). The harness server holds one database (``neo4j``, community edition) in a
temporary folder of its own, removed when it stops.
"""
from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from aidgraph.settings import Neo4jSettings

LAUNCHER = Path(__file__).resolve().parent / "neo4j-server" / "run"
TEST_DATABASE = "aidgraph-test"


def free_port() -> int:
    """A TCP port free on the loopback interface now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HarnessServer:
    """A private Neo4j 5 from ``tests/neo4j-server`` (built by ``make test``; ``run`` builds it when absent)."""
    kind = "neo4j-harness"

    def __init__(self) -> None:
        self.port = free_port()
        self.log = Path(tempfile.mkstemp(prefix="aidgraph-neo4j-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 600.0) -> HarnessServer:
        """Starts the launcher and returns once it prints ``ready bolt://127.0.0.1:PORT`` (a first
        build by Maven can take minutes; a start about 10-30 s)."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([str(LAUNCHER), str(self.port)], stdout=subprocess.PIPE, stderr=log,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        assert self.proc.stdout is not None
        want = f"ready bolt://127.0.0.1:{self.port}"
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                line = self.proc.stdout.readline().decode("utf-8", "replace").strip()
                if line == want:
                    return self
                if line:
                    seen.append(line)
                    continue
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Neo4j test server exited ({self.proc.returncode}) before it was ready:\n"
                                   f"{self.log_tail()}\n{chr(10).join(seen[-10:])}")
        self.stop()
        raise RuntimeError(f"the Neo4j test server was not ready within {timeout:.0f} s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # the launcher execs java: SIGTERM reaches Neo4j's shutdown hook
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def cleanup(self) -> None:
        self.stop()
        self.log.unlink(missing_ok=True)

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def settings(self, database: str | None = None) -> Neo4jSettings:
        """The one database of the harness server, whatever name a test asks for (community edition
        has one); authentication is off, so the user name and empty password are ignored."""
        return Neo4jSettings(uri=f"bolt://127.0.0.1:{self.port}", user="neo4j", password="", database="neo4j",
                             connection_timeout=10.0, max_retry_time=5.0)


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
                                  connection_timeout=10.0, max_retry_time=15.0)

    def start(self) -> RealNeo4j:
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


def make_server() -> HarnessServer | RealNeo4j:
    """The Neo4j of AIDGRAPH_TEST_NEO4J_URI when it is set, else a private harness server (not started
    yet). NEO4J_* is never read here."""
    env = os.environ
    uri = env.get("AIDGRAPH_TEST_NEO4J_URI")
    if uri:
        return RealNeo4j(uri, env.get("AIDGRAPH_TEST_NEO4J_USER", "neo4j"), env.get("AIDGRAPH_TEST_NEO4J_PASSWORD", ""),
                         env.get("AIDGRAPH_TEST_NEO4J_DATABASE") or TEST_DATABASE)
    return HarnessServer()


def neo4j_variables() -> dict[str, str]:
    """Every environment variable ``Neo4jSettings`` reads (``NEO4J_*``, ``AIDGRAPH_NEO4J_*``) -> its field."""
    return {Neo4jSettings.variable(name): name for name in Neo4jSettings.model_fields}


def neo4j_env(settings: Neo4jSettings) -> dict[str, str]:
    """Those variables set from test settings: a CLI run with them reaches the test server whatever
    the user's own environment holds."""
    out = {}
    for var, name in neo4j_variables().items():
        value = getattr(settings, name)
        out[var] = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
    return out


class Cable:
    """A TCP relay on a loopback port in front of the test server, which a test can cut: every open
    connection is closed at once and new ones are refused, as when the server's machine goes away;
    ``reconnect`` brings it back on the same port. The server itself stays up (it is the session's)."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.port = free_port()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.reconnect()

    def reconnect(self) -> None:
        lst = socket.socket()
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind(("127.0.0.1", self.port))
        lst.listen(16)
        self._listener = lst
        threading.Thread(target=self._accept, args=(lst,), daemon=True).start()

    def _accept(self, lst: socket.socket) -> None:
        while True:
            try:
                client, _ = lst.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            with contextlib.suppress(OSError):
                while data := a.recv(65536):
                    b.sendall(data)
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.cut()
