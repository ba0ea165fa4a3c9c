"""The cache folder and the files in it: one home for both caches (the gazetteer, the built-graph snapshots).

Nothing read from the cache can run code:

- a cache file is JSON (read with the standard library's ``json``, which builds only dicts, lists,
  strings and numbers) behind one header line naming its kind, its key and the SHA-256 of the kind,
  the key and the whole JSON text; a file whose header, checksum or JSON does not hold is ignored
  whole and rebuilt, never partly used (a pickle planted under a cache name is such a file);
- the folder is created 0700 and used only when it is this user's own and no one else can write
  into it; otherwise a warning names it and a fresh private temporary folder is used instead;
- a file is read only when it is a regular file (no link followed) owned by this user and writable
  by no one else, and written exclusively beside its final name, then moved into place;
- every key holds the data a cache is built from and the code that builds it (``code_fingerprint``);
- the SQLite form of a snapshot (``queries.sqlite_store``) is read by SQLite itself, not checksummed
  (reading it whole would cost what it saves): it is written whole beside its name and moved into place,
  passes the same ownership checks (``trusted``), is opened read-only with its schema's SQL untrusted,
  and holds its key inside; one that fails any of these is rebuilt.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger("aidgraph")

MAGIC = b"aidgraph-cache/1"
MAX_BYTES = 512 * 1024 * 1024   # a cache file larger than this is not read (the seed's snapshot is ~5 MB)
_PACKAGE = Path(__file__).resolve().parent
T = TypeVar("T")
_fallback: dict[str, Path] = {}  # refused folder -> the private temporary folder used instead


def _why_unsafe(st: os.stat_result) -> str | None:
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"others can write into it (mode {stat.S_IMODE(st.st_mode):o})"
    return None


def _private(path: Path) -> str | None:
    """Create ``path`` 0700 when missing; why it may not be used, or None."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.stat(path)
    except OSError as e:
        return f"it cannot be created or read ({e.strerror})"
    why = _why_unsafe(st)
    if why is None and stat.S_IMODE(st.st_mode) & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)  # ours: keep it private (an older version created it with the umask)
    return why


def folder(*parts: str) -> Path:
    """The cache folder (``AIDGRAPH_CACHE``) or its sub-folder ``parts``, private to this user. When the
    configured folder is another user's or writable by others, a private temporary folder stands in for
    it (one per process, with a warning): the caches are then rebuilt there."""
    from .settings import get_settings
    base = Path(get_settings().cache)
    key = str(base)
    if key not in _fallback:
        path = base.joinpath(*parts)
        why = _private(base)
        if why is None and parts:
            why_sub = _private(path)
            why = f"{path}: {why_sub}" if why_sub else None
        if why is None:
            return path
        _fallback[key] = Path(tempfile.mkdtemp(prefix="aidgraph-cache-"))
        log.warning("缓存文件夹不安全，已改用临时文件夹 the cache folder %s is not used (%s); caches are rebuilt in %s",
                    base, why, _fallback[key])
    path = _fallback[key].joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def code_fingerprint(*sources: str, packages: tuple[str, ...] = ()) -> str:
    """A digest of the package's source files under ``sources`` (folders or files relative to the package,
    e.g. ``"schema"``, ``"loaders/curated.py"``), of this module, and of the versions of ``packages``:
    a cache key holding it changes whenever the code that builds the cache does."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for src in sources:
        p = _PACKAGE / src
        for path in sorted(p.rglob("*.py")) if p.is_dir() else [p]:  # subpackages too (loaders/workpoints/)
            h.update(b"\0" + str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    for name in packages:
        try:
            h.update(f"{name}={pkg_version(name)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{name}=?\0".encode())
    return h.hexdigest()


def _digest(kind: str, key: str, payload: bytes) -> str:
    return hashlib.sha256(kind.encode() + b"\n" + key.encode() + b"\n" + payload).hexdigest()


def _trusted(st: os.stat_result, limit: int | None = MAX_BYTES) -> bool:
    """A cache file may be read: a regular file of this user's that no one else can write, no larger than
    ``limit`` when it is read whole."""
    return (stat.S_ISREG(st.st_mode) and (limit is None or st.st_size <= limit)
            and not (hasattr(os, "geteuid") and st.st_uid != os.geteuid())
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def trusted(path: Path) -> bool:
    """Whether the file at ``path`` (not a link) is one the cache may read (see ``read``): for a cache file
    read by its own library (the SQLite form of a snapshot), which then checks its key inside."""
    try:
        return _trusted(os.lstat(path), limit=None)  # read by pages as needed, never whole
    except OSError:
        return False


def read(path: Path, kind: str, key: str) -> Any | None:
    """The value stored at ``path`` as ``kind`` under ``key``; None when there is none or it cannot be
    trusted whole (not a regular file of this user's, another kind or key, a wrong checksum, broken JSON):
    the caller rebuilds it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            if not _trusted(os.fstat(f.fileno())):
                return None
            data = f.read(MAX_BYTES + 1)
    except OSError:
        return None
    head, sep, payload = data.partition(b"\n")
    parts = head.split(b" ")
    if not sep or len(parts) != 4 or parts[0] != MAGIC:
        return None
    try:
        found_kind, found_key, checksum = (p.decode("ascii") for p in parts[1:])
    except UnicodeDecodeError:
        return None
    if found_kind != kind or found_key != key or checksum != _digest(kind, key, payload):
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def load(path: Path, kind: str, key: str, decode: Callable[[Any], T]) -> T | None:
    """``decode`` of the value ``read`` finds, or None when there is none or it does not decode (the caller
    rebuilds it). The garbage collector waits meanwhile: the many small objects made at once would
    otherwise start it over and over (it halves the time of reading the seed's snapshot)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = read(path, kind, key)
        if data is None:
            return None
        return decode(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None  # checksummed but not what this code writes: rebuilt
    finally:
        if was_enabled:
            gc.enable()


def write_with(path: Path, fill: Callable[[Path], None]) -> bool:
    """Have ``fill`` write a new private file (0600, created empty beside ``path``), then move it into place,
    so a reader sees the old file or the new one whole. False when it could not be written: the folder is
    read-only or full, or ``fill`` failed with OSError or an SQLite error (a missing cache costs a rebuild)."""
    import sqlite3
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # O_EXCL, 0600
        os.close(fd)
        fill(Path(tmp))
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error):
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def write(path: Path, kind: str, key: str, value: Any) -> bool:
    """Store ``value`` (JSON data) at ``path``: written into a new file created exclusively beside it,
    then moved into place, so a reader sees the old file or the new one whole. False when it could not be
    written (a read-only folder only costs a rebuild next time)."""
    if any(c in kind + key for c in " \n") or not (kind + key).isascii():
        raise ValueError("a cache kind and key are ASCII words")
    try:
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        return False
    head = b" ".join((MAGIC, kind.encode(), key.encode(), _digest(kind, key, payload).encode())) + b"\n"
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # O_EXCL, 0600
        with os.fdopen(fd, "wb") as f:
            f.write(head)
            f.write(payload)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def prune(where: Path, pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` newest files matching ``pattern``, the temporary files of writers
    killed half-way (older than ten minutes), and the pickles older versions cached (never read)."""
    import time
    try:
        files = sorted(where.glob(pattern), key=lambda p: p.stat().st_mtime)
        for old in (files[:-keep] if keep else files) + list(where.glob("*.pickle")):
            old.unlink(missing_ok=True)
        for tmp in where.glob(".*.tmp"):
            if tmp.stat().st_mtime < time.time() - 600:
                tmp.unlink(missing_ok=True)
    except OSError:
        pass
