"""The meeting handout: one PDF (A4, the Chinese font embedded) made from a named view — the picture
(A4 landscape, over several pages when the view needs them), the pairing table, the tasks with their
lead and responsible units, and the source documents (number and title). The pictures (and the
timeline) are drawn with matplotlib's Figure API and written with its ``PdfPages`` (TrueType subsets,
``pdf.fonttype`` 42); the tables are laid out by ``viz.sheet`` and written with fpdf2
(``viz.sheet_pdf``), which costs a fraction of matplotlib's time per line of text; pypdf joins the two
into one file. No clock in the file.

A subgraph around a centre (the experts' hops form) gets its picture as a one-page PDF."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ...schema.graph import CanonicalGraph
from ...schema.labels import kind_zh
from ...schema.sources import full_cite
from ..print_fonts import Fonts
from ..sheet import BODY, PORTRAIT, M, Sheet, SheetPage
from ..view import View
from .base import Format

NUMERALS = "一二三四五六七八九十"


def write(view: View, graph: CanonicalGraph | None = None, fmt: str = "pdf", geographic: bool = False) -> bytes:
    """A named view: the handout; a subgraph's view: its picture as one page."""
    if not view.kind:
        from ..picture import render as picture
        return picture(view, "pdf", geographic=geographic)
    return _write(handout_pages(view), view.title)


@dataclass
class HandoutPages:
    """A handout's pages: matplotlib figures (the pictures, then the timeline), then the table pages."""
    figures: list
    sheets: list[SheetPage]
    fonts: Fonts

    @property
    def pages(self) -> list:
        return [*self.figures, *self.sheets]


def page_words(page) -> list[str]:
    """The texts of one page (a figure or a table page), in the order they are drawn."""
    return page.words() if isinstance(page, SheetPage) else [t.get_text() for t in page.axes[0].texts]


def page_inches(page) -> tuple[float, float]:
    """A page's width and height in inches."""
    return page.inches if isinstance(page, SheetPage) else tuple(round(x, 2) for x in page.get_size_inches())


def page_font_sizes(page) -> list[float]:
    return [ln.size for ln in page.lines] if isinstance(page, SheetPage) else \
        [t.get_fontsize() for t in page.axes[0].texts]


def handout_pages(view) -> HandoutPages:
    """The handout's pages: the picture first, then the timeline, then the tables."""
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
    sheet = Sheet(view.title, view.data_date)
    for s in sections:
        sheet.section(s)
    timeline = []
    if timeline_text:  # the pairings over the years (viz.timeline_print), after the picture
        from ..timeline_print import figures as timeline_figures
        timeline = timeline_figures(view.timeline, fonts, view.timeline.title)
    pictures = 1 if overview else summary.page_count() if summary else len(plan)
    total = pictures + len(timeline) + len(sheet.pages)
    marks = [f"第 {i + 1} 页，共 {total} 页" for i in range(total)]
    if overview:
        from ..sankey import overview_figures
        figs, _ = overview_figures(view, fonts, marks[0])
    else:
        figs = summary.figures(fonts, marks[:pictures]) if summary else \
            view_figures(view, papers=("A4",), pages=True, fonts=fonts, marks=marks[:pictures])[0]
    for fig, mark in zip(timeline, marks[pictures:pictures + len(timeline)], strict=True):
        put(fig.axes[0], PORTRAIT[0] * 72 - M, PORTRAIT[1] * 72 - M + 14, mark, fonts(BODY), ha="right",
            color="#444444")
    for page, mark in zip(sheet.pages, marks[pictures + len(timeline):], strict=True):
        sheet.mark(page, mark)
    return HandoutPages(figs + timeline, sheet.pages, fonts)


def _write(handout: HandoutPages, title: str) -> bytes:
    """The figures through matplotlib's PdfPages, the table pages through fpdf2, joined by pypdf."""
    from matplotlib.backends.backend_pdf import PdfPages
    from pypdf import PdfReader, PdfWriter

    from .. import picture_files  # noqa: F401  its settings embed TrueType subsets (else Type 3 outlines)
    from ..sheet_pdf import sheet_pdf
    parts = []
    if handout.figures:
        buf = io.BytesIO()
        with PdfPages(buf, metadata={"CreationDate": None, "ModDate": None}) as pdf:
            for fig in handout.figures:
                pdf.savefig(fig)
        parts.append(buf.getvalue())
    if handout.sheets:
        parts.append(sheet_pdf(handout.sheets, handout.fonts))
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": title, "/Creator": "aidgraph", "/Producer": "aidgraph"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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


FORMATS = (Format("pdf", ".pdf", "application/pdf",
                  "PDF 会议材料(A4,图、结对表、任务与单位、来源)· PDF meeting handout", True, write),)
