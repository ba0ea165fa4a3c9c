"""What the benchmark generator (bench/generate.py) may draw as supporters and places: only divisions
whose written form the real loader reads back as that division, with seats for provinces the seat table
lacks and a deterministic jitter around them."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from aidgraph.errors import NameProblem
from aidgraph.schema.names import resolve
from aidgraph.schema.places import SHANGHAI, Gazetteer

NOT_MAINLAND = {"710000", "810000", "820000"}

# approximate seats of the provincial capitals, for provinces the seat table lacks (lon, lat)
CAPITALS = {"110000": (116.41, 39.90), "120000": (117.20, 39.08), "130000": (114.51, 38.04),
            "140000": (112.55, 37.87), "150000": (111.75, 40.84), "230000": (126.53, 45.80),
            "350000": (119.30, 26.08), "360000": (115.86, 28.68), "430000": (112.94, 28.23),
            "440000": (113.26, 23.13), "450000": (108.37, 22.82), "510000": (104.07, 30.57),
            "610000": (108.94, 34.34), "620000": (103.83, 36.06), "640000": (106.23, 38.49)}


@dataclass
class Supporter:
    div: str
    written: str           # as the pairing tables write it
    issues_docs: bool      # a district whose name a work-points title can give (see ``issues_docs``)
    places: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)  # the work-point years it supports a pairing in force


def _current(gaz: Gazetteer) -> list:
    return [d for d in gaz.divisions.values() if d.last_year == gaz.latest_year and d.province not in NOT_MAINLAND]


def _supporter_division(gaz: Gazetteer, text: str) -> str | None:
    """What ``loaders.curated`` makes of a supporter cell: a Shanghai name first, else any division."""
    here = gaz.best([f for f in gaz.forms.get(text, [])
                     if f.division == SHANGHAI or SHANGHAI in gaz.ancestors(f.division)])
    if len(here) == 1:
        return here[0]
    try:
        return resolve(gaz, text).division
    except NameProblem:
        return None


def written_supporter(gaz: Gazetteer, div: str) -> str | None:
    """The shortest writing of a supporter that names it alone: 鼓楼区 is ambiguous, 南京市鼓楼区 is not;
    None when no writing does (such a division is never drawn)."""
    d = gaz.get(div)
    ups = [gaz.get(a).name for a in gaz.ancestors(div)]  # nearest first
    for text in [d.name, *(u + d.name for u in ups), "".join(reversed(ups)) + d.name]:
        if _supporter_division(gaz, text) == div:
            return text
    return None


def issues_docs(gaz: Gazetteer, div: str) -> bool:
    """Work points can be generated for a district whose bare name (2-3 characters and 区, what the
    parser reads from a title) names it alone."""
    name = gaz.get(div).name
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,3}区", name)) and _supporter_division(gaz, name) == div


def names_place(gaz: Gazetteer, place: str) -> bool:
    """Whether the pairing row ``_row`` writes for ``place`` (its province, its prefecture unless it is
    one, its name) is read back as that place by ``loaders.curated``: the province among provinces,
    the prefecture among its province's prefectures, the place among the divisions of its prefecture
    (or province)."""
    def one(text: str, within: str | None, ranks: tuple[int, ...]) -> str | None:
        found = set(gaz.best([f for f in gaz.forms.get(text, []) if gaz.get(f.division).rank in ranks
                              and (within is None or f.division == within or within in gaz.ancestors(f.division))]))
        return found.pop() if len(found) == 1 else None
    d = gaz.get(place)
    within = one(gaz.get(d.province).name, None, (1,))
    if within != d.province:
        return False
    pref = gaz.prefecture_of(place)
    if pref and pref != place:
        within = one(gaz.get(pref).name, d.province, (2,))
        if within != pref:
            return False
    return one(d.name, within, (1, 2, 3)) == place


def _jitter(code: str, spread: float) -> tuple[float, float]:
    h = hashlib.sha256(code.encode()).digest()
    return ((h[0] / 255 - 0.5) * 2 * spread, (h[1] / 255 - 0.5) * 2 * spread * 0.75)
