"""Timelines: a place's and a district's pairings as bands over the years, on the pages (server-side
SVG and a table) and in the handout; `who-supports --history` gives the same periods.

Expected periods are written by hand from the documents: 沪府合办发〔2021〕14号 table 7 (the districts'
pairings from 2021) and its appendix note 2 (上海市 → 云南省 except 怒江州 and 昭通市, and → 遵义市,
2016–2020), the northern-Anhui plan (闵行区 → 淮南市, 2021–2030), 沪府发〔2007〕11号 (areas of 2001–2010)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from aidgraph.viz.timeline import Band, Programme, Row, Timeline, district_timeline, place_timeline
from aidgraph.viz.timeline_svg import render


@pytest.fixture(scope="module")
def aid26(aid):
    """The graph with "now" pinned to 2026 (the scale runs to the later of now and 2030)."""
    from aidgraph.queries.service import AidGraph
    return AidGraph(aid.store, aid.gaz, aid.unit_names, as_of=2026)


EW, PS, WB = "东西部协作", "对口支援", "沪苏浙结对合作帮扶皖北"
PLAN, WANBEI = "hfhbf-2021-14", "ndrc-2021-wanbei"

# place -> {(supporter, programme, first year, last year or None for "to now", source document)}
EXPECTED = {
    "泸水市": {("浦东新区", EW, 2021, None, PLAN)},  # Yunnan's 2016–2020 aggregate leaves 怒江州 out
    "剑川县": {("浦东新区", EW, 2021, None, PLAN), ("上海市", EW, 2016, 2020, PLAN)},
    "汇川区": {("上海市", EW, 2016, 2020, PLAN)},   # 遵义市's counties: the municipality, 2016–2020, then handed over
    "务川仡佬族苗族自治县": {("上海市", EW, 2016, 2020, PLAN)},
    "淮南市": {("闵行区", WB, 2021, 2030, WANBEI)},
    "泽普县": {("闵行区", PS, 2016, None, PLAN)},
}


def _doc(source: str) -> str:
    return source.split("#")[0]


@pytest.mark.parametrize("place", sorted(EXPECTED))
def test_history_and_timeline_list_the_same_periods(place, aid, cli):
    history = cli.json("--as-of", "2024", "who-supports", place, "--history")
    said = {(s["name"], s["program"], s["valid_from"], s["valid_to"], _doc(s["source"])) for s in history["supporters"]}
    assert said == EXPECTED[place]
    t = place_timeline(aid, place)
    drawn = {(r.label, b.programme, b.valid_from, b.valid_to, _doc(b.source)) for r in t.rows for b in r.bands}
    assert drawn == EXPECTED[place]
    assert len(t.rows) == len({s[0] for s in EXPECTED[place]})  # one row per supporter


@pytest.mark.parametrize("place", ["泸水市", "剑川县", "淮南市"])
def test_place_page_draws_each_period_with_its_source(place, client):
    page = client.get(f"/place/{place}").text
    svg = re.search(r"<svg[^>]*class=\"timeline\".*?</svg>", page, re.S).group(0)
    root = ET.fromstring(svg)  # well-formed
    ns = "{http://www.w3.org/2000/svg}"
    tips = [unescape(g.find(f"{ns}title").text) for g in root.iter(f"{ns}g") if g.get("class") == "band"]
    assert len(tips) == len(EXPECTED[place])
    for _sup, prog, first, last, doc in EXPECTED[place]:
        period = f"{first}–{last or '至今'}"
        number = "沪府合办发〔2021〕14号" if doc == PLAN else "沪苏浙城市结对合作帮扶皖北城市实施方案"
        assert any(t.startswith(f"{prog} {period}") and number in t for t in tips), (period, tips)
        # the table below says the same in text
        assert re.search(rf">{re.escape(period)}</td>", page), period
    assert "来源未覆盖" in page



def test_district_timeline_rows(aid26):
    t = district_timeline(aid26, "310112")  # 闵行区: 8 Yunnan counties, 泽普县, 淮南市
    assert not t.grouped
    assert {r.label for r in t.rows} == {"隆阳区", "施甸县", "龙陵县", "昌宁县", "大关县", "永善县", "盐津县", "绥江县",
                                         "泽普县", "淮南市"}
    periods = {r.label: [(b.programme, b.valid_from, b.valid_to) for b in r.bands] for r in t.rows}
    assert periods["淮南市"] == [(WB, 2021, 2030)]
    assert periods["泽普县"] == [(PS, 2016, None)]
    assert periods["施甸县"] == [(EW, 2021, None)]
    # years no source covers: 2011–2015 (no pairing stated) and every year after 2024-05-24
    assert t.data_date == "2024-05-24"
    assert (t.first, t.last) == (2015, 2030)  # the year before its first band (泽普县, 2016) to 2030
    assert {2015, 2025, 2030} <= set(t.uncovered)
    assert not {2016, 2021, 2024} & set(t.uncovered)


def test_municipality_timeline_has_its_aggregates(aid26):
    t = district_timeline(aid26, "310000")  # 上海市: the 2001–2010 areas, the 2016–2020 aggregates, 克拉玛依, 大连
    periods = {r.label: [(b.programme, b.valid_from, b.valid_to, b.note) for b in r.bands] for r in t.rows}
    assert periods["云南省"] == [(EW, 2016, 2020, "74 个县")]
    assert periods["遵义市"] == [(EW, 2016, 2020, "9 个县")]
    assert periods["文山州"] == [(EW, 2001, 2010, "")]
    assert periods["克拉玛依市"] == [(PS, 2016, None, "")]
    assert len(t.rows) == 12
    assert (t.first, t.last) == (2001, 2030)
    assert [(a, z) for a, z, _note in t.uncovered_spans] == [(2011, 2015), (2025, 2030)]


def test_many_places_are_grouped_by_prefecture(aid, monkeypatch):
    import aidgraph.viz.timeline as timeline
    monkeypatch.setattr(timeline, "MAX_ROWS", 5)
    t = district_timeline(aid, "310115")  # 浦东新区, table 7: 6 counties of 大理州, 4 of 怒江州, 莎车县, 江孜县
    assert t.grouped and t.row_kind == "地州市"
    rows = {r.label: [(b.programme, b.valid_from, b.valid_to, b.note) for b in r.bands] for r in t.rows}
    assert rows["大理州（6 处）"] == [(EW, 2021, None, "剑川县、宾川县、巍山县、洱源县、祥云县、鹤庆县")]
    assert rows["怒江州（4 处）"] == [(EW, 2021, None, "兰坪县、泸水市、福贡县、贡山县")]
    assert rows["喀什地区（1 处）"] == [(PS, 2016, None, "莎车县")]


def test_svg_escapes_text_and_is_deterministic():
    bad = "<script>alert(1)</script>&\""
    t = Timeline(title=bad, first=2019, last=2022,
                 uncovered={2022: "数据截至 2021-01-01；此后未见调整，按现行结对处理"},
                 rows=(Row(bad, "/place/1\"onmouseover=\"x", (Band("p", bad, 2020, None, "d#1", bad, bad),)),),
                 programmes={"p": Programme(bad, "#123456\"/><script>", 1)}, data_date="2021-01-01")
    svg = render(t)
    assert "<script" not in svg and "onmouseover=\"" not in svg
    ET.fromstring(svg)
    assert render(t) == svg


def test_the_handout_prints_the_timeline(aid26):
    from aidgraph.viz.formats.pdf import handout_pages, page_words
    from aidgraph.viz.views import build_view
    view = build_view(aid26, "pairings", "闵行区", year=2024)
    pages = [page_words(fig) for fig in handout_pages(view).pages]
    [page] = [p for p in pages if "闵行区 结对时间线" in p]
    for place in ("泽普县", "淮南市", "隆阳区", "绥江县"):
        assert place in page
    assert "2021–2030 沪苏浙结对合作帮扶皖北" in page and "2016–至今 对口支援" in page
    assert any(t.startswith("来源未覆盖的年份：2015；2025–2030") for t in page)
