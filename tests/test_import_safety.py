"""`aidgraph import-doc` is safe: losses refused with the difference, --force, one JSON object on a
refusal, a size limit, regular files only, seed documents protected, one import at a time."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re

import pytest

from aidgraph.loaders.importer import LOCK, MAX_BYTES

MINHANG = "003_7bb536ac4fb74f2c.txt"
JINGAN = "002_a07dcf24e75dda9a.txt"
XUHUI_NUMBER = "徐府办发〔2025〕7号"


def _digest(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK}


def _xuhui(data_copy, tmp_path, change=lambda t: t, name="xuhui.txt"):
    """闵行's 2024 work points made into a document of 徐汇 (another district, another number)."""
    text = (data_copy / "sources" / MINHANG).read_text(encoding="utf-8")
    text = text.replace("闵行", "徐汇").replace("闵府办发〔2024〕20号", XUHUI_NUMBER).replace("2024", "2025")
    path = tmp_path / name
    path.write_text(change(text), encoding="utf-8")
    return path


def _without_task_24(text):
    return re.sub(r"\n24\. [\s\S]*?(?=\n附件：)", "\n", text)


def _one_json_object(res):
    obj = json.loads(res.stdout)  # the whole of stdout is one JSON value …
    assert isinstance(obj, dict)  # … and it is an object
    return obj


@pytest.fixture
def imported(cli, data_copy, tmp_path):
    path = _xuhui(data_copy, tmp_path)
    res = cli("import-doc", str(path))
    assert res.exit_code == 0, res.stderr
    return path


def test_a_reimport_losing_a_task_is_refused_with_the_difference(cli, data_copy, tmp_path, imported):
    shorter = _xuhui(data_copy, tmp_path, _without_task_24, "shorter.txt")
    before = _digest(data_copy)
    res = cli("import-doc", str(shorter))
    assert res.exit_code == 6 and res.stdout == ""
    assert "任务24" in res.stderr and "--force" in res.stderr
    res = cli("import-doc", str(shorter), "--json")
    problem = _one_json_object(res)
    assert res.exit_code == 6 and problem["status"] == 422
    assert problem["diff"]["removed"] == ["任务24"] and problem["diff"]["added"] == []
    assert problem["diff"]["units_lost"] == []
    assert _digest(data_copy) == before
    assert len(json.loads(cli("tasks", "--district", "徐汇", "--json").stdout)) == 24


def test_a_reimport_losing_a_unit_is_refused(cli, data_copy, tmp_path, imported):
    fewer = _xuhui(data_copy, tmp_path, lambda t: t.replace(
        "牵头单位：区文旅局；责任单位：各街镇（工业区）、援外机构", "牵头单位：区文旅局；责任单位：援外机构"),
        "fewer.txt")
    res = cli("import-doc", str(fewer), "--json")
    problem = _one_json_object(res)
    assert res.exit_code == 6
    assert problem["diff"]["units_lost"] == [{"task": "任务13", "role": "responsible", "unit": "各街镇（工业区）"}]
    assert problem["diff"]["removed"] == []
    assert [c["task"] for c in problem["diff"]["changed"]] == ["任务13"]


def test_force_lets_a_loss_through(cli, data_copy, tmp_path, imported):
    shorter = _xuhui(data_copy, tmp_path, _without_task_24, "shorter.txt")
    res = cli("import-doc", str(shorter), "--force", "--json")
    assert res.exit_code == 0, res.stdout
    report = _one_json_object(res)
    assert report["replaced"] is True and report["forced"] is True
    assert report["diff"]["removed"] == ["任务24"]
    assert len(json.loads(cli("tasks", "--district", "徐汇", "--json").stdout)) == 23


