"""Drawing a named view's picture pages with matplotlib's Figure API (no pyplot: pictures are drawn in
the server's worker threads): the header (title, summary, legend), the bands of the layered layout
(markers, labels with a white halo, curved links) and the footer."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from .layered_layout import MAX_GAP, least_width, panels
from .page_plan import DPI, FOOTER_PT, LEGEND_PT, MARGIN, Frame, Page, frame, legend_items, plan, summary
from .print_fonts import Fonts
from .styles import DASH_NAMES, MARKERS, NODE_EDGE, STYLE, edge_style
from .text_measure import clip, text_width
from .view import View


def _curve(x1: float, y1: float, x2: float, y2: float) -> MplPath:
    dx = (x2 - x1) * 0.5
    return MplPath([(x1, y1), (x1 + dx, y1), (x2 - dx, y2), (x2, y2)],
                   [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])


def new_page(size_in: tuple[float, float]):
    """A figure of ``size_in`` inches whose axes cover it in points, y downwards."""
    fig = Figure(figsize=size_in, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    w, h = size_in[0] * 72, size_in[1] * 72
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    return fig, ax, w, h


def put(ax, x: float, y: float, text: str, font: FontProperties, *, ha: str = "left", color: str = "#1a1a1a",
        halo: bool = False, gid: str | None = None, z: int = 4):
    """One line of text with its baseline at ``y`` (points from the top)."""
    t = ax.text(x, y, text, fontproperties=font, ha=ha, va="baseline", color=color, zorder=z, parse_math=False)
    if halo:
        t.set_bbox({"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    if gid:
        t.set_gid(gid)
    return t


def draw_header(ax, view: View, fonts: Fonts, f: Frame, page: Page | None = None) -> None:
    title = view.title + (f"（{page.number}/{page.of}）" if page and page.of > 1 else "")
    put(ax, MARGIN, MARGIN + 17, title, fonts(17, True), gid="title")
    counts = summary(view)
    if counts:
        put(ax, MARGIN, MARGIN + 38, clip(counts, 9.5, f.width), fonts(9.5), color="#333333", gid="summary")
    y = MARGIN + 62
    for line in f.legend:
        x = MARGIN
        for kind, style, text in line:
            if kind == "line":
                colour, lw, dash = style
                ax.add_line(Line2D([x, x + 24], [y - 3.2, y - 3.2], color=colour, lw=lw, linestyle=dash, zorder=2))
                x += 30
            elif kind == "marker":
                colour, marker = style
                ax.scatter([x + 4], [y - 3.2], s=49, c=colour, marker=marker, edgecolors=NODE_EDGE, linewidths=0.5,
                           zorder=3)
                x += 14
            put(ax, x, y, text, fonts(LEGEND_PT), color="#333333")
            x += text_width(text, LEGEND_PT) + 16
        y += 14


def draw_footer(ax, fonts: Fonts, f: Frame) -> None:
    for i, line in enumerate(reversed(f.footer)):
        put(ax, MARGIN, f.h - MARGIN - i * 12, line, fonts(FOOTER_PT), color="#444444")


def draw_bands(ax, view: View, page: Page, fonts: Fonts, f: Frame) -> None:
    bands = page.bands
    widths = [least_width(b) for b in bands]
    spare = max(f.width - sum(widths) - page.band_gap * (len(bands) - 1), 0)
    # spare width widens the gaps between columns (up to MAX_GAP), the rest centres the bands
    total_gaps = sum(b.gaps for b in bands)
    per_gap = min(MAX_GAP - max(b.min_gap for b in bands), spare / total_gaps) if total_gaps else 0
    used = sum(widths) + per_gap * total_gaps + page.band_gap * (len(bands) - 1)
    x0 = MARGIN + (f.width - used) / 2
    for b in bands:
        gap = b.min_gap + per_gap
        xs = {c: b.xs[c] + x0 + j * gap for j, c in enumerate(b.cols)}
        # a short view gets roomier rows (up to twice the pitch), centred in the height
        stretch = min(2.0, f.height / b.height) if b.height > 0 else 1.0
        y0 = f.top + (f.height - b.height * stretch) / 2
        pos = {i: (xs[n.col], y0 + n.y * stretch) for i, n in b.nodes.items()}
        out_x = {i: (pos[i][0] + n.r if n.left else pos[i][0] + n.r + 5 + n.width + 3) for i, n in b.nodes.items()}
        for a, c, kind in b.links:
            colour, lw, dash, _t = edge_style(view, kind)
            (_xa, ya), (xc, yc) = pos[a], pos[c]
            ax.add_patch(PathPatch(_curve(out_x[a], ya, xc - b.nodes[c].r - 1, yc), facecolor="none", edgecolor=colour,
                                   lw=lw, linestyle=dash, zorder=1, capstyle="butt"))
        for i, n in b.nodes.items():
            colour, shape, _ = STYLE.get(n.group, STYLE["Other"])
            x, y = pos[i]
            # a reference to a node drawn in another band: a hollow marker, its label in grey
            ax.scatter([x], [y], s=(2 * n.r) ** 2, c="white" if n.ref else colour, marker=MARKERS.get(shape, "o"),
                       zorder=3, edgecolors=colour if n.ref else NODE_EDGE, linewidths=0.9 if n.ref else 0.6)
            base = y + 0.36 * n.size
            gid, ink = (f"ref-{n.ref}", "#555555") if n.ref else (f"label-{i}", "#1a1a1a")
            if n.left:
                put(ax, x - n.r - 5, base, n.label, fonts(n.size), ha="right", color=ink, halo=True, gid=gid)
            else:
                put(ax, x + n.r + 5, base, n.label, fonts(n.size), color=ink, halo=True, gid=gid)
        x0 += b.width + b.gaps * gap + page.band_gap


def page_text(view: View, pages: list[Page]) -> tuple[str, str]:
    """Every character a view's pages draw (regular, bold)."""
    body = [view.note, summary(view), view.source_line, view.data_date, "数据截至（来源文件中最新的日期）第页共，见栏",
            "0123456789",
            "aidgraph…", "".join(DASH_NAMES)]
    for p in pages:
        for b in p.bands:
            body += [n.label for n in b.nodes.values()]
    body += [t for _k, _s, t in legend_items(view, panels(view))]
    return "".join(body), view.title + "（）/0123456789"


def view_figures(view: View, *, papers: tuple[str, ...] = ("A4", "A3"), pages: bool = False,
                 fonts: Fonts | None = None, marks: list[str] | None = None,
                 planned: list[Page] | None = None) -> tuple[list[Figure], Fonts]:
    """The figures of a named view's picture — one page (PNG, SVG) or A4 pages (the handout) — and the
    fonts they draw with (``planned``: its pages, when already planned)."""
    plan_pages = planned or plan(view, papers, pages=pages)
    text, bold = page_text(view, plan_pages)
    fonts = fonts or Fonts(text, bold)
    items = legend_items(view, panels(view))
    figs = []
    for k, page in enumerate(plan_pages):
        fig, ax, w, _h = new_page(page.size_in)
        f = frame(view, items, page.size_in, page, marks[k] if marks else "")
        draw_header(ax, view, fonts, f, page)
        if view.note and not view.rows and not view.tasks:
            put(ax, w / 2, f.top + f.height / 2 + 40, view.note, fonts(12), ha="center", color="#555555")
        draw_bands(ax, view, page, fonts, f)
        draw_footer(ax, fonts, f)
        figs.append(fig)
    return figs, fonts
