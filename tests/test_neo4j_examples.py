"""queries/examples/*.cypher — the named questions as parameterised Cypher for Neo4j Browser or Bloom —
run on the test Neo4j holding the shipped graph: each answers what Table 7 and the work points say,
and what the named questions answer."""
from __future__ import annotations

from pathlib import Path

import pytest
from table7 import COUNTS, ROWS

EXAMPLES = Path(__file__).resolve().parents[1] / "queries" / "examples"


@pytest.fixture(scope="module")
def run(neo4j_aid, neo4j_server):
    from aidgraph.queries.neo4j_conn import connect
    settings = neo4j_server.settings()
    driver = connect(settings)

    def ask(example: str, **params) -> list[dict]:
        query = (EXAMPLES / example).read_text(encoding="utf-8")
        with driver.session(database=settings.database) as s:
            return s.execute_read(lambda tx: tx.run(query, params).data())
    yield ask
    driver.close()


def test_who_supports_lushui(run):
    rows = run("who-supports.cypher", name="泸水", year=2024)
    assert [(r["place"], r["supporter"], r["programme"], r["via"], r["valid_from"]) for r in rows] == [
        ("泸水市", "浦东新区", "东西部协作", "self", 2021)]
    assert rows[0]["source"].startswith("hfhbf-2021-14#")


def test_who_supports_every_county_of_table_7_in_2022(run, aid):
    """Each county the table prints, by the form it prints: its district (or 上海市) and programme, as
    the named question answers too."""
    for district, programme, county, _pref in ROWS:
        rows = run("who-supports.cypher", name=county, year=2022)
        assert (district, programme) in {(r["supporter"], r["programme"]) for r in rows}, county
        named = aid.who_supports(county, year=2022)
        assert sorted((r["supporter"], r["programme"], r["via"]) for r in rows) == sorted(
            (s.name, s.program, s.via) for s in named.supporters), county


def test_aggregate_pairing_reaches_a_county_through_its_province(run):
    rows = run("who-supports.cypher", name="文山市", year=2019)  # end of 2020: 上海市 with all of Yunnan
    assert ("上海市", "东西部协作", "province") in {(r["supporter"], r["programme"], r["via"]) for r in rows}


def test_district_pairings_count_as_table_7(run):
    for district, n in COUNTS.items():
        rows = run("district-pairings.cypher", district=district, year=2022)
        counties = {r["place"] for r in rows if r["level"] == "county"}
        assert len(counties) == n, district


def test_tasks_by_unit(run, aid):
    rows = run("tasks-by-unit.cypher", unit="区人社局", district="闵行区")
    assert 14 in [r["number"] for r in rows if r["role"] == "牵头单位"]
    named = aid.tasks(unit="区人社局", district="闵行")
    assert sorted({(r["year"], r["number"]) for r in rows}) == sorted({(t.year, t.number) for t in named})


def test_unit_across_districts(run, aid):
    rows = run("unit-tasks-across-districts.cypher", unit="援外机构")
    assert {r["district"] for r in rows} >= {"闵行区"}
    for r in rows:
        assert r["leads"] + r["responsible"] + r["cooperating"] > 0
