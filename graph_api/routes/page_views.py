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
    options: list[tuple[int, bool]]  # (year, the sources say something of it)
    silent: list[str]                # ranges the sources are silent on: "2011–2015"
    first: int
    last: int


def years_of(aid: AidGraph) -> Years:
    """The years a year control offers: from the first year a pairing is in force to now, each marked
    with whether the sources say anything of it."""
    records = aid.pairings()
    first = min((r.valid_from for r in records if r.valid_from), default=aid.now)
    last = aid.now
    opts = [(y, any(r.in_force(y) for r in records)) for y in range(first, last + 1)]
    silent, run = [], []
    for y, has in [*opts, (last + 1, True)]:
        if not has:
            run.append(y)
        elif run:
            silent.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
            run = []
    return Years(opts, silent, first, last)


def shown_year(aid: AidGraph, year: int | None) -> tuple[int | None, str]:
    """The year a page shows and a note when the sources are silent on the year asked, or it is later
    than now (shown as now, said so)."""
    if year is None:
        return None, ""
    ys = years_of(aid)
    if year > ys.last:
        return None, f"所选年份 {year} 年晚于今年（{ys.last} 年）：显示的是 {ys.last} 年的结对关系。"
    if year < ys.first:
        return year, f"来源文件未涉及 {year} 年（最早的资料是 {ys.first} 年）：该年无资料。"
    if not dict(ys.options).get(year, False):
        return year, f"来源文件未涉及 {year} 年（{'、'.join(ys.silent)} 无资料）：该年没有可显示的结对关系。"
    return year, ""