def test_a_reimport_that_only_adds_needs_no_force(cli, data_copy, tmp_path, imported):
    more = _xuhui(data_copy, tmp_path, lambda t: t.replace(
        "牵头单位：区人社局\n", "牵头单位：区人社局；配合单位：区总工会、区机管局\n"), "more.txt")
    res = cli("import-doc", str(more), "--json")
    assert res.exit_code == 0, res.stdout
    report = _one_json_object(res)
    assert report["diff"]["removed"] == [] and report["diff"]["units_lost"] == []
    assert [c["task"] for c in report["diff"]["changed"]] == ["任务14"]
    # the cooperating units reach the tasks answer
    t14 = next(t for t in json.loads(cli("tasks", "--district", "徐汇", "--json").stdout) if t["number"] == 14)
    assert [u["name"] for u in t14["cooperating_units"]] == ["区总工会", "区机管局"]
    assert [u["name"] for u in t14["lead_units"]] == ["区人社局"]
    assert "配合" in cli("tasks", "--district", "徐汇").stdout


def test_a_failed_self_check_is_refused_with_its_line_and_forced_as_warnings(cli, data_copy, tmp_path):
    bad = _xuhui(data_copy, tmp_path,
                 lambda t: t.replace("牵头单位：区人社局\n", "牵头单位：区人社局督办单位：区总工会\n"))
    line = next(i for i, s in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "督办单位" in s)
    before = _digest(data_copy)
    res = cli("import-doc", str(bad), "--json")
    problem = _one_json_object(res)
    assert res.exit_code == 6 and [p["line"] for p in problem["problems"]] == [line]
    assert f"第{line}行" in problem["detail"]
    text = cli("import-doc", str(bad))
    assert text.exit_code == 6 and f"line {line}" in text.stderr
    assert _digest(data_copy) == before
    res = cli("import-doc", str(bad), "--force", "--json")
    assert res.exit_code == 0, res.stdout
    report = _one_json_object(res)
    assert any(w["line"] == line and "自检" in w["message"] for w in report["warnings"])


def test_size_limit(cli, data_copy, tmp_path):
    path = _xuhui(data_copy, tmp_path)
    with open(path, "ab") as f:
        f.write(b"\n" + b"x" * MAX_BYTES)
    before = _digest(data_copy)
    res = cli("import-doc", str(path), "--json")
    problem = _one_json_object(res)
    assert res.exit_code == 6 and "too large" in problem["detail"]
    assert _digest(data_copy) == before


def test_directories_fifos_and_symlinks(cli, data_copy, tmp_path):
    before = _digest(data_copy)
    res = cli("import-doc", str(tmp_path))
    assert res.exit_code == 6 and "not a regular file" in res.stderr
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    res = cli("import-doc", str(fifo), "--json")  # refused without being opened (it would wait for a writer)
    assert res.exit_code == 6 and "FIFO" in _one_json_object(res)["detail"]
    to_dir = tmp_path / "to-dir.txt"
    to_dir.symlink_to(tmp_path, target_is_directory=True)
    assert cli("import-doc", str(to_dir)).exit_code == 6
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    res = cli("import-doc", str(dangling))
    assert res.exit_code == 6 and "cannot read" in res.stderr
    assert _digest(data_copy) == before
    # a symlink to a regular file is read through
    link = tmp_path / "link.txt"
    link.symlink_to(_xuhui(data_copy, tmp_path))
    res = cli("import-doc", str(link), "--dry-run", "--json")
    assert res.exit_code == 0 and _one_json_object(res)["document"]["number"] == XUHUI_NUMBER


@pytest.mark.parametrize("seed,doc_id", [(MINHANG, "mfbf-2024-20"), (JINGAN, "jhzb-2022-1")])
def test_seed_documents_are_protected(cli, data_copy, tmp_path, seed, doc_id):
    text = (data_copy / "sources" / seed).read_text(encoding="utf-8")
    copy = tmp_path / "seed-copy.txt"
    copy.write_text(_without_task_24(text), encoding="utf-8")
    before = _digest(data_copy)
    for args in ((), ("--force",), ("--dry-run",)):
        res = cli("import-doc", str(copy), "--json", *args)
        problem = _one_json_object(res)
        assert res.exit_code == 6 and doc_id in problem["detail"] and "seed document" in problem["detail"]
    assert _digest(data_copy) == before


