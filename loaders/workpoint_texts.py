"""The work-points texts of a load, each read and parsed: in worker processes when there are many
(parsing them is most of a national build, and each text is parsed on its own), else in this process.
The answers come back in the order asked, each a plan or the reason the text was refused, so a load is
the same whichever way its texts were read."""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .workpoints import Labels, WorkPlan, decode, parse

# texts: with fewer, starting the workers and sending the plans back costs more than it saves
PARALLEL_FROM = 200
CHUNK = 16  # texts handed to a worker at a time


def read_plan(path: Path, known: frozenset[str], labels: Labels) -> tuple[WorkPlan | None, str | None]:
    """(the text's plan, None), or (None, why it was refused). A document in the register was accepted
    (its import checked it, or --force): its self-check's problems are warnings here (``force``)."""
    try:
        return parse(decode(path.read_bytes()), force=True, known_units=known, labels=labels), None
    except ValueError as e:
        return None, str(e)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every system
        return os.cpu_count() or 1


def read_plans(paths: list[Path], known: frozenset[str], labels: Labels,
               workers: int | None = None) -> Generator[tuple[WorkPlan | None, str | None], None, None]:
    """``read_plan`` of each path, in order: in ``workers`` processes (default: one per core) when there
    are at least ``PARALLEL_FROM`` texts and this process can fork safely, else here. A process with
    other threads (a server reloading beside its requests) is not forked, since a lock another thread
    holds would stay held in the child: it reads the texts itself."""
    n = cores() if workers is None else workers
    if n < 2 or len(paths) < PARALLEL_FROM or not _can_fork():
        return (read_plan(path, known, labels) for path in paths)
    return plans_in_workers(paths, known, labels, n)


def plans_in_workers(paths: list[Path], known: frozenset[str], labels: Labels,
                     n: int) -> Generator[tuple[WorkPlan | None, str | None], None, None]:
    """``read_plan`` of each path, in order, read by ``n`` forks of this process: they start at once with
    the parser loaded, and never run the caller's script again, as a fresh interpreter would. They are
    gone when the last answer is in (or the generator is closed); an error other than a refused text is
    raised here as it was there."""
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_keep, initargs=(known, labels)) as pool:
        yield from pool.map(_read_kept, paths, chunksize=CHUNK)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


_kept: tuple[frozenset[str], Labels] | None = None  # a worker's unit names and labels, sent once


def _keep(known: frozenset[str], labels: Labels) -> None:
    global _kept
    _kept = known, labels


def _read_kept(path: Path) -> tuple[WorkPlan | None, str | None]:
    assert _kept is not None, "the worker was started without its unit names and labels"
    return read_plan(path, *_kept)
