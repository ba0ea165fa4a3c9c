"""A national build parses its thousands of work-points texts in worker processes: the plans (and the
reasons a text is refused) come back in the order asked, the same as when this process reads them."""
from __future__ import annotations

import hashlib
import json
import os
import threading

import pytest

from aidgraph import cache_files
from aidgraph.loaders import workpoint_texts
from aidgraph.loaders.curated import load
from aidgraph.loaders.unit_names import load_unit_names
from aidgraph.loaders.workpoint_texts import plans_in_workers, read_plan, read_plans
from aidgraph.loaders.workpoints import known_unit_names, load_labels
from aidgraph.settings import data_dir

JINGAN_2022, MINHANG_2024, GUIDANCE = "002_a07dcf24e75dda9a.txt", "003_7bb536ac4fb74f2c.txt", "001_7799dc065d971f92.txt"


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    """The seed's two work points, many times over in a mixed order, among texts that are refused."""
    sources = data_dir() / "sources"
    odd = tmp_path_factory.mktemp("odd")
    (odd / "empty.txt").write_bytes(b"")
    (odd / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    paths = []
    for k in range(24):
        paths.append(sources / (JINGAN_2022 if k % 3 else MINHANG_2024))
        if k in (5, 17):
            paths += [odd / "empty.txt", sources / GUIDANCE, odd / "binary.txt"]
    root = data_dir()
    return paths, known_unit_names(load_unit_names(root)), load_labels(root)


def test_workers_give_the_plans_this_process_gives_in_the_same_order(texts):
    paths, known, labels = texts
    here = [read_plan(p, known, labels) for p in paths]
    there = list(plans_in_workers(paths, known, labels, 2))
    assert there == here
    numbers = [plan.number if plan else None for plan, _why in there]
    assert numbers[:7] == ["闵府办发〔2024〕20号", "静合组办〔2022〕1号", "静合组办〔2022〕1号", "闵府办发〔2024〕20号",
                           "静合组办〔2022〕1号", "静合组办〔2022〕1号", None]
    refused = [why for plan, why in there if plan is None]
    assert len(refused) == 6 and refused[0] == refused[3] == "文件为空 the file is empty"
    assert refused[2] == refused[5] == "文件是二进制的，不是文本 the file is binary, not text"
    assert refused[1] and "文件为空" not in refused[1]  # the guidance is no work-points document: its reason


def test_the_workers_are_other_processes(texts, monkeypatch):
    paths, known, labels = texts
    monkeypatch.setattr(workpoint_texts, "read_plan", lambda path, known, labels: (None, str(os.getpid())))
    pids = {why for _plan, why in plans_in_workers(paths, known, labels, 2)}
    assert pids and str(os.getpid()) not in pids


def test_few_texts_or_one_core_are_read_here(texts, monkeypatch):
    paths, known, labels = texts
    monkeypatch.setattr(workpoint_texts, "read_plan", lambda path, known, labels: (None, str(os.getpid())))
    assert len(paths) < workpoint_texts.PARALLEL_FROM
    assert {why for _p, why in read_plans(paths, known, labels, workers=2)} == {str(os.getpid())}
    monkeypatch.setattr(workpoint_texts, "PARALLEL_FROM", 10)
    assert {why for _p, why in read_plans(paths, known, labels, workers=1)} == {str(os.getpid())}
    monkeypatch.setattr(workpoint_texts, "_can_fork", lambda: True)  # whatever threads other tests left
    assert str(os.getpid()) not in {why for _p, why in read_plans(paths, known, labels, workers=2)}


def test_a_process_with_other_threads_reads_its_texts_itself(texts, monkeypatch):
    paths, known, labels = texts
    monkeypatch.setattr(workpoint_texts, "read_plan", lambda path, known, labels: (None, str(os.getpid())))
    monkeypatch.setattr(workpoint_texts, "PARALLEL_FROM", 10)
    stop = threading.Event()
    beside = threading.Thread(target=stop.wait, name="a server's requests")
    beside.start()
    try:
        assert {why for _p, why in read_plans(paths, known, labels, workers=2)} == {str(os.getpid())}
    finally:
        stop.set()
        beside.join()


# -- the plan cache: a rebuild parses only the texts it has not seen ----------------------------------------

def _graph_data(root) -> str:
    return json.dumps(load(root).to_data(), sort_keys=True, ensure_ascii=False)


def test_a_rebuild_takes_unchanged_texts_from_the_cache_and_parses_a_changed_one(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path / "cache"))
    first = _graph_data(data_copy)
    assert len(list((tmp_path / "cache" / "plans").glob("*.json"))) == 1
    parsed: list[str] = []
    real = workpoint_texts.read_plan
    monkeypatch.setattr(workpoint_texts, "read_plan",
                        lambda path, known, labels: parsed.append(path.name) or real(path, known, labels))
    assert _graph_data(data_copy) == first and parsed == []  # both texts from the cache, the same graph
    text = data_copy / "sources" / MINHANG_2024
    old = "牵头单位：区文旅局；责任单位：各街镇（工业区）、援外机构"
    assert old in text.read_text(encoding="utf-8")
    before = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_text(text.read_text(encoding="utf-8").replace(old, old.replace("区文旅局", "区体育局")),
                    encoding="utf-8")
    register = data_copy / "sources" / "documents.csv"  # the changed copy registered, as a new import is
    register.write_text(register.read_text(encoding="utf-8").replace(
        before, hashlib.sha256(text.read_bytes()).hexdigest()), encoding="utf-8")
    graph = load(data_copy).graph
    assert parsed == [MINHANG_2024]  # only the changed text was parsed again
    leads = {graph.node(u)["name"] for t in graph.ids("Task") if graph.node(t)["number"] == 13
             and graph.node(t)["year"] == 2024 for u in graph.out(t, "LEAD_UNIT")}
    assert leads == {"区体育局"}


