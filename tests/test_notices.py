"""Pairing-change notices as offices write them (tests/notices/, hand-written CSV and XLSX), each with its
expected outcome written by hand: a move in the right years only, the notice registered as a document
with the number its source cells give, and the refusals — a look-alike supporter, a 1926 start, a
programme outside its provinces, an extra cell, two numbers — each naming the notice's line and column.

The pairings moved are 表7's 金山区—宁洱县 / 墨江县 / 镇沅县 (沪府合办发〔2021〕14号, from 2021)."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from aidgraph.loaders.importer import LOCK

NOTICES = Path(__file__).parent / "notices"


def _digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK}


def _supporters(cli, place, year):
    return [s["name"] for s in cli.json("who-supports", place, "--year", str(year))["supporters"]]


def _refused(cli, notice, *args):
    res = cli("import-pairings", str(NOTICES / notice), "--json", *args)
    assert res.exit_code == 6, res.stdout
    return json.loads(res.stdout)


def _register(root, relpath):
    with open(root / relpath, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- moves --------------------------------------------------------------------------------------
def test_a_move_with_chinese_headings_programme_name_and_number_in_the_source_cells(cli, data_copy):
    registers = {rel: (data_copy / rel).read_bytes() for rel in ("sources/documents.csv", "curated/pairing_tables.csv")}
    rep = cli.json("import-pairings", str(NOTICES / "move.csv"), "--name", "2026_ninger",
                   "--title", "关于调整宁洱县东西部协作结对关系的通知", "--date", "2025-12-20")
    assert [(r["supporter"], r["place"], r["valid_to"]) for r in rep["ended"]] == [("金山区", "宁洱县", "2025")]
    assert [(r["supporter"], r["place"], r["valid_from"]) for r in rep["added"]] == [("黄浦区", "宁洱县", "2026")]
    assert rep["document"]["number"] == "沪合组〔2025〕12号" and rep["document"]["kind"] == "notice"
    assert _supporters(cli, "宁洱", 2021) == ["金山区"]
    assert _supporters(cli, "宁洱", 2025) == ["金山区"]
    assert _supporters(cli, "宁洱", 2026) == ["黄浦区"]
    [s] = cli.json("who-supports", "宁洱", "--year", "2026")["supporters"]
    assert (s["program_id"], s["source"]) == ("program:east-west", "notice-2026-ninger#第3行")
    [s] = cli.json("who-supports", "宁洱", "--year", "2025")["supporters"]
    assert s["source"] == "hfhbf-2021-14#表7 上海与云南东西部协作结对关系; notice-2026-ninger#第2行"
    # the notice is kept verbatim as its document's text, and registered
    assert (data_copy / "sources" / "notice-2026-ninger.csv").read_bytes() == (NOTICES / "move.csv").read_bytes()
    [doc] = [r for r in _register(data_copy, "sources/documents.csv") if r["id"] == "notice-2026-ninger"]
    assert (doc["number"], doc["title"], doc["date"], doc["file"]) == (
        "沪合组〔2025〕12号", "关于调整宁洱县东西部协作结对关系的通知", "2025-12-20", "notice-2026-ninger.csv")
    # the registers' shipped rows are kept byte for byte, the new rows added after them
    for rel, old in registers.items():
        new = (data_copy / rel).read_bytes()
        assert new.startswith(old) and new.count(b"\n") == old.count(b"\n") + 1
    # the plan's totals are what the plan says
    assert cli.json("stats")["paired"]["2021"] == {"counties": 106, "prefectures": 21, "provinces": 6}
    # the same notice again: nothing dropped, nothing asked
    again = cli.json("import-pairings", str(NOTICES / "move.csv"), "--name", "2026_ninger",
                     "--title", "关于调整宁洱县东西部协作结对关系的通知", "--date", "2025-12-20")
    assert again["replaced"] and again["removed"] == [] and again["changed"] == []


def test_an_end_row_without_start_year_and_a_number_written_loosely(cli, data_copy):
    rep = cli.json("import-pairings", str(NOTICES / "move_no_start.csv"), "--name", "mojiang",
                   "--title", "关于墨江县结对关系的通知", "--date", "2024-11-02")
    assert rep["document"]["number"] == "沪合组〔2024〕31号"  # ［2024］ 031 号, read as one number
    assert _supporters(cli, "墨江", 2024) == ["金山区"]
    assert _supporters(cli, "墨江", 2025) == ["崇明区"]


def test_a_move_from_a_titled_xlsx_with_numbering_column_and_number_option(cli, data_copy):
    rep = cli.json("import-pairings", str(NOTICES / "move_titled.xlsx"), "--name", "zhenyuan",
                   "--title", "关于调整东西部协作结对关系的通知", "--date", "2024-12-01",
                   "--number", "沪合组〔2024〕40号")
    assert [r["supporter"] for r in rep["ended"]] == ["金山区"]
    assert _supporters(cli, "镇沅", 2024) == ["金山区"]
    assert _supporters(cli, "镇沅", 2025) == ["黄浦区"]
    [s] = cli.json("who-supports", "镇沅", "--year", "2025")["supporters"]
    assert s["source"] == "notice-zhenyuan#第5行"  # the sheet's row 5 (a title, a blank row, the heading)
    assert (data_copy / "sources" / "notice-zhenyuan.xlsx").read_bytes() == (NOTICES / "move_titled.xlsx").read_bytes()


# -- refusals, each with its line and column, nothing changed --------------------------------------
@pytest.mark.parametrize("notice, problem", [
    ("lookalike.csv", "lookalike.csv line 2, column 支援方: 黄埔区（广州市）不是支援方；是否指 黄浦区（上海市）？ "
                      "'黄埔区' is not a supporter; did you mean 黄浦区?"),
    ("lookalike_qualified.xlsx", "lookalike_qualified.xlsx line 2, column supporter: 黄埔区（广州市）不是支援方；"
                                 "是否指 黄浦区（上海市）？ '广州市黄埔区' is not a supporter; did you mean 黄浦区?"),
    ("year_1926.csv", "year_1926.csv line 2, column 起始年: 1926 年不在 1979–2100 年之内（对口支援始于 1979 年） "
                      "the year 1926 is outside 1979–2100"),
    ("outside_provinces.csv", "outside_provinces.csv line 2, column 受援地: 景东彝族自治县（云南省）"
                              "不在“沪苏浙结对合作帮扶皖北”的省份（安徽省）之内 "
                              "'景东县' is not in a province of the programme wanbei "
                              "(curated/programmes.csv, column provinces)"),
    ("abolished_supporter.csv", "abolished_supporter.csv line 2, column 支援方: "
                                "闸北区 在 2014 年后已撤销（并入 静安区），不能自 2027 年起结对 "
                                "the supporter no longer exists after 2014"),
    ("extra_cell.csv", "extra_cell.csv line 2, column I: 表头之外多出的单元格 '嘉定区对口景东'，表头只有 8 列 "
                       "an extra cell beyond the heading's 8 columns"),
])
def test_refused_with_line_and_column(cli, data_copy, notice, problem):
    before = _digest(data_copy)
    body = _refused(cli, notice, "--name", "n", "--title", "通知", "--date", "2025-12-20")
    assert body["problems"] == [problem]
    assert _digest(data_copy) == before


def test_a_move_whose_end_year_is_the_successors_first_year_is_refused(cli, data_copy):
    """valid_to is the last year in force: ending with 2026 and starting the successor in 2026 would have
    both districts pair 宁洱 in 2026."""
    before = _digest(data_copy)
    body = _refused(cli, "move_overlap.csv", "--name", "n", "--title", "通知")
    assert body["problems"] == [
        "move_overlap.csv line 2, column valid_to: 金山区—宁洱县 止于 2026 年（终止年是最后一个结对年份，含该年），"
        "而 line 3 的 黄浦区 自 2026 年起：这一年两方同时结对；如是交接，终止年请写 2025（确为同时结对请加 --force） "
        "the end year is the last year in force, so both would support 宁洱县 in 2026"]
    assert _digest(data_copy) == before


def test_an_end_row_naming_the_wrong_district_is_refused(cli, data_copy):
    """富宁县 is 虹口区's (表7): a notice ending 嘉定区—富宁县 ends nothing; read as written it would add a
    second supporter, so it is refused, naming both rows."""
    before = _digest(data_copy)
    body = _refused(cli, "end_wrong_supporter.csv", "--name", "n", "--title", "通知")
    assert body["problems"] == [
        "end_wrong_supporter.csv line 2, column 受援地: 富宁县 在同一项目下的两个结对年份重叠：嘉定区（2021–2025）与 "
        "虹口区（2021–至今，curated/pairings_2021.csv line 35） two pairings of the place under the same programme "
        "overlap; 确为同时结对请加 --force (give --force if both do)",
        "end_wrong_supporter.csv line 3, column 受援地: 富宁县 在同一项目下的两个结对年份重叠：长宁区（2026–至今）与 "
        "虹口区（2021–至今，curated/pairings_2021.csv line 35） two pairings of the place under the same programme "
        "overlap; 确为同时结对请加 --force (give --force if both do)"]
    assert _digest(data_copy) == before


def test_an_end_row_with_the_wrong_start_year_is_refused(cli, data_copy, tmp_path):
    """金山区—宁洱县 starts in 2021 (表7): an end row saying 2020 ends nothing and would overlap it."""
    notice = tmp_path / "start.csv"
    notice.write_text("supporter,program,province,prefecture,place,valid_from,valid_to,source\n"
                      "金山区,东西部协作,云南省,普洱市,宁洱县,2020,2025,沪合组〔2025〕12号\n", encoding="utf-8")
    res = cli("import-pairings", str(notice), "--name", "n", "--title", "通知", "--json")
    assert res.exit_code == 6
    assert json.loads(res.stdout)["problems"] == [
        "start.csv line 2, column place: 宁洱哈尼族彝族自治县 在同一项目下的两个结对年份重叠：金山区（2020–2025）与 "
        "金山区（2021–至今，curated/pairings_2021.csv line 64） two pairings of the place under the same programme "
        "overlap; 确为同时结对请加 --force (give --force if both do)"]


def test_two_document_numbers_in_one_notice_are_refused(cli, data_copy):
    body = _refused(cli, "two_numbers.csv", "--name", "n", "--title", "通知")
    assert body["problems"] == ["two_numbers.csv: 来源中有多个文号 the source cells give several document numbers: "
                                "沪合组〔2025〕16号 (line 2); 沪合组〔2025〕17号 (line 3)；"
                                "一份通知只能有一个文号 one notice has one number"]


def test_a_number_in_the_source_cells_needs_the_notice_registered(cli, data_copy):
    body = _refused(cli, "move.csv", "--name", "n")
    assert body["problems"][0].startswith("move.csv line 2, column 来源: 来源是文号 沪合组〔2025〕12号，"
                                          "但这份通知没有登记：请加 --title 与 --date")


def test_a_notice_under_a_registered_number_is_refused(cli, data_copy, tmp_path):
    notice = tmp_path / "seed_number.csv"
    notice.write_text((NOTICES / "move.csv").read_text(encoding="utf-8")
                      .replace("沪合组〔2025〕12号", "闵府办发〔2024〕020号"), encoding="utf-8")
    res = cli("import-pairings", str(notice), "--name", "n", "--title", "通知", "--json")
    assert res.exit_code == 6 and "已登记为 mfbf-2024-20" in json.loads(res.stdout)["detail"]


def test_a_new_supporter_only_when_named(cli, data_copy):
    body = _refused(cli, "new_supporter.csv", "--name", "gz", "--title", "通知")
    assert body["problems"][0].startswith("new_supporter.csv line 2, column 支援方: 黄埔区（广州市）不是支援方")
    rep = cli.json("import-pairings", str(NOTICES / "new_supporter.csv"), "--name", "gz", "--title", "通知",
                   "--new-supporter", "广州市黄埔区")
    assert [(s["scope"], s["programmes"]) for s in rep["supporters_added"]] == [("广州市黄埔区", "wanbei")]
    codes = [s["code"] for s in cli.json("who-supports", "宿州", "--year", "2027")["supporters"]]
    assert codes == ["440112"]
    assert _register(data_copy, "curated/supporters.csv")[-1]["scope"] == "广州市黄埔区"


# -- shipped data stays shipped ----------------------------------------------------------------
def test_a_shipped_table_is_not_rewritten_without_force_and_then_with_the_difference(cli, data_copy, tmp_path):
    notice = tmp_path / "wanbei.csv"
    en = "the programme runs 2021–2030"
    notice.write_text("supporter,program,province,place,valid_from,valid_to,period_note,source,period_note_en\n"
                      f"闵行区,wanbei,安徽省,淮南市,2021,2028,本项目实施期为2021—2030年,ndrc-2021-wanbei,{en}\n"
                      f"松江区,wanbei,安徽省,六安市,2021,2030,本项目实施期为2021—2030年,ndrc-2021-wanbei,{en}\n"
                      f"奉贤区,wanbei,安徽省,亳州市,2021,2030,本项目实施期为2021—2030年,ndrc-2021-wanbei,{en}\n",
                      encoding="utf-8")
    before = _digest(data_copy)
    res = cli("import-pairings", str(notice), "--name", "wanbei", "--json")
    body = json.loads(res.stdout)
    assert res.exit_code == 6 and "shipped with the data" in body["detail"]
    assert "~ 闵行区—淮南市: valid_to 2030 → 2028" in body["detail"]
    assert [(c["before"]["valid_to"], c["after"]["valid_to"]) for c in body["diff"]["changed"]] == [("2030", "2028")]
    assert _digest(data_copy) == before
    done = cli.json("import-pairings", str(notice), "--name", "wanbei", "--force")
    assert [(c["before"]["valid_to"], c["after"]["valid_to"]) for c in done["changed"]] == [("2030", "2028")]
    assert cli.json("who-supports", "淮南", "--year", "2029")["supporters"] == []


def test_the_2021_table_under_its_own_name_is_refused(cli, data_copy, tmp_path):
    """Rows that change rather than drop (浦东新区—泸水市 ended in 2022) are refused all the same."""
    rows = _register(data_copy, "curated/pairings_2021.csv")
    for r in rows:
        if r["supporter"] == "浦东新区" and r["place"] == "泸水市":
            r["valid_to"] = "2022"
    notice = tmp_path / "t7.csv"
    with open(notice, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    res = cli("import-pairings", str(notice), "--name", "2021", "--json")
    assert res.exit_code == 6 and "shipped with the data" in json.loads(res.stdout)["detail"]
    assert _supporters(cli, "泸水", 2026) == ["浦东新区"]


# -- generated variants: the same move written the ways offices write it ------------------------------
# (表7 pairing moved, the successor district, the end year): the expected answers follow from the rows
MOVES = [("浦东新区", "大理州", "剑川县", "剑川", "徐汇区", 2027),
         ("虹口区", "文山州", "富宁县", "富宁", "长宁区", 2026),
         ("金山区", "普洱市", "景东县", "景东", "闵行区", 2030)]


def _variant(tmp_path, k, old, pref, place, new, end):
    import random
    rnd = random.Random(k)
    chinese = rnd.random() < 0.5
    head = (["序号", "支援方", "项目", "省", "市州", "受援地", "起始年", "终止年", "来源"] if chinese else
            ["no", "supporter", "program", "province", "prefecture", "place", "valid_from", "valid_to", "source"])
    number = rnd.choice(["沪合组〔{y}〕{n}号", "沪合组[{y}]0{n}号", "沪合组（{y}）{n} 号",
                         "沪合组［{y}］{n}号"]).format(y=end, n=k + 3)
    year = (lambda y: f"{y}年") if rnd.random() < 0.5 else str
    programme = rnd.choice(["东西部协作", "east-west"])
    rows = [head, [1, old, programme, "云南省", pref, place, rnd.choice(["2021", ""]), year(end), number],
            [2, new, programme, "云南省", pref, place, year(end + 1), "", number]]
    if rnd.random() < 0.5:
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.append(["关于调整东西部协作结对关系的通知"])
        for r in rows:
            ws.append(r)
        path = tmp_path / f"v{k}.xlsx"
        wb.save(path)
    else:
        path = tmp_path / f"v{k}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize("k", range(len(MOVES)))
def test_generated_move_variants(cli, data_copy, tmp_path, k):
    old, pref, place, short, new, end = MOVES[k]
    path = _variant(tmp_path, k, old, pref, place, new, end)
    rep = cli.json("import-pairings", str(path), "--name", f"v{k}", "--title", "关于调整结对关系的通知",
                   "--date", f"{end}-12-01")
    assert rep["document"]["number"] == f"沪合组〔{end}〕{k + 3}号"
    assert _supporters(cli, short, end) == [old]
    assert _supporters(cli, short, end + 1) == [new]


def test_invisible_and_bidi_characters_do_not_reach_the_table(cli, data_copy, tmp_path):
    notice = tmp_path / "bidi.csv"
    notice.write_text("supporter,program,province,place,valid_from,valid_to,source\n"
                      "\u202e嘉定区\u200b,wanbei,安徽省,宿州市\u2066,2027,2030,ndrc-2021-wanbei\n", encoding="utf-8")
    cli.json("import-pairings", str(notice), "--name", "bidi")
    assert (data_copy / "curated" / "pairings_bidi.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "嘉定区,wanbei,安徽省,,宿州市,,2027,2030,,,,ndrc-2021-wanbei,")  # period_note_en last, empty
