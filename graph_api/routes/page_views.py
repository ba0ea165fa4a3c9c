"""What a page's picture and year control show: the named view (``viz.views.build_view``, what the
export makes too), the download links asking ``/api/export`` for exactly that view, and the years
the sources speak of."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ...errors import AidgraphError
from ...queries.service import AidGraph
from ...viz.view import View
from ...viz.views import build_view as named_view

# what a page offers to download: the view on screen, as /api/export makes it
DOWNLOADS = (("png", "图片"), ("svg", "矢量图"), ("pdf", "会议材料"), ("xlsx", "表格"), ("json", "数据"),
             ("html", "交互网页"))


def export_links(view: str | None, center: str | None = None, year: int | None = None,
                 program: str | None = None) -> list[tuple[str, str, str]]:
    """(format, label, address) of each download of the view on screen: ``/api/export`` with the same
    view name and filters (no view: the whole network)."""
    out = []
    for fmt, label in DOWNLOADS:
        q: dict = {}
        if view:
            q["view"] = view
        if center:
            q["center"] = center
        if year is not None:
            q["year"] = year
        if program:
            q["program"] = program.removeprefix("program:")
        q["format"] = fmt
        out.append((fmt, label, "/api/export?" + urlencode(q)))
    return out


def page_view(aid: AidGraph, view: str, center: str | None, *, year: int | None, program: str | None,
              title: str, fallback) -> View:
    """The named view (``viz.views.build_view``, what the export makes too); the page's network of the
    pairings (``fallback``) where the named view refuses the centre."""
    try:
        return named_view(aid, view, center, year=year,
                          program=program.removeprefix("program:") if program else None)
    except AidgraphError:
        return fallback()


@dataclass(frozen=True)
class Years:
    options: list[tuple[int, bool]]  # (year, the sources cover it: some pairing in force, on or before the data's date)
    silent: list[str]                # ranges up to the data's date the sources are silent on: "2011–2015"
    first: int
    last: int                        # now
    data_date: str = ""              # the newest source document's date: later years are after the data
    after: int = 9999                # the data's year: a later year is answered as the pairings then in force


def years_of(aid: AidGraph, asked: int | None = None) -> Years:
    """The years a year control offers: from the first year a pairing is in force to now (or the year
    asked, if later), each marked with whether the sources cover it (``AidGraph.year_choices``)."""
    records = aid.pairings()
    first = min((r.valid_from for r in records if r.valid_from), default=aid.now)
    last = max(aid.now, asked or 0)
    choices = aid.year_choices(first, last)
    opts = [(c.year, c.covered) for c in choices]
    after = int(aid.data_date[:4]) if aid.data_date else last
    silent, run = [], []
    for y, has in [*((y, h) for y, h in opts if y <= after), (after + 1, True)]:
        if not has:
            run.append(y)
        elif run:
            silent.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
    return Years(opts, silent, first, aid.now, aid.data_date, after)


def shown_year(aid: AidGraph, year: int | None) -> tuple[int | None, str]:
    """The year a page shows (always the year asked, as the API answers) and a note when it is after the
    data's date (the pairings then in force, said so) or the sources are silent on it."""
    if year is None:
        return None, aid.after_data(aid.now) or ""
    after = aid.after_data(year)
    if after:
        return year, f"{year} 年：{after}。"
    ys = years_of(aid)
    if year < ys.first:
        return year, f"来源文件未涉及 {year} 年（最早的资料是 {ys.first} 年）：该年无资料。"
    if not dict(ys.options).get(year, False):
        return year, f"来源文件未涉及 {year} 年（{'、'.join(ys.silent)} 无资料）：该年没有可显示的结对关系。"
    return year, ""
