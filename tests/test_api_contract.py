"""The one error contract, end to end: every error answer of the API is an RFC 9457
problem document (``application/problem+json``), each kind with its own type and
extension members; the pages answer errors with a page; the command line maps the
same errors to its documented exit codes; and the application closes its store
when it shuts down. Expected values are written by hand."""
from __future__ import annotations

from fastapi.testclient import TestClient

from aidgraph.graph_api import runtime as runtime_module
from aidgraph.graph_api.app import create_app
from aidgraph.graph_api.runtime import Runtime
from aidgraph.queries.embedded import EmbeddedStore
from aidgraph.queries.service import AidGraph

BASE = "https://w3id.org/aidgraph/problems/"
PROBLEM = "application/problem+json"
LUSHUI = {"name": "泸水市", "level": "county", "prefecture": "怒江傈僳族自治州", "province": "云南省",
          "code": "533301", "in_graph": True}


def problem(r, status: int, slug: str) -> dict:
    """The body of a problem answer, after checking the members every problem has."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["type"] == BASE + slug
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


# -- the API ---------------------------------------------------------------------------
def test_unknown_name_is_404_with_suggestions(client):
    body = problem(client.get("/api/places/泸水县x/supporters"), 404, "unknown-name")
    assert body["title"] == "未找到该名称 unknown name"
    assert body["instance"] == "/api/places/泸水县x/supporters"
    assert body["query"] == "泸水县x"
    assert body["suggestions"][0] == LUSHUI


def test_ambiguous_name_is_409_with_candidates(client):
    body = problem(client.get("/api/places/红河/supporters"), 409, "ambiguous-name")
    assert body["query"] == "红河"
    assert {(c["name"], c["level"], c["code"]) for c in body["candidates"]} == {
        ("红河哈尼族彝族自治州", "prefecture", "532500"), ("红河县", "county", "532529")}
    # the same on every route that resolves a name
    assert problem(client.get("/api/search", params={"q": "红河"}), 409, "ambiguous-name")["candidates"] \
        == body["candidates"]


def test_a_place_outside_shanghai_is_not_a_district(client):
    body = problem(client.get("/api/districts/泸水"), 404, "not-a-district")
    assert (body["query"], body["level"], body["code"]) == ("泸水市", "county", "533301")
    assert body["instance"] == "/api/districts/泸水"
    # the municipality is no district either where a district is asked for
    body = problem(client.get("/api/tasks", params={"district": "上海"}), 404, "not-a-district")
    assert (body["query"], body["level"], body["code"]) == ("上海市", "municipality", "310000")
    # a name that is nowhere stays unknown
    assert problem(client.get("/api/districts/火星区"), 404, "unknown-name")["query"] == "火星区"


def test_unknown_unit_is_404(client):
    body = problem(client.get("/api/units/区火星局"), 404, "unknown-unit")
    assert body["query"] == "区火星局"
    assert problem(client.get("/api/tasks", params={"unit": "区火星局"}), 404, "unknown-unit")["query"] == "区火星局"


def test_bad_export_format_is_400(client):
    body = problem(client.get("/api/export", params={"format": "doc"}), 400, "bad-parameter")
    assert "'doc'" in body["detail"] and "ttl" in body["detail"]
    assert body["instance"] == "/api/export"


def test_sparql_update_is_refused_with_400(client):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    r = client.post("/api/sparql", content=update.encode(), headers={"content-type": "application/sparql-update"})
    assert "read-only" in problem(r, 400, "sparql-refused")["detail"]
    problem(client.post("/api/sparql", data={"update": update}), 400, "sparql-refused")
    problem(client.get("/api/sparql", params={"update": update}), 400, "sparql-refused")


def test_validation_errors_list_the_bad_parameters(client):
    body = problem(client.get("/api/places/泸水/supporters", params={"year": "abc"}), 422, "invalid-parameters")
    assert body["instance"] == "/api/places/泸水/supporters"
    assert body["errors"] == [{"in": "query", "name": "year", "value": "abc", "type": "int_parsing",
                               "detail": "Input should be a valid integer, unable to parse string as an integer"}]
    body = problem(client.get("/api/subgraph", params={"center": "泸水", "hops": "9"}), 422, "invalid-parameters")
    assert [(e["in"], e["name"], e["value"], e["type"]) for e in body["errors"]] == [
        ("query", "hops", "9", "less_than_equal")]
    body = problem(client.get("/api/search"), 422, "invalid-parameters")
    assert [(e["in"], e["name"], e["value"], e["type"]) for e in body["errors"]] == [("query", "q", None, "missing")]
    # two bad parameters at once: both listed
    body = problem(client.get("/api/places/泸水/supporters", params={"year": "1700", "history": "maybe"}), 422,
                   "invalid-parameters")
    assert {(e["name"], e["type"]) for e in body["errors"]} == {("year", "greater_than_equal"),
                                                                ("history", "bool_parsing")}


def test_unknown_route_and_wrong_method(client):
    body = problem(client.get("/api/nowhere"), 404, "not-found")
    assert body["instance"] == "/api/nowhere" and "/api/nowhere" in body["detail"]
    r = client.post("/api/stats")
    body = problem(r, 405, "method-not-allowed")
    assert body["allow"] == ["GET"] and r.headers["allow"] == "GET"
    problem(client.get("/static/no-such-file.css"), 404, "not-found")


def test_openapi_documents_the_problems(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "Problem" in schemas and "NameProblem" not in schemas and "HTTPValidationError" not in schemas
    assert {"type", "title", "status", "detail", "instance", "candidates", "suggestions", "errors"} \
        <= set(schemas["Problem"]["properties"])
    ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for path, status in (("/api/places/{name}/supporters", "404"), ("/api/places/{name}/supporters", "409"),
                         ("/api/places/{name}/supporters", "422"), ("/api/districts/{name}", "404"),
                         ("/api/units/{name}", "404"), ("/api/export", "400"), ("/api/search", "422")):
        assert spec["paths"][path]["get"]["responses"][status]["content"] == {PROBLEM: ref}, (path, status)
    assert spec["paths"]["/api/sparql"]["post"]["responses"]["400"]["content"] == {PROBLEM: ref}


# -- the pages keep answering with pages ---------------------------------------------------
def test_a_page_with_a_bad_year_is_an_html_page(client):
    r = client.get("/place/533301", params={"year": "abc"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "年份" in r.text and "“abc” 无效" in r.text and "is not a valid year" in r.text
    assert '"type"' not in r.text and "Traceback" not in r.text


def test_an_unknown_address_asked_by_a_browser_gets_a_page(client):
    r = client.get("/no-such-page", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "未找到" in r.text and "not found" not in r.text  # a page not found is said in Chinese only
    # an API address stays a problem document even for a browser
    problem(client.get("/api/nowhere", headers={"accept": "text/html"}), 404, "not-found")


def test_a_district_page_for_a_place_elsewhere_leads_to_its_page(client):
    r = client.get("/district/泸水", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/place/%E6%B3%B8%E6%B0%B4"


# -- one graph per request, and the store closed at shutdown -----------------------------------
class CountingRuntime(Runtime):
    taken = 0

    @property
    def aid(self):
        self.taken += 1
        return super().aid


def test_a_request_takes_the_served_graph_once(aid):
    runtime = CountingRuntime(aid)
    client = TestClient(create_app(runtime))
    assert client.get("/place/533301").status_code == 200  # a page asking the graph many questions
    assert runtime.taken == 1
    assert client.get("/api/places/泸水/supporters", params={"year": "soon"}).status_code == 422
    assert client.get("/api/places/泸水/supporters").status_code == 200
    assert runtime.taken <= 3


class ClosingStore(EmbeddedStore):
    def __init__(self, graph):
        super().__init__(graph)
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_the_lifespan_closes_the_store_and_opens_nothing(aid, monkeypatch):
    def no_second_open(*a, **kw):
        raise AssertionError("the lifespan opened the store again")

    monkeypatch.setattr(runtime_module, "open_aidgraph", no_second_open)
    store = ClosingStore(aid.store.graph)
    served = AidGraph(store, aid.gaz, aid.unit_names)
    runtime = Runtime(served)
    with TestClient(create_app(runtime)) as client:
        assert client.get("/api/places/泸水/supporters").json()["supporters"][0]["name"] == "浦东新区"
        assert store.closed == 0
        assert runtime.aid is served
    assert store.closed == 1


def test_create_app_wraps_an_aidgraph_in_a_runtime(aid):
    store = ClosingStore(aid.store.graph)
    with TestClient(create_app(AidGraph(store, aid.gaz, aid.unit_names))) as client:
        assert client.app.state.runtime.aid.store is store
    assert store.closed == 1


# -- the command line: the same errors, as exit codes ------------------------------------------------
def test_cli_usage_error_is_2(cli):
    res = cli("who-supports", "泸水", "--year", "soon")
    assert res.exit_code == 2 and "--year" in res.stderr


def test_cli_ambiguous_is_5_and_unknown_is_4(cli):
    res = cli("who-supports", "红河")
    assert res.exit_code == 5 and "红河县" in res.stderr and "Traceback" not in res.stderr
    res = cli("who-supports", "泸水县x")
    assert res.exit_code == 4 and "泸水市" in res.stderr


def test_cli_broken_data_is_3(cli, data_copy):
    (data_copy / "curated" / "pairings_2021.csv").write_text("supporter,program\n", encoding="utf-8")
    res = cli("who-supports", "泸水")
    assert res.exit_code == 3, res.output
    assert "pairings_2021.csv" in res.stderr and "Traceback" not in res.stderr


def test_cli_unreachable_neo4j_is_7(cli):
    res = cli("who-supports", "泸水", "--store", "neo4j", env={"NEO4J_URI": "bolt://127.0.0.1:1"})
    assert res.exit_code == 7, res.output
    assert "bolt://127.0.0.1:1" in res.stderr and "Traceback" not in res.stderr


def test_cli_sparql_update_is_refused_with_6(cli):
    res = cli("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert res.exit_code == 6 and "read-only" in res.stderr


def test_cli_export_into_a_file_is_refused_with_6(cli, tmp_path):
    target = tmp_path / "a-file.txt"
    target.write_text("not a folder", encoding="utf-8")
    res = cli("export", "--format", "ttl", "--out", str(target))
    assert res.exit_code == 6, res.output
    assert "is a file, not a folder" in res.stderr and "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert target.read_text(encoding="utf-8") == "not a folder"
