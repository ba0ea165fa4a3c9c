"""`aidgraph serve` (one process, embedded store) answers from the graph's file on disk as soon as it starts,
then swaps in the graph in memory once loaded; the answers and pages are the same before and after."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.parse
import urllib.request

from neo4jserver import free_port
from server_process import until


def _get(port: int, path: str) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=&')}",
                                    timeout=5) as r:
            return r.status, r.read()
    except OSError:
        return None


def test_serve_starts_on_the_file_then_loads_the_graph(tmp_path):
    env = {**os.environ, "AIDGRAPH_STORE": "embedded", "AIDGRAPH_CACHE": str(tmp_path / "cache"),
           "AIDGRAPH_AS_OF": "2026"}
    cmd = [sys.executable, "-m", "aidgraph.graph_api.cli"]
    subprocess.run([*cmd, "stats"], env=env, check=True, capture_output=True)  # writes the file
    assert list((tmp_path / "cache" / "snapshots").glob("*.sqlite"))
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*cmd, "serve", "--port", str(port)], env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        first = until(proc, "an answer", lambda: _get(port, "/api/places/泸水/supporters"), log)
        page = _get(port, "/place/533301")
        assert "(sqlite store)" in log.read_text()  # the first answers came from the file
        until(proc, "the graph in memory", lambda: "now serving the new graph (embedded store)" in log.read_text(),
               log)
        assert _get(port, "/api/places/泸水/supporters") == first
        assert _get(port, "/place/533301") == page
        status, body = first
        assert status == 200
        answer = json.loads(body)
        assert [s["name"] for s in answer["supporters"]] == ["浦东新区"]
        assert page is not None and page[0] == 200 and "泸水市" in page[1].decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
