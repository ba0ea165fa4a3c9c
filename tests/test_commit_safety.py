"""Both importers commit crash-safely: an import killed at any step of its commit leaves the data folder
loading as before or as after, and the next import removes what the killed one left, saying so.

Each import runs in a child process with an audit hook that kills it (SIGKILL: no ``finally`` runs) at
the N-th step of its commit — every folder created while staging, every write of a file the import
changes, the switch of the folders, the removal of the old one — for N = 1, 2, … until an import
ends without being killed. Also: seed documents are found under any spelling of their number."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aidgraph.loaders.commit import clean, leftovers
from aidgraph.loaders.curated import load
from aidgraph.loaders.importer import LOCK

NOTICES = Path(__file__).parent / "notices"
MINHANG = "003_7bb536ac4fb74f2c.txt"

HOOK = r"""
import os, signal, sys
n, targets, args = int(sys.argv[1]), sys.argv[2].split("|"), sys.argv[3:]
state = {"on": False, "seen": 0}
STEPS = {"os.mkdir", "os.rename", "os.replace", "aidgraph.exchange", "shutil.rmtree"}

def hook(event, a):
    if event == "aidgraph.commit":
        state["on"] = True
        return
    if not state["on"]:
        return
    write = (event == "open" and isinstance(a[0], str) and isinstance(a[1], str) and "w" in a[1]
             and any(a[0].endswith(t) for t in targets))
    if event in STEPS or write:
        state["seen"] += 1
        if state["seen"] == n:
            os.kill(os.getpid(), signal.SIGKILL)

