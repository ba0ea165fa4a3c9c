"""The meeting handout: one PDF (A4, the Chinese font embedded) made from a named view — the picture
(A4 landscape, over several pages when the view needs them), the pairing table, the tasks with their
lead and responsible units, and the source documents (number and title). Drawn with matplotlib's
Figure API and written with its ``PdfPages`` (TrueType fonts embedded as subsets, ``pdf.fonttype``
42); no clock in the file.

A subgraph around a centre (the experts' hops form) gets its picture as a one-page PDF."""
from __future__ import annotations

import io
from typing import Any

from ...schema.graph import CanonicalGraph
from ...schema.labels import kind_zh
from ...schema.sources import full_cite
from ..text_measure import wrap
from ..view import View
from .base import Format

PORTRAIT = (8.27, 11.69)
M = 40.0          # page margin, points
BODY = 8.5        # table text size
LINE = 11.5       # table line height
PAD = 3.0
NUMERALS = "一二三四五六七八九十"


def write(view: View, graph: CanonicalGraph | None = None, fmt: str = "pdf", geographic: bool = False) -> bytes:
    """A named view: the handout; a subgraph's view: its picture as one page."""
    if not view.kind:
        from ..picture import render as picture
        return picture(view, "pdf", geographic=geographic)
    return _write(handout_figures(view), view.title)


def handout_figures(view) -> list:
    """The handout's pages as figures: the picture first, then the tables."""
    from ..overview import Handout, provinces_of, summarised
    from ..page_plan import plan as plan_pages
    from ..picture_draw import page_text, put, view_figures
    from ..print_fonts import Fonts
    overview = view.kind == "overview"  # its picture is the flows (viz.sankey), one page
    # a big view: the overview, then a table per province, or one province's layered picture (viz.overview)
    summary = Handout(view) if not overview and summarised(view) else None
    # the flows' pairing table of a big network is counted per province too (its rows are in the workbook)
    by_province = (summary is not None and not summary.subs) or (overview and summarised(view)
                                                                   and len(provinces_of(view)) > 1)
    sections = _sections(view, by_province=by_province)
    plan = [] if overview or summary else plan_pages(view, ("A4",), pages=True)
    if overview:
        from ..sankey import HEADS, overview_page_text
        text, bold = overview_page_text(view), view.title + "".join(HEADS)
    else:
        text, bold = summary.text() if summary else page_text(view, plan)
    table_text = "".join(str(c) for s in sections for row in s["rows"] for c in row) + "".join(
        s["heading"] + s.get("sub", "") + "".join(h for h, _w in s["cols"]) + "".join(s.get("groups", {}).values())
        for s in sections) + view.title + (f"数据截至 {view.data_date}（来源文件中最新的日期） · aidgraph "
                                           "第页共，会议材料（续）—")
    timeline_text = view.timeline.texts() if view.timeline is not None and view.timeline.rows else ""
    fonts = Fonts(text + table_text + timeline_text, bold + table_text + timeline_text)
    sheet = _Sheet(view, fonts)
    for s in sections:
        sheet.section(s)
    sheet.rules_drawn()
    if timeline_text:  # the pairings over the years (viz.timeline_print), after the picture
        from ..timeline_print import figures as timeline_figures
        sheet.figs[:0] = timeline_figures(view.timeline, fonts, view.timeline.title)
    pictures = 1 if overview else summary.page_count() if summary else len(plan)
    total = pictures + len(sheet.figs)
    marks = [f"第 {i + 1} 页，共 {total} 页" for i in range(total)]
    if overview:
        from ..sankey import overview_figures
        figs, _ = overview_figures(view, fonts, marks[0])
    else:
        figs = summary.figures(fonts, marks[:pictures]) if summary else \
            view_figures(view, papers=("A4",), pages=True, fonts=fonts, marks=marks[:pictures])[0]
    for fig, mark in zip(sheet.figs, marks[pictures:], strict=True):
        ax = fig.axes[0]
        put(ax, PORTRAIT[0] * 72 - M, PORTRAIT[1] * 72 - M + 14, mark, fonts(BODY), ha="right", color="#444444")
    return figs + sheet.figs


