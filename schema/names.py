"""Name resolution used by every query: what a user types -> one division.

Accepts current full names, short forms (巍山, 巍山县, 文山州), former names
(思茅 -> 普洱市), aliases from ``data/curated/aliases.csv``, division codes
(6 digits; 9- and 12-digit township and statistical codes lead to their county),
names qualified by their parents (上海市普陀区, 云南怒江泸水, 泸水市（云南）),
traditional and Japanese forms (瀘水, 硯山県), toneless pinyin (Lushui, lu shui,
Lúshuǐ) and the English names of ``data/curated/exonyms.csv`` (Kashgar,
Shangri-La, Gyangze). A name that fits several divisions raises ``Ambiguous`` with the
candidates, Shanghai's first, each shown with its parents (普陀区（浙江省舟山市）); an
unknown one raises ``Unknown`` with the nearest suggestions — names that sound the same
(卢水 -> 泸水市) before those that look alike; one longer than ``MAX_NAME`` characters is
refused (``NameTooLong``) before anything is looked up.

Every lookup of a Chinese form goes through ``Gazetteer.lookup``; a qualified name
is read by one pass over its split points, each part at most as long as the
longest name there is, so the work grows linearly with the length of the text.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..errors import Ambiguous, NameTooLong, Unknown
from .places import PLACE_READINGS, SHANGHAI, Form, Gazetteer, latin_key
from .text import strip_invisible

MAX_NAME = 64  # characters, after normalising; no place's name comes near it

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_BRACKETED = re.compile(r"(.+?)\((.+)\)")  # 泸水市(云南): NFKC has made （） into ()
# English generic words -> the pinyin of the Chinese ones, tried after the name as typed
_GENERIC = (("autonomousprefecture", ("zizhizhou", "zhou")), ("autonomouscounty", ("zizhixian", "xian")),
            ("prefecture", ("zhou", "diqu", "shi")), ("county", ("xian",)), ("city", ("shi",)),
            ("district", ("qu",)), ("province", ("sheng",)))


@dataclass(frozen=True)
class Match:
    division: str
    form: str        # the text as matched (normalised)
    kind: str        # full | short | former | alias | code | qualified | traditional | pinyin | english | code-within
    until: int | None = None  # for a former name: last year it was in force
    via: str | None = None    # what the text was read as: the simplified form (traditional), the pinyin
    #                           or English key (pinyin, english), the division code (9-/12-digit codes)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip_invisible(text or ""))
    return "".join(ch for ch in text if not ch.isspace()).strip("，,。.;；:：")


def _within(gaz: Gazetteer, div: str, scope: str | None) -> bool:
    return scope is None or div == scope or scope in gaz.ancestors(div)


def label(gaz: Gazetteer, div: str) -> str:
    """A division's name with its parents, as candidates are shown: 普陀区（浙江省舟山市）;
    one no longer in the lists says its last year: 东川市（云南省，1997 年止）."""
    d = gaz.get(div)
    parents = "".join(gaz.get(a).name for a in reversed(gaz.ancestors(div)))
    gone = gaz.abolished(div)
    inner = "，".join(x for x in (parents, f"{gone} 年止" if gone else "") if x)
    return f"{d.name}（{inner}）" if inner else d.name


def in_shanghai(gaz: Gazetteer, div: str) -> bool:
    """Shanghai or one of its districts: where a name fits one of them and a place elsewhere
    (宝山: 上海市宝山区, 黑龙江省双鸭山市宝山区), Shanghai's comes first, as this graph is about them."""
    return div == SHANGHAI or SHANGHAI in gaz.ancestors(div)


def _ambiguous(gaz: Gazetteer, text: str, divisions: list[str]) -> Ambiguous:
    divisions = sorted(divisions, key=lambda d: not in_shanghai(gaz, d))  # stable: by code within each
    return Ambiguous(text, divisions, [(gaz.get(d).code, label(gaz, d)) for d in divisions])


def resolve(gaz: Gazetteer, text: str, *, year: int | None = None, scope: str | None = None,
            prefer: Callable[[], frozenset[str]] = frozenset) -> Match:
    """Resolve ``text``; ``scope`` limits the answer to a division and what lies in it;
    ``prefer`` gives the divisions the graph holds, which order the suggestions for an unknown name
    (asked only then: reading them costs more than resolving a name)."""
    q = normalise(text)
    if not q:
        raise Unknown(text, [])
    if len(q) > MAX_NAME:
        raise NameTooLong(text, MAX_NAME)
    m = _chinese(gaz, text, q, year, scope) or _code(gaz, text, q, year, scope)
    if m:
        return m
    for folded in _folded(q):
        m = _chinese(gaz, text, folded, year, scope)
        if m:
            return Match(m.division, q, "traditional", m.until, folded)
    if not _CJK.search(q):
        m = _latin(gaz, text, q, year, scope)
        if m:
            return m
    raise Unknown(text, suggest(gaz, q, scope=scope, prefer=prefer()))


