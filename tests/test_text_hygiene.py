"""Text from the data or a user never turns into a formula, a path or a hidden character: SPARQL's CSV
cells are quote-prefixed like the XLSX writer's, names are sanitised before they name a file, an export's
temporary file is created exclusively, and bidi controls are stripped from hand-edited tables."""
from __future__ import annotations

import csv
import io
import json

from aidgraph.schema.text import file_stem, spreadsheet_safe, starts_formula
from aidgraph.viz.formats import write

VALUES = 'SELECT ?x WHERE { VALUES ?x { "=1+1" "+1" "-2" "@SUM(A1)" "\\tx" "\\rx" "＝1" "ok" "a=b" } } ORDER BY ?x'


def _cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def test_sparql_csv_cells_that_could_start_a_formula_are_quote_prefixed(client):
    r = client.get("/api/sparql", params={"query": VALUES, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _cells(r.content)
    assert rows[0] == ["x"]
    assert sorted(c for [c] in rows[1:]) == sorted(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "'＝1",
                                                    "ok", "a=b"])
    as_json = client.get("/api/sparql", params={"query": VALUES}).json()  # JSON is not a spreadsheet: as is
    assert sorted(b["x"]["value"] for b in as_json["results"]["bindings"])[:2] == ["\tx", "\rx"]


def test_the_command_line_csv_is_escaped_too(cli):
    res = cli("sparql", VALUES, "--format", "csv")
    assert res.exit_code == 0
    assert "'=1+1" in [c for [c] in _cells(res.stdout.encode())[1:]]


def test_one_rule_for_every_spreadsheet():
    assert [starts_formula(t) for t in ("=A1", "+1", "-1", "@x", "\tx", "\rx", "＠x", "x=1", "", None, 3)] == \
        [True, True, True, True, True, True, True, False, False, False, False]
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("闵行区") == "闵行区"


def test_names_never_steer_a_file_path():
    assert file_stem("../../etc/passwd") == "etc-passwd"
    assert file_stem("..") == "aidgraph"
    assert file_stem("a..b") == "a.b"
    assert file_stem("区人社局/../../x") == "区人社局-.-.-x"
    assert file_stem("闵行区\u202egnp.exe") == "闵行区gnp.exe"  # no right-to-left override to disguise the ending
    assert file_stem("a\x00b\x1fc\x7fd") == "abcd"
    assert file_stem("C:\\Windows\\x") == "C-Windows-x"
    assert file_stem("闵行区 结对关系 2024") == "闵行区-结对关系-2024"
    assert len(file_stem("区" * 300)) == 80


def test_an_export_stem_with_a_path_in_it_stays_in_the_folder(aid, tmp_path):
    out = tmp_path / "out"
    [path] = write(aid.graph(), {"place:533301"}, ["json"], out, "../../escape", "t")
    assert path == out / "escape.json"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["escape.json", "out"]


def test_export_never_follows_a_planted_link(aid, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".escape.json.tmp").symlink_to(victim)  # the old fixed temporary name
    (out / "escape.json").symlink_to(victim)
    [path] = write(aid.graph(), {"place:533301"}, ["json"], out, "escape", "t")
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not path.is_symlink() and json.loads(path.read_text(encoding="utf-8"))["nodes"]
    assert (path.stat().st_mode & 0o777) == 0o644
    assert sorted(p.name for p in out.iterdir()) == [".escape.json.tmp", "escape.json"]  # no temporary file left


def test_bidi_characters_in_a_hand_edited_table_do_not_reach_the_graph(data_copy, cli):
    table = data_copy / "curated" / "pairings_wanbei.csv"
    text = table.read_text(encoding="utf-8")
    text = text.replace("闵行区,wanbei,安徽省,,淮南市,,2021,2030,本项目实施期",
                        "\u202e闵行\u200b区\u2066,wanbei,安徽省,,淮\u202e南市\u200f,,2021,2030,"
                        "\ufeff本项目\u00ad实施期")
    table.write_text(text, encoding="utf-8")
    [found] = cli.json("--as-of", "2026", "who-supports", "淮南")["supporters"]
    assert (found["name"], found["place_as_written"], found["period_note"]) == \
        ("闵行区", "淮南市", "本项目实施期为2021—2030年")  # kept as written, less the hidden characters