def _write(figs: list, title: str) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    from .. import picture_files  # noqa: F401  its settings embed TrueType subsets (else Type 3 outlines)
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "aidgraph", "CreationDate": None,
                                 "ModDate": None}) as pdf:
        for fig in figs:
            pdf.savefig(fig)
    return buf.getvalue()


def _sections(view, by_province: bool = False) -> list[dict]:
    """The tables of the handout: the pairings (``by_province``: counted per province and prefecture),
    the tasks, the sources (each with its heading)."""
    out: list[dict[str, Any]] = []
    if view.rows and by_province:
        from ..overview import province_table
        out.append(province_table(view))
    elif view.rows and view.kind == "changes":
        from ..changes_view import change_section
        out.append(change_section(view))
    elif view.rows:
        when = f"{view.year} 年在执行" if view.year is not None else "各时期"
        # places as the pairing tables write them (大理州, 巍山县); the workbook keeps the full names
        # 所属地州市: the place's prefecture (a prefecture-level place: itself; none above it: —)
        rows = [[str(i), r["supporter"], r["place_short"], r["level"], r["prefecture_short"] or "—",
                 r["programme"], r["period"], r["cite"]] for i, r in enumerate(view.rows, 1)]
        out.append({"heading": f"结对关系（{len(rows)} 项，{when}）",
                    "cols": [("序号", 26), ("支援方", 54), ("受援地", 64), ("级别", 30), ("所属地州市", 60),
                             ("类别", 72), ("起止", 60), ("来源", 0)], "rows": rows})
    if view.front_line:  # a place's page names its supporters' front-line organisations: so does its handout
        rows = [[f["district"], f["name"], "、".join(f["names_as_written"])] for f in view.front_line]
        out.append({"heading": f"前方工作机构（{len(rows)} 个）",
                    "cols": [("区", 70), ("机构", 150), ("原文写法", 0)], "rows": rows})
    if view.tasks:
        mixed = len({(t.district, t.year) for t in view.tasks}) > 1
        rows, groups = [], {}
        last = None
        for t in view.tasks:
            section = (f"{t.district} {t.year} 年 · " if mixed else "") + (t.section or "")
            if section and section != last:
                groups[len(rows)] = section
                last = section
            rows.append([f"{kind_zh(t.kind)}{t.number}", t.title,
                         "、".join(u.name for u in t.lead_units) or "—",
                         "、".join(u.name for u in t.responsible_units) or "—"])
        docs = {d["id"]: d for d in view.sources}
        sub = "；".join(full_cite(d["number"], d["title"]) for d in
                       (docs[k] for k in dict.fromkeys(t.document for t in view.tasks) if k in docs))
        out.append({"heading": f"工作要点任务与牵头、责任单位（{len(rows)} 项）", "sub": sub,
                    "cols": [("序号", 56), ("任务", 150), ("牵头单位", 140), ("责任单位", 0)], "rows": rows,
                    "groups": groups})
    elif view.tasks_note:
        out.append({"heading": "工作要点任务", "sub": view.tasks_note, "cols": [], "rows": []})
    if view.sources:
        rows = [[d["number"] or "（无文号）", d["title"], d.get("issuer", ""), d["date"]] for d in view.sources]
        out.append({"heading": f"来源文件（{len(rows)} 件）",
                    "cols": [("文号", 116), ("标题", 210), ("发文机关", 125), ("日期", 0)], "rows": rows})
    for i, s in enumerate(out):
        s["heading"] = f"{NUMERALS[i]}、{s['heading']}"
    return out


