"""Shared fixtures. Servers the tests need are started here, by the tests."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aidgraph import data_dir
from aidgraph.graph_api.app import create_app
from aidgraph.graph_api.cli import app as cli_app
from aidgraph.queries.open import open_aidgraph

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "test-output"


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
    monkeypatch.setenv("AIDGRAPH_DATA", str(dst))
    return dst


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