def test_a_damaged_plan_cache_is_not_used(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("AIDGRAPH_CACHE", str(tmp_path / "cache"))
    first = _graph_data(data_copy)
    (cached,) = (tmp_path / "cache" / "plans").glob("*.json")
    whole = cached.read_bytes()
    key = whole.split(b"\n", 1)[0].split(b" ")[2].decode()
    digests = list(json.loads(whole.split(b"\n", 1)[1]))
    for damage in (b"", b"not json at all", whole[:-100], whole.replace(b"task", b"tusk", 1), "checksummed, not plans"):
        if isinstance(damage, bytes):
            cached.write_bytes(damage)
        else:  # a file the cache's own writer wrote, its checksum right, whose plans are not plans
            cache_files.write(cached, "plans", key, {d: {"number": 1} for d in digests})
        parsed: list[str] = []
        real = workpoint_texts.read_plan
        monkeypatch.setattr(workpoint_texts, "read_plan",
                            lambda path, known, labels, parsed=parsed, real=real: parsed.append(path.name)
                            or real(path, known, labels))
        assert _graph_data(data_copy) == first
        assert sorted(parsed) == [JINGAN_2022, MINHANG_2024]  # parsed anew, never partly taken from it
        monkeypatch.setattr(workpoint_texts, "read_plan", real)


def test_a_load_that_stops_early_stops_its_workers_reading(texts, tmp_path, monkeypatch):
    paths, known, labels = texts
    many = paths * 16  # 464 texts: 29 hand-outs of 16 to the two workers
    log = tmp_path / "read.log"

    def noted(path, known, labels):
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, b"x\n")
        finally:
            os.close(fd)
        return None, path.name

    monkeypatch.setattr(workpoint_texts, "read_plan", noted)
    plans = plans_in_workers(many, known, labels, 2)
    assert next(plans) == (None, many[0].name)
    plans.close()  # e.g. the first text's plan failed the load
    read = len(log.read_bytes().splitlines())
    assert 16 <= read < len(many) // 2  # the hand-outs not begun were dropped, not read to the end
