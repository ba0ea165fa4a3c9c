"""Programmes and pairings are data: the northern-Anhui programme as shipped, a programme added by
data alone, pairing-change notices imported as tables, and "now" as the current year or --as-of.

Expected values are from the NDRC plan for northern Anhui (闵行区—淮南市, 松江区—六安市,
奉贤区—亳州市, 2021–2030) and from 表7 of 沪府合办发〔2021〕14号 (闵行区: 9 paired places)."""
from __future__ import annotations

import csv
import json

from openpyxl import Workbook

WANBEI = "沪苏浙结对合作帮扶皖北"


def test_huainan_is_supported_by_minhang_under_its_own_programme(cli):
    ans = cli.json("--as-of", "2026", "who-supports", "淮南")  # 2021–2030: in force in 2026
    assert ans["matched"]["name"] == "淮南市" and ans["matched"]["province"] == "安徽省"
    [s] = ans["supporters"]
    assert (s["name"], s["program"], s["program_id"]) == ("闵行区", WANBEI, "program:wanbei")
    assert (s["valid_from"], s["valid_to"]) == (2021, 2030)
    assert s["source"] == "ndrc-2021-wanbei"


def test_the_three_anhui_pairings(cli):
    for place, district in (("六安", "松江区"), ("亳州市", "奉贤区"), ("淮南市", "闵行区")):
        supporters = cli.json("--as-of", "2026", "who-supports", place)["supporters"]
        assert [s["name"] for s in supporters] == [district], place


def test_now_is_the_current_year_and_as_of_moves_it(cli):
    # in force until 2030: in force in 2030, not in 2031
    assert [s["name"] for s in cli.json("--as-of", "2030-12-31", "who-supports", "淮南")["supporters"]] == ["闵行区"]
    late = cli.json("--as-of", "2031", "who-supports", "淮南")
    assert late["as_of"] == 2031 and late["supporters"] == []
    assert [s["name"] for s in late["other_periods"]] == ["闵行区"]
    res = cli("--as-of", "20x", "who-supports", "淮南")
    assert res.exit_code == 2 and "--as-of" in res.stderr


def test_district_shows_the_programme_by_name_and_keeps_the_table_count(cli):
    prof = cli.json("--as-of", "2026", "district", "闵行")
    groups = {g["program"]: g for g in prof["programs"]}
    assert groups[WANBEI]["prefectures"] == {"安徽省": ["淮南市"]}
    assert groups["东西部协作"]["count"] == 8 and groups["对口支援"]["count"] == 1
    # 表7 gives 闵行区 9 paired places; the northern-Anhui pairing does not count toward that total
    assert prof["paired_places"] == 9
    assert "ndrc-2021-wanbei" in prof["sources"]


def test_document_totals_still_check(cli):
    st = cli.json("stats")
    assert st["paired"]["2021"] == {"counties": 106, "prefectures": 21, "provinces": 6}


def test_district_page_names_the_programme():
    from fastapi.testclient import TestClient

    from aidgraph.graph_api.app import create_app
    from aidgraph.graph_api.runtime import open_aidgraph
    from aidgraph.settings import Settings
    page = TestClient(create_app(open_aidgraph("embedded", settings=Settings(as_of=2026)))).get("/district/310112").text
    assert WANBEI in page and "淮南市" in page


def test_the_cited_document_has_no_invented_number(client):
    docs = {d["id"]: d for d in client.get("/api/documents").json()}
    assert docs["ndrc-2021-wanbei"]["number"] is None
    assert docs["ndrc-2021-wanbei"]["issuer"] == "国家发展改革委"


