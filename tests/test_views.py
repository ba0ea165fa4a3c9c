"""Named views (viz.views): the subgraphs officials take to a meeting, and their downloads.

Expected values are read by hand from the documents: 表7 of 沪府合办发〔2021〕14号 (data/curated/
pairings_2021.csv), the 皖北 plan (pairings_wanbei.csv), the work points of 闵行 2024 (24 tasks) and
静安 2022 (18 tasks and 3 safeguard items)."""
from __future__ import annotations

import io
import json
import re
from urllib.parse import unquote

import networkx as nx
import openpyxl
import pytest

from aidgraph.errors import BadParameter, NotADistrict, NotInGraph
from aidgraph.viz.views import VIEWS, build_view

MINHANG_2024 = {"闵行区",
                "隆阳区", "施甸县", "龙陵县", "昌宁县", "保山市",       # 东西部协作, 保山
                "大关县", "永善县", "盐津县", "绥江县", "昭通市",       # 东西部协作, 昭通
                "泽普县", "喀什地区",                                  # 对口支援 since 2016
                "淮南市"}                                              # 皖北, a prefecture paired whole
MINHANG_EAST_WEST = {"闵行区", "隆阳区", "施甸县", "龙陵县", "昌宁县", "保山市", "大关县", "永善县", "盐津县", "绥江县",
                     "昭通市"}


def names(view) -> set[str]:
    return {n["label"] for n in view.nodes}


def test_the_views_are_named():
    assert VIEWS == ("pairings", "supporters", "programme", "province", "document", "changes", "overview")


def test_a_districts_pairings_hold_nothing_else(aid):
    v = build_view(aid, "pairings", "闵行区", year=2024)
    assert names(v) == MINHANG_2024
    assert v.title == "闵行区 结对关系 2024" and v.file_stem == "闵行区-结对关系-2024"
    assert v.center == "place:310112" and v.kind == "pairings" and v.year == 2024
    # every pairing edge starts at 闵行区; the counties lie in their prefectures
    pairing = [e for e in v.edges if e["kind"] in v.programmes]
    assert {e["from"] for e in pairing} == {"place:310112"} and len(pairing) == 10
    byname = {n["id"]: n["label"] for n in v.nodes}
    part_of = {(byname[e["from"]], byname[e["to"]]) for e in v.edges if e["kind"] == "PART_OF"}
    assert ("泽普县", "喀什地区") in part_of and ("隆阳区", "保山市") in part_of and len(part_of) == 9


def test_the_same_by_code_and_short_name(aid):
    assert names(build_view(aid, "pairings", "310112", year=2024)) == MINHANG_2024
    assert names(build_view(aid, "pairings", "闵行", year=2024)) == MINHANG_2024


def test_a_programme_filter_and_another_year(aid):
    v = build_view(aid, "pairings", "闵行区", year=2024, program="east-west")
    assert names(v) == MINHANG_EAST_WEST and v.title == "闵行区 东西部协作 结对关系 2024"
    assert names(build_view(aid, "pairings", "闵行区", year=2024, program="东西部协作")) == MINHANG_EAST_WEST
    # 2019: 表7 starts in 2021, the 皖北 plan too; 泽普 is supported since 2016
    assert names(build_view(aid, "pairings", "闵行区", year=2019)) == {"闵行区", "泽普县", "喀什地区"}
    empty = build_view(aid, "pairings", "闵行区", year=2013)
    assert names(empty) == {"闵行区"} and "2013" in empty.note


def test_the_year_defaults_to_now(aid):
    v = build_view(aid, "pairings", "浦东新区")
    assert v.year == aid.now and v.title == f"浦东新区 结对关系 {aid.now}"
    # 浦东: 6 in 大理, 4 in 怒江 (表7), 江孜 and 莎车 (对口支援)
    counties = {n["label"] for n in v.nodes if n["group"] == "County"}
    assert len(counties) == 12 and {"泸水市", "江孜县", "莎车县"} <= counties