sys.addaudithook(hook)
from aidgraph.graph_api.cli import app
app(args, prog_name="aidgraph")
"""


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != LOCK}


def _run(n: int, targets: list[str], args: list[str], data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AIDGRAPH_DATA": str(data)}
    return subprocess.run([sys.executable, "-c", HOOK, str(n), "|".join(targets), *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _minhang_as_xuhui(data: Path, tmp_path: Path) -> Path:
    text = (data / "sources" / MINHANG).read_text(encoding="utf-8")
    path = tmp_path / "xuhui.txt"
    path.write_text(text.replace("闵行", "徐汇").replace("闵府办发〔2024〕20号", "徐府办发〔2025〕7号")
                    .replace("2024", "2025"), encoding="utf-8")
    return path


def _kill_at_every_step(tmp_path: Path, data_copy: Path, args: list[str], targets: list[str]) -> int:
    """Runs the import killed at step 1, 2, … ; returns the number of steps. After each kill the folder
    loads and is as before or as after; the next import cleans up with a message and ends as after."""
    before = _digest(data_copy)
    after_root = tmp_path / "after" / "data"
    shutil.copytree(data_copy, after_root)
    done = _run(0, targets, args, after_root)
    assert done.returncode == 0, done.stderr
    after = _digest(after_root)
    assert after != before
    n = 0
    while True:
        n += 1
        root = tmp_path / f"kill{n}" / "data"
        shutil.copytree(data_copy, root)
        res = _run(n, targets, args, root)
        if res.returncode == 0:  # no step left to kill at
            assert _digest(root) == after and not leftovers(root)
            return n - 1
        assert res.returncode == -signal.SIGKILL, res.stderr
        state = _digest(root)
        assert state in (before, after), f"killed at step {n}: neither before nor after"
        load(root)  # loads (raises LoadError otherwise)
        left = leftovers(root)
        again = _run(0, targets, args, root)
        assert again.returncode == 0, again.stderr
        for path in left:
            assert f"removed {path}" in again.stderr
            assert not path.exists()
        assert _digest(root) == after and not leftovers(root)
        shutil.rmtree(root.parent)


def test_import_pairings_killed_at_every_step(tmp_path, data_copy):
    args = ["import-pairings", str(NOTICES / "move.csv"), "--name", "2026_ninger", "--title", "通知",
            "--date", "2025-12-20"]
    steps = _kill_at_every_step(tmp_path, data_copy, args, ["curated/pairings_2026_ninger.csv"])
    assert steps >= 5  # three folders staged, the table written, the switch, the removal


def test_import_doc_killed_at_every_step(tmp_path, data_copy):
    args = ["import-doc", str(_minhang_as_xuhui(data_copy, tmp_path))]
    steps = _kill_at_every_step(tmp_path, data_copy, args, ["sources/documents.csv"])
    assert steps >= 5


def test_tmp_files_and_scratch_copies_of_killed_imports_are_removed_with_a_message(cli, data_copy):
    import tempfile

    from aidgraph.loaders.scratch import PREFIX
    left = data_copy / "curated" / ".pairing_tables.csv.4242.tmp"
    left.write_text("half", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    scratch = Path(tempfile.gettempdir()) / f"{PREFIX}{int(dead.stdout)}-x"
    (scratch / "data").mkdir(parents=True)
    res = cli("import-pairings", str(NOTICES / "move.csv"), "--name", "n", "--title", "通知")
    assert res.exit_code == 0, res.stderr
    assert f"removed {left}" in res.stderr and not left.exists()
    assert f"removed the scratch copy {scratch}" in res.stderr and not scratch.exists()
    assert clean(data_copy) == []


@pytest.mark.parametrize("number", ["闵府办发〔2024〕020号", "闵府办发[2024]20号", "闵府办发（2024）20 号",
                                    "闵府办发［２０２４］２０号"])
def test_a_seed_under_another_spelling_of_its_number_is_refused(cli, data_copy, tmp_path, number):
    before = _digest(data_copy)
    text = (data_copy / "sources" / MINHANG).read_text(encoding="utf-8").replace("闵府办发〔2024〕20号", number)
    path = tmp_path / "seed.txt"
    path.write_text(text, encoding="utf-8")
    res = cli("import-doc", str(path), "--json", "--force")
    assert res.exit_code == 6 and "mfbf-2024-20" in res.stdout and "seed document" in res.stdout
    assert _digest(data_copy) == before
    assert len(cli.json("tasks", "--district", "闵行")) == 24


def test_a_lock_taken_on_a_folder_switched_meanwhile_is_taken_again_on_the_current_one(data_copy, monkeypatch):
    """Another import switches the data folder between this one's opening the lock file and locking it:
    the lock would be on the old folder's file, so it is taken again on the current folder's."""
    import fcntl

    from aidgraph.loaders import scratch
    from aidgraph.loaders.commit import exchange
    (data_copy / LOCK).touch()
    other = data_copy.parent / "switched"
    shutil.copytree(data_copy, other)
    real_flock, calls = fcntl.flock, []

    def flock(f, op):
        if not calls and op & fcntl.LOCK_EX:
            assert exchange(other, data_copy)  # the other import's commit, just now
        calls.append(op)
        return real_flock(f, op)
    monkeypatch.setattr(scratch.fcntl, "flock", flock)
    with (scratch.locked(data_copy),
          open(data_copy / LOCK, "rb") as probe,  # the current folder's lock file is the one held
          pytest.raises(BlockingIOError)):
        real_flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert [op & ~fcntl.LOCK_NB for op in calls] == [fcntl.LOCK_EX, fcntl.LOCK_UN, fcntl.LOCK_EX, fcntl.LOCK_UN]


def test_without_an_atomic_exchange_each_file_is_replaced_and_nothing_is_left(tmp_path, monkeypatch):
    """On a system without an atomic exchange of two folders, an import's files are replaced one by one:
    the user's data folder holds the new text and the untouched file as it was, and no staging folder is
    left beside it."""
    from aidgraph.loaders import commit
    root = tmp_path / "data"
    (root / "curated").mkdir(parents=True)
    (root / "curated" / "a.csv").write_bytes(b"old\n")
    (root / "keep.txt").write_bytes(b"kept\n")
    monkeypatch.setattr(commit, "exchange", lambda a, b: False)
    commit.commit_files(root, {"curated/a.csv": "新的\n".encode()})
    assert (root / "curated" / "a.csv").read_bytes() == "新的\n".encode()
    assert (root / "keep.txt").read_bytes() == b"kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
