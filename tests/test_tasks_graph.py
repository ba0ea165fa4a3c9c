"""Tasks, units and places in the graph; the tasks/unit/import-doc commands and routes."""
import hashlib
import json

import pytest
from workpoints_expected import JINGAN_2022, MINHANG_2024, PLACES

from aidgraph.loaders.curated import load_graph

DOC = {"002": "jhzb-2022-1", "003": "mfbf-2024-20"}
SEED = {"002": "002_a07dcf24e75dda9a.txt", "003": "003_7bb536ac4fb74f2c.txt"}


def test_tasks_json_contract_and_every_unit(cli, client):
    tasks = cli.json("tasks")
    assert len(tasks) == 18 + 3 + 24
    keys = {"district", "year", "number", "title", "lead_units", "responsible_units", "places", "source"}
    assert all(keys <= set(t) for t in tasks)
    for t in tasks:
        if t["kind"] != "task":
            continue
        table = JINGAN_2022 if t["district"] == "静安区" else MINHANG_2024
        lead, resp = table[t["number"]]
        assert " ".join(u["name"] for u in t["lead_units"]) == lead
        assert " ".join(u["name"] for u in t["responsible_units"]) == resp
    assert client.get("/api/tasks").json() == tasks


@pytest.mark.parametrize("key,places", list(PLACES.items()), ids=lambda v: str(sorted(v) if isinstance(v, set) else v))
def test_places_named_in_tasks(cli, key, places):
    doc, number = key
    tasks = [t for t in cli.json("tasks")
             if t["document"] == DOC[doc] and t["number"] == number and t["kind"] == "task"]
    assert set(tasks[0]["places"]) == places


def test_canonical_units_within_a_district(cli):
    t14 = next(t for t in cli.json("tasks", "--district", "闵行", "--year", "2024") if t["number"] == 14)
    assert t14["lead_units"] == [{"id": "unit:310112:区人力资源和社会保障局", "name": "区人社局",
                                  "canonical": "区人力资源和社会保障局", "kind": "unit"}]
    ms = cli.json("unit", "区人社局", "--district", "闵行区")
    assert len(ms) == 1 and [t["number"] for t in ms[0]["leads"]] == [14, 15, 16, 17]
    # 静安's bureau is another body with the same canonical name
    both = cli.json("unit", "区人社局")
    assert sorted(u["district"] for u in both) == ["闵行区", "静安区"]
    ja = next(u for u in both if u["district"] == "静安区")
    assert [t["number"] for t in ja["responsible_for"]] == [6, 7, 9, 13, 14] and ja["leads"] == []


def test_collective_and_front_line_units(aid):
    units = {(u.owner, u.name): u for u in aid.units_of("310112") + aid.units_of("310106")}
    assert units[("place:310112", "领导小组各成员单位")].kind == "collective"
    assert units[("place:310106", "各街镇")].kind == "collective"
    assert units[("place:310112", "各街镇")].names_as_written == ("各街镇（工业区）",)
    fl = units[("place:310112", "援外前方工作机构")]
    assert fl.kind == "front-line" and fl.names_as_written == ("援外机构",)


def test_who_supports_lists_front_line_and_tasks(cli):
    ans = cli.json("who-supports", "巴楚")
    assert [(f["district"], f["names_as_written"]) for f in ans["front_line"]] == [("静安区", ["前方工作机构"])]
    assert [(t["district"], t["number"]) for t in ans["tasks"]] == [("静安区", 9)]
    # a county of 保山 sees the tasks that name its prefecture
    ans = cli.json("who-supports", "隆阳区")
    assert {t["number"] for t in ans["tasks"]} == {7, 10, 14, 22}
    assert ans["front_line"][0]["district"] == "闵行区"


def test_tasks_by_place_and_unit_filters(cli, client):
    assert {t["number"] for t in cli.json("tasks", "--place", "昭通")} == {7, 14}
    assert client.get("/api/tasks", params={"place": "昭通"}).json() == cli.json("tasks", "--place", "昭通")
    res = cli("tasks", "--unit", "不存在局")
    assert res.exit_code == 4 and "no unit" in res.stderr
    assert client.get("/api/units/不存在局").status_code == 404