def test_the_pairing_table_in_chinese_with_its_own_rows_first(aid):
    v = build_view(aid, "pairings", "闵行区", year=2024)
    assert [r["supporter"] for r in v.rows] == ["闵行区"] * 10
    huainan = next(r for r in v.rows if r["place"] == "淮南市")
    assert huainan["level"] == "地级" and huainan["period"] == "2021–2030"
    assert huainan["cite"] == "《沪苏浙城市结对合作帮扶皖北城市实施方案》"  # no document number is known
    zepu = next(r for r in v.rows if r["place"] == "泽普县")
    assert zepu["level"] == "县级" and zepu["period"] == "2016–至今"
    assert zepu["cite"].startswith("沪府合办发〔2021〕14号")
    assert v.source_line == "来源：沪府合办发〔2021〕14号；《沪苏浙城市结对合作帮扶皖北城市实施方案》"
    assert v.data_date == "2024-05-24"  # 闵府办发〔2024〕20号, the newest source
    # the handout lists 闵行's 24 tasks of 2024, in the order of their numbers
    assert [t.number for t in v.tasks] == list(range(1, 25))
    assert "2024-05-24" in [d["date"] for d in v.sources] and all(d["number"] or d["title"] for d in v.sources)


def test_supporters_of_a_place(aid):
    v = build_view(aid, "supporters", "泸水", year=2026)
    assert names(v) == {"泸水市", "浦东新区"} and v.title == "泸水市 支援方 2026"
    kashgar = build_view(aid, "supporters", "喀什地区", year=2024)
    # its counties' supporters (表7 对口支援 rows): 莎车 浦东, 巴楚 静安, 叶城 宝山, 泽普 闵行
    assert names(kashgar) == {"喀什地区", "莎车县", "巴楚县", "叶城县", "泽普县",
                              "浦东新区", "静安区", "宝山区", "闵行区"}


def test_a_programme_and_a_province(aid):
    v = build_view(aid, "programme", "east-west", year=2026)
    assert v.title == "东西部协作 2026" and v.file_stem == "东西部协作-2026"
    assert sum(1 for n in v.nodes if n["group"] == "County") == 88  # 表7: 88 county-level places in Yunnan
    assert sum(1 for n in v.nodes if n["group"] == "District") == 16
    y = build_view(aid, "province", "云南", year=2026)
    assert y.title == "云南省 结对关系 2026" and {n["id"] for n in y.nodes} == {n["id"] for n in v.nodes}
    # 2016–2020: 上海市 with the whole province (but 怒江 and 昭通), 74 counties the note says
    assert names(build_view(aid, "province", "云南省", year=2019)) == {"上海市", "云南省"}


def test_a_documents_tasks_and_units(aid):
    v = build_view(aid, "document", "静合组办〔2022〕1号")
    assert v.title == "静合组办〔2022〕1号 任务与单位" and v.file_stem == "静合组办〔2022〕1号-任务与单位"
    tasks = [n for n in v.nodes if n["group"] == "Task"]
    assert len(tasks) == 21 and sum(1 for n in tasks if n["kind"] == "safeguard") == 3
    assert any(n["label"] == "区委组织部" for n in v.nodes if n["group"] == "Unit")
    assert build_view(aid, "document", "jhzb-2022-1").title == v.title


def test_with_tasks_adds_the_tasks_and_their_units(aid):
    v = build_view(aid, "pairings", "闵行区", year=2024, with_tasks=True)
    assert names(v) >= MINHANG_2024
    assert sum(1 for n in v.nodes if n["group"] == "Task") == 24
    assert v.title == "闵行区 结对关系与任务 2024"


def test_bad_centres_and_views(aid):
    with pytest.raises(BadParameter):
        build_view(aid, "hops", "闵行区")
    with pytest.raises(BadParameter):
        build_view(aid, "pairings", None)
    with pytest.raises(NotADistrict):
        build_view(aid, "pairings", "泸水")
    with pytest.raises(BadParameter):
        build_view(aid, "programme", "no-such-programme")
    with pytest.raises(BadParameter):
        build_view(aid, "province", "泸水")
    with pytest.raises(NotInGraph):
        build_view(aid, "document", "沪府发〔1999〕1号")


