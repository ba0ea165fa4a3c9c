"""The composition root: settings -> loaders -> store -> ``AidGraph``.

The command line and the server get their ``AidGraph`` here and nowhere else.
``Runtime`` holds the one version of the graph a server serves: every request
takes the current ``AidGraph`` once and reads everything (named queries,
pages, exports, subgraphs, SPARQL) from it, and ``reload()`` swaps in a newly
built one whole, or keeps the last good one when the data no longer load.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from ..errors import BadParameter, LoadError
from ..loaders.curated import Loaded, load, load_gazetteer, load_unit_names
from ..queries.embedded import EmbeddedStore
from ..queries.service import AidGraph
from ..settings import STORES, Settings, get_settings


def _stamp(root: Path) -> tuple:
    """Changes whenever a source or curated file does, so a cached load is never stale."""
    try:
        return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                            for p in root.rglob("*") if p.is_file()))
    except OSError:
        return ()


@lru_cache(maxsize=4)
def _load(root: str, stamp: tuple) -> Loaded:
    return load(Path(root))


def load_data(root: Path | None = None) -> Loaded:
    """The validated load of ``root`` (default: the configured data folder), cached while no file changes."""
    root = Path(root or get_settings().data).resolve()
    return _load(str(root), _stamp(root))


def open_aidgraph(store: str | None = None, root: Path | None = None,
                  settings: Settings | None = None) -> AidGraph:
    settings = settings or get_settings()
    store = store or settings.store
    root = Path(root or settings.data).resolve()
    if store == "embedded":
        loaded = load_data(root)
        aid = AidGraph(EmbeddedStore(loaded.graph), loaded.gazetteer, loaded.unit_names, as_of=settings.as_of)
        aid.load_warnings = list(loaded.warnings)
        return aid
    if store == "neo4j":
        from ..queries.neo4j_store import open_neo4j
        return AidGraph(open_neo4j(settings.neo4j), load_gazetteer(root), load_unit_names(root), as_of=settings.as_of)
    raise BadParameter(f"unknown store {store!r}; choose one of {', '.join(STORES)}")


class Runtime:
    """The served graph, one version at a time."""

    def __init__(self, aid: AidGraph, *, store: str | None = None, root: Path | None = None,
                 settings: Settings | None = None):
        self._aid = aid
        self._store, self._root, self._settings = store, root, settings
        self._lock = threading.Lock()
        self.last_problem: str | None = None

    @property
    def aid(self) -> AidGraph:
        return self._aid

    def reload(self) -> bool:
        """Build the graph anew and swap it in for every reader at once. On failure the last
        good graph stays served and ``last_problem`` says why; returns whether it swapped."""
        with self._lock:
            try:
                fresh = open_aidgraph(self._store or self._aid.store.name, self._root, self._settings)
            except (LoadError, BadParameter) as e:
                self.last_problem = e.detail
                return False
            old, self._aid = self._aid, fresh
            self.last_problem = None
        if old.store is not fresh.store:
            old.store.close()
        return True

    def close(self) -> None:
        self._aid.store.close()
