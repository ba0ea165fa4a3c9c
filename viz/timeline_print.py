"""A timeline (``viz.timeline``) on A4 portrait pages of the meeting handout, drawn with matplotlib: the
same rows, bands, line styles, hatched uncovered years and legend as the pages' SVG
(``viz.timeline_svg``), in black outlines and the programmes' line styles so it reads in greyscale.
The bands' sources are in the handout's pairing table and source list; each band names its period."""
from __future__ import annotations

from .styles import DASHES
from .timeline import Timeline
from .timeline_svg import lanes

PORTRAIT = (8.27, 11.69)
M = 40.0
LABEL_W = 92.0
HEAD = 60.0
LANE = 24.0
BAR = 6.5       # the bar's thickness, in points
FOOT = 70.0     # room left for the legend on the last page


def figures(t: Timeline, fonts, heading: str) -> list:
    """The timeline's pages (most need one). ``fonts``: a ``print_fonts.Fonts`` holding ``t.texts()``."""
    from matplotlib.patches import Rectangle

    from .picture_draw import new_page, put
    w, h = PORTRAIT[0] * 72, PORTRAIT[1] * 72
    years = t.last - t.first + 1
    year_w = (w - 2 * M - LABEL_W) / years
    laid = [(r, lanes(r.bands, t.first, t.last)) for r in t.rows]
    pages: list[list] = [[]]
    room = h - M - HEAD - M - FOOT
    used = 0.0
    for r, ls in laid:
        need = max(1, len(ls)) * LANE
        if used + need > room and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append((r, ls))
        used += need

    def x(year: float) -> float:
        return M + LABEL_W + (year - t.first) * year_w

    figs = []
    for n, page in enumerate(pages):
        fig, ax, _w, _h = new_page(PORTRAIT)
        figs.append(fig)
        more = "（续）" if n else ""
        put(ax, M, M + 10, f"{heading}{more}", fonts(12, True))
        top = M + HEAD - 8
        bottom = top + 8 + sum(max(1, len(ls)) * LANE for _r, ls in page)
        for a, z, _note in t.uncovered_spans:
            ax.add_patch(Rectangle((x(a), top), (z - a + 1) * year_w, bottom - top, facecolor="#f2f2f2",
                                   edgecolor="#bbbbbb", hatch="///", lw=0, zorder=0))
        for y in range(t.first, t.last + 1):
            major = y % 5 == 0 or y == t.first
            ax.vlines(x(y), top, bottom, color="#9a9a9a" if major else "#dddddd", lw=0.6 if major else 0.4, zorder=1)
            if major:
                put(ax, x(y) + 1.5, top - 4, str(y), fonts(8), color="#333333")
        if t.year is not None and t.first <= t.year <= t.last:
            ax.add_patch(Rectangle((x(t.year), top), year_w, bottom - top, fill=False, edgecolor="#222222", lw=1.0,
                                   zorder=5))
        y0 = top + 8
        for r, ls in page:
            hgt = max(1, len(ls)) * LANE
            put(ax, M, y0 + LANE - 7, r.label, fonts(8.5, True))
            for i, lane in enumerate(ls):
                for b in lane:
                    p = t.programmes[b.programme_id]
                    lo, hi = b.valid_from or t.first, b.valid_to or t.last
                    yb = y0 + i * LANE
                    put(ax, x(lo) + 1, yb + 9, f"{b.period} {b.programme}", fonts(8), color="#222222")
                    ax.add_patch(Rectangle((x(lo) + 0.8, yb + 13), x(hi + 1) - x(lo) - 1.6, BAR, facecolor="white",
                                           edgecolor="#333333", lw=0.5, zorder=3))
                    ax.hlines(yb + 13 + BAR / 2, x(lo) + 1.5, x(hi + 1) - 1.5, color=p.colour, lw=BAR * 0.8,
                              linestyles=[DASHES[p.style % len(DASHES)]], zorder=4)
                    if b.valid_to is None:
                        mid = yb + 13 + BAR / 2
                        ax.annotate("", xy=(x(hi + 1) + 7, mid), xytext=(x(hi + 1) - 1, mid),
                                    arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 0.8}, zorder=4)
            y0 += hgt
            ax.hlines(y0, M, w - M, color="#dddddd", lw=0.5, zorder=1)
        if n == len(pages) - 1:
            ly = y0 + 18
            for p in t.programmes.values():
                ax.add_patch(Rectangle((M, ly - 6), 40, BAR, facecolor="white", edgecolor="#333333", lw=0.5))
                ax.hlines(ly - 6 + BAR / 2, M + 0.7, M + 39.3, color=p.colour, lw=BAR * 0.8,
                          linestyles=[DASHES[p.style % len(DASHES)]])
                put(ax, M + 48, ly, f"{p.name}（{p.style_name}）", fonts(8))
                ly += 13
            ax.add_patch(Rectangle((M, ly - 8), 40, 9, facecolor="#f2f2f2", edgecolor="#bbbbbb", hatch="///", lw=0.5))
            spans = "；".join(f"{a}–{z}" if a != z else str(a) for a, z, _n in t.uncovered_spans)
            put(ax, M + 48, ly, f"来源未覆盖的年份：{spans}（数据截至 {t.data_date}）", fonts(8))
    return figs
