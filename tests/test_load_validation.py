"""A broken curated file stops the load with the file, the line and the problem;
nothing is served from a half-loaded graph."""
import csv

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
    assert "district_totals_2021.csv line 2" in msg and "浦东新区 has 11" in msg
    assert "the graph gives" in msg  # 105 instead of the document's 106


def test_duplicated_row(data_copy):
    _edit(data_copy / "curated" / "pairings_2021.csv", lambda rows: rows + [rows[3]])
    msg = _problems(data_copy)
    assert "pairings_2021.csv line 108" in msg and "duplicate pairing" in msg and "line 5" in msg


def test_unknown_place(data_copy):
    def fn(rows):
        rows[0]["place"] = "不存在县"
        return rows
    _edit(data_copy / "curated" / "pairings_2021.csv", fn)
    assert "pairings_2021.csv line 2: place '不存在县' is not a known division in 大理白族自治州" in _problems(data_copy)


def test_unknown_programme_and_document(data_copy):
    def fn(rows):
        rows[0]["program"] = "poverty"
        rows[1]["source"] = "nosuch-2000-1#表1"
        return rows
    _edit(data_copy / "curated" / "pairings_2021.csv", fn)
    msg = _problems(data_copy)
    assert "line 2: unknown programme 'poverty'" in msg
    assert "line 3: source 'nosuch-2000-1#表1' names no known document" in msg


def test_edited_source_document_is_refused(data_copy):
    p = data_copy / "sources" / "001_7799dc065d971f92.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("106", "107"), encoding="utf-8")
    assert "differs from the copy registered" in _problems(data_copy)


def test_cli_reports_a_broken_load_and_serves_nothing(cli, data_copy):
    _edit(data_copy / "curated" / "pairings_2021.csv", lambda rows: rows[:-5])
    res = cli("who-supports", "泸水", env={"AIDGRAPH_DATA": str(data_copy)})
    assert res.exit_code == 3
    assert "did not load" in res.stderr and "pairings_2021.csv" not in res.stdout
