"""Change over time (issue 22): what changed between two years, for a district, a place, a programme
or the whole graph; the data's date and the years no source covers.

Expected values are written by hand from the documents: 表7 and 附录注释2 of 沪府合办发〔2021〕14号
(the 2021 pairings, the end-2020 aggregates and the totals 101/20/7 and 106/21/6) and the northern-Anhui
plan (闵行区 → 淮南市, 松江区 → 六安市, 奉贤区 → 亳州市, 2021–2030)."""
from __future__ import annotations

import pytest
from table7 import EAST_WEST, ROWS

from aidgraph.errors import BadParameter, NameProblem

AFTER = "数据截至 2024-05-24；此后未见调整，按现行结对处理"
WANBEI = {("闵行区", "淮南市"), ("松江区", "六安市"), ("奉贤区", "亳州市")}
BAOSHAN = {"隆阳区", "施甸县", "龙陵县", "昌宁县"}
ZHAOTONG_MINHANG = {"大关县", "永善县", "盐津县", "绥江县"}


def _pairs(items):
    return {(i.supporter.name, i.place.name) for i in items}


def _totals(t):
    return (t.counties, t.prefectures, t.provinces)


# -- a district --------------------------------------------------------------------------------------
def test_minhang_2020_to_2021_adds_huainan_and_its_yunnan_counties(aid):
    ans = aid.changes(2020, 2021, district="闵行区")
    assert ans.district.name == "闵行区" and ans.district.code == "310112"
    assert _pairs(ans.added) == {("闵行区", "淮南市")} | {("闵行区", c) for c in BAOSHAN | ZHAOTONG_MINHANG}
    assert ans.ended == [] and ans.changed == []  # 泽普县 (对口支援, since 2016) runs on
    huainan = next(i for i in ans.added if i.place.name == "淮南市")
    assert (huainan.programme, huainan.valid_from, huainan.valid_to) == ("沪苏浙结对合作帮扶皖北", 2021, 2030)
    assert huainan.place.level == "prefecture" and huainan.place.code == "340400"
    assert huainan.source == "《沪苏浙城市结对合作帮扶皖北城市实施方案》"  # cited without a known number
    longyang = next(i for i in ans.added if i.place.name == "隆阳区")
    assert (longyang.programme, longyang.valid_from, longyang.valid_to) == ("东西部协作", 2021, None)
    assert longyang.source == "沪府合办发〔2021〕14号"
    # 保山市 was within the end-2020 Yunnan aggregate, 昭通市 was left out of it
    assert {i.place.name for i in ans.added if i.replaces} == BAOSHAN
    assert all("昭通市" in i.note for i in ans.added if i.place.name in ZHAOTONG_MINHANG)
    (regroup,) = ans.regroupings
    assert (regroup.aggregate.supporter.name, regroup.aggregate.place.name) == ("上海市", "云南省")
    assert (regroup.counties, regroup.prefectures, regroup.followed_by, regroup.supporters) == (74, 13, 4, ["闵行区"])
    # 表7 结对县数 9 for 闵行区 in 2021; in 2020 only 泽普县 (喀什, 新疆) was its own
    assert _totals(ans.totals.from_) == (1, 1, 1)
    assert _totals(ans.totals.to) == (9, 3, 2)
    assert (ans.totals.added, ans.totals.ended, ans.totals.changed) == (9, 0, 0)


@pytest.mark.parametrize("form", ["闵行", "上海市闵行区", "310112", "minhang"])
def test_a_district_by_any_name_form(aid, form):
    assert aid.changes(2020, 2021, district=form) == aid.changes(2020, 2021, district="闵行区")


# -- the whole graph: the totals of the documents ------------------------------------------------------
def test_whole_graph_2020_to_2021_totals_and_the_yunnan_aggregate(aid):
    ans = aid.changes(2020, 2021)
    # 附录注释2: 101 county-level places in 20 prefectures of 7 provinces at the end of 2020; 表7: 106/21/6
    assert _totals(ans.totals.from_) == (101, 20, 7)
    assert _totals(ans.totals.to) == (106, 21, 6)
    assert ans.totals.counted == ["东西部协作", "对口支援"]
    assert _pairs(ans.ended) == {("上海市", "云南省"), ("上海市", "遵义市")}
    assert {i.county_count for i in ans.ended} == {74, 9}
    yunnan = {(d, c) for d, prefs in EAST_WEST.items() for cs in prefs.values() for c in cs.split()}
    assert len(yunnan) == 88 and len(ans.added) == 88 + 3  # 表7's Yunnan counties and the three Anhui cities
    assert (ans.totals.added, ans.totals.ended, ans.totals.changed) == (91, 2, 0)
    # one item explains the 74 counties, not 74 unexplained additions
    (regroup,) = ans.regroupings
    assert (regroup.aggregate.place.name, regroup.counties, regroup.followed_by) == ("云南省", 74, 74)
    assert len(regroup.supporters) == 16
    assert "74" in regroup.note and "2021" in regroup.note
    # the 14 new ones lie in 怒江州 (浦东 4) and 昭通市 (普陀 2, 闵行 4, 松江 4), which the aggregate left out
    new = [i for i in ans.added if i.programme == "东西部协作" and not i.replaces]
    assert len(new) == 14
    assert {(i.supporter.name, len([j for j in new if j.supporter.name == i.supporter.name])) for i in new} == {
        ("浦东新区", 4), ("普陀区", 2), ("闵行区", 4), ("松江区", 4)}