def test_a_held_lock_refuses_a_second_import(cli, data_copy, tmp_path):
    path = _xuhui(data_copy, tmp_path)
    with open(data_copy / LOCK, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another import is writing
        before = _digest(data_copy)
        for args in ((), ("--dry-run",)):
            res = cli("import-doc", str(path), "--json", *args)
            problem = _one_json_object(res)
            assert res.exit_code == 6 and "another import" in problem["detail"]
        assert _digest(data_copy) == before
        fcntl.flock(held, fcntl.LOCK_UN)
    assert cli("import-doc", str(path)).exit_code == 0
    assert len(json.loads(cli("tasks", "--district", "徐汇", "--json").stdout)) == 24


def test_a_scratch_copy_left_by_a_killed_import_is_removed_by_the_next(data_copy, cli, tmp_path):
    """An import killed while it loaded its scratch copy leaves it in the temp folder; the next import
    removes it (its process no longer runs) and cleans up after itself."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from aidgraph.loaders.scratch import PREFIX
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = Path(tempfile.gettempdir()) / f"{PREFIX}{int(dead.stdout)}-x"
    (left / "data").mkdir(parents=True)
    notice = tmp_path / "n.csv"
    notice.write_text("supporter,program,province,place,valid_from,valid_to,source\n"
                      "嘉定区,wanbei,安徽省,宿州市,2027,2030,ndrc-2021-wanbei\n", encoding="utf-8")
    cli.json("import-pairings", str(notice), "--name", "n", "--dry-run")
    assert not left.exists()
    assert not list(Path(tempfile.gettempdir()).glob(f"{PREFIX}{__import__('os').getpid()}-*"))


def test_a_document_whose_tasks_carry_no_units_is_refused(cli, data_copy, tmp_path):
    # every unit line taken out: 24 numbered items, none with a unit field, nothing to link a unit to
    bare = _xuhui(data_copy, tmp_path, lambda t: re.sub(r"(?m)^牵头单位：.*\n(?:单位：.*\n)?", "", t))
    text = bare.read_text(encoding="utf-8")
    assert "牵头单位" not in text
    before = _digest(data_copy)
    res = cli("import-doc", str(bare), "--json")
    problem = _one_json_object(res)
    assert res.exit_code == 6
    lines = [i for i, s in enumerate(text.splitlines(), 1) if re.match(r"\d{1,2}\. ", s)]
    assert len(lines) == 24 and [p["line"] for p in problem["problems"]] == lines
    assert all("没有单位字段" in p["message"] for p in problem["problems"])
    assert _digest(data_copy) == before
    res = cli("import-doc", str(bare), "--dry-run", "--force", "--json")
    assert res.exit_code == 0, res.stdout
    assert _digest(data_copy) == before


def test_labels_of_the_label_table_reach_the_graph(cli, data_copy, tmp_path):
    # 承办单位 (responsible) and 参与单位 (cooperating), words the seeds never use, through a whole load
    doc = _xuhui(data_copy, tmp_path,
                 lambda t: t.replace("牵头单位：区文旅局；责任单位：", "牵头单位：区文旅局；承办单位：")
                 .replace("牵头单位：区人社局、援外机构；责任单位：", "牵头单位：区人社局、援外机构；参与单位："))
    res = cli("import-doc", str(doc), "--json")
    assert res.exit_code == 0, res.stdout
    out = cli("tasks", "--district", "徐汇", "--json")
    tasks = {t["number"]: t for t in json.loads(out.stdout) if t["kind"] == "task"}
    names = {n: {role: [u["name"] for u in tasks[n][f"{role}_units"]]
                 for role in ("lead", "responsible", "cooperating")}
             for n in (13, 17)}
    assert names[13] == {"lead": ["区文旅局"], "responsible": ["各街镇（工业区）", "援外机构"], "cooperating": []}
    assert names[17] == {"lead": ["区人社局", "援外机构"], "responsible": [], "cooperating": ["各街镇（工业区）"]}
