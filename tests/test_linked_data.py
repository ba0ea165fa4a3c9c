"""RDF export, SHACL shapes, SPARQL (CLI and endpoint) and the round trip."""
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV

from aidgraph.schema.rdf_graph import check_mapping, iri, serialise, to_rdf
from aidgraph.graph_api.runtime import load_data
from aidgraph.errors import SparqlRefused
from aidgraph.queries.sparql import run_sparql
from aidgraph.schema.rdf import AID, PROJECT_TERMS, SDO, shapes, vocabulary

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "queries" / "examples"


@pytest.fixture(scope="module")
def graph():
    return load_data().graph


@pytest.fixture(scope="module")
def rdf(graph):
    return to_rdf(graph)


def test_every_schema_term_has_an_rdf_term():
    assert check_mapping() == []


def test_project_namespace_terms_used_are_declared(rdf):
    used = {t for triple in rdf for t in triple if isinstance(t, URIRef) and str(t).startswith(str(AID))}
    assert used <= set(PROJECT_TERMS)
    declared = {s for s in vocabulary().subjects(RDF.type, None)}
    assert set(PROJECT_TERMS) <= declared


def test_full_export_conforms_to_the_shapes(rdf):
    conforms, _report, text = validate(rdf, shacl_graph=shapes(), inference="none")
    assert conforms, text[:2000]