def test_the_answer_has_the_issues_keys(aid):
    data = aid.changes(2020, 2021, district="闵行").model_dump()
    assert {"from", "to", "added", "ended", "changed", "totals"} <= set(data)
    assert (data["from"], data["to"]) == (2020, 2021)
    assert set(data["totals"]["from"]) == {"counties", "prefectures", "provinces"}
    item = data["added"][0]
    assert {"supporter", "place", "programme", "valid_from", "valid_to", "source"} <= set(item)
    assert set(item["supporter"]) == {"name", "code"} and set(item["place"]) == {"name", "code", "level"}


# -- a place ---------------------------------------------------------------------------------------------
def test_a_county_covered_by_the_aggregate_then_paired_to_a_district(aid):
    ans = aid.changes(2020, 2021, place="剑川")
    assert ans.place.name == "剑川县"
    assert [(i.supporter.name, i.place.name, i.via) for i in ans.ended] == [("上海市", "云南省", "province")]
    (added,) = ans.added
    assert (added.supporter.name, added.via, added.replaces) == ("浦东新区", "self", ans.ended[0].pairing_id)
    assert _totals(ans.totals.from_) == (0, 0, 0)  # the aggregate is the province's, not the county's own
    assert _totals(ans.totals.to) == (1, 1, 1)


def test_nujiang_and_zunyi(aid):
    lushui = aid.changes(2020, 2021, place="泸水")
    assert lushui.ended == [] and _pairs(lushui.added) == {("浦东新区", "泸水市")}
    assert "怒江" in lushui.added[0].note and "昭通" not in lushui.added[0].note
    zunyi = aid.changes(2020, 2021, place="遵义市")
    assert zunyi.added == [] and _pairs(zunyi.ended) == {("上海市", "遵义市")}
    assert zunyi.ended[0].county_count == 9


# -- northern Anhui over three year pairs -------------------------------------------------------------------
@pytest.mark.parametrize("programme", ["wanbei", "沪苏浙结对合作帮扶皖北", "program:wanbei"])
def test_northern_anhui_over_three_year_pairs(aid, programme):
    start = aid.changes(2020, 2021, programme=programme)
    assert _pairs(start.added) == WANBEI and start.ended == [] and start.notes == []
    assert {i.source for i in start.added} == {"《沪苏浙城市结对合作帮扶皖北城市实施方案》"}
    assert start.regroupings == []
    during = aid.changes(2021, 2024, programme=programme)
    assert (during.added, during.ended, during.changed) == ([], [], [])
    end = aid.changes(2030, 2031, programme=programme)
    assert end.added == [] and _pairs(end.ended) == WANBEI
    assert end.notes == [AFTER]  # both years are after the newest source
    # not among the programmes counted toward the documents' totals
    assert _totals(start.totals.to) == (0, 0, 0)


@pytest.mark.parametrize(("form", "district"), [("淮南", "闵行区"), ("六安市", "松江区"), ("341600", "奉贤区")])
def test_each_anhui_city(aid, form, district):
    assert [i.supporter.name for i in aid.changes(2020, 2021, place=form).added] == [district]
    assert [i.supporter.name for i in aid.changes(2030, 2031, place=form).ended] == [district]
    assert aid.changes(2024, 2025, place=form).notes == [AFTER]


def test_filters_combine(aid):
    ans = aid.changes(2020, 2021, district="闵行", programme="东西部协作")
    assert _pairs(ans.added) == {("闵行区", c) for c in BAOSHAN | ZHAOTONG_MINHANG}
    assert aid.changes(2020, 2021, district="浦东", place="淮南").added == []


