"""Change over time wired in (issue 22, items 1, 3, 5): ``aidgraph changes``, ``GET /api/changes``, the
``/changes`` page, the changes meeting view (PDF, XLSX) and the after-data note on answers for a year after
the newest source.

Expected values are written by hand from the documents: the northern-Anhui plan pairs 闵行区 with 淮南市 from
2021 (2021–2030); 表7 of 沪府合办发〔2021〕14号 gives 闵行区 four counties of 保山市 and four of 昭通市 from
2021; the newest source document is dated 2024-05-24."""
from __future__ import annotations

import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from aidgraph.graph_api.app import create_app

AFTER = "数据截至 2024-05-24；此后未见调整，按现行结对处理"
MINHANG_ADDED = {"淮南市", "隆阳区", "施甸县", "龙陵县", "昌宁县", "大关县", "永善县", "盐津县", "绥江县"}


@pytest.fixture(scope="module")
def pinned():
    from aidgraph.graph_api.runtime import open_aidgraph
    from aidgraph.settings import Settings
    return open_aidgraph("embedded", settings=Settings(as_of=2026))  # "now" is 2026 for these tests


@pytest.fixture(scope="module")
def pclient(pinned):
    return TestClient(create_app(pinned))


# -- the command line ------------------------------------------------------------------------------
def test_cli_json_lists_huainan_as_added_for_minhang(cli):
    ans = cli.json("changes", "--from", "2020", "--to", "2021", "--district", "闵行区")
    assert (ans["from"], ans["to"]) == (2020, 2021)
    assert {i["place"]["name"] for i in ans["added"]} == MINHANG_ADDED
    huainan = next(i for i in ans["added"] if i["place"]["name"] == "淮南市")
    assert huainan["supporter"] == {"name": "闵行区", "code": "310112"}
    assert (huainan["programme"], huainan["valid_from"], huainan["valid_to"]) == ("沪苏浙结对合作帮扶皖北", 2021, 2030)
    assert ans["ended"] == [] and ans["changed"] == []


def test_cli_table_is_chinese_and_says_the_regrouping_in_one_line(cli):
    res = cli("changes", "--from", "2020", "--to", "2021")
    assert res.exit_code == 0, res.stderr
    text = res.stdout
    assert "全部结对关系 结对调整 2020—2021" in text and "数据截至 2024-05-24" in text
    assert "2020 年 101/20/7，2021 年 106/21/6" in text  # the documents' totals
    assert text.count("整体结对改为结对到县") == 1  # the 74 counties explained once, not 74 times
    assert "上海市 → 云南省的整体结对（74 个县、13 个州市，2016–2020）" in text
    added = text[text.index("新增（91 项）"):text.index("终止（2 项）")]
    assert "云南省的" in added and "景谷傣族" not in added  # one row for them (the table may fold a cell)
    # a row per added pairing outside 云南省's aggregate (14 in 表7, 3 of the northern-Anhui plan), one for the 74
    assert added.count("│ 沪府合办发") == 14 + 1 and added.count("│ 《沪苏浙") == 3


def test_cli_table_for_minhang_names_huainan_and_cites_the_document_number(cli):
    res = cli("changes", "--from", "2020", "--to", "2021", "--district", "闵行")
    assert res.exit_code == 0, res.stderr
    assert "淮南市" in res.stdout and "新增（9 项）" in res.stdout and "终止：无" in res.stdout
    assert "沪府合办发〔20" in res.stdout  # the document number (the table may fold it)


def test_cli_refuses_years_in_the_wrong_order(cli):
    res = cli("changes", "--from", "2022", "--to", "2021", "--json")
    assert res.exit_code != 0 and "bad-parameter" in res.stdout


# -- the API ---------------------------------------------------------------------------------------
def test_api_changes_equals_the_query(client, aid):
    r = client.get("/api/changes", params={"from": 2020, "to": 2021, "district": "闵行区"})
    assert r.status_code == 200
    assert r.json() == aid.changes(2020, 2021, district="闵行区").model_dump(mode="json")
    assert "淮南市" in {i["place"]["name"] for i in r.json()["added"]}


def test_api_changes_of_a_place_and_a_programme(client):
    ans = client.get("/api/changes", params={"from": 2020, "to": 2021, "place": "淮南"}).json()
    assert {(i["supporter"]["name"], i["place"]["name"]) for i in ans["added"]} == {("闵行区", "淮南市")}
    ans = client.get("/api/changes", params={"from": 2020, "to": 2021, "programme": "wanbei"}).json()
    assert {i["place"]["name"] for i in ans["added"]} == {"淮南市", "六安市", "亳州市"}


@pytest.mark.parametrize("params,status,slug", [
    ({"from": 2022, "to": 2021}, 400, "bad-parameter"),
    ({"to": 2021}, 422, "invalid-parameters"),
    ({"from": 1800, "to": 2021}, 422, "invalid-parameters"),
    ({"from": 2020, "to": 2021, "district": "x" * 101}, 422, "invalid-parameters"),
    ({"from": 2020, "to": 2021, "district": "不存在的地方"}, 404, "unknown-name"),
])
def test_api_changes_refuses_bad_input_as_a_problem(client, params, status, slug):
    r = client.get("/api/changes", params=params)
    assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith(slug)


