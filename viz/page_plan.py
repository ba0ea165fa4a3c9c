"""Page planning of a named view's picture: which paper (A4 landscape, then A3), which label scale and
spacing, and how the bands go onto pages (side by side on one page, or over several A4 pages for the
handout) — and where a page's parts go: the title and summary, the legend, the drawing, the footer with
the data's date and the sources."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..schema.labels import GROUP_ZH
from .layered_layout import Band, Panel, all_bands, least_width, panels, ref_label
from .styles import DASH_NAMES, MARKERS, REL_STYLE, STYLE, edge_style
from .text_measure import text_width, wrap
from .view import View

A4_LANDSCAPE_IN = (11.69, 8.27)
A3_LANDSCAPE_IN = (16.54, 11.69)
A4_PORTRAIT_IN = (8.27, 11.69)
PAPERS = {"A4": A4_LANDSCAPE_IN, "A3": A3_LANDSCAPE_IN}
DPI = 150
MARGIN = 30.0
LEGEND_PT, FOOTER_PT = 9.0, 8.5


@dataclass
class Page:
    size_in: tuple[float, float]
    bands: list[Band]
    scale: float
    number: int = 1
    of: int = 1
    band_gap: float = 40.0


@dataclass
class Frame:
    """Where a page's parts go (points from the top left)."""
    w: float
    h: float
    legend: list[list[tuple[str, Any, str]]]  # the legend's lines
    footer: list[str]
    top: float = 0.0     # the drawing's box
    height: float = 0.0

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN


def frame(view: View, items: list, size_in: tuple[float, float], page: Page | None = None, mark: str = "") -> Frame:
    w, h = size_in[0] * 72, size_in[1] * 72
    lines: list[list] = [[]]
    x = 0.0
    for item in items:
        kind, _style, text = item
        need = (30 if kind == "line" else 14 if kind == "marker" else 0) + text_width(text, LEGEND_PT) + 16
        if lines[-1] and x + need > w - 2 * MARGIN:
            lines.append([])
            x = 0.0
        lines[-1].append(item)
        x += need
    footer = footer_lines(view, w - 2 * MARGIN, FOOTER_PT, page, mark)
    f = Frame(w, h, lines if items else [], footer)
    f.top = MARGIN + 62 + 14 * len(f.legend) + 8
    f.height = h - MARGIN - 12 * len(footer) - 20 - f.top
    return f


TRIES = ((1.0, 42.0, 40.0), (0.92, 42.0, 40.0), (0.85, 42.0, 40.0), (0.85, 28.0, 24.0))  # scale, gaps


def plan(view: View, papers: tuple[str, ...] = ("A4", "A3"), *, pages: bool = False) -> list[Page]:
    """The pages of a view's picture: the first paper, label scale and spacing on which every band fits on
    one page; with ``pages`` (the handout: A4 only), the bands at full size over as many pages as they
    need. A view larger than the largest paper gets one page as wide or as tall as it needs. A reference
    to a node drawn in another band says where: 第 n 栏 of the page (counted from the left), or its page."""
    return _name_refs(_plan(view, papers, pages=pages))


def _name_refs(pages: list[Page]) -> list[Page]:
    where = {i: (p.number, k + 1) for p in pages for k, b in enumerate(p.bands)
             for i, n in b.nodes.items() if not n.ref}
    for p in pages:
        for b in p.bands:
            for n in b.nodes.values():
                if n.ref:
                    page, column = where[n.ref]
                    n.label = ref_label(n.name, column, page if page != p.number else 0)
                    n.width = text_width(n.label, n.size)
    return pages


def _plan(view: View, papers: tuple[str, ...], *, pages: bool) -> list[Page]:
    ps = panels(view)
    items = legend_items(view, ps)
    view_nodes = {n["id"]: n for n in view.nodes}
    last = None
    for paper in papers:
        size = PAPERS[paper]
        for scale, gap, band_gap in TRIES:
            f = frame(view, items, size, Page(size, [], scale, 1, 2 if pages else 1))
            bands = all_bands(ps, view_nodes, scale, f.height)
            if bands is None:
                continue
            for b in bands:
                b.min_gap = gap
            widths = [least_width(b) for b in bands]
            if sum(widths) + band_gap * (len(bands) - 1) <= f.width:
                return [Page(size, bands, scale, band_gap=band_gap)]
            if pages:
                return _paginate(size, bands, scale, f.width, band_gap)
            last = (size, bands, scale, band_gap)
    if last is None:  # taller than the largest paper: a page as tall as the view needs
        size = PAPERS[papers[-1]]
        scale, gap, band_gap = TRIES[-1]
        bands = all_bands(ps, view_nodes, scale, 1e9) or []
        for b in bands:
            b.min_gap = gap
        need = max((b.height for b in bands), default=0.0)
        size = (size[0], size[1] + max(0.0, need - frame(view, items, size).height) / 72 + 0.1)
        last = (size, bands, scale, band_gap)
    size, bands, scale, band_gap = last
    total = sum(least_width(b) for b in bands) + band_gap * (len(bands) - 1)
    if pages:
        return _paginate(size, bands, scale, frame(view, items, size).width, band_gap)
    return [Page((max(size[0], (total + 2 * MARGIN) / 72 + 0.1), size[1]), bands, scale, band_gap=band_gap)]