def test_guidance_duties(cli):
    (office,) = cli.json("unit", "驻外办")
    assert office["kind"] == "office-outside" and len(office["duties"]) == 16
    assert office["duties"][0] == "助推资金项目落实" and office["duties"][-1] == "加强队伍建设"


def _digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_reimporting_a_seed_document_is_refused(cli, data_copy):
    # the seed documents shipped with the data are never replaced by an import, not even with --force
    before = {k: v for k, v in _digest(data_copy).items() if k != ".import.lock"}
    for force in ((), ("--force",)):
        res = cli("import-doc", str(data_copy / "sources" / SEED["003"]), "--json", *force)
        assert res.exit_code == 6, res.stdout
        problem = json.loads(res.stdout)
        assert problem["status"] == 422 and "seed document" in problem["detail"] and "mfbf-2024-20" in problem["detail"]
    assert {k: v for k, v in _digest(data_copy).items() if k != ".import.lock"} == before


def test_import_a_new_districts_document(cli, data_copy, tmp_path):
    text = (data_copy / "sources" / SEED["003"]).read_text(encoding="utf-8")
    new = text.replace("闵行", "徐汇").replace("闵府办发〔2024〕20号", "徐府办发〔2025〕7号").replace("2024", "2025")
    path = tmp_path / "xuhui.txt"
    path.write_text(new, encoding="utf-8")
    before = _digest(data_copy)
    dry = json.loads(cli("import-doc", str(path), "--dry-run", "--json").stdout)
    assert dry["document"]["district"] == "徐汇区" and len(dry["tasks"]) == 24 and dry["dry_run"]
    assert _digest(data_copy) == before  # a dry run changes nothing
    res = cli("import-doc", str(path))
    assert res.exit_code == 0 and "Added" in res.stdout
    tasks = cli.json("tasks", "--district", "徐汇")
    assert len(tasks) == 24 and tasks[0]["year"] == 2025
    g1 = load_graph(data_copy)
    assert cli("import-doc", str(path)).exit_code == 0
    g2 = load_graph(data_copy)
    assert g1.label_counts() == g2.label_counts() and g1.rel_counts() == g2.rel_counts()
    # 徐汇's units are its own
    assert {u["district"] for u in cli.json("unit", "区人社局")} == {"闵行区", "静安区", "徐汇区"}


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (bytes(range(256)), "binary"),
    ("关于召开年度总结会议的通知。请准时参加。".encode(), "not a work-points document"),
])
def test_refused_files_change_nothing(cli, data_copy, tmp_path, content, reason):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    before = _digest(data_copy)
    res = cli("import-doc", str(path))
    assert res.exit_code == 6 and reason in res.stderr and res.stdout == ""
    as_json = cli("import-doc", str(path), "--json")  # one JSON object, the refusal included
    problem = json.loads(as_json.stdout)
    assert as_json.exit_code == 6 and problem["status"] == 422 and reason in problem["detail"]
    assert _digest(data_copy) == before


def test_missing_file_is_refused(cli, data_copy, tmp_path):
    res = cli("import-doc", str(tmp_path / "nope.txt"))
    assert res.exit_code == 6 and "cannot read" in res.stderr


@pytest.mark.parametrize("document", ["jhzb-2022-1", "doc:jhzb-2022-1"])
def test_tasks_of_a_document_asked_with_or_without_its_prefix(aid, document):
    """静合组办〔2022〕1号 (register id jhzb-2022-1) sets 18 numbered tasks: a user asking for its tasks by the
    register id or by the node id shown in the graph (doc:…) gets those 18, not nothing."""
    tasks = aid.tasks(document=document)
    assert sorted(t.number for t in tasks if t.kind == "task") == list(range(1, 19))
    assert {t.district for t in tasks} == {"静安区"}