def test_api_answers_for_a_year_after_the_data_say_so(client, pclient):
    ans = client.get("/api/changes", params={"from": 2024, "to": 2031}).json()
    assert AFTER in ans["notes"]
    who = client.get("/api/places/泸水/supporters", params={"year": 2031}).json()
    assert who["year"] == 2031 and who["note"] == AFTER
    assert [s["name"] for s in who["supporters"]] == ["浦东新区"]
    assert client.get("/api/places/泸水/supporters", params={"year": 2023}).json()["note"] is None
    assert pclient.get("/api/districts/闵行区").json()["note"] == AFTER  # now (2026) is after the data


# -- the page --------------------------------------------------------------------------------------
def test_changes_page_shows_the_added_and_marks_uncovered_years(pclient):
    page = pclient.get("/changes", params={"from": 2020, "to": 2021, "district": "闵行区"}).text
    assert "闵行区 结对调整 2020—2021" in page
    added = page[page.index('data-change="added"'):]
    assert "淮南市" in added
    assert '<a class="cite loc" href="/document/hfhbf-2021-14#表7">表7 ' in page  # sources link to their table
    assert "2013（无资料）" in page and "2026（数据截至后）" in page
    assert 'href="/api/export?view=changes&amp;center=310112&amp;from=2020&amp;to=2021&amp;format=pdf"' in page
    assert "新增 9 项，终止 0 项" in page


def test_place_page_answers_for_the_year_asked_with_the_note(pclient):
    page = pclient.get("/place/泸水", params={"year": 2031}).text
    assert "支援方（2031 年）" in page and f"2031 年：{AFTER}。" in page
    assert '<option value="2031" selected>2031（数据截至后）</option>' in page
    now = pclient.get("/place/泸水").text
    assert "（2026 年，数据截至 2024-05-24）" in now and "现行（" not in now


# -- the changes meeting view ------------------------------------------------------------------------
def test_changes_export_pdf_and_xlsx(client):
    base = {"view": "changes", "center": "闵行区", "from": 2020, "to": 2021}
    r = client.get("/api/export", params={**base, "format": "xlsx"})
    assert r.status_code == 200
    assert "%E9%97%B5%E8%A1%8C%E5%8C%BA-%E7%BB%93%E5%AF%B9%E8%B0%83%E6%95%B4-2020" in r.headers["content-disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:3] == ["调整", "支援方", "受援地"]
    assert ["新增", "闵行区", "淮南市"] in [row[:3] for row in rows]
    pdf = client.get("/api/export", params={**base, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_changes_view_handout_lists_huainan_under_added_and_is_titled(aid):
    from aidgraph.viz.formats.pdf import handout_pages, page_words
    from aidgraph.viz.views import build_view
    view = build_view(aid, "changes", "闵行区", year=2021, first=2020)
    assert view.title == "闵行区 结对调整 2020—2021" and view.file_stem == "闵行区-结对调整-2020—2021"
    figs = handout_pages(view).pages
    words = [w for f in figs for w in page_words(f)]
    assert "闵行区 结对调整 2020—2021" in words
    table = [w for f in figs[1:] for w in page_words(f)]
    i = table.index("淮南市")
    assert "新增" in table[i - 3:i]  # the row's 调整 cell, before 支援方 and 受援地
    assert any(w.startswith("一、结对调整（新增 9 项，终止 0 项") for w in table)


def test_changes_view_draws_added_and_ended_apart_by_line_style(aid):
    from aidgraph.viz.styles import edge_style
    from aidgraph.viz.views import build_view
    view = build_view(aid, "changes", "云南省", year=2021, first=2020)  # the province aggregate gave way
    kinds = {e["kind"] for e in view.edges if e["kind"].startswith("change:")}
    assert kinds == {"change:added", "change:ended"}
    added, ended = edge_style(view, "change:added"), edge_style(view, "change:ended")
    assert added[2] == "-" and ended[2] != "-"  # not colour alone: added solid, ended dashed
    assert (added[3], ended[3]) == ("新增结对", "终止结对")
    yunnan = next(r for r in view.rows if r["place"] == "云南省")
    assert yunnan["change"] == "终止" and yunnan["county_count"] == 74 and yunnan["supporter"] == "上海市"
    assert view.title == "云南省 结对调整 2020—2021"
    assert "整体结对（74 个县、13 个州市，2016–2020）2021 年起改为结对到县" in view.note


def test_export_cli_writes_the_changes_view(cli, tmp_path):
    res = cli("export", "--view", "changes", "--center", "闵行区", "--from", "2020", "--to", "2021",
              "--format", "xlsx", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "闵行区-结对调整-2020—2021.xlsx").exists()
    res = cli("export", "--view", "pairings", "--center", "闵行区", "--from", "2020", "--out", str(tmp_path))
    assert res.exit_code != 0  # --from goes with the changes view only


def test_neo4j_answers_the_same_changes(neo4j_aid, aid):
    assert neo4j_aid.changes(2020, 2021, district="闵行区") == aid.changes(2020, 2021, district="闵行区")
