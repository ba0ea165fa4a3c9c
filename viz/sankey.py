"""The whole network at a glance: an alluvial (Sankey) overview of the pairings — flows from Shanghai's
districts to the provinces and on to the prefectures, each as wide as the county-level places it pairs,
coloured by programme. The layout is computed here (deterministic, no physics) and drawn two ways: as an
SVG string for the pages (``overview_svg``, every text escaped) and with matplotlib for the PNG, SVG and
PDF exports (``draw_overview`` on axes in points, y downwards; ``overview_figure`` for a whole page).

Input is a named view's pairing rows (``View.rows``: supporter, supporter_code, province, prefecture,
place, level, county_count, programme, programme_id) or a list of such rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from .text_measure import text_width
from .view import View

LABEL_PT = 10.5      # label size (points; pixels on the page)
UNIT = 4.0           # height of one county-level place
BAR = 10.0           # width of a column's bar
SPAN = 230.0         # horizontal distance between two columns' bars
PAD = 6.0            # outer margin
FALLBACK = ["#2e86c1", "#c0392b", "#27ae60", "#8e44ad", "#d68910"]
HEADS = ("上海市各区", "省（区）", "地州市")
MAX_BLOCKS = 40      # a column with more blocks keeps its largest and merges the rest into one "其他" block
BARS_PT = 720.0      # a column's bars together at most this tall: a county is UNIT tall until they fit


@dataclass
class Block:
    key: tuple[int, str]
    label: str
    col: int
    value: float = 0.0
    x: float = 0.0
    y: float = 0.0
    h: float = 0.0
    href: str = ""
    order: tuple = ()


@dataclass
class Flow:
    src: tuple[int, str]
    dst: tuple[int, str]
    programme: str
    value: float
    colour: str = "#999999"
    sy: float = 0.0   # top of the band at its source
    dy: float = 0.0   # top of the band at its target
    h: float = 0.0    # the band's width (its value times the layout's height per county)
    places: list[str] = field(default_factory=list)


@dataclass
class Overview:
    blocks: list[Block]
    flows: list[Flow]
    width: float
    height: float
    programmes: dict[str, tuple[str, str]]  # programme id -> (name, colour), those drawn
    total: float = 0.0
    counts: tuple[int, int, int] = (0, 0, 0)  # supporters, provinces, prefectures named by the rows
    merged: tuple[int, int] = (0, 0)          # supporters and prefectures merged into the "其他" blocks


def _rows(view_or_rows) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    if isinstance(view_or_rows, View):
        return list(view_or_rows.rows), dict(view_or_rows.programmes)
    rows = list(view_or_rows)
    progs: dict[str, tuple[str, str]] = {}
    for r in rows:
        pid = r.get("programme_id", r.get("programme", ""))
        progs.setdefault(pid, (r.get("programme", pid), FALLBACK[len(progs) % len(FALLBACK)]))
    return rows, progs


def overview_layout(view_or_rows) -> Overview:
    """Where each block (district, province, prefecture) and each flow goes, in points from the top left."""
    rows, progs = _rows(view_or_rows)
    blocks: dict[tuple[int, str], Block] = {}
    flows: dict[tuple, Flow] = {}
    order = {pid: i for i, pid in enumerate(progs)}

    def block(col: int, name: str, href: str, order_key: tuple) -> Block:
        b = blocks.setdefault((col, name), Block((col, name), name, col, href=href, order=order_key))
        return b

    def flow(a: Block, b: Block, pid: str, value: float, place: str) -> None:
        f = flows.setdefault((a.key, b.key, pid), Flow(a.key, b.key, pid, 0.0))
        f.value += value
        f.places.append(place)

    def area_of(r: dict) -> str:
        area = r.get("prefecture") or (r["place"] if r.get("level") in ("地级", "地区", "自治州", "盟") else "")
        return area if area and area != r["province"] else ""

    # a national graph names hundreds of supporters and prefectures: a column keeps its largest blocks
    # and merges the rest into one, so that the picture still reads at a glance
    sizes: dict[tuple[int, str], float] = {}
    for r in rows:
        value = float(r.get("county_count") or 1)
        sizes[(0, r["supporter"])] = sizes.get((0, r["supporter"]), 0.0) + value
        if area := area_of(r):
            sizes[(2, area)] = sizes.get((2, area), 0.0) + value

    def largest_first(c: int) -> list[str]:
        return sorted((k[1] for k in sizes if k[0] == c), key=lambda n: (-sizes[(c, n)], n))
    named = {c: largest_first(c) for c in (0, 2)}
    kept = {c: set(named[c] if len(named[c]) <= MAX_BLOCKS else named[c][:MAX_BLOCKS - 1]) for c in (0, 2)}
    merged = (len(named[0]) - len(kept[0]), len(named[2]) - len(kept[2]))
    other = (f"其他 {merged[0]} 个支援方", f"其他 {merged[1]} 个地州市")
    for r in rows:
        value = float(r.get("county_count") or 1)
        pid = r.get("programme_id", r.get("programme", ""))
        code = str(r.get("supporter_code", ""))
        if r["supporter"] in kept[0]:
            sup = block(0, r["supporter"], f"/district/{quote(code)}" if code else "",
                        (code.endswith("0000"), code, r["supporter"]))
        else:
            sup = block(0, other[0], "", (True, "~", other[0]))  # after the districts
        prov = block(1, r["province"], f"/network?province={quote(r['province'])}", ())
        sup.value += value
        prov.value += value
        flow(sup, prov, pid, value, r["place"])
        if area := area_of(r):
            pref = block(2, area, f"/place/{quote(area)}", ()) if area in kept[2] else block(2, other[1], "", ())
            pref.value += value
            flow(prov, pref, pid, value, r["place"])
    # districts by code; provinces by where their flows come from; prefectures by province, then size
    col = {c: [b for b in blocks.values() if b.col == c] for c in (0, 1, 2)}
    col[0].sort(key=lambda b: b.order)
    rank0 = {b.key: i for i, b in enumerate(col[0])}

    into: dict[tuple, list[Flow]] = {}  # block key -> the flows ending there, in the flows' order
    for f in flows.values():
        into.setdefault(f.dst, []).append(f)

    def centre(b: Block, rank: dict) -> float:
        ins = [(rank[f.src], f.value) for f in into.get(b.key, ()) if f.src in rank]
        return sum(r * v for r, v in ins) / sum(v for _r, v in ins) if ins else 0.0
    col[1].sort(key=lambda b: (centre(b, rank0), -b.value, b.label))
    rank1 = {b.key: i for i, b in enumerate(col[1])}
    col[2].sort(key=lambda b: (centre(b, rank1), -b.value, b.label))
    # heights: a county-level place is UNIT tall (less when the bars would pass BARS_PT); gaps keep two
    # labels a line apart
    total = sum(b.value for b in col[0])
    unit = min(UNIT, BARS_PT / total) if total else UNIT
    pitch = LABEL_PT * 1.35
    gap = max(4.0, pitch - unit * min((b.value for b in blocks.values()), default=1.0))
    top = PAD + pitch * 1.6  # the columns' headings above
    heights = {c: sum(b.value * unit for b in bs) + gap * max(len(bs) - 1, 0) for c, bs in col.items()}
    tallest = max(heights.values(), default=0.0)
    label = {c: max((text_width(_text(b), LABEL_PT) for b in bs), default=0.0) for c, bs in col.items()}
    xs = {0: PAD + label[0] + 6}
    xs[1] = xs[0] + BAR + SPAN
    xs[2] = xs[1] + BAR + SPAN
    for c, bs in col.items():
        y = top + (tallest - heights[c]) / 2
        for b in bs:
            b.x, b.y, b.h = xs[c], y, b.value * unit
            y += b.h + gap
    # bands stacked at each block in the order of the blocks at their other end
    pos = {b.key: i for bs in col.values() for i, b in enumerate(bs)}
    fl = sorted(flows.values(), key=lambda f: (pos[f.src], f.src[0], pos[f.dst], order.get(f.programme, 99)))
    out_y = {k: b.y for k, b in blocks.items()}
    in_y = {k: b.y for k, b in blocks.items()}
    for f in fl:
        f.sy, f.h = out_y[f.src], f.value * unit
        out_y[f.src] += f.h
        f.colour = progs.get(f.programme, ("", "#999999"))[1]
    for f in sorted(fl, key=lambda f: (pos[f.dst], f.dst[0], pos[f.src], order.get(f.programme, 99))):
        f.dy = in_y[f.dst]
        in_y[f.dst] += f.value * unit
    width = xs[2] + BAR + 6 + label[2] + PAD
    used = {f.programme for f in fl}
    return Overview([b for c in (0, 1, 2) for b in col[c]], fl, width, top + tallest + PAD,
                    {p: v for p, v in progs.items() if p in used}, total,
                    (len(named[0]), len(col[1]), len(named[2])), merged)


def _text(b: Block) -> str:
    return f"{b.label} {b.value:g}"


def _band(f: Flow, blocks: dict, dx: float = 0.0, dy: float = 0.0) -> list[tuple[float, float]]:
    """The band's outline: top curve from source to target, bottom curve back (cubic Bézier points)."""
    a, b = blocks[f.src], blocks[f.dst]
    x0, x1 = a.x + BAR + dx, b.x + dx
    h = f.h
    m = (x0 + x1) / 2
    y0, y1 = f.sy + dy, f.dy + dy
    return [(x0, y0), (m, y0), (m, y1), (x1, y1), (x1, y1 + h), (m, y1 + h), (m, y0 + h), (x0, y0 + h)]


