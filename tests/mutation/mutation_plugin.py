"""pytest plugin for `make mutation` only (mutmut runs each mutant in a child forked from one process).

Two caches would hide a mutant of the loaders or the schema: the in-memory ``lru_cache`` of the built
graph (filled in the parent by mutmut's first run of the tests, inherited by every child) and the
snapshot on disk (its key holds the code's fingerprint, which is the same for every mutant, since
mutmut puts all of a file's mutants in one file and picks one at run time). So each test session
empties every ``lru_cache`` of the package and uses its own fresh cache folder: the graph a mutant's
tests see is built by that mutant's code.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile


def _clear_package_caches() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "aidgraph" or name.startswith("aidgraph.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def pytest_sessionstart(session):
    _clear_package_caches()
    folder = tempfile.mkdtemp(prefix="aidgraph-mutation-cache-")
    session.config._mutation_cache = folder
    os.environ["AIDGRAPH_CACHE"] = folder


def pytest_sessionfinish(session, exitstatus):
    folder = getattr(session.config, "_mutation_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
