"""After `aidgraph import-doc`, the next command answers at once: the import has already loaded the
graph with the new document (to check it whole), and keeps that load as the data folder's snapshot and
the command line's SQLite file, so the next command neither builds the graph again nor reads a stale
one. The load kept is the graph a fresh build of the folder gives."""
from __future__ import annotations

import json
import os
import subprocess
import sys

MINHANG_2024 = "003_7bb536ac4fb74f2c.txt"
ASK = ("import runpy, sys; sys.argv = ['aidgraph', *sys.argv[1:]]\n"
       "try:\n    runpy.run_module('aidgraph.graph_api.cli', run_name='__main__')\n"
       "except SystemExit as e:\n    assert not e.code, e.code\n"
       "print('built' if 'aidgraph.loaders.curated' in sys.modules else 'not built', file=sys.stderr)\n")


def _run(env, *args) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-c", ASK, *args], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return run


def test_the_command_after_an_import_reads_what_the_import_kept(data_copy, tmp_path, monkeypatch):
    text = (data_copy / "sources" / MINHANG_2024).read_text(encoding="utf-8")
    doc = tmp_path / "xuhui.txt"
    doc.write_text(text.replace("闵行", "徐汇").replace("闵府办发〔2024〕20号", "徐府办发〔2025〕7号")
                   .replace("2024", "2025"), encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "AIDGRAPH_DATA": str(data_copy), "AIDGRAPH_CACHE": str(cache)}
    before = json.loads(_run(env, "tasks", "--district", "徐汇", "--json").stdout)
    assert before == []  # 徐汇区 has no work points in the shipped data
    _run(env, "import-doc", str(doc))
    after = _run(env, "tasks", "--district", "徐汇", "--json")
    assert after.stderr.strip().splitlines()[-1] == "not built"  # answered from the file the import kept
    tasks = json.loads(after.stdout)
    assert len(tasks) == 24 and {t["document"] for t in tasks} == {tasks[0]["document"]}
    assert tasks[0]["title"] == "加强组织领导"  # 任务1 of the text, now 徐汇's 2025 work points

    # what was kept (read back from the cache, never built here) is what a fresh build of the folder gives
    from aidgraph.graph_api import runtime
    from aidgraph.loaders import curated
    fresh = curated.load(data_copy)
    monkeypatch.setenv("AIDGRAPH_CACHE", str(cache))

    def no_build(*args, **kwargs):
        raise AssertionError("the snapshot the import kept was not used")
    monkeypatch.setattr(curated, "load", no_build)
    kept = runtime._load.__wrapped__(str(data_copy.resolve()), runtime._stamp(data_copy.resolve()))
    assert json.dumps(kept.to_data(), sort_keys=True) == json.dumps(fresh.to_data(), sort_keys=True)
