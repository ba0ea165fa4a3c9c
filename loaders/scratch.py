"""Writing into a data folder safely: one import at a time (``locked``), and the scratch copy an
import loads before it writes anything (``scratch_copy``).

It lives in the temporary folder under a name carrying the importing process's id, so a copy left
behind by an import that was killed (no ``finally`` ran) is found and removed by the next import."""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ImportRefused
from .commit import LOCK, alive, clean

PREFIX = "aidgraph-scratch-"


def remove_stale() -> list[Path]:
    """Remove scratch copies whose process no longer runs; returns what was removed."""
    gone = []
    for path in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        pid = path.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path)
    return gone


@contextmanager
def scratch_copy(root: Path) -> Iterator[Path]:
    """A private copy of ``root`` (its lock file left out), removed on leaving, even after an error."""
    remove_stale()
    tmp = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        scratch = tmp / "data"
        shutil.copytree(root, scratch, ignore=shutil.ignore_patterns(LOCK))
        yield scratch
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def locked(root: Path, *, shared: bool = False) -> Iterator[list[str]]:
    """One import at a time in a data folder: an advisory lock on ``.import.lock``. A dry run takes it
    shared and only when the file exists (it writes nothing, not even the lock file). Holding it, the
    leftovers of killed imports are removed (``commit.clean``); the context gives their messages.

    An import switches the whole data folder (``commit``), lock file included: a lock taken on the
    file of a folder switched meanwhile is let go and taken again on the current one.

    ``fcntl.flock`` rather than the ``filelock`` library: its file locks are exclusive only, and its
    read-write lock keeps an SQLite database as the lock file (a dry run would have to create it, and the
    switch of the folder cannot be checked by the lock file's inode)."""
    path = root / LOCK
    for _attempt in range(5):
        try:
            # opened apart so its errors are told from the lock's; entered as `with f:` just below
            f = open(path, "rb") if shared else open(path, "a+b")  # noqa: SIM115
        except FileNotFoundError:
            if not shared:
                raise ImportRefused(f"数据目录不存在 the data folder {root} does not exist") from None
            yield []
            return
        except OSError as e:
            raise ImportRefused(f"无法在数据目录中加锁 cannot lock the data folder {root}: {e.strerror}") from e
        with f:
            try:
                fcntl.flock(f, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ImportRefused("另一个导入正在写入这个数据目录，请稍后再试 another import into this data folder "
                                    "is running; try again when it ends") from None
            try:
                current = os.stat(path).st_ino == os.fstat(f.fileno()).st_ino
            except FileNotFoundError:
                current = False
            if not current:  # the folder was switched under us: lock the current one
                fcntl.flock(f, fcntl.LOCK_UN)
                continue
            said = clean(root) + [f"已清理被中断的导入留下的临时副本 removed the scratch copy {p} left by an import "
                                  "that was killed" for p in remove_stale()]
            try:
                yield said
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
            return
    raise ImportRefused("另一个导入正在写入这个数据目录，请稍后再试 another import into this data folder is running")