# -- adding a programme with data only -------------------------------------------------------
def _append(path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def _write(path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


HEADER = ["supporter", "program", "province", "prefecture", "place", "excluding", "valid_from", "valid_to",
          "period_note", "county_count", "prefecture_count", "source"]


def test_a_new_programme_is_a_data_change(data_copy, cli):
    cur = data_copy / "curated"
    _append(cur / "programmes.csv", "trial,试点协作,Trial cooperation,cooperation,,#123456,a programme for a test,"
                                    "hfhbf-2021-14#表5 4")
    _write(cur / "pairings_trial.csv", [HEADER, ["金山区", "trial", "辽宁省", "", "大连市", "", "2027", "", "", "", "",
                                                 "hfhbf-2021-14#表5 4"]])
    _append(cur / "pairing_tables.csv", "pairings_trial.csv,trial,hfhbf-2021-14,a test table")
    supporters = cli.json("--as-of", "2027", "who-supports", "大连")["supporters"]
    assert [s["name"] for s in supporters] == ["上海市", "金山区"]
    assert cli.json("--as-of", "2026", "who-supports", "大连")["supporters"][0]["name"] == "上海市"


def test_a_bad_programme_row_is_refused(data_copy, cli):
    _append(data_copy / "curated" / "programmes.csv", "grey,灰,Grey,support,,grey,x,hfhbf-2021-14#表7")
    res = cli("stats")
    assert res.exit_code == 3
    assert ("curated/programmes.csv line 6, column colour: 'grey' is not a colour written #rrggbb") in res.stderr


def test_an_unregistered_table_and_a_programme_the_table_does_not_allow_are_refused(data_copy, cli):
    cur = data_copy / "curated"
    _write(cur / "pairings_extra.csv", [HEADER, ["金山区", "east-west", "云南省", "", "泸水市", "", "2027", "", "", "",
                                                 "", "hfhbf-2021-14#表7"]])
    _write(cur / "pairings_cooperation.csv", [HEADER, ["上海市", "east-west", "辽宁省", "", "大连市", "", "2018", "",
                                                       "", "", "", "hfhbf-2021-14#表5 4"]])
    res = cli("stats")
    assert res.exit_code == 3
    assert ("curated/pairings_extra.csv: a pairing table not named in curated/pairing_tables.csv") in res.stderr
    assert ("curated/pairings_cooperation.csv line 2, column program: programme 'east-west' is not one "
            "curated/pairing_tables.csv allows in this table (paired-cooperation)") in res.stderr


def test_a_place_without_a_seat_is_reported_at_load_and_drawn_at_its_province(data_copy, cli):
    seats = data_copy / "curated" / "seat_coordinates.csv"
    lines = seats.read_text(encoding="utf-8").splitlines()
    seats.write_text("\n".join(x for x in lines if not x.startswith("340400,")) + "\n", encoding="utf-8")
    res = cli("stats")
    assert res.exit_code == 0
    assert ("warning: curated/seat_coordinates.csv: no seat coordinates for 淮南市 (340400), which a pairing names; "
            "drawn at the seat of 安徽省") in res.stderr
    from aidgraph.graph_api.runtime import open_aidgraph
    node = open_aidgraph("embedded", data_copy).graph().node("place:340400")
    # 安徽省's seat in the table: 117.329949, 31.733806
    assert (node["longitude"], node["latitude"], node["seat_approximate"]) == (117.329949, 31.733806, True)


# -- pairing-change notices ------------------------------------------------------------------
def test_import_a_notice_from_xlsx(data_copy, cli, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["supporter", "program", "province", "place", "valid_from", "valid_to", "source"])
    ws.append(["嘉定区", "wanbei", "安徽省", "宿州市", 2027, 2030, "ndrc-2021-wanbei"])
    wb.save(tmp_path / "notice.xlsx")
    dry = cli.json("import-pairings", str(tmp_path / "notice.xlsx"), "--name", "notice_2027", "--dry-run")
    assert [(r["supporter"], r["place"]) for r in dry["added"]] == [("嘉定区", "宿州市")]
    assert not (data_copy / "curated" / "pairings_notice_2027.csv").exists()
    cli.json("import-pairings", str(tmp_path / "notice.xlsx"), "--name", "notice_2027")
    assert [s["name"] for s in cli.json("--as-of", "2027", "who-supports", "宿州")["supporters"]] == ["嘉定区"]
    assert "pairings_notice_2027.csv,wanbei,ndrc-2021-wanbei" in (
        data_copy / "curated" / "pairing_tables.csv").read_text(encoding="utf-8")


def test_a_bad_notice_is_refused_with_its_line_and_nothing_changes(data_copy, cli, tmp_path):
    before = {p.name: p.read_bytes() for p in (data_copy / "curated").iterdir()}
    notice = tmp_path / "bad.csv"
    _write(notice, [["supporter", "program", "province", "place", "valid_from", "valid_to", "source"],
                    ["嘉定区", "wanbei", "安徽省", "宿州市", "2027", "2030", "ndrc-2021-wanbei"],
                    ["嘉定区", "wanbei", "安徽省", "不存在市", "2027", "2030", "ndrc-2021-wanbei"],
                    ["嘉定区", "nosuch", "安徽省", "宿州市", "2027", "2030", "ndrc-2021-wanbei"]])
    res = cli("import-pairings", str(notice), "--name", "bad", "--json")
    assert res.exit_code == 6
    problem = json.loads(res.stdout)
    assert "bad.csv line 3, column place: '不存在市' is not a known division in 安徽省" in problem["problems"]
    assert any(p.startswith("bad.csv line 4, column program: no programme 'nosuch'") for p in problem["problems"])
    assert {p.name: p.read_bytes() for p in (data_copy / "curated").iterdir()} == before


def test_a_reimport_that_drops_pairings_needs_force(data_copy, cli, tmp_path):
    notice = tmp_path / "n.csv"
    rows = [["supporter", "program", "province", "place", "valid_from", "valid_to", "source"],
            ["嘉定区", "wanbei", "安徽省", "宿州市", "2027", "2030", "ndrc-2021-wanbei"],
            ["金山区", "wanbei", "安徽省", "淮北市", "2027", "2030", "ndrc-2021-wanbei"]]
    _write(notice, rows)
    cli.json("import-pairings", str(notice), "--name", "n")
    _write(notice, rows[:2])
    res = cli("import-pairings", str(notice), "--name", "n", "--json")
    assert res.exit_code == 6
    problem = json.loads(res.stdout)
    assert [(r["supporter"], r["place"]) for r in problem["diff"]["removed"]] == [("金山区", "淮北市")]
    done = cli.json("import-pairings", str(notice), "--name", "n", "--force")
    assert [r["place"] for r in done["removed"]] == ["淮北市"] and done["replaced"]


# -- supporters from any province -------------------------------------------------------------
def test_a_supporter_from_another_province(data_copy, cli, tmp_path):
    notice = tmp_path / "js.csv"
    _write(notice, [["supporter", "program", "province", "place", "valid_from", "valid_to", "source"],
                    ["苏州市", "wanbei", "安徽省", "宿州市", "2021", "2030", "ndrc-2021-wanbei"],
                    ["鼓楼区", "wanbei", "安徽省", "淮北市", "2021", "2030", "ndrc-2021-wanbei"]])
    res = cli("import-pairings", str(notice), "--name", "js", "--json")
    assert res.exit_code == 6
    [problem] = json.loads(res.stdout)["problems"]
    # 鼓楼区 is a district of 南京, 徐州, 开封 and 福州: the notice must say which
    assert problem.startswith("js.csv line 3, column supporter: '鼓楼区' names several places: "
                              "鼓楼区（江苏省·南京市）, 鼓楼区（江苏省·徐州市）, "
                              "鼓楼区（河南省·开封市）, 鼓楼区（福建省·福州市）")
    _write(notice, [["supporter", "program", "province", "place", "valid_from", "valid_to", "source"],
                    ["苏州市", "wanbei", "安徽省", "宿州市", "2021", "2030", "ndrc-2021-wanbei"],
                    ["南京市鼓楼区", "wanbei", "安徽省", "淮北市", "2021", "2030", "ndrc-2021-wanbei"]])
    cli.json("import-pairings", str(notice), "--name", "js")
    [s] = cli.json("--as-of", "2026", "who-supports", "宿州")["supporters"]
    assert (s["name"], s["code"], s["kind"]) == ("苏州市", "320500", "prefecture")
    assert cli.json("--as-of", "2026", "who-supports", "淮北")["supporters"][0]["code"] == "320106"
    prof = cli.json("--as-of", "2026", "district", "苏州")
    assert prof["programs"][0]["prefectures"] == {"安徽省": ["宿州市"]}
    # Shanghai stays the scope of the documents' totals
    assert cli.json("stats")["paired"]["2021"] == {"counties": 106, "prefectures": 21, "provinces": 6}
