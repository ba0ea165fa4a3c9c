"""Crash-safe writes into a data folder: the one commit protocol of both importers.

An import never edits the data folder in place. ``commit_files`` copies the whole folder into a
staging folder beside it (``.<name>.import-<pid>``, same file system), writes the import's files
there and flushes them, then switches the two folders with one atomic exchange (``renameat2`` with
``RENAME_EXCHANGE``: the data folder's path names the new content at once) and removes the old
content, now under the staging name. A kill at any instant leaves the data folder's path naming
either the folder as before (not yet switched) or as after (switched); what a killed import left —
a staging folder, or the ``.tmp`` files of older versions — is removed by the next import, which says
so (``clean``). Both happen under the import lock (``scratch.locked``).

Where the system has no atomic exchange (not Linux), the files are replaced one by one, each
atomically but not together; the README says so.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path

LOCK = ".import.lock"
_EXCHANGE = 2  # RENAME_EXCHANGE
_AT_FDCWD = -100


def _stage_prefix(root: Path) -> str:
    return f".{root.name}.import-"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(root: Path) -> list[Path]:
    """What killed imports left: staging folders beside ``root`` (but the old content an import that
    has just switched is still removing) and ``.tmp`` files inside it."""
    root = Path(root)
    out = []
    if root.parent.is_dir():
        for path in sorted(root.parent.glob(_stage_prefix(root) + "*")):
            pid = path.name.removeprefix(_stage_prefix(root))
            if not (pid.isdigit() and int(pid) != os.getpid() and alive(int(pid))):
                out.append(path)
    for sub in (root, root / "sources", root / "curated"):
        if sub.is_dir():
            out += sorted(p for p in sub.glob(".*.tmp") if p.is_file())
    return out


def clean(root: Path) -> list[str]:
    """Remove the leftovers of killed imports (call it holding the import lock); one message each."""
    said = []
    for path in leftovers(root):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        said.append(f"已清理被中断的导入留下的 {path.name} removed {path} left by an import that was killed")
    return said


def _renameat2():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False when the system cannot (then nothing happened)."""
    fn = _renameat2()
    if fn is None:
        return False
    sys.audit("aidgraph.exchange", str(a), str(b))  # the commit point (tests kill here)
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_files(root: Path, writes: dict[str, bytes]) -> None:
    """Make ``writes`` (path under ``root`` -> bytes) the content of those files, all at once."""
    root = Path(root).resolve()
    sys.audit("aidgraph.commit", str(root))
    stage = root.parent / f"{_stage_prefix(root)}{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(root, stage, ignore=shutil.ignore_patterns(LOCK, ".*.tmp"), symlinks=True)
    for rel, data in writes.items():
        path = stage / rel
        if path.is_symlink():
            path.unlink()
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    for sub in {(stage / rel).parent for rel in writes} | {stage}:
        _fsync(sub, directory=True)
    if exchange(stage, root):
        _fsync(root.parent, directory=True)
        shutil.rmtree(stage, ignore_errors=True)
        return
    # no atomic exchange here: each file replaced atomically, one after the other
    for rel in writes:
        os.replace(stage / rel, root / rel)
    shutil.rmtree(stage, ignore_errors=True)
