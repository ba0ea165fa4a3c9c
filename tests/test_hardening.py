"""The server and its outputs under hostile input: SPARQL that would reach out, parse forever, eat
memory or crowd the endpoint; bodies that are not UTF-8; security headers and the Host check;
invisible characters in names; spreadsheet formulas in cell text."""
from __future__ import annotations

import contextlib
import csv
import http.server
import io
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from typing import ClassVar

import openpyxl
import pytest
from fastapi.testclient import TestClient
from neo4jserver import free_port
from rdflib import Dataset, Graph

from aidgraph.errors import SparqlRefused
from aidgraph.graph_api.app import allowed_hosts, create_app
from aidgraph.graph_api.runtime import load_data, open_aidgraph
from aidgraph.queries import sparql
from aidgraph.queries.sparql import rdf_of, run_sparql
from aidgraph.schema.text import normalise_line, strip_invisible
from aidgraph.viz.workbook import workbook

PROBLEM = "application/problem+json"


def problem(r, status: int, slug: str) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["type"].endswith("/" + slug) and body["status"] == status, body
    return body


@pytest.fixture(scope="module")
def rdf(aid):
    return rdf_of(aid.graph())


# -- SPARQL never reaches out ---------------------------------------------------------------
class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with an empty SPARQL result (and an empty Turtle graph), and notes it."""

    seen: ClassVar[list[str]] = []

    def _answer(self):
        type(self).seen.append(f"{self.command} {self.path}")
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that records whatever is asked of it."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()
    server.server_close()


def _outbound_queries(url: str) -> list[tuple[str, str]]:
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE"),
        (f"SELECT * WHERE {{ ?a ?b ?c {{ SELECT ?s WHERE {{ SERVICE SILENT <{url}/q> {{ ?s ?p ?o }} }} }} }}",
         "SERVICE"),
        (f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}", "FROM"),
        (f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM"),
        ("CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        (f"LOAD <{url}/g.ttl>", "LOAD"),
        (f"LOAD SILENT <{url}/g.ttl> INTO GRAPH <urn:x>", "LOAD"),
    ]


def test_control_the_listener_would_see_a_service_call_and_a_from(listener):
    """Control of the `listener` fixture, not of the package: rdflib left to itself (here, in the test
    process) does call the listener, so the tests below that find it silent are not silent by accident."""
    url, seen = listener
    list(Graph().query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"))
    assert seen == ["POST /sparql"]
    with pytest.raises(Exception, match="Could not load"):  # the listener's answer is no RDF
        list(Dataset().query(f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}"))
    assert "GET /g.ttl" in seen


def test_queries_that_would_reach_out_are_refused_and_nothing_is_fetched(client, cli, listener):
    url, seen = listener
    for query, reason in _outbound_queries(url):
        body = problem(client.get("/api/sparql", params={"query": query}), 400, "sparql-refused")
        assert reason in body["detail"], (query, body["detail"])
        body = problem(client.post("/api/sparql", content=query.encode(),
                                   headers={"Content-Type": "application/sparql-query"}), 400, "sparql-refused")
        assert reason in body["detail"]
    res = cli("sparql", _outbound_queries(url)[0][0])
    assert res.exit_code == 6 and "SERVICE" in res.stderr
    assert seen == []


def test_past_the_check_the_child_still_cannot_fetch(rdf, listener, monkeypatch):
    """With the check before evaluation switched off, the child process itself cannot load FROM graphs
    (rdflib's loading is off) nor open a connection (an audit hook refuses it): nothing arrives."""
    url, seen = listener
    monkeypatch.setattr(sparql, "outbound", lambda parsed: None)
    with pytest.raises(SparqlRefused, match="reach out"):
        run_sparql(rdf, f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}")
    ds = Dataset()
    ds.add((rdf.identifier, rdf.identifier, rdf.identifier))
    for q in (f"SELECT * FROM <{url}/g.ttl> WHERE {{ ?s ?p ?o }}",
              f"SELECT * FROM NAMED <{url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        with contextlib.suppress(SparqlRefused):
            run_sparql(ds, q)
    assert seen == []


# -- time, memory, crowding ---------------------------------------------------------------------
def _slow_to_parse(n: int) -> str:
    """A query rdflib's parser takes seconds over (about 4 s for 1,000 filters on the test machine)."""
    return "SELECT * WHERE { ?s ?p ?o " + " ".join(f"FILTER(?o != {i})" for i in range(n)) + " }"


def test_parsing_counts_against_the_time_limit(rdf, client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_MAX_CHARS", "100000")
    query = _slow_to_parse(3000)
    start = time.monotonic()
    with pytest.raises(SparqlRefused, match="longer than 1 s"):
        run_sparql(rdf, query, timeout=1)
    assert time.monotonic() - start < 3
    monkeypatch.setenv("AIDGRAPH_SPARQL_TIMEOUT", "1")
    start = time.monotonic()
    r = client.post("/api/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert "stopped" in problem(r, 400, "sparql-refused")["detail"]
    assert time.monotonic() - start < 3


def _memory_bomb() -> str:
    """Strings ten times longer at each step: 1,000 characters, then 10^9 (a gigabyte) at ?f."""
    binds, prev = [f'BIND("{"x" * 1000}" AS ?a)'], "a"
    for name in "bcdefg":
        binds.append(f"BIND(CONCAT({', '.join(['?' + prev] * 10)}) AS ?{name})")
        prev = name
    return "SELECT (STRLEN(?g) AS ?n) WHERE { " + " ".join(binds) + " }"


def test_a_query_that_eats_memory_is_stopped_and_the_server_goes_on(client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_MEMORY_MB", "256")
    r = client.get("/api/sparql", params={"query": _memory_bomb()})
    assert 400 <= r.status_code < 600 and r.headers["content-type"].startswith(PROBLEM)
    assert "256 MB" in r.json()["detail"]
    ok = client.get("/api/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_more_queries_than_allowed_at_once_are_answered_503(rdf, client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_CONCURRENCY", "2")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcomes: list[str] = []

    def run():
        try:
            run_sparql(rdf, slow, timeout=4)
            outcomes.append("answered")
        except SparqlRefused as e:
            outcomes.append(e.detail)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while sparql.running() < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sparql.running() == 2
    r = client.get("/api/sparql", params={"query": "ASK { ?s ?p ?o }"})
    body = problem(r, 503, "sparql-busy")
    assert r.headers["Retry-After"] == "10" and body["retryAfter"] == 10  # the default time limit
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and all("longer than 4 s" in o for o in outcomes)
    assert sparql.running() == 0
    assert client.get("/api/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


# -- bodies and parameters that are not UTF-8 ------------------------------------------------------
def test_bodies_that_are_not_utf8_are_refused(client):
    bad = "SELECT * WHERE { ?s ?p \"泸水\" }".encode("gb18030")
    r = client.post("/api/sparql", content=bad, headers={"Content-Type": "application/sparql-query"})
    assert "UTF-8" in problem(r, 400, "sparql-refused")["detail"]
    r = client.post("/api/sparql", content=b"update=" + bad, headers={"Content-Type": "application/sparql-update"})
    problem(r, 400, "sparql-refused")
    for body in (b"query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22%C4%E3%22%20%7D", b"query=" + bad):
        r = client.post("/api/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert "UTF-8" in problem(r, 400, "sparql-refused")["detail"]
    multipart = (b"--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n" + bad + b"\r\n--b--\r\n")
    r = client.post("/api/sparql", content=multipart, headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert "UTF-8" in problem(r, 400, "sparql-refused")["detail"]
    r = client.get("/api/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22%C4%E3%22%20%7D")
    assert "UTF-8" in problem(r, 400, "sparql-refused")["detail"]


def test_utf8_forms_still_work(client):
    q = 'ASK { ?s ?p "泸水市"@zh }'
    assert client.post("/api/sparql", data={"query": q}).json()["boolean"] is True
    assert client.post("/api/sparql", files={"query": (None, q)}).json()["boolean"] is True
    assert client.get("/api/sparql", params={"query": q}).json()["boolean"] is True


# -- headers and hosts ------------------------------------------------------------------------------
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def _secure(r) -> None:
    for k, v in HEADERS.items():
        assert r.headers.get(k) == v, (r.url, k, r.headers.get(k))
    csp = {d.split()[0]: d.split()[1:] for d in r.headers["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert "'unsafe-eval'" not in csp["script-src"] and "*" not in " ".join(v for vs in csp.values() for v in vs)


def test_security_headers_on_every_kind_of_answer(client, aid):
    for path in ("/", "/network", "/place/533301", "/docs", "/redoc", "/openapi.json", "/api/stats",
                 "/static/site.css", "/static/vis/vis-network.min.js", "/api/places/泸水/supporters",
                 "/api/places/没有这个地方/supporters", "/no/such/page", "/api/sparql?query=SELEKT"):
        _secure(client.get(path))
    _secure(TestClient(create_app(aid)).get("/", headers={"Host": "evil.example"}))
    app = create_app(aid)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("a bug")
    r = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert r.status_code == 500
    _secure(r)


def test_pages_load_nothing_the_policy_would_block(client):
    """Every script, style sheet, picture and font the pages name comes from this server (the policy
    allows 'self' only), and no page frames another."""
    import re
    for path in ("/", "/network", "/place/533301", "/tasks", "/units", "/documents", "/docs", "/redoc"):
        html = client.get(path).text
        for url in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html):
            assert url.startswith(("/", "#", "?")) or url.startswith("data:"), (path, url)
        assert "<iframe" not in html and "<object" not in html and "<embed" not in html


def test_only_the_allowed_hosts_are_answered(aid, monkeypatch):
    """The tests allow `testserver` through the setting (conftest); the default does not."""
    monkeypatch.delenv("AIDGRAPH_ALLOWED_HOSTS")
    assert allowed_hosts() == ["localhost", "127.0.0.1", "[::1]"]
    assert allowed_hosts(["0.0.0.0"]) == allowed_hosts(["::"]) == ["localhost", "127.0.0.1", "[::1]"]
    assert allowed_hosts(["192.168.3.7", "fe80::1"])[-2:] == ["192.168.3.7", "[fe80::1]"]
    app = create_app(aid, hosts=["aid.example.org"])
    for base in ("http://localhost:8000", "http://127.0.0.1", "http://[::1]:8000", "http://aid.example.org"):
        assert TestClient(app, base_url=base).get("/api/stats").status_code == 200, base
    for base in ("http://testserver", "http://evil.example", "http://localhost.evil.example",
                 "http://127.0.0.1.nip.io"):
        r = TestClient(app, base_url=base).get("/api/stats")
        assert r.status_code == 400, base


def test_serve_answers_the_address_it_binds_and_no_other(tmp_path):
    port = free_port()
    env = {**os.environ, "AIDGRAPH_ALLOWED_HOSTS": "localhost", "AIDGRAPH_STORE": "embedded"}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:  # the server writes to its own copy of the file descriptor
        proc = subprocess.Popen([sys.executable, "-m", "aidgraph.graph_api.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"aidgraph serve did not answer:\n{log.read_text(errors='replace')[-2000:]}")
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.3)
        assert r.status == 200 and r.headers["X-Frame-Options"] == "DENY"
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/stats", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=5)
        assert e.value.code == 400
    finally:
        proc.kill()
        proc.wait(10)


# -- invisible characters ------------------------------------------------------------------------
# written out by hand: the characters the brief names
HIDDEN = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
          "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad"]


def test_invisible_characters_are_stripped_from_lines_and_names():
    for ch in HIDDEN:
        assert strip_invisible(f"区{ch}人社局") == "区人社局", hex(ord(ch))
        assert normalise_line(f"{ch}（一）区人社局{ch} 牵头") == "（一）区人社局牵头", hex(ord(ch))
    assert normalise_line("\ufeff泸水市\u202e\u2066（怒江州）\u2069") == "泸水市（怒江州）"
    assert strip_invisible("区 人社局\n") == "区 人社局\n"  # what shows stays


def test_a_unit_name_with_invisible_characters_finds_the_unit(client):
    plain = client.get("/api/units/区人社局")
    assert plain.status_code == 200
    for ch in ("\u200b", "\u202e", "\ufeff", "\u00ad"):
        r = client.get(f"/api/units/区{ch}人社局")
        assert r.status_code == 200 and r.json() == plain.json(), hex(ord(ch))


def test_a_place_name_with_invisible_characters_finds_the_place(client):
    """Needs names.normalise to call strip_invisible (schema/names.py)."""
    plain = client.get("/api/places/泸水/supporters")
    assert plain.status_code == 200
    for ch in ("\u200b", "\u2067", "\ufeff", "\u00ad"):
        r = client.get(f"/api/places/泸{ch}水/supporters")
        assert r.status_code == 200 and r.json()["matched"] == plain.json()["matched"], hex(ord(ch))


# -- formulas in workbook cells --------------------------------------------------------------------
EVIL = '=HYPERLINK("http://evil.example/","点击")'


def test_cell_text_that_looks_like_a_formula_stays_text(data_copy):
    path = data_copy / "curated" / "unit_aliases.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert any(r[0] == "区人社局" for r in rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[EVIL if r[0] == "区人社局" and i == 1 else v for i, v in enumerate(r)]
                                 for r in rows])
    graph = load_data().graph
    assert any(u["name"] == EVIL for u in graph.nodes("Unit"))
    client = TestClient(create_app(open_aidgraph("embedded")))
    r = client.get("/api/export", params={"center": "闵行区", "hops": 2, "format": "xlsx"})
    assert r.status_code == 200, r.text[:300]
    for data in (workbook(graph), r.content):
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == EVIL]
        assert cells, "the unit's name is in the workbook"
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_every_formula_start_is_written_as_text(tmp_path):
    from openpyxl import Workbook

    from aidgraph.viz.workbook import as_text
    wb = Workbook()
    ws = wb.active
    texts = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "区人社局", "1-2"]
    ws.append(texts)
    for c in ws[1]:
        as_text(c)
    assert [(c.data_type, bool(c.quotePrefix)) for c in ws[1]] == [("s", True)] * 7 + [("s", False)] * 2
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert [c.value for c in back[1]] == [t.replace("\r", "\n") for t in texts]  # XML reads a CR as LF
    assert [(c.data_type, bool(c.quotePrefix)) for c in back[1]] == [("s", True)] * 7 + [("s", False)] * 2