class _Sheet:
    """A4 portrait pages that tables flow over, the header row repeated on each page."""

    def __init__(self, view, fonts):
        self.view, self.fonts, self.figs = view, fonts, []
        self.w, self.h = PORTRAIT[0] * 72, PORTRAIT[1] * 72
        self.ax: Any = None  # the current page's matplotlib axes, once a page is started
        self.y = 0.0
        self.rules: dict[tuple[str, float], list[float]] = {}  # (colour, width) -> the y of each rule on this page

    def rule(self, y: float, colour: str, width: float) -> None:
        """A rule across the page at ``y``; the page's rules are drawn together (``rules_drawn``): one
        matplotlib call per colour instead of one per table row."""
        self.rules.setdefault((colour, width), []).append(y)

    def rules_drawn(self) -> None:
        for (colour, width), ys in self.rules.items():
            self.ax.hlines(ys, M, self.w - M, color=colour, lw=width)
        self.rules = {}

    @property
    def bottom(self) -> float:
        return self.h - M - 10

    def page(self) -> None:
        from ..picture_draw import new_page, put
        if self.ax is not None:
            self.rules_drawn()
        fig, ax, _w, _h = new_page(PORTRAIT)
        self.figs.append(fig)
        self.ax = ax
        more = "（续）" if len(self.figs) > 1 else ""
        put(ax, M, M + 4, f"{self.view.title} · 会议材料{more}", self.fonts(10, True), color="#333333")
        ax.hlines(M + 10, M, self.w - M, color="#999999", lw=0.6)
        foot = (f"数据截至 {self.view.data_date}（来源文件中最新的日期） · aidgraph" if self.view.data_date
                else "aidgraph")
        put(ax, M, self.h - M + 14, foot, self.fonts(BODY), color="#444444")
        self.y = M + 30

    def need(self, height: float) -> bool:
        """A new page when ``height`` does not fit on this one; True if one was started."""
        if self.ax is None or self.y + height > self.bottom:
            self.page()
            return True
        return False

    def section(self, s: dict) -> None:
        from ..picture_draw import put
        first_row = self._row_height(s["rows"][0], s["cols"]) if s["rows"] else 0
        self.need(26 + first_row + (LINE + 2 * PAD) * 2)
        self.y += 6
        put(self.ax, M, self.y + 10, s["heading"], self.fonts(12, True))
        self.y += 20
        if s.get("sub"):
            for line in (part for para in s["sub"].split("\n") for part in wrap(para, 9, self.w - 2 * M)):
                self.need(13)
                put(self.ax, M, self.y + 9, line, self.fonts(9), color="#333333")
                self.y += 13
            self.y += 4
        if s["cols"]:
            self.table(s["cols"], s["rows"], s.get("groups", {}))
        self.y += 14

    def _widths(self, cols) -> list[float]:
        fixed = sum(w for _h, w in cols)
        return [w or (self.w - 2 * M - fixed) for _h, w in cols]

    def _cells(self, row, cols) -> list[list[str]]:
        return [wrap(str(c), BODY, w - 2 * PAD) for c, w in zip(row, self._widths(cols), strict=True)]

    def _row_height(self, row, cols) -> float:
        return max(len(c) for c in self._cells(row, cols)) * LINE + 2 * PAD

    def header(self, cols) -> None:
        from matplotlib.patches import Rectangle

        from ..picture_draw import put
        height = LINE + 2 * PAD
        self.ax.add_patch(Rectangle((M, self.y), self.w - 2 * M, height, facecolor="#e3e9f0", edgecolor="none",
                                    zorder=0))
        x = M
        for (head, _w), w in zip(cols, self._widths(cols), strict=True):
            put(self.ax, x + PAD, self.y + PAD + BODY, head, self.fonts(BODY, True))
            x += w
        self.y += height
        self.rule(self.y, "#7f8c9a", 0.7)

    def table(self, cols, rows, groups: dict[int, str]) -> None:
        from matplotlib.patches import Rectangle

        from ..picture_draw import put
        self.header(cols)
        for i, row in enumerate(rows):
            if i in groups:
                height = LINE + 2 * PAD
                if self.need(height + self._row_height(row, cols)):
                    self.header(cols)
                self.ax.add_patch(Rectangle((M, self.y), self.w - 2 * M, height, facecolor="#f1f1f1",
                                            edgecolor="none", zorder=0))
                put(self.ax, M + PAD, self.y + PAD + BODY, groups[i], self.fonts(BODY, True), color="#333333")
                self.y += height
            cells = self._cells(row, cols)
            height = max(len(c) for c in cells) * LINE + 2 * PAD
            if self.need(height):
                self.header(cols)
            x = M
            for lines, w in zip(cells, self._widths(cols), strict=True):
                for k, line in enumerate(lines):
                    put(self.ax, x + PAD, self.y + PAD + BODY + k * LINE, line, self.fonts(BODY))
                x += w
            self.y += height
            self.rule(self.y, "#cfcfcf", 0.5)


FORMATS = (Format("pdf", ".pdf", "application/pdf",
                  "PDF 会议材料(A4,图、结对表、任务与单位、来源)· PDF meeting handout", True, write),)
