"""The work-points texts of a load, each read and parsed: in worker processes when there are many
(parsing them is most of a national build, and each text is parsed on its own), else in this process,
and the plans of texts parsed before taken from the cache folder (``PlanCache``). The answers come back
in the order asked, each a plan or the reason the text was refused, so a load is the same whichever way
its texts were read."""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Generator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .workpoints import Labels, WorkPlan, decode, parse
from .workpoints.model import plan_from_data, plan_to_data

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


class PlanCache:
    """The plans of texts read before with this parser, these unit labels and these unit names: one file
    in the cache folder, mapping each text's SHA-256 to its plan (checksummed JSON, ``cache_files``), so a
    rebuild after a change (an imported document, an edited table) parses only the texts it has not seen.
    Its key holds the parser's code, the label table and the unit names: when any changes, every text is
    parsed anew. A cache that cannot be read whole is not used (the texts are parsed)."""

    def __init__(self, known: frozenset[str], labels: Labels):
        from .. import cache_files
        h = hashlib.sha256(cache_files.code_fingerprint("schema", "loaders", packages=("cn2an", "opencc")).encode())
        for name in sorted(known):
            h.update(b"\0unit\0" + name.encode())
        for label, role in sorted(labels.role_of.items()):
            h.update(b"\0label\0" + label.encode() + b"\0" + role.encode())
        self.key = h.hexdigest()[:32]
        self.folder = cache_files.folder("plans")
        self.path = self.folder / f"{self.key}.json"
        found = cache_files.load(self.path, "plans", self.key, lambda data: data if isinstance(data, dict) else {})
        self.kept: dict = found or {}
        self.used: dict[str, dict] = {}  # what the next file holds: the plans of this load's texts
        self.changed = False

    def get(self, digest: str) -> WorkPlan | None:
        data = self.kept.get(digest)
        if data is None:
            return None
        try:
            plan = plan_from_data(data)
        except (KeyError, TypeError, ValueError):
            return None  # checksummed, but not what this code writes: parsed anew
        self.used[digest] = data
        return plan

    def put(self, digest: str, plan: WorkPlan) -> None:
        self.used[digest] = plan_to_data(plan)
        self.changed = True

    def save(self) -> None:
        """Keep the plans of this load's texts (and no others), when any was parsed or dropped."""
        from .. import cache_files
        if self.changed or set(self.used) != set(self.kept):
            cache_files.write(self.path, "plans", self.key, self.used)
            cache_files.prune(self.folder, "*.json", keep=2)


def read_plans(paths: list[Path], known: frozenset[str], labels: Labels, workers: int | None = None,
               cache: PlanCache | None = None) -> Generator[tuple[WorkPlan | None, str | None], None, None]:
    """``read_plan`` of each path, in order; the plans of texts ``cache`` holds are taken from it, the
    others parsed (and kept in it once all are read). They are parsed in ``workers`` processes (default:
    one per core) when there are at least ``PARALLEL_FROM`` of them and this process can fork safely,
    else here. A process with other threads (a server reloading beside its requests) is not forked,
    since a lock another thread holds would stay held in the child: it reads the texts itself."""
    digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in paths] if cache is not None else []
    kept = [cache.get(d) for d in digests] if cache is not None else [None] * len(paths)
    todo = [path for path, plan in zip(paths, kept, strict=True) if plan is None]
    n = cores() if workers is None else workers
    if n < 2 or len(todo) < PARALLEL_FROM or not _can_fork():
        parsed: Generator = (read_plan(path, known, labels) for path in todo)
    else:
        parsed = plans_in_workers(todo, known, labels, n)
    try:
        for k, plan in enumerate(kept):
            why = None
            if plan is None:
                plan, why = next(parsed)
                if plan is not None and cache is not None:
                    cache.put(digests[k], plan)
            if k == len(kept) - 1 and cache is not None:
                cache.save()  # before the last answer: its reader need not ask for more
            yield plan, why
    finally:
        parsed.close()  # the workers stop however this ends


def plans_in_workers(paths: list[Path], known: frozenset[str], labels: Labels,
                     n: int) -> Generator[tuple[WorkPlan | None, str | None], None, None]:
    """``read_plan`` of each path, in order, read by ``n`` forks of this process: they start at once with
    the parser loaded, and never run the caller's script again, as a fresh interpreter would. They are
    gone when the last answer is in (or the generator is closed); an error other than a refused text is
    raised here as it was there."""
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_keep, initargs=(known, labels)) as pool:
        # closed early, map's iterator cancels the hand-outs not begun: only those under way are waited for
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
