"""Open the configured store: the embedded one by default, Neo4j when asked
(``--store neo4j`` or ``AIDGRAPH_STORE=neo4j``)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .. import data_dir
from ..loaders.curated import load_graph
from ..loaders.gazetteer import load_gazetteer
from ..loaders.tasks import UnitNames
from .embedded import EmbeddedStore
from .service import AidGraph

STORES = ("embedded", "neo4j")


def _stamp(root: Path) -> tuple:
    """Changes whenever a source or curated file does, so a cached graph is never stale."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in root.rglob("*") if p.is_file()))


@lru_cache(maxsize=4)
def _canonical(root: str, stamp: tuple):
    return load_graph(Path(root))


def load_canonical(root: Path | None = None):
    """The canonical graph of ``root`` (default: the data folder), cached while no file changes."""
    root = (root or data_dir()).resolve()
    return _canonical(str(root), _stamp(root))


def open_aidgraph(store: str | None = None, root: Path | None = None) -> AidGraph:
    store = store or os.environ.get("AIDGRAPH_STORE", "embedded")
    root = (root or data_dir()).resolve()
    gaz = load_gazetteer(root / "curated" / "aliases.csv")
    units = UnitNames(root / "curated" / "unit_aliases.csv")
    if store == "embedded":
        return AidGraph(EmbeddedStore(load_canonical(root)), gaz, units)
    if store == "neo4j":
        from .neo4j_store import open_neo4j
        return AidGraph(open_neo4j(), gaz, units)
    raise ValueError(f"unknown store {store!r}; choose one of {', '.join(STORES)}")