def _violations(g):
    conforms, report, _text = validate(g, shacl_graph=shapes(), inference="none")
    return conforms, {str(o) for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#resultPath"))}


def test_shapes_catch_a_pairing_without_source_and_a_task_without_document(rdf):
    broken = Graph()
    for t in rdf:
        broken.add(t)
    pairing = iri("pairing:310115:533301:2021")
    task = iri("task:mfbf-2024-20:14")
    assert (pairing, PROV.wasDerivedFrom, None) in broken and (task, PROV.wasDerivedFrom, None) in broken
    broken.remove((pairing, PROV.wasDerivedFrom, None))
    broken.remove((task, PROV.wasDerivedFrom, None))
    conforms, paths = _violations(broken)
    assert not conforms and str(PROV.wasDerivedFrom) in paths
    focus = {str(f) for f in validate(broken, shacl_graph=shapes(), inference="none")[1]
             .objects(None, URIRef("http://www.w3.org/ns/shacl#focusNode"))}
    assert focus == {str(pairing), str(task)}


def test_chinese_literals_are_tagged_and_iris_stable(rdf):
    names = set(rdf.objects(iri("place:533301"), SDO.name))
    assert names == {Literal("泸水市", lang="zh")}
    assert str(iri("place:533301")).endswith("/id/place/533301")
    assert (iri("place:310115"), AID.supports, iri("place:533301")) in rdf


def test_pairing_is_a_collaboration_with_memberships_and_period(rdf):
    p = iri("pairing:310115:533301:2021")
    assert (p, RDF.type, ORG.OrganizationalCollaboration) in rdf
    members = list(rdf.subjects(ORG.organization, p))
    assert len(members) == 2
    assert all((m, ORG.memberDuring, None) in rdf for m in members)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_exports_are_deterministic(graph, fmt):
    assert serialise(to_rdf(graph), fmt) == serialise(to_rdf(graph), fmt)


@pytest.mark.parametrize("fmt,syntax", [("ttl", "turtle"), ("nt", "ntriples")])
def test_rapper_parses_the_exports_with_the_same_triple_count(rdf, tmp_path, fmt, syntax):
    assert shutil.which("rapper"), "rapper (Debian raptor2-utils) is installed by `make test`"
    path = tmp_path / f"all.{fmt}"
    path.write_bytes(serialise(rdf, fmt))
    res = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    m = re.search(r"returned (\d+) triples", res.stderr)
    assert m and int(m.group(1)) == len(rdf)


def test_round_trip_keeps_the_counts(graph, rdf, tmp_path):
    back = Graph().parse(data=serialise(rdf, "ttl").decode(), format="turtle")
    assert len(back) == len(rdf)
    counts = graph.label_counts()
    places = sum(counts.get(l, 0) for l in ("Municipality", "District", "Province", "Prefecture", "County"))
    assert len(set(back.subjects(RDF.type, SDO.AdministrativeArea))) == places
    assert len(set(back.subjects(RDF.type, AID.Pairing))) == counts["Pairing"]
    assert len(set(back.subjects(RDF.type, AID.Task))) == counts["Task"]
    assert len(set(back.subjects(RDF.type, ORG.OrganizationalUnit))) == counts["Unit"]
    back_jsonld = Graph().parse(data=serialise(rdf, "jsonld").decode(), format="json-ld")
    assert len(back_jsonld) == len(rdf)


# -- the README's three queries -------------------------------------------------------
def test_readme_shows_the_example_queries_as_they_are():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for f in sorted(EXAMPLES.glob("*.rq")):
        assert f.read_text(encoding="utf-8").strip() in readme, f.name


def _rows(body: bytes):
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_example_who_supports_lushui(aid, rdf, cli, client):
    q = (EXAMPLES / "who-supports-lushui.rq").read_text(encoding="utf-8")
    rows = _rows(run_sparql(rdf, q, "csv").body)
    want = [(s.name, s.program) for s in aid.who_supports("泸水市", history=True).supporters if s.via == "self"]
    assert [(r["supporter"], r["programme"]) for r in rows] == want == [("浦东新区", "东西部协作")]
    res = cli("sparql", str(EXAMPLES / "who-supports-lushui.rq"), "--format", "csv")
    assert res.exit_code == 0 and _rows(res.stdout.encode()) == rows
    r = client.get("/api/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and _rows(r.content) == rows


def test_example_tasks_led_by_renshe(aid, rdf, client):
    q = (EXAMPLES / "tasks-led-by-renshe.rq").read_text(encoding="utf-8")
    rows = _rows(run_sparql(rdf, q, "csv").body)
    want = [(u.district, t.number) for u in aid.unit("区人社局") for t in u.leads]
    assert sorted((r["district"], int(r["number"])) for r in rows) == sorted(want)
    assert len(rows) == 4
    r = client.post("/api/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"})
    body = r.json()
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(body["results"]["bindings"]) == 4


def test_example_agreements_with_yunnan(aid, graph, rdf, client):
    """The sources record no framework agreement with Yunnan; the same query for 青海省 finds one."""
    q = (EXAMPLES / "agreements-with-yunnan.rq").read_text(encoding="utf-8")
    want = sorted(graph.node(a)["title"] for a in (n["id"] for n in graph.nodes("Agreement"))
                  if any(p in ("place:530000",) or "place:530000" in _ancestors(graph, p) for p in graph.out(a, "PARTY")))
    assert [r["title"] for r in _rows(run_sparql(rdf, q, "csv").body)] == want == []
    qinghai = _rows(run_sparql(rdf, q.replace("云南省", "青海省"), "csv").body)
    assert [r["title"] for r in qinghai] == ["上海市人民政府青海省人民政府加强对口支援与重点领域合作框架协议"]
    r = client.post("/api/sparql", data={"query": q})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []


def _ancestors(graph, nid):
    out, todo = set(), [nid]
    while todo:
        for p in graph.out(todo.pop(), "PART_OF"):
            out.add(p)
            todo.append(p)
    return out


# -- refusals ---------------------------------------------------------------------
def test_updates_are_refused(rdf, cli, client):
    upd = "PREFIX aid: <https://w3id.org/aidgraph/ns#> INSERT DATA { aid:a aid:b aid:c }"
    with pytest.raises(SparqlRefused, match="read-only"):
        run_sparql(rdf, upd)
    res = cli("sparql", upd)
    assert res.exit_code == 6 and "read-only" in res.stderr
    assert client.post("/api/sparql", data={"update": upd}).status_code == 400
    r = client.post("/api/sparql", content=upd.encode(), headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400 and "read-only" in r.json()["detail"]
    r = client.get("/api/sparql", params={"query": upd})
    assert r.status_code == 400 and "read-only" in r.json()["detail"]


def test_over_long_and_over_slow_queries_are_refused(rdf, client, monkeypatch):
    long_q = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    with pytest.raises(SparqlRefused, match="characters long"):
        run_sparql(rdf, long_q)
    assert client.get("/api/sparql", params={"query": long_q}).status_code == 400
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(SparqlRefused, match="longer than 1 s"):
        run_sparql(rdf, slow, timeout=1)
    monkeypatch.setenv("AIDGRAPH_SPARQL_TIMEOUT", "1")
    r = client.get("/api/sparql", params={"query": slow})
    assert r.status_code == 400 and "stopped" in r.json()["detail"]


def test_syntax_error_is_a_clear_refusal(client):
    r = client.get("/api/sparql", params={"query": "SELEKT nothing"})
    assert r.status_code == 400 and "not a valid SPARQL query" in r.json()["detail"]


def test_export_command_writes_rdf_of_a_subgraph(cli, tmp_path):
    res = cli("export", "--center", "泸水", "--hops", "1", "--format", "ttl,nt,jsonld", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    ttl = next(tmp_path.glob("*.ttl"))
    g = Graph().parse(ttl)
    assert (iri("place:310115"), AID.supports, iri("place:533301")) in g
    subjects = {str(s) for s in g.subjects(RDF.type, AID.Pairing)}
    assert subjects == {str(iri("pairing:310115:533301:2021"))}
    bad = cli("export", "--format", "pdf", "--out", str(tmp_path))
    assert bad.exit_code == 6 and "unknown format" in bad.stderr
