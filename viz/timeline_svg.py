"""A timeline (``viz.timeline``) as inline SVG text for the pages: one row per supporter or place, each
period a band in its programme's colour and line style (the pictures' order: solid, dashed, dotted,
dash-dot, so programmes stay apart in greyscale), its period and programme written above it, its
sources in a tooltip (``<title>``); years no source covers hatched, with their note in a tooltip; the
page's year marked. Every text is escaped; the same timeline gives the same bytes. No script."""
from __future__ import annotations

from html import escape

from .timeline import Band, Timeline

LABEL_W = 96.0    # the row labels' column (8 characters)
YEAR_W = 22.0     # one year
HEAD = 34.0       # the year scale
LANE = 30.0       # one band: its text line and its bar
BAR = 9.0
LEGEND = 24.0
PAD = 12.0
RIGHT = 26.0      # room after the last year: the arrow of a pairing in force to now, the last year's number
# stroke dash patterns for a bar BAR wide, by the programme's line style (viz.styles.DASHES order)
SVG_DASHES = ("", "14 5", "3 4", "16 4 3 4")


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def lanes(bands: tuple[Band, ...], first: int, last: int) -> list[list[Band]]:
    """The bands of one row in lanes, none overlapping another in its lane (first fit, in order)."""
    out: list[list[tuple[int, int, Band]]] = []
    for b in bands:
        lo, hi = b.valid_from or first, b.valid_to or last
        for lane in out:
            if all(hi < a or lo > z for a, z, _b in lane):
                lane.append((lo, hi, b))
                break
        else:
            out.append([(lo, hi, b)])
    return [[b for _a, _z, b in lane] for lane in out]


def tooltip(b: Band) -> str:
    """What hovering a band shows: programme, period, how it reaches the place, sources."""
    return "\n".join(p for p in (f"{b.programme} {b.period}", b.note, f"来源：{b.cite}") if p)


def render(t: Timeline) -> str:
    """The SVG element (text), sized in CSS pixels."""
    years = t.last - t.first + 1
    width = max(LABEL_W + years * YEAR_W + RIGHT, 300.0)
    rows = [(r, lanes(r.bands, t.first, t.last)) for r in t.rows]
    body_h = sum(max(1, len(ls)) * LANE for _r, ls in rows) + 6
    legend_rows = len(t.programmes) + 1
    height = HEAD + body_h + legend_rows * LEGEND + PAD

    def x(year: float) -> float:
        return LABEL_W + (year - t.first) * YEAR_W

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-labelledby="tl-title" '
           f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-size="12" '
           # never narrower than drawn (a phone scrolls it in its box), at most half as large again on a wide screen
           f'style="width: 100%; height: auto; min-width: {width:.0f}px; max-width: {width * 1.5:.0f}px">',
           f'<title id="tl-title">{_a(t.title)}</title>',
           '<defs><pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#c8c8c8" stroke-width="2"/></pattern></defs>']
    top, bottom = HEAD - 6, HEAD + body_h
    for a, z, note in t.uncovered_spans:  # years no source covers
        out.append(f'<g class="uncovered"><title>{_a(f"{a}–{z}：{note}" if a != z else f"{a}：{note}")}</title>'
                   f'<rect x="{x(a):.1f}" y="{top:.1f}" width="{(z - a + 1) * YEAR_W:.1f}" '
                   f'height="{bottom - top:.1f}" fill="url(#tl-hatch)"/></g>')
    for y in range(t.first, t.last + 1):
        major = y % 5 == 0 or y == t.first
        out.append(f'<line x1="{x(y):.1f}" y1="{top:.1f}" x2="{x(y):.1f}" y2="{bottom:.1f}" '
                   f'stroke="{"#b5b5b5" if major else "#e4e4e4"}" stroke-width="1"/>')
        if major:
            out.append(f'<text x="{x(y) + 2:.1f}" y="{HEAD - 12:.1f}" fill="#333">{y}</text>')
    if t.year is not None and t.first <= t.year <= t.last:
        out.append(f'<g class="year-mark"><title>{_a(f"本页所示年份：{t.year}")}</title>'
                   f'<rect x="{x(t.year):.1f}" y="{top:.1f}" width="{YEAR_W:.1f}" height="{bottom - top:.1f}" '
                   f'fill="none" stroke="#222" stroke-width="1.5"/></g>')
    y0 = HEAD
    for r, ls in rows:
        h = max(1, len(ls)) * LANE
        out.append(f'<line x1="0" y1="{y0 + h:.1f}" x2="{width:.1f}" y2="{y0 + h:.1f}" stroke="#ddd"/>')
        out.append(f'<a href="{_a(r.href)}"><text x="4" y="{y0 + LANE - 9:.1f}" fill="#0b4f8a">'
                   f'{_a(r.label)}</text></a>')
        for i, lane in enumerate(ls):
            yb = y0 + i * LANE
            for b in lane:
                out.append(_band(t, b, yb, x))
        y0 += h
    yl = bottom + PAD
    for p in t.programmes.values():
        dash = SVG_DASHES[p.style % len(SVG_DASHES)]
        out.append(f'<line x1="4" y1="{yl + 8:.1f}" x2="56" y2="{yl + 8:.1f}" stroke="{_a(p.colour)}" '
                   f'stroke-width="{BAR}"' + (f' stroke-dasharray="{dash}"' if dash else "") + '/>'
                   f'<text x="64" y="{yl + 12:.1f}" fill="#222">{_a(p.name)}（{_a(p.style_name)}）</text>')
        yl += LEGEND
    spans = "；".join(f"{a}–{z}" if a != z else str(a) for a, z, _note in t.uncovered_spans)
    out.append(f'<rect x="4" y="{yl + 1:.1f}" width="52" height="14" fill="url(#tl-hatch)" stroke="#bbb"/>'
               f'<text x="64" y="{yl + 12:.1f}" fill="#222">来源未覆盖：{_a(spans)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _band(t: Timeline, b: Band, y: float, x) -> str:
    p = t.programmes[b.programme_id]
    lo, hi = b.valid_from or t.first, b.valid_to or t.last
    x1, x2 = x(lo) + 1, x(hi + 1) - 1
    dash = SVG_DASHES[p.style % len(SVG_DASHES)]
    parts = [f'<g class="band"><title>{_a(tooltip(b))}</title>',
             f'<text x="{x1:.1f}" y="{y + 11:.1f}" font-size="10.5" fill="#333">'
             f'{_a(b.period)} {_a(b.programme)}</text>',
             f'<line x1="{x1:.1f}" y1="{y + 19:.1f}" x2="{x2:.1f}" y2="{y + 19:.1f}" stroke="{_a(p.colour)}" '
             f'stroke-width="{BAR}"' + (f' stroke-dasharray="{dash}"' if dash else "") + '/>',
             f'<rect x="{x1:.1f}" y="{y + 19 - BAR / 2:.1f}" width="{x2 - x1:.1f}" height="{BAR}" fill="none" '
             f'stroke="#555" stroke-width="0.6"/>']
    if b.valid_to is None:  # in force to now: an arrow at the scale's end
        parts.append(f'<path d="M{x2:.1f},{y + 12:.1f} L{x2 + 8:.1f},{y + 19:.1f} L{x2:.1f},{y + 26:.1f} Z" '
                     f'fill="{_a(p.colour)}" stroke="#555" stroke-width="0.6"/>')
    parts.append("</g>")
    return "".join(parts)
