"""Printable pictures (PNG, SVG, PDF pages) of a display view: the entry point.

A named view (``viz.views``) is drawn in layers (``layered_layout``) on the pages ``page_plan`` chooses
— A4 landscape, A3 when it needs more room, bands side by side rather than smaller labels — by
``picture_draw``, and saved by ``picture_files``; labels are at least 8.5 pt on the printed page. Each
programme has its colour (from the graph) and a line style of its own (``styles``). The title says what
the picture shows, the footer gives the data's date and the sources as document numbers.

A subgraph around a centre (the experts' hops form) keeps the force layout of before.

Text is Noto Sans SC (``print_fonts``); no clock reaches the files.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .geo_layout import geo_positions
from .layered_layout import MIN_LABEL_PT
from .overview import render_overview, summarised
from .page_plan import A4_LANDSCAPE_IN, DPI
from .picture_draw import view_figures
from .picture_files import save
from .print_fonts import Fonts
from .styles import MARKERS, STYLE
from .view import View


def render(view: View, fmt: str = "png", *, geographic: bool = False, today: date | None = None) -> bytes:
    """The view as one picture (png or svg; pdf: one page). A named view (``view.kind``) gets the layered
    layout; a subgraph around a centre the force layout. ``today``: the date printed in the footer
    (default: the date of the data the view was made from)."""
    if view.kind == "overview":
        from .sankey import overview_figures
        figs, fonts = overview_figures(view)
        return save(figs[0], fmt, fonts)
    if view.kind and not geographic:
        if summarised(view):  # too many places to draw one by one: the overview, which says so
            return render_overview(view, fmt)
        figs, fonts = view_figures(view)
        return save(figs[0], fmt, fonts)
    return _render_subgraph(view, fmt, geographic=geographic, today=today)


def _render_subgraph(view: View, fmt: str, *, geographic: bool, today: date | None) -> bytes:
    import networkx as nx
    g: nx.DiGraph = nx.DiGraph()
    for n in view.nodes:
        g.add_node(n["id"])
    for e in view.edges:
        if e["from"] in g and e["to"] in g:
            g.add_edge(e["from"], e["to"])
    pos: dict[str, Any] = geo_positions(view) if geographic else {}
    free = [n for n in g if n not in pos]
    if free:
        layout = nx.spring_layout(g, seed=7, k=1.6 / max(len(g), 1) ** 0.5, iterations=200,
                                  pos=pos or None, fixed=list(pos) or None)
        pos = {**layout, **pos}
    when = (today or (date.fromisoformat(view.data_date) if view.data_date else date.today())).isoformat()
    footer = f"{view.source_line} · aidgraph · 数据截至 {when}"
    labels = [n["label"][:24] for n in view.nodes]
    text = "".join(labels) + view.title + footer + "".join(STYLE[g][2] for g in STYLE) + \
        "".join(name for name, _ in view.programmes.values())
    fonts = Fonts(text, view.title)
    fig = Figure(figsize=A4_LANDSCAPE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for e in view.edges:
        if e["from"] in pos and e["to"] in pos:
            (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                        arrowprops={"arrowstyle": "-|>", "color": view.programmes.get(e["kind"], ("", "#b0b0b0"))[1],
                                    "lw": 0.8, "linestyle": "--" if e.get("dashes") else "-",
                                    "shrinkA": 6, "shrinkB": 6})
    label_font = fonts(MIN_LABEL_PT if len(view.nodes) > 80 else 9)
    for n, label in zip(view.nodes, labels, strict=True):
        colour, shape, _ = STYLE.get(n["group"], STYLE["Other"])
        x, y = pos[n["id"]]
        ax.scatter([x], [y], s=60 if len(view.nodes) > 80 else 120, c=colour, marker=MARKERS.get(shape, "o"), zorder=3,
                   edgecolors="white", linewidths=0.5)
        ax.text(x, y, "  " + label, fontproperties=label_font, va="center", zorder=4, parse_math=False)
    groups = [gname for gname in STYLE if any(n["group"] == gname for n in view.nodes)]
    handles = [Line2D([0], [0], marker=MARKERS.get(STYLE[gname][1], "o"), color="w", markerfacecolor=STYLE[gname][0],
                      markersize=8, label=STYLE[gname][2]) for gname in groups]
    handles += [Line2D([0], [0], color=c, label=name) for k, (name, c) in sorted(view.programmes.items())
                if any(e["kind"] == k for e in view.edges)]
    ax.legend(handles=handles, loc="lower left", prop=fonts(8.5), frameon=True)
    ax.set_title(view.title, fontproperties=fonts(14, True))
    fig.text(0.01, 0.01, footer, fontproperties=fonts(8.5), color="#555")
    ax.set_axis_off()
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, fmt, fonts)