def _flow_title(f: Flow, blocks: dict, progs: dict) -> str:
    names = "、".join(dict.fromkeys(f.places))
    return (f"{blocks[f.src].label} → {blocks[f.dst].label}：{f.value:g} 个县级地方"
            f"（{progs.get(f.programme, (f.programme, ''))[0]}）\n{names}")


def overview_svg(view_or_rows, *, links: bool = True, title: str = "") -> str:
    """The overview as one ``<svg>`` element (for a page): blocks and their labels (each a link to its
    page when ``links``), bands with a tooltip, the columns' headings. Every text is escaped."""
    ov = overview_layout(view_or_rows)
    blocks = {b.key: b for b in ov.blocks}
    w, h = round(ov.width), round(ov.height)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="overview" viewBox="0 0 {w} {h}" width="{w}" '
           f'height="{h}" role="img" aria-label="{escape(title or "结对总览")}" '
           'font-family="AidgraphCJK, \'Noto Sans SC\', sans-serif">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    for f in ov.flows:
        p = _band(f, blocks)
        d = (f"M{p[0][0]:.1f},{p[0][1]:.1f} C{p[1][0]:.1f},{p[1][1]:.1f} {p[2][0]:.1f},{p[2][1]:.1f} "
             f"{p[3][0]:.1f},{p[3][1]:.1f} L{p[4][0]:.1f},{p[4][1]:.1f} C{p[5][0]:.1f},{p[5][1]:.1f} "
             f"{p[6][0]:.1f},{p[6][1]:.1f} {p[7][0]:.1f},{p[7][1]:.1f} Z")
        out.append(f'<path d="{d}" fill="{escape(f.colour)}" fill-opacity="0.45" stroke="{escape(f.colour)}" '
                   f'stroke-opacity="0.7" stroke-width="0.5"><title>{escape(_flow_title(f, blocks, ov.programmes))}'
                   "</title></path>")
    heads_y = PAD + LABEL_PT
    for c, head in enumerate(HEADS):
        xs = [b.x for b in ov.blocks if b.col == c]
        if xs:
            anchor = "end" if c == 0 else "start"
            x = xs[0] + (BAR if c == 0 else 0)
            out.append(f'<text x="{x:.1f}" y="{heads_y:.1f}" font-size="{LABEL_PT}" font-weight="bold" '
                       f'text-anchor="{anchor}" fill="#333">{escape(head)}</text>')
    for b in ov.blocks:
        out.append(f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{BAR}" height="{max(b.h, 1):.1f}" fill="#34495e">'
                   f"<title>{escape(_text(b))} 个县级地方</title></rect>")
        left = b.col == 0
        x = b.x - 4 if left else b.x + BAR + 4
        y = b.y + b.h / 2 + LABEL_PT * 0.36
        text = (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{LABEL_PT}" text-anchor="{"end" if left else "start"}" '
                f'fill="#1a1a1a" stroke="#fff" stroke-width="3" paint-order="stroke">{escape(_text(b))}</text>')
        out.append(f'<a href="{escape(b.href)}">{text}</a>' if links and b.href else text)
    out.append("</svg>")
    return "".join(out)