def test_programme_names_and_colours_come_from_the_data(data_copy):
    """A programme renamed and recoloured in programmes.csv is what the view carries."""
    from aidgraph.graph_api.runtime import open_aidgraph
    path = data_copy / "curated" / "programmes.csv"
    text = path.read_text(encoding="utf-8")
    assert "东西部协作,East" in text and "#e74c3c" in text
    path.write_text(text.replace("东西部协作,East", "东西部协作（测试）,East").replace("#e74c3c", "#123456"),
                    encoding="utf-8")
    aid = open_aidgraph("embedded")
    v = build_view(aid, "pairings", "闵行区", year=2024)
    assert v.programmes["program:east-west"] == ("东西部协作（测试）", "#123456")
    assert build_view(aid, "programme", "east-west", year=2024).title == "东西部协作（测试） 2024"


# -- downloads: the API and the command line ---------------------------------------------------
def test_api_node_link_json_holds_exactly_the_view(client):
    r = client.get("/api/export", params={"view": "pairings", "center": "310112", "year": 2024,
                                          "program": "east-west", "format": "json"})
    assert r.status_code == 200
    g = nx.node_link_graph(r.json(), edges="links")
    assert {g.nodes[n]["name"] for n in g.nodes} == MINHANG_EAST_WEST
    cd = r.headers["content-disposition"]
    assert 'filename="aidgraph-pairings-310112-2024.json"' in cd
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)", cd).group(1)) == "闵行区-东西部协作-结对关系-2024.json"


def test_api_workbook_for_a_meeting(client):
    r = client.get("/api/export", params={"view": "pairings", "center": "闵行区", "year": 2024, "format": "xlsx"})
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb["结对关系"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("支援方", "受援地", "级别")
    assert [r[0] for r in rows[1:]] == ["闵行区"] * 10  # its own rows, no municipal ones
    assert {r[2] for r in rows[1:]} == {"县级", "地级"}
    zepu = next(r for r in rows if r[1] == "泽普县")
    assert rows[0][6:9] == ("起始年", "终止年", "至今") and zepu[6:9] == (2016, None, "是")  # years stay numbers
    assert ws.auto_filter.ref and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    tasks = list(wb["工作任务"].iter_rows(min_row=2, values_only=True))
    assert [t[2] for t in tasks] == list(range(1, 25)) and {t[3] for t in tasks} == {"任务"}
    assert tasks[13][9] == "闵府办发〔2024〕20号 任务14"


def test_api_pictures_and_handout(client):
    for fmt, media, magic in (("png", "image/png", b"\x89PNG"), ("pdf", "application/pdf", b"%PDF"),
                              ("svg", "image/svg+xml", b"<?xml")):
        r = client.get("/api/export", params={"view": "pairings", "center": "闵行区", "year": 2024, "format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media) and r.content.startswith(magic)
        assert f"{'%E9%97%B5%E8%A1%8C%E5%8C%BA'}-" in r.headers["content-disposition"]  # 闵行区, percent-encoded


def test_api_refuses_bad_views(client):
    assert client.get("/api/export", params={"view": "nope", "center": "闵行区", "format": "png"}).status_code == 400
    assert client.get("/api/export", params={"view": "pairings", "center": "泸水", "format": "png"}).status_code == 404
    r = client.get("/api/export", params={"view": "pairings", "format": "json"})
    assert r.status_code == 400 and r.json()["type"].endswith("bad-parameter")


def test_api_keeps_the_hops_form(client):
    r = client.get("/api/export", params={"center": "泸水", "hops": 1, "format": "json"})
    assert r.status_code == 200 and "aidgraph-place-533301-1hops.json" in r.headers["content-disposition"]
    assert "pairing:310115:533301:2021" in {n["id"] for n in r.json()["nodes"]}


def test_cli_writes_the_view_in_words(cli, tmp_path):
    res = cli("export", "--view", "pairings", "--center", "闵行区", "--year", "2024",
              "--format", "png,svg,pdf,xlsx,json", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"闵行区-结对关系-2024.{x}" for x in ("png", "svg", "pdf", "xlsx", "json"))
    data = json.loads((tmp_path / "闵行区-结对关系-2024.json").read_text(encoding="utf-8"))
    assert {n["name"] for n in data["nodes"]} == MINHANG_2024
    bad = cli("export", "--view", "pairings", "--center", "泸水", "--format", "png", "--out", str(tmp_path))
    assert bad.exit_code == 4
    both = cli("export", "--view", "pairings", "--center", "闵行区", "--hops", "1", "--out", str(tmp_path))
    assert both.exit_code == 6
