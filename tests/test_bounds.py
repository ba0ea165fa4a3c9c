"""Every input and output has a bound: request bodies, SPARQL answers, the RDF view, exports at once,
slow clients, XLSX notices (zip bombs, long cells, endless sheets)."""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import zipfile

import pytest
from neo4jserver import free_port
from openpyxl import Workbook

from aidgraph.errors import ExportBusy, SparqlBusy
from aidgraph.graph_api.routes import export as export_route
from aidgraph.queries import sparql

PROBLEM = "application/problem+json"


def problem(r, status: int, slug: str) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["type"].endswith("/" + slug), body
    return body


# -- request bodies ---------------------------------------------------------------------------------
def test_a_64_mb_sparql_body_is_refused_by_its_length(client):
    body = b"x" * (64 * 1024 * 1024)
    start = time.monotonic()
    r = client.post("/api/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    body_json = problem(r, 413, "body-too-large")
    assert body_json["limit"] == 1_048_576 and "1,048,576" in body_json["detail"]
    assert time.monotonic() - start < 5


def test_a_body_without_a_length_is_cut_off_while_it_streams(client):
    sent = []

    def chunks():
        for _ in range(64):  # 64 × 64 KiB = 4 MiB, sent chunked: no Content-Length to check
            sent.append(1)
            yield b"y" * 65536
    r = client.post("/api/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    problem(r, 413, "body-too-large")
    form = client.post("/api/sparql", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    problem(form, 413, "body-too-large")


def test_a_body_under_the_limit_is_read_and_checked_as_before(client):
    q = 'ASK { ?s ?p "泸水市"@zh }' + " " * 500_000  # half a megabyte: read whole, then over 20,000 characters
    r = client.post("/api/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"})
    assert "characters long" in problem(r, 400, "sparql-refused")["detail"]
    ok = client.post("/api/sparql", content=b'ASK { ?s ?p "\xe6\xb3\xb8\xe6\xb0\xb4\xe5\xb8\x82"@zh }',
                     headers={"Content-Type": "application/sparql-query"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_the_body_limit_is_a_setting(client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_MAX_BODY_BYTES", "2048")
    r = client.post("/api/sparql", content=b"#" * 3000, headers={"Content-Type": "application/sparql-query"})
    assert problem(r, 413, "body-too-large")["limit"] == 2048


# -- SPARQL answers in bytes ------------------------------------------------------------------------
def test_a_one_row_answer_over_the_byte_limit_is_refused(client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_MAX_BYTES", "10000")
    big = ('SELECT ?x WHERE { BIND("' + "z" * 1000 + '" AS ?a) '  # one row, one cell of 30,000 characters
           'BIND(CONCAT(' + ", ".join(["?a"] * 30) + ') AS ?x) }')
    r = client.get("/api/sparql", params={"query": big})
    detail = problem(r, 400, "sparql-refused")["detail"]
    assert "the limit is 10,000" in detail and "bytes" in detail
    small = client.get("/api/sparql", params={"query": 'SELECT ?x WHERE { BIND("z" AS ?x) }'})
    assert small.status_code == 200 and small.json()["results"]["bindings"][0]["x"]["value"] == "z"


# -- the RDF view: once per graph, inside a slot ----------------------------------------------------
@pytest.fixture
def counted_builds(monkeypatch):
    builds = []
    real = sparql.to_rdf

    def counting(graph):
        builds.append(graph)
        return real(graph)
    monkeypatch.setattr(sparql, "to_rdf", counting)
    monkeypatch.setattr(sparql, "_views", [])
    return builds


def test_cold_queries_build_one_rdf_view_and_share_it(aid, counted_builds, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_CONCURRENCY", "8")
    answers = []

    def ask():
        answers.append(json.loads(sparql.run_sparql(aid.graph(), "ASK { ?s ?p ?o }").body)["boolean"])
    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [True] * 6
    assert len(counted_builds) == 1


def test_no_rdf_view_is_built_while_every_slot_is_taken(aid, counted_builds, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_SPARQL_CONCURRENCY", "2")
    with sparql.SLOTS.hold(10), sparql.SLOTS.hold(10), pytest.raises(SparqlBusy):
        sparql.run_sparql(aid.graph(), "ASK { ?s ?p ?o }")
    assert counted_builds == []


# -- exports at once --------------------------------------------------------------------------------
def test_exports_beyond_the_limit_are_answered_503(client, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_EXPORT_CONCURRENCY", "2")
    with export_route.SLOTS.hold(5, allowed=2), export_route.SLOTS.hold(5, allowed=2):
        r = client.get("/api/export", params={"format": "png", "view": "pairings", "center": "闵行区"})
        body = problem(r, 503, "export-busy")
        assert r.headers["Retry-After"] == "5" and body["retryAfter"] == 5
        with pytest.raises(ExportBusy), export_route.SLOTS.hold(5, allowed=2):
            pass
    assert export_route.SLOTS.running == 0
    ok = client.get("/api/export", params={"format": "json", "view": "pairings", "center": "闵行区", "year": 2024})
    assert ok.status_code == 200


# -- slow clients (a real server) -------------------------------------------------------------------
@pytest.fixture
def server(aid, monkeypatch):
    """The app under uvicorn with the protocol and settings `serve` uses, on a free port."""
    import uvicorn

    from aidgraph.graph_api.app import create_app
    from aidgraph.graph_api.http_server import HeadTimeoutProtocol
    monkeypatch.setenv("AIDGRAPH_HEADER_TIMEOUT", "1")
    port = free_port()
    config = uvicorn.Config(create_app(aid, hosts=["127.0.0.1"]), host="127.0.0.1", port=port, log_level="warning",
                            http=HeadTimeoutProtocol.bounded(1), timeout_keep_alive=1, lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started
    yield port
    srv.should_exit = True
    thread.join(10)


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float | None:
    """Seconds until the server closes ``sock`` while a byte of ``trickle`` is sent every 0.2 s; None if
    it is still open after ``seconds``."""
    start = time.monotonic()
    sock.settimeout(0.2)
    i = 0
    while time.monotonic() - start < seconds:
        if i < len(trickle):
            try:
                sock.send(trickle[i:i + 1])
            except OSError:
                return time.monotonic() - start
            i += 1
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - start
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - start
    return None


def test_a_client_trickling_its_head_is_disconnected(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        head = b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200
        took = _closed_within(sock, 6, head)
    assert took is not None and took < 3  # AIDGRAPH_HEADER_TIMEOUT=1, though bytes keep coming
    with socket.create_connection(("127.0.0.1", server)) as sock:  # a silent one too
        took = _closed_within(sock, 6)
    assert took is not None and took < 3


def test_a_prompt_client_is_answered_and_its_idle_connection_closed(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(10)
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        took = _closed_within(sock, 6)
    assert took is not None and took < 3


def test_a_chunked_body_is_cut_off_on_a_real_server(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"POST /api/sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"10000\r\n" + b"#" * 0x10000 + b"\r\n"
        sock.settimeout(0.05)
        answer, sent = b"", 0
        while sent < 64 * 1024 * 1024 and not answer:
            try:
                sock.sendall(chunk)
                sent += 0x10000
            except OSError:
                break
            with contextlib.suppress(TimeoutError):
                answer = sock.recv(65536)
        sock.settimeout(5)
        while b"\r\n\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent <= 4 * 1024 * 1024  # refused once past 1 MiB, long before the 64 MiB the client had


# -- XLSX notices -----------------------------------------------------------------------------------
HEADER = ["supporter", "program", "province", "place", "valid_from", "valid_to", "source"]


def _notice(path, rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _bomb(path, unpacked_mb: int):
    """A valid workbook whose sheet is padded with ``unpacked_mb`` MB of white space: a few hundred
    kilobytes packed."""
    plain = _notice(path.with_name("plain.xlsx"), [HEADER])
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                with dst.open(item.filename, "w", force_zip64=True) as f:
                    pad = b" " * (1024 * 1024)
                    head, tail = data.split(b"<sheetData>", 1)
                    f.write(head)
                    for _ in range(unpacked_mb):
                        f.write(pad)
                    f.write(b"<sheetData>" + tail)
            else:
                dst.writestr(item, data)
    return path


def _refused(cli, path):
    start = time.monotonic()
    res = cli("import-pairings", str(path), "--name", "bomb", "--json")
    took = time.monotonic() - start
    assert res.exit_code == 6, (res.exit_code, res.stdout[-500:], res.stderr[-500:])
    body = json.loads(res.stdout)
    assert body["status"] == 422 and "Traceback" not in res.stdout + res.stderr
    return body["detail"], took


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(cli, data_copy, tmp_path):
    path = _bomb(tmp_path / "bomb.xlsx", 300)
    assert path.stat().st_size < 2_000_000  # under the packed limit: the old check let it through
    before = {p.name: p.read_bytes() for p in (data_copy / "curated").iterdir()}
    detail, took = _refused(cli, path)
    assert "zip bomb" in detail and "bomb.xlsx" in detail and "xl/worksheets/sheet1.xml" in detail
    assert took < 2
    assert {p.name: p.read_bytes() for p in (data_copy / "curated").iterdir()} == before


def test_a_workbook_of_too_many_files_is_refused(cli, data_copy, tmp_path):
    path = tmp_path / "many.xlsx"
    plain = _notice(tmp_path / "p.xlsx", [HEADER])
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        for i in range(600):
            dst.writestr(f"xl/media/x{i}.bin", b"")
    detail, _ = _refused(cli, path)
    assert "holds 609 files; at most 500" in detail  # the workbook's own 9, and 600 more


def _replace_text(path, placeholder: str, text: str):
    """The workbook at ``path`` with a cell's text replaced in the sheet's XML (openpyxl itself cuts what it
    writes to 32,767 characters; another program need not)."""
    out = path.with_name("long-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert placeholder.encode() in data
                data = data.replace(placeholder.encode(), text.encode())
            dst.writestr(item, data)
    out.replace(path)
    return path


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused_cleanly(cli, data_copy, tmp_path):
    path = _notice(tmp_path / "long.xlsx",
                   [HEADER, ["嘉定区", "wanbei", "安徽省", "宿州市", 2027, 2030, "PLACEHOLDER"]])
    _replace_text(path, "PLACEHOLDER", "n" * 131_073)
    detail, took = _refused(cli, path)
    assert "long.xlsx line 2, column 7" in detail and "131,073" in detail and "32,767" in detail
    assert took < 2
    csv_notice = tmp_path / "long.csv"
    csv_notice.write_text(",".join(HEADER) + "\n嘉定区,wanbei,安徽省,宿州市,2027,2030," + "n" * 131_073 + "\n",
                          encoding="utf-8")
    detail, _ = _refused(cli, csv_notice)
    assert "long.csv line 2" in detail


def test_a_sheet_reaching_a_million_rows_is_refused_at_the_row_limit(cli, data_copy, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.cell(row=1_000_000, column=1, value="嘉定区")
    wb.save(tmp_path / "tall.xlsx")
    detail, took = _refused(cli, tmp_path / "tall.xlsx")
    assert "more than 10,000 rows" in detail and took < 2


def test_bidi_and_invisible_characters_do_not_survive_a_notice(cli, data_copy, tmp_path):
    rlo, zwsp = "\u202e", "\u200b"
    _notice(tmp_path / "bidi.xlsx", [HEADER, [f"嘉定{zwsp}区", "wanbei", "安徽省", f"{rlo}宿州市", 2027, 2030,
                                             f"ndrc-2021-wanbei{rlo}"]])
    done = cli.json("import-pairings", str(tmp_path / "bidi.xlsx"), "--name", "bidi_2027")
    assert [(r["supporter"], r["place"]) for r in done["added"]] == [("嘉定区", "宿州市")]
    table = (data_copy / "curated" / "pairings_bidi_2027.csv").read_text(encoding="utf-8")
    assert rlo not in table and zwsp not in table and "嘉定区,wanbei,安徽省,,宿州市" in table
