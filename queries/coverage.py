"""What the sources cover in time: the data's date (the newest source document's) and the years
for which the sources state pairings. An answer for a year after the data's date says so, and a
year picker marks the years no source covers, instead of treating the machine's year as news."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..schema.records import PairingRecord
from .results import YearChoice

AFTER_DATA = "数据截至 {date}；此后未见调整，按现行结对处理"
NOT_STATED = "来源未记载 {year} 年的结对"


def newest_date(dates: Iterable[str | None]) -> str:
    """The newest ISO date (``2024-05-24``) among the documents' dates; "" without one."""
    return max((d[:10] for d in dates if d), default="")


def after_data(date: str, year: int) -> str | None:
    """The note for an answer about ``year`` when that year is after the data's ``date``; None otherwise."""
    if date and year > int(date[:4]):
        return AFTER_DATA.format(date=date)
    return None


def stated_years(records: Iterable[PairingRecord], last: int, earliest: int = 1949) -> frozenset[int]:
    """The years up to ``last`` in which some pairing is in force (an unknown start: from ``earliest``)."""
    return frozenset(y for r in records
                     for y in range(max(r.valid_from or earliest, earliest), min(r.valid_to or last, last) + 1))


def uncovered_note(year: int, date: str, stated: frozenset[int]) -> str | None:
    """None when the sources cover ``year`` (on or before the data's date, some pairing in force in it,
    ``stated``); else the note saying why not."""
    note = after_data(date, year)
    if note:
        return note
    if year not in stated:
        return NOT_STATED.format(year=year)
    return None


def year_choices(records: list[PairingRecord], now: int, note_of: Callable[[int], str | None],
                 first: int | None = None, last: int | None = None) -> list[YearChoice]:
    """The years a picker offers, each marked covered or not (``note_of``: why not): by default from the
    first year a source states a pairing for to the later of ``now`` and the last year a period runs to."""
    first = first if first is not None else min((r.valid_from for r in records if r.valid_from), default=now)
    last = last if last is not None else max([now, *(r.valid_to for r in records if r.valid_to)])
    return [YearChoice(year=y, covered=(note := note_of(y)) is None, note=note) for y in range(first, last + 1)]
