"""Shared fixtures. Servers the tests need are started here, by the tests.

The tests read the data as shipped, not the working copy: before anything is imported, the
``data/`` folder of the last commit (``git archive HEAD data``) is unpacked into a read-only
folder and ``AIDGRAPH_DATA`` points at it, so a user's own ``import-doc`` or table edits in
``data/`` never change what the tests expect. (Outside a git checkout, ``data/`` itself is copied.)
"""
from __future__ import annotations

import atexit
import io
import json
import os
import shutil
import stat
import subprocess
import tarfile
import tempfile
from pathlib import Path


def _shipped_data() -> Path:
    repo = Path(__file__).resolve().parents[1]
    root = Path(tempfile.mkdtemp(prefix="aidgraph-test-data-"))

    def cleanup() -> None:
        for path in root.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(root, ignore_errors=True)
    atexit.register(cleanup)
    try:
        tar = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", "HEAD", "data"],
                             check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as t:
            t.extractall(root, filter="data")
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(repo / "data", root / "data")
    for path in (root / "data").rglob("*"):  # read-only: a test that writes must take a `data_copy`
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return root / "data"


SHIPPED_DATA = _shipped_data()
os.environ["AIDGRAPH_DATA"] = str(SHIPPED_DATA)
# Starlette's TestClient sends `Host: testserver`; the server answers only the hosts of this setting
os.environ["AIDGRAPH_ALLOWED_HOSTS"] = "localhost,127.0.0.1,::1,testserver"

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aidgraph.graph_api.app import create_app
from aidgraph.graph_api.cli import app as cli_app
from aidgraph.graph_api.runtime import open_aidgraph
from aidgraph.settings import data_dir

REPO = Path(__file__).resolve().parents[1]
# screenshots and other files a person may want to look at after a run: outside the source tree
# (AIDGRAPH_TEST_OUTPUT, default a folder under the system's temporary directory)
OUTPUT = Path(os.environ.get("AIDGRAPH_TEST_OUTPUT") or Path(tempfile.gettempdir()) / "aidgraph-test-output")


@pytest.fixture(scope="session")
def aid():
    return open_aidgraph("embedded")


@pytest.fixture(scope="session")
def client(aid):
    return TestClient(create_app(aid))


class Cli:
    """Runs the real `aidgraph` command in process."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict | None = None):
        return self.runner.invoke(cli_app, list(args), env=env)

    def json(self, *args: str, code: int = 0):
        res = self(*args, "--json")
        assert res.exit_code == code, (res.exit_code, res.stdout, res.stderr)
        return json.loads(res.stdout)


@pytest.fixture(scope="session")
def cli():
    return Cli()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may break; AIDGRAPH_DATA points at it."""
    dst = tmp_path / "data"
    shutil.copytree(data_dir(), dst)
    for path in [dst, *dst.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    monkeypatch.setenv("AIDGRAPH_DATA", str(dst))
    return dst


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


# -- the Neo4j test server (tests/neo4j-server, or the Neo4j of AIDGRAPH_TEST_NEO4J_URI; never NEO4J_*) --
from neo4jserver import make_server


@pytest.fixture(scope="session")
def neo4j_server():
    """Started once for the session; a test needing it fails (never skips) when it cannot start."""
    server = make_server()
    try:
        server.start()
    except Exception as e:  # noqa: BLE001 - reported as the failure it is
        server.cleanup()
        pytest.fail(f"could not start the Neo4j test server: {e}")
    yield server
    server.cleanup()


@pytest.fixture
def neo4j_alive(neo4j_server):
    """Fails the test clearly when the server died under it (instead of a hang in retries)."""
    yield neo4j_server
    if not neo4j_server.alive():
        pytest.fail(f"the Neo4j test server crashed during the test:\n{neo4j_server.log_tail()}")


@pytest.fixture(scope="module")
def neo4j_aid(neo4j_server, aid):
    """The shipped graph in the test server (pushed again for each module: other modules' tests wipe
    the one database or write other graphs into it; an unchanged database makes the push a no-op)."""
    from aidgraph.graph_api.runtime import load_data
    from aidgraph.queries.neo4j_push import push
    from aidgraph.queries.neo4j_store import open_neo4j
    from aidgraph.queries.service import AidGraph
    settings = neo4j_server.settings()
    push(load_data().graph, settings)
    store = open_neo4j(settings)
    yield AidGraph(store, aid.gaz, aid.unit_names, as_of=aid.as_of)  # the same "now" as the embedded store
    store.close()
