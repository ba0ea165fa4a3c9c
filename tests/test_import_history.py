"""The graph's history: the initial load and each import as a dated ImportEvent (a PROV activity that
used its document), listed by `aidgraph imports`, /api/imports and /documents, and in the RDF.

Expected values by hand: the shipped pairing tables hold 106 (table 7) + 2 (end of 2020) + 8 (2001–2010)
+ 1 (Dalian) + 3 (northern Anhui) = 120 pairings; the notice tests/notices/move.csv ends 金山区—宁洱县
with 2025 and pairs 黄浦区 with 宁洱县 from 2026."""
from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from aidgraph.schema.rdf import AID
from aidgraph.schema.rdf_graph import iri, to_rdf

NOTICES = Path(__file__).parent / "notices"


def test_the_shipped_data_are_one_initial_event(aid):
    [ev] = aid.imports(details=False)
    assert (ev.id, ev.kind, ev.order, ev.date) == ("import:initial", "initial", 1, "2024-05-24")
    assert ev.added_pairings == 120 and ev.ended_pairings == 0
    assert {d.number for d in ev.documents} >= {"沪府合办发〔2021〕14号", "沪府发〔2007〕11号", "闵府办发〔2024〕20号",
                                                "静合组办〔2022〕1号", "沪府合组〔2021〕73号"}


def test_initial_event_in_the_rdf(aid):
    g = to_rdf(aid.graph())
    ev = iri("import:initial")
    assert (ev, RDF.type, PROV.Activity) in g and (ev, RDF.type, AID.ImportEvent) in g
    assert (ev, DCTERMS.date, Literal("2024-05-24", datatype=XSD.date)) in g
    assert (ev, PROV.used, iri("doc:hfhbf-2021-14")) in g
    assert (ev, AID.addedPairings, Literal(120)) in g


def _fix_import_date(data, doc_id, day):
    """The register records the day an import ran (today); pin it so the test does not depend on the clock."""
    reg = data / "sources" / "documents.csv"
    text = reg.read_text(encoding="utf-8")
    lines = [line if not line.startswith(doc_id + ",") else
             __import__("re").sub(r" on \d{4}-\d{2}-\d{2}", f" on {day}", line) for line in text.split("\n")]
    reg.write_text("\n".join(lines), encoding="utf-8")


def test_a_notice_is_an_event_with_what_it_added_and_ended(cli, data_copy, client):
    cli.json("import-pairings", str(NOTICES / "move.csv"), "--name", "2026_ninger",
             "--title", "关于调整宁洱县东西部协作结对关系的通知", "--date", "2025-12-20")
    _fix_import_date(data_copy, "notice-2026-ninger", "2025-12-22")
    events = cli.json("imports")
    assert [(e["order"], e["kind"]) for e in events] == [(1, "initial"), (2, "import-pairings")]
    [last] = cli.json("imports", "--last")
    assert last == events[1]
    assert (last["id"], last["date"], last["file"]) == ("import:notice-2026-ninger", "2025-12-22", "move.csv")
    assert [(d["id"], d["number"]) for d in last["documents"]] == [("notice-2026-ninger", "沪合组〔2025〕12号")]
    assert [(p["supporter"], p["place"], p["programme"], p["period"]) for p in last["added"]] == [
        ("黄浦区", "宁洱哈尼族彝族自治县", "东西部协作", "2026–至今")]
    assert [(p["supporter"], p["place"], p["period"]) for p in last["ended"]] == [
        ("金山区", "宁洱哈尼族彝族自治县", "2021–2025")]
    assert (last["added_pairings"], last["ended_pairings"], last["added_tasks"]) == (1, 1, 0)
    # the initial load keeps its 120 pairings: the one the notice ended was added by the initial load
    assert events[0]["added_pairings"] == 120


def test_imports_over_http_and_on_the_documents_page(client):
    events = client.get("/api/imports").json()
    assert [e["id"] for e in events] == ["import:initial"]
    assert client.get("/api/imports", params={"last": "true"}).json() == events
    page = client.get("/documents").text
    assert "导入记录" in page and "初始数据（随项目发布的来源文件）" in page and "2024-05-24" in page


def test_imports_in_the_turtle_export(cli, tmp_path):
    res = cli("export", "--format", "ttl", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stdout
    [ttl] = list(tmp_path.glob("*.ttl"))
    from rdflib import Graph
    g = Graph().parse(ttl, format="turtle")
    assert (URIRef(str(iri("import:initial"))), PROV.used, iri("doc:mfbf-2024-20")) in g


def test_neo4j_answers_the_history_as_the_embedded_store(aid, neo4j_aid):
    assert [e.model_dump() for e in neo4j_aid.imports()] == [e.model_dump() for e in aid.imports()]
    assert neo4j_aid.imports(details=False)[0].added_pairings == 120
