"""A broken curated file stops the load with the file, the line, the column and the problem;
nothing is served from a half-loaded graph, and no traceback is shown."""
import csv
import io

import pytest

from aidgraph.errors import LoadError
from aidgraph.loaders.curated import load_graph


def _edit(path, fn):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        cols = list(rows[0].keys())
    rows = fn(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerows(rows)


def _problems(root):
    with pytest.raises(LoadError) as e:
        load_graph(root)
    return "\n".join(e.value.problems)


def test_the_real_data_loads(data_copy):
    g = load_graph(data_copy)
    assert g.label_counts()["Pairing"] > 100


def test_missing_row_breaks_the_districts_count(data_copy):
    _edit(data_copy / "curated" / "pairings_2021.csv", lambda rows: [r for r in rows if r["place"] != "巍山县"])
    msg = _problems(data_copy)
    assert ("curated/district_totals_2021.csv line 2, column paired_places: "
            "浦东新区 has 11 paired places in the graph, the table says 12") in msg
    assert "the graph gives" in msg  # 105 instead of the document's 106


def test_duplicated_row(data_copy):
    _edit(data_copy / "curated" / "pairings_2021.csv", lambda rows: [*rows, rows[3]])
    msg = _problems(data_copy)
    assert ("curated/pairings_2021.csv line 108, column place: duplicate pairing of 浦东新区 and 巍山县 from 2021 "
            "(first at curated/pairings_2021.csv line 5)") in msg


def test_unknown_place(data_copy):
    def fn(rows):
        rows[0]["place"] = "不存在县"
        return rows
    _edit(data_copy / "curated" / "pairings_2021.csv", fn)
    assert ("curated/pairings_2021.csv line 2, column place: '不存在县' is not a known division in 大理白族自治州"
            in _problems(data_copy))


def test_unknown_programme_and_document(data_copy):
    def fn(rows):
        rows[0]["program"] = "poverty"
        rows[1]["source"] = "nosuch-2000-1#表1"
        return rows
    _edit(data_copy / "curated" / "pairings_2021.csv", fn)
    msg = _problems(data_copy)
    assert ("curated/pairings_2021.csv line 2, column program: no programme 'poverty' in curated/programmes.csv "
            "(it has: east-west, paired-support, paired-cooperation, wanbei)") in msg
    assert "curated/pairings_2021.csv line 3, column source: 'nosuch-2000-1#表1' names no known document" in msg


def test_edited_source_document_is_refused(data_copy):
    p = data_copy / "sources" / "001_7799dc065d971f92.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("106", "107"), encoding="utf-8")
    assert "differs from the copy registered" in _problems(data_copy)


def test_cli_reports_a_broken_load_and_serves_nothing(cli, data_copy):
    _edit(data_copy / "curated" / "pairings_2021.csv", lambda rows: rows[:-5])
    res = cli("who-supports", "泸水", env={"AIDGRAPH_DATA": str(data_copy)})
    assert res.exit_code == 3
    assert "did not load" in res.stderr and "pairings_2021.csv" not in res.stdout


# -- typed inputs: one broken cell in every table ------------------------------------------------
def _set_cell(path, line, column, value):
    """Put ``value`` in one cell of the row on physical line ``line``, leaving every other line as it is."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(next(csv.reader([s])) for s in lines if not s.startswith("#"))
    cells = next(csv.reader([lines[line - 1]]))
    cells[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    lines[line - 1] = buf.getvalue()
    path.write_text("".join(lines), encoding="utf-8")


def _stats_fails(cli, data_copy, *expected):
    res = cli("stats", env={"AIDGRAPH_DATA": str(data_copy)})
    out = res.stdout + res.stderr
    assert res.exit_code == 3, out
    assert "Traceback" not in out
    assert isinstance(res.exception, SystemExit)  # the documented exit, not an exception escaping
    for line in expected:
        assert line in res.stderr, res.stderr
    return res.stderr


# (file, line, column, broken value, the message expected) — written by hand from the files
BROKEN_CELLS = [
    ("sources/documents.csv", 4, "sha256", "",
     "sources/documents.csv line 4, column sha256: empty; a value is required"),
    ("sources/documents.csv", 3, "kind", "law",
     "sources/documents.csv line 3, column kind: 'law' is not one of 'guidance', 'plan', 'work-points' or 'notice'"),
    ("curated/pairings_2001_2010.csv", 2, "valid_to", "2010年",
     "curated/pairings_2001_2010.csv line 2, column valid_to: '2010年' is not a whole number"),
    ("curated/pairings_end2020.csv", 2, "county_count", "七十四",
     "curated/pairings_end2020.csv line 2, column county_count: '七十四' is not a whole number"),
    ("curated/pairings_2021.csv", 11, "valid_from", "abc",
     "curated/pairings_2021.csv line 11, column valid_from: 'abc' is not a whole number"),
    ("curated/pairings_2021.csv", 20, "valid_to", "2020",
     "curated/pairings_2021.csv line 20, column valid_to: valid_from 2021 is after valid_to 2020"),
    ("curated/pairings_cooperation.csv", 2, "place", "",
     "curated/pairings_cooperation.csv line 2, column place: empty; a value is required"),
    ("curated/agreements.csv", 2, "signed", "2016/09/14",
     "curated/agreements.csv line 2, column signed: '2016/09/14' is not a date written YYYY-MM-DD"),
    ("curated/indicators.csv", 5, "cumulative", "yes",
     "curated/indicators.csv line 5, column cumulative: 'yes' is not true or false"),
    ("curated/aid_funds.csv", 2, "amount_100m_yuan", "11.27亿",
     "curated/aid_funds.csv line 2, column amount_100m_yuan: '11.27亿' is not a number"),
    ("curated/councils.csv", 2, "name", "",
     "curated/councils.csv line 2, column name: empty; a value is required"),
    ("curated/yrd_bodies.csv", 6, "kind", "committe",
     "curated/yrd_bodies.csv line 6, column kind: 'committe' is not one of 'committee' or 'alliance'"),
    ("curated/yrd_new_members.csv", 7, "joined", "2019年",
     "curated/yrd_new_members.csv line 7, column joined: '2019年' is not a whole number"),
    ("curated/document_totals.csv", 3, "counties", "",
     "curated/document_totals.csv line 3, column counties: empty; a value is required"),
    ("curated/district_totals_2021.csv", 2, "paired_places", "十二",
     "curated/district_totals_2021.csv line 2, column paired_places: '十二' is not a whole number"),
    ("curated/aliases.csv", 4, "changed", "",
     "curated/aliases.csv line 4, column changed: empty; a former name needs the year of the change"),
    ("curated/aliases.csv", 2, "source", "",
     "curated/aliases.csv line 2, column source: empty; a value is required"),
    ("curated/unit_aliases.csv", 2, "kind", "office",
     "curated/unit_aliases.csv line 2, column kind: 'office' is not one of "
     "'unit', 'collective', 'front-line' or 'office-outside'"),
    ("curated/seat_coordinates.csv", 3, "latitude", "north",
     "curated/seat_coordinates.csv line 3, column latitude: 'north' is not a number"),
]


@pytest.mark.parametrize("relpath,line,column,value,expected", BROKEN_CELLS,
                         ids=[f"{b[0].split('/')[1]}:{b[2]}" for b in BROKEN_CELLS])
def test_a_broken_cell_in_any_table_names_file_line_and_column(cli, data_copy, relpath, line, column, value,
                                                               expected):
    _set_cell(data_copy / relpath, line, column, value)
    err = _stats_fails(cli, data_copy, expected)
    assert err.count(relpath) == 1  # one line for the one broken row


def test_every_broken_table_is_reported_in_one_load(cli, data_copy):
    _set_cell(data_copy / "curated/pairings_2021.csv", 11, "valid_from", "abc")
    _set_cell(data_copy / "curated/indicators.csv", 5, "cumulative", "yes")
    _set_cell(data_copy / "curated/aliases.csv", 2, "source", "")
    _stats_fails(cli, data_copy,
                 "curated/pairings_2021.csv line 11, column valid_from: 'abc' is not a whole number",
                 "curated/indicators.csv line 5, column cumulative: 'yes' is not true or false",
                 "curated/aliases.csv line 2, column source: empty; a value is required")


def test_missing_unit_aliases(cli, data_copy):
    (data_copy / "curated" / "unit_aliases.csv").unlink()
    _stats_fails(cli, data_copy, "curated/unit_aliases.csv: file is missing")


def test_register_without_a_column(cli, data_copy):
    path = data_copy / "sources" / "documents.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r[:2] + r[3:] for r in csv.reader(f)]  # drop the sha256 column
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    _stats_fails(cli, data_copy, "sources/documents.csv line 1, column sha256: missing from the header line")


def test_unknown_column_and_extra_cells(cli, data_copy):
    path = data_copy / "curated" / "agreements.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    _stats_fails(cli, data_copy,
                 "curated/agreements.csv line 4: 1 more cell(s) than the 6 columns (first extra: 'extra')")
    lines[0] = lines[0].replace("signed", "signed_on")
    path.write_text("".join(lines), encoding="utf-8")
    _stats_fails(cli, data_copy, "curated/agreements.csv line 1, column signed: missing from the header line",
                 "curated/agreements.csv line 1, column signed_on: not a column of this table")


def test_short_row(cli, data_copy):
    path = data_copy / "curated" / "district_totals_2021.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = "黄浦区,7\n"
    path.write_text("".join(lines), encoding="utf-8")
    _stats_fails(cli, data_copy,
                 "curated/district_totals_2021.csv line 3, column source: missing; the row ends after 2 of the 3 cells")


def test_not_utf8(cli, data_copy):
    path = data_copy / "curated" / "yrd_new_members.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    _stats_fails(cli, data_copy, "curated/yrd_new_members.csv line 2: not UTF-8 text")


def test_unknown_council(cli, data_copy):
    _set_cell(data_copy / "curated/yrd_bodies.csv", 3, "council", "yrd-nosuch")
    _stats_fails(cli, data_copy,
                 "curated/yrd_bodies.csv line 3, column council: no council 'yrd-nosuch' in curated/councils.csv")


def test_alias_naming_no_division(cli, data_copy):
    _set_cell(data_copy / "curated/aliases.csv", 10, "name", "不存在区")
    _stats_fails(cli, data_copy, "curated/aliases.csv line 10, column name: alias '三峡库区万州' names '不存在区', "
                                 "which matches 0 divisions (give its parent)")


@pytest.mark.parametrize("where", ["missing", "not-data"])
def test_data_setting_that_is_no_data_folder(cli, tmp_path, where):
    folder = tmp_path / "nothing-here"
    if where == "not-data":
        folder.mkdir()
        (folder / "curated").mkdir()
    res = cli("stats", env={"AIDGRAPH_DATA": str(folder)})
    assert res.exit_code == 3
    assert "not a data folder (it needs sources/ and curated/; check AIDGRAPH_DATA)" in res.stderr
    assert "Traceback" not in res.stdout + res.stderr


def test_ids_of_agreements_indicators_and_council_come_from_the_sources(data_copy):
    g = load_graph(data_copy)
    ids = sorted(n for n in g.g if n.startswith(("agreement:", "indicator:", "council:")))
    assert ids == ([f"agreement:hfhbf-2021-14:t5:{i}" for i in range(1, 10)]
                   + ["council:yrd-city-economic-coordination"]
                   + [f"indicator:hfhbf-2021-14:t6:{i}" for i in range(1, 8)])
    assert g.g.nodes["council:yrd-city-economic-coordination"]["name"] == "长三角城市经济协调会"
    assert g.g.nodes["council:yrd-city-economic-coordination"]["source"] == "hfhbf-2021-14#表1; 表2"