def _pick(gaz: Gazetteer, text: str, forms: list[Form], year: int | None) -> tuple[str, Form] | None:
    """The one division ``forms`` point at and its form, None for none; ``Ambiguous`` for several."""
    best = gaz.best(forms, year)
    if len(best) > 1:
        raise _ambiguous(gaz, text, best)
    return (best[0], _form_for(forms, best[0])) if best else None


def _chinese(gaz: Gazetteer, text: str, q: str, year: int | None, scope: str | None) -> Match | None:
    """A name form as the lists and the alias table give it, or one qualified by its parents."""
    hit = _pick(gaz, text, [f for f in gaz.lookup(q) if _within(gaz, f.division, scope)], year)
    if hit:
        div, f = hit
        return Match(div, q, f.kind, f.until if f.kind == "former" else None)
    bracketed = _BRACKETED.fullmatch(q)
    chain = bracketed.group(2) + bracketed.group(1) if bracketed else q  # 泸水市(云南) -> 云南泸水市
    found = _qualified(gaz, chain, year, scope)
    if len(found) > 1:
        raise _ambiguous(gaz, text, found)
    return Match(found[0], q, "qualified") if found else None


def _code(gaz: Gazetteer, text: str, q: str, year: int | None, scope: str | None) -> Match | None:
    """A 9-digit township or 12-digit statistical code: its first six digits are the division's
    code; with only zeros after them the code is the division's own, else a place within it."""
    if not (q.isdigit() and len(q) in (9, 12)):
        return None
    head, rest = q[:6], q[6:]
    hit = _pick(gaz, text, [f for f in gaz.lookup(head) if _within(gaz, f.division, scope)], year)
    if not hit:
        return None
    div, f = hit
    if rest.strip("0"):
        return Match(div, q, "code-within", None, head)
    return Match(div, q, f.kind, f.until if f.kind == "former" else None, head)


def _latin(gaz: Gazetteer, text: str, q: str, year: int | None, scope: str | None) -> Match | None:
    """An English name of exonyms.csv, else the toneless pinyin of a name (the usual reading,
    then the other readings of its characters)."""
    key = re.sub(r"[0-9]", "", latin_key(q))  # tone numbers (lu2shui3) go too
    if not key:
        return None
    for index, kind in ((gaz.english, "english"), (gaz.pinyin, "pinyin"), (gaz.pinyin_alt, "pinyin")):
        for k in _latin_variants(key):
            hit = _pick(gaz, text, [f for f in index.get(k, []) if _within(gaz, f.division, scope)], year)
            if hit:
                div, f = hit
                return Match(div, q, kind, f.until if f.kind == "former" else None, k)
    return None


def _latin_variants(key: str) -> list[str]:
    """lushuicounty -> lushuicounty, lushuixian, lushui."""
    for word, chinese in _GENERIC:
        if key.endswith(word) and len(key) > len(word):
            stem = key[:-len(word)]
            return [key, *(stem + c for c in chinese), stem]
    return [key]


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc
    return opencc.OpenCC(config)


def _folded(q: str) -> list[str]:
    """Simplified forms of a traditional or Japanese text (瀘水 -> 泸水, 硯山県 -> 砚山县), each
    different from ``q``; none for text without Chinese characters."""
    if not _CJK.search(q):
        return []
    t2s = _converter("t2s").convert
    out = []
    for folded in (t2s(q), t2s(_converter("jp2t").convert(q))):
        if folded != q and folded not in out:
            out.append(folded)
    return out


def _form_for(forms: list[Form], div: str) -> Form:
    order = {"full": 0, "code": 1, "alias": 2, "english": 3, "short": 4, "former": 5}
    return min((f for f in forms if f.division == div), key=lambda f: (order[f.kind], -(f.until or 0)))


_START = ""  # the state before the first part of a qualified name


def _qualified(gaz: Gazetteer, q: str, year: int | None, scope: str | None) -> list[str]:
    """上海市普陀区 / 上海普陀区 / 云南省怒江傈僳族自治州泸水市 / 云南怒江泸水: two or more name
    forms, each lying within the one before it. ``ends[i]`` holds the divisions a reading of
    ``q[:i]`` can end on; each position is extended by parts no longer than the longest name, so
    the lookups are at most ``len(q) * gaz.max_form_len``, never a search over every split."""
    n = len(q)
    width = gaz.max_form_len or n
    ends: list[set[str]] = [set() for _ in range(n + 1)]
    ends[0].add(_START)
    for start in range(n):
        before = ends[start]
        if not before:
            continue
        for stop in range(start + 1, min(n, start + width) + 1):
            if start == 0 and stop == n:
                continue  # the whole text as one name: not qualified
            forms = gaz.lookup(q[start:stop])
            if not forms:
                continue
            if _START not in before:
                forms = [f for f in forms if before.intersection(gaz.ancestors(f.division))]
            if stop == n:
                forms = [f for f in forms if _within(gaz, f.division, scope)]
            ends[stop].update(gaz.best(forms, year))
    return sorted(ends[n] - {_START})