def _paginate(size, bands: list[Band], scale: float, width: float, band_gap: float) -> list[Page]:
    groups: list[list[Band]] = []
    cur: list[Band] = []
    used = 0.0
    for b in bands:
        bw = least_width(b)
        if cur and used + band_gap + bw > width:
            groups.append(cur)
            cur, used = [], 0.0
        cur.append(b)
        used += (band_gap if used else 0.0) + bw
    if cur:
        groups.append(cur)
    return [Page(size, g, scale, i + 1, len(groups), band_gap) for i, g in enumerate(groups)]


def summary(view: View) -> str:
    """One line under the title: what the picture counts."""
    if view.note and not view.rows and not view.tasks:
        return view.note
    parts = []
    if view.rows:
        by_level: dict[str, int] = {}
        by_prog: dict[str, int] = {}
        for r in view.rows:
            by_level[r["level"]] = by_level.get(r["level"], 0) + 1
            by_prog[r["programme"]] = by_prog.get(r["programme"], 0) + 1
        parts.append("结对地方：" + "、".join(f"{k} {v} 个" for k, v in by_level.items()))
        parts.append("、".join(f"{k} {v}" for k, v in by_prog.items()))
        sups = {r["supporter"] for r in view.rows}
        if len(sups) > 1:
            parts.append(f"支援方 {len(sups)} 个")
    tasks = [n for n in view.nodes if n["group"] == "Task"]
    if tasks:
        units = [n for n in view.nodes if n["group"] == "Unit"]
        parts.append(f"任务 {len(tasks)} 项、单位 {len(units)} 个")
    return " · ".join(parts)


def legend_items(view: View, ps: list[Panel]) -> list[tuple[str, Any, str]]:
    """(kind of sample, style, text) of the legend: the programmes and relations drawn, the node kinds."""
    kinds = list(dict.fromkeys(k for p in ps for _a, _b, k in p.links))
    order = list(view.programmes) + list(REL_STYLE)
    items: list[tuple[str, Any, str]] = []  # the style: (colour, width, dash), (colour, marker) or None
    for k in sorted(kinds, key=lambda k: order.index(k) if k in order else 99):
        colour, lw, dash, text = edge_style(view, k)
        if k in view.programmes:
            i = list(view.programmes).index(k)
            text = f"{text}（{DASH_NAMES[i % len(DASH_NAMES)]}）"
        items.append(("line", (colour, lw, dash), text))
    groups = list(dict.fromkeys(n.group for p in ps for n in p.nodes.values()))
    for g in sorted(groups, key=lambda g: list(STYLE).index(g) if g in STYLE else 99):
        colour, shape, _ = STYLE.get(g, STYLE["Other"])
        items.append(("marker", (colour, MARKERS.get(shape, "o")), GROUP_ZH.get(g, g)))
    if any(n.group in ("District", "Prefecture", "Municipality") for p in ps for n in p.nodes.values()):
        items.append(("note", None, "圆点大小：结对的县级地方数"))
    if any(n.group == "Unit" for p in ps for n in p.nodes.values()):
        items.append(("note", None, "单位符号大小：涉及的任务数"))
    return items


def footer_lines(view: View, width: float, size: float, page: Page | None = None, mark: str = "") -> list[str]:
    date_text = f"数据截至 {view.data_date}（来源文件中最新的日期）" if view.data_date else ""
    src = view.source_line or ""
    tail = mark or (f"第 {page.number} 页，共 {page.of} 页" if page and page.of > 1 else "")
    text = "  ·  ".join(x for x in (date_text, src, tail, "aidgraph") if x)
    return wrap(text, size, width)
