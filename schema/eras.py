"""Eras and the pairing arithmetic, in one place.

"In force in year Y" is a closed period: from ``valid_from`` (unknown: always)
to ``valid_to`` (open: still). "Now" is the current year, so a pairing with a
future end year is in force now. ``paired_totals`` is how the documents count
paired places (106 county-level places in 21 prefectures of 6 provinces for
2021), used by the loader's validation and by the ``stats`` query of every
store."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from .ids import division_of

if TYPE_CHECKING:
    from .places import Gazetteer
    from .records import PairingRecord

def current_year() -> int:
    return dt.date.today().year


OPEN_END = "至今"  # the end of a period still running, as the pages and exports write it


def in_force(valid_from: int | None, valid_to: int | None, year: int) -> bool:
    """The one definition of "in force in ``year``": from ``valid_from`` (None: always) to ``valid_to``
    (None: still), both years included."""
    return (valid_from is None or valid_from <= year) and (valid_to is None or year <= valid_to)


def overlap(a_from: int | None, a_to: int | None, b_from: int | None, b_to: int | None) -> bool:
    """Two periods (as ``in_force`` reads them) share at least one year."""
    lo = max(a_from if a_from is not None else -10**6, b_from if b_from is not None else -10**6)
    hi = min(a_to if a_to is not None else 10**6, b_to if b_to is not None else 10**6)
    return lo <= hi


def period_text(valid_from: int | str | None, valid_to: int | str | None) -> str:
    """A period as every page, picture, export and message writes it: ``2021–至今``, ``2021–2025``;
    an unknown start is ``?`` (a table's empty cell counts as none)."""
    return f"{valid_from or '?'}–{valid_to or OPEN_END}"


def paired_totals(records: Iterable[PairingRecord], year: int, gaz: Gazetteer,
                  counted: Collection[str]) -> dict[str, int]:
    """Counties, prefectures and provinces paired in ``year`` under the programmes ``counted``
    (those whose ``counts_toward`` is ``paired-places`` in programmes.csv).

    A pairing with ``county_count`` is an aggregate the source states only in
    numbers (Yunnan except 怒江/昭通 at the end of 2020: 74 counties in 13
    prefectures); any other pairing counts its place once. A county directly
    under a province-level municipality (重庆 万州区) counts as its own
    prefecture-level area, as the documents do; a prefecture paired as a whole
    (克拉玛依市) counts as one county-level place, as the documents do.
    """
    counties = 0
    prefectures: set[str] = set()
    extra_prefectures = 0
    provinces: set[str] = set()
    for r in records:
        if r.program not in counted or not r.in_force(year):
            continue
        div = division_of(r.place)
        provinces.add(gaz.get(div).province)
        if r.county_count is not None:
            counties += r.county_count
            extra_prefectures += r.prefecture_count or 0
            continue
        counties += 1
        prefectures.add(gaz.prefecture_of(div) or div)
    return {"counties": counties, "prefectures": len(prefectures) + extra_prefectures, "provinces": len(provinces)}