def _close(text: str, choices: list[str], most: int, cutoff: float) -> list[str]:
    """The ``most`` choices most like ``text`` (rapidfuzz's ratio, 0–100, at least ``cutoff``), best first,
    ties in the choices' order."""
    found = process.extract(text, choices, scorer=fuzz.ratio, limit=most, score_cutoff=cutoff)
    return [choice for choice, _score, _i in sorted(found, key=lambda x: (-x[1], x[2]))]


def spoken(text: str) -> list[tuple[str, ...]]:
    """The toneless pinyin syllables of a Chinese text, as the gazetteer's pinyin index reads names:
    the usual reading and the one place names use (长宁: chang ning), ü written v and u; [] for text
    with no Chinese character. Computed for one text as it is asked, never for the whole gazetteer."""
    if not _CJK.search(text):
        return []
    from pypinyin import Style, lazy_pinyin

    chars = [ch for ch in text if _CJK.match(ch)]
    usual = lazy_pinyin("".join(chars), style=Style.NORMAL, errors="ignore")
    readings = [tuple(usual)]
    if len(usual) == len(chars):
        readings.append(tuple(PLACE_READINGS.get(ch, py) for ch, py in zip(chars, usual, strict=True)))
    out = [r for reading in readings for r in (reading, tuple(x.replace("v", "u") for x in reading))]
    return list(dict.fromkeys(r for r in out if r))


def suggest(gaz: Gazetteer, q: str, *, scope: str | None = None,
            prefer: set[str] | frozenset[str] = frozenset(), limit: int = 6) -> list[str]:
    """Divisions whose names contain ``q`` (or its simplified form, or the place in its brackets)
    or sound the same (卢水 -> 泸水市), then those whose names resemble it, whose pinyin or English
    name is near it, or whose pinyin starts with it (lu -> 泸水市, 禄劝县 …); the graph's own places
    first, Shanghai's before others where the match is as good."""
    q = normalise(q)
    texts = [t for t, fl in gaz.forms.items() if not t.isdigit() and any(_within(gaz, f.division, scope) for f in fl)]
    bases = [*_folded(q), q]  # the simplified form first: its near misses are the ones meant
    variants = [b.group(1) for v in bases if (b := _BRACKETED.fullmatch(v))] + bases  # 泸水(上海): 泸水 first
    near: list[tuple[tuple[int, int, int], list[Form]]] = []  # (variant, 0 contains or sounds alike | 1 looks
    for i, v in enumerate(variants):                          # alike | 2 starts alike, closeness), forms
        hits = [t for t in texts if len(v) >= 2 and (v in t or (len(t) >= 2 and t in v))]
        near += [((i, 0, 0), gaz.forms[t]) for t in hits]
        if len(v) >= 2:
            sounds = dict.fromkeys("".join(r) for r in spoken(v))
            near += [((i, 0, 0), gaz.pinyin[k]) for k in sounds if k in gaz.pinyin]
        near += [((i, 1, 0), gaz.forms[t]) for t in _close(v, texts, 20, 50)]
    key = re.sub(r"[0-9]", "", latin_key(q)) if not _CJK.search(q) else ""
    after = len(variants)
    if len(key) >= 3:
        for index in (gaz.english, gaz.pinyin):
            for k in _latin_variants(key):
                close = _close(k, list(index), 10, 75)
                near += [((after, 1, 0), index[t]) for t in close]
    if len(key) >= 2:
        # the shorter the name the closer; a name no longer in use after every current one (旅大: lüda)
        starts = sorted((len(t) + 100 * all(f.kind == "former" for f in gaz.pinyin[t]), t)
                        for t in gaz.pinyin if t.startswith(key) and t != key)
        near += [((after, 2, n), gaz.pinyin[t]) for n, t in starts]
    rank: dict[str, tuple[int, int, int]] = {}
    for r, forms in near:
        for d in gaz.best(forms):
            if d not in rank and _within(gaz, d, scope):
                rank[d] = r
    out = sorted(rank, key=lambda d: (d not in prefer, rank[d], not in_shanghai(gaz, d),
                                      gaz.get(d).last_year != gaz.latest_year))
    return out[:limit]
