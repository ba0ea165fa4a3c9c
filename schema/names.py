"""Name resolution used by every query: what a user types -> one division.

Accepts current full names, short forms (巍山, 巍山县, 文山州), former names
(思茅 -> 普洱市), aliases from ``data/curated/aliases.csv``, division codes,
and names qualified by a province or prefecture (上海市普陀区, 舟山普陀区). A
name that fits several divisions raises ``Ambiguous`` with the candidates; an
unknown one raises ``Unknown`` with the nearest suggestions.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from ..errors import Ambiguous, Unknown
from .places import Form, Gazetteer


@dataclass(frozen=True)
class Match:
    division: str
    form: str        # the text as matched (normalised)
    kind: str        # full | short | former | alias | code | qualified
    until: int | None = None  # for a former name: last year it was in force


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace()).strip("，,。.;；:：")


def _within(gaz: Gazetteer, div: str, scope: str | None) -> bool:
    return scope is None or div == scope or scope in gaz.ancestors(div)


def resolve(gaz: Gazetteer, text: str, *, year: int | None = None, scope: str | None = None,
            prefer: set[str] | frozenset[str] = frozenset()) -> Match:
    """Resolve ``text``; ``scope`` limits the answer to a division and what lies in it;
    ``prefer`` (the divisions the graph holds) orders the suggestions for unknown names."""
    q = normalise(text)
    if not q:
        raise Unknown(text, [])
    forms = [f for f in gaz.forms.get(q, []) if _within(gaz, f.division, scope)]
    best = gaz.best(forms, year)
    if len(best) == 1:
        f = _form_for(forms, best[0])
        return Match(best[0], q, f.kind, f.until if f.kind == "former" else None)
    if len(best) > 1:
        raise Ambiguous(text, best)
    qualified = _qualified(gaz, q, year, scope)
    if len(qualified) == 1:
        return Match(qualified[0], q, "qualified")
    if len(qualified) > 1:
        raise Ambiguous(text, qualified)
    raise Unknown(text, suggest(gaz, q, scope=scope, prefer=prefer))


def _form_for(forms: list[Form], div: str) -> Form:
    order = {"full": 0, "code": 1, "alias": 2, "short": 3, "former": 4}
    return min((f for f in forms if f.division == div), key=lambda f: (order[f.kind], -(f.until or 0)))


def _qualified(gaz: Gazetteer, q: str, year: int | None, scope: str | None) -> list[str]:
    """上海市普陀区 / 上海普陀区 / 舟山市普陀区: a parent's name, then the place's."""
    found: set[str] = set()
    for i in range(2, len(q) - 1):
        heads = gaz.best(gaz.forms.get(q[:i], []), year)
        tails = [f for f in gaz.forms.get(q[i:], []) if _within(gaz, f.division, scope)]
        if not heads or not tails:
            continue
        inside = [f for f in tails if set(heads) & set(gaz.ancestors(f.division))]
        found.update(gaz.best(inside, year))
    return sorted(found)


def suggest(gaz: Gazetteer, q: str, *, scope: str | None = None,
            prefer: set[str] | frozenset[str] = frozenset(), limit: int = 6) -> list[str]:
    """Divisions whose names contain or resemble ``q``, the graph's own places first."""
    texts = [t for t, fl in gaz.forms.items() if not t.isdigit() and any(_within(gaz, f.division, scope) for f in fl)]
    near = [t for t in texts if len(q) >= 2 and (q in t or (len(t) >= 2 and t in q))]
    near += difflib.get_close_matches(q, texts, n=20, cutoff=0.5)
    out: list[str] = []
    for t in near:
        for d in gaz.best(gaz.forms[t]):
            if d not in out and _within(gaz, d, scope):
                out.append(d)
    out.sort(key=lambda d: (d not in prefer, gaz.get(d).last_year != gaz.latest_year))
    return out[:limit]