def overview_legend(view_or_rows) -> list[tuple[str, str]]:
    """(colour, programme name) of the programmes drawn."""
    return [(c, n) for n, c in overview_layout(view_or_rows).programmes.values()]


def draw_overview(ax, view_or_rows, fonts, *, x0: float = 0.0, y0: float = 0.0, scale: float = 1.0) -> Overview:
    """The overview on matplotlib axes whose units are points, y downwards (``picture_draw.new_page``),
    its top left at (x0, y0), every length times ``scale``; ``fonts(size)`` gives a FontProperties."""
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath
    ov = overview_layout(view_or_rows)
    blocks = {b.key: b for b in ov.blocks}

    def at(x: float, y: float) -> tuple[float, float]:
        return x0 + x * scale, y0 + y * scale
    codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO,
             MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]
    for f in ov.flows:
        pts = [at(x, y) for x, y in _band(f, blocks)]
        # add_artist, not add_patch: the page's limits are fixed (new_page), and add_patch would recompute
        # the data limits from each band's curves (1.5 s of the national overview)
        ax.add_artist(PathPatch(MplPath([*pts, pts[0]], codes), facecolor=f.colour, alpha=0.45, edgecolor=f.colour,
                                lw=0.4, zorder=1))
    size = LABEL_PT * scale
    for c, head in enumerate(HEADS):
        xs = [b.x for b in ov.blocks if b.col == c]
        if xs:
            x, y = at(xs[0] + (BAR if c == 0 else 0), PAD + LABEL_PT)
            ax.text(x, y, head, fontproperties=fonts(size, True), ha="right" if c == 0 else "left", va="baseline",
                    color="#333333", parse_math=False)
    for b in ov.blocks:
        x, y = at(b.x, b.y)
        ax.add_artist(Rectangle((x, y), BAR * scale, max(b.h, 1) * scale, facecolor="#34495e", edgecolor="none",
                                zorder=2))
        left = b.col == 0
        tx, ty = at(b.x - 4 if left else b.x + BAR + 4, b.y + b.h / 2 + LABEL_PT * 0.36)
        t = ax.text(tx, ty, _text(b), fontproperties=fonts(size), ha="right" if left else "left", va="baseline",
                    color="#1a1a1a", zorder=4, parse_math=False)
        t.set_bbox({"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    return ov


def overview_text(view_or_rows) -> str:
    """Every character the overview draws (for the font subset)."""
    ov = overview_layout(view_or_rows)
    return "".join(HEADS) + "".join(_text(b) for b in ov.blocks) + "".join(n for n, _c in ov.programmes.values())


def overview_figures(view: View, fonts=None, mark: str = ""):
    """The overview as one page (A4 landscape, A3 when it needs the room): the title and what it counts,
    the programmes' colours, the flows scaled to the page, the footer with the data's date and sources.
    Returns ([figure], fonts)."""
    from .page_plan import A3_LANDSCAPE_IN, A4_LANDSCAPE_IN, FOOTER_PT, LEGEND_PT, MARGIN, footer_lines
    from .picture_draw import new_page, put
    from .print_fonts import Fonts
    ov = overview_layout(view)
    summary = (f"{ov.counts[0]} 个支援方 → {ov.counts[1]} 个省（区）→ {ov.counts[2]} 个地州市，"
               f"共 {ov.total:g} 个县级地方；带宽 = 结对的县级地方数"
               + (f"；较小的 {ov.merged[0]} 个支援方、{ov.merged[1]} 个地州市各合为一栏“其他”"
                  if any(ov.merged) else ""))
    size = A4_LANDSCAPE_IN if ov.height < 480 else A3_LANDSCAPE_IN
    if fonts is None:
        fonts = Fonts(overview_page_text(view) + summary, view.title + "".join(HEADS))  # the heads are bold
    fig, ax, w, h = new_page(size)
    put(ax, MARGIN, MARGIN + 17, view.title, fonts(17, True), gid="title")
    put(ax, MARGIN, MARGIN + 38, summary, fonts(9.5), color="#333333", gid="summary")
    x = MARGIN
    for colour, name in overview_legend(view):
        from matplotlib.patches import Rectangle
        ax.add_patch(Rectangle((x, MARGIN + 52), 18, 8, facecolor=colour, alpha=0.6, edgecolor="none"))
        put(ax, x + 22, MARGIN + 59.5, name, fonts(LEGEND_PT), color="#333333")
        x += 22 + text_width(name, LEGEND_PT) + 16
    footer = footer_lines(view, w - 2 * MARGIN, FOOTER_PT, None, mark)
    top, bottom = MARGIN + 72, h - MARGIN - 12 * len(footer) - 10
    scale = min(1.0, (w - 2 * MARGIN) / ov.width, (bottom - top) / ov.height) if ov.width and ov.height else 1.0
    draw_overview(ax, view, fonts, x0=MARGIN + (w - 2 * MARGIN - ov.width * scale) / 2, y0=top, scale=scale)
    for i, line in enumerate(reversed(footer)):
        put(ax, MARGIN, h - MARGIN - i * 12, line, fonts(FOOTER_PT), color="#444444")
    return [fig], fonts


def overview_page_text(view: View) -> str:
    """Every character of the overview's page (``overview_figures``) but its title."""
    return (overview_text(view) + "个支援方→省（区）地州市，共县级地方；带宽=结对的数0123456789 较小、各合为一栏“其他”"
            + view.source_line
            + view.data_date + "数据截至（来源文件中最新的日期）第页共，aidgraph·")