# -- the cross-check against the year answers (another code path) ----------------------------------------------
def _who(aid, place, year):
    return {(s.code, s.place_code): (s.program_id, s.via) for s in aid.who_supports(place, year=year).supporters}


PLACES = sorted({county for _d, _p, county, _pref in ROWS} | {pref for _d, prog, _c, pref in ROWS
                                                              if prog == "东西部协作"} | {"淮南", "六安", "亳州"})


@pytest.mark.parametrize(("first", "second"), [(2020, 2021), (2021, 2024), (2030, 2031), (2010, 2016)])
def test_every_place_of_the_2021_table_agrees_with_who_supports(aid, first, second):
    for place in PLACES:
        was, now = _who(aid, place, first), _who(aid, place, second)
        ans = aid.changes(first, second, place=place)
        added = {(i.supporter.code, i.place.code): (i.programme_id, i.via) for i in ans.added}
        ended = {(i.supporter.code, i.place.code): (i.programme_id, i.via) for i in ans.ended}
        assert added == {k: now[k] for k in now.keys() - was.keys()}, (place, first, second)
        assert ended == {k: was[k] for k in was.keys() - now.keys()}, (place, first, second)


# -- terms that change: same supporter and place -------------------------------------------------------------------
def test_a_renewed_pairing_is_changed_not_added(data_copy):
    from aidgraph.graph_api.runtime import open_aidgraph
    path = data_copy / "curated" / "pairings_wanbei.csv"
    rows = path.read_text(encoding="utf-8").splitlines()
    head, minhang = rows[0], rows[1]
    assert minhang.startswith("闵行区,wanbei,安徽省,,淮南市,,2021,2030,")
    renewed = [minhang.replace(",2021,2030,", ",2021,2025,", 1), minhang.replace(",2021,2030,", ",2026,2030,", 1)]
    path.write_text("\n".join([head, *renewed, *rows[2:]]) + "\n", encoding="utf-8")
    aid = open_aidgraph("embedded", root=data_copy)
    ans = aid.changes(2025, 2026, place="淮南")
    assert ans.added == [] and ans.ended == []
    (item,) = ans.changed
    assert (item.supporter.name, item.valid_from, item.valid_to, item.differs) == ("闵行区", 2026, 2030, ["period"])
    assert [(b.valid_from, b.valid_to) for b in item.before] == [(2021, 2025)]
    assert ans.totals.changed == 1


# -- refusals -------------------------------------------------------------------------------------------------
def test_refusals(aid):
    with pytest.raises(BadParameter, match="晚于"):
        aid.changes(2021, 2020)
    with pytest.raises(BadParameter, match="项目类别"):
        aid.changes(2020, 2021, programme="扶贫")
    with pytest.raises(NameProblem):
        aid.changes(2020, 2021, place="不存在的地方")
    assert aid.changes(2021, 2021, district="闵行").added == []


# -- honest "now" ---------------------------------------------------------------------------------------------
def test_the_data_date_and_the_years_no_source_covers(aid):
    assert aid.data_date == "2024-05-24"  # 闵府办发〔2024〕20号, the newest source
    assert aid.after_data(2024) is None
    assert aid.after_data(2025) == AFTER
    assert aid.uncovered(2021) is None and aid.uncovered(2005) is None
    assert aid.uncovered(2013) == "来源未记载 2013 年的结对"  # 十二五: no source states its pairings
    choices = aid.year_choices(2001, 2030)
    assert [c.year for c in choices] == list(range(2001, 2031))
    assert [c.year for c in choices if not c.covered] == [2011, 2012, 2013, 2014, 2015, *range(2025, 2031)]
    assert {c.note for c in choices if c.year > 2024} == {AFTER}


# -- the same answers from Neo4j ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("first", "second", "filters"), [
    (2020, 2021, {}), (2020, 2021, {"district": "闵行"}), (2020, 2021, {"place": "大理州"}),
    (2020, 2021, {"place": "泸水"}), (2030, 2031, {"programme": "wanbei"}), (2010, 2016, {}),
    (2020, 2021, {"district": "上海市", "programme": "东西部协作"})])
def test_neo4j_answers_the_same(neo4j_aid, neo4j_alive, aid, first, second, filters):
    embedded = aid.changes(first, second, **filters)
    assert embedded.added or embedded.ended  # each case has something to compare
    assert neo4j_aid.changes(first, second, **filters).model_dump() == embedded.model_dump()


def test_neo4j_dates_and_years_the_same(neo4j_aid, neo4j_alive, aid):
    assert neo4j_aid.data_date == aid.data_date == "2024-05-24"
    assert neo4j_aid.year_choices(2001, 2030) == aid.year_choices(2001, 2030)
