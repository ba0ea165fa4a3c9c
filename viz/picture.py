"""Printable pictures (PNG, SVG) of a display view with matplotlib: A4 landscape,
title, date, legend and source line, Chinese labels in Noto Sans SC (shipped
by the ``justmytype-intl-cjk`` package, SIL Open Font License)."""
from __future__ import annotations

import io
import logging
from datetime import date
from importlib.resources import files

import matplotlib
import networkx as nx
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D

from .network import STYLE, View, geo_positions

A4_LANDSCAPE_IN = (11.69, 8.27)
DPI = 150
MARKERS = {"star": "*", "box": "s", "ellipse": "o", "dot": "o", "square": "s", "triangle": "^", "diamond": "D"}


logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # a variable font has no "normal" weight entry

# Pictures are drawn in the server's worker threads: no pyplot (its figure registry is global state) and no
# rcParams changed per call. The two SVG settings below have no per-figure option, so they are set here,
# once, when the module is imported (import is serialised by Python's import lock).
matplotlib.rcParams["svg.fonttype"] = "path"  # the SVG carries the glyphs: no font needed to view it
matplotlib.rcParams["svg.hashsalt"] = "aidgraph"  # fixed SVG ids: the same bytes in every process


def _register_cjk_font() -> str:
    """Register the CJK font with matplotlib (once, at import) and return its family name."""
    path = files("justmytype_intl_cjk").joinpath("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
    font_manager.fontManager.addfont(str(path))
    return FontProperties(fname=str(path)).get_name()


_CJK_FAMILY = _register_cjk_font()


def cjk_font() -> str:
    """The family name of the CJK font the pictures use."""
    return _CJK_FAMILY


def _font(size: float) -> FontProperties:
    """The pictures' font at ``size`` points: Noto Sans SC, DejaVu Sans for any glyph it lacks."""
    return FontProperties(family=[_CJK_FAMILY, "DejaVu Sans"], size=size)


def render(view: View, fmt: str = "png", *, geographic: bool = False, today: date | None = None) -> bytes:
    """``today``: the date printed in the footer (default: the date of the data the view was made from)."""
    g = nx.DiGraph()
    for n in view.nodes:
        g.add_node(n["id"])
    for e in view.edges:
        if e["from"] in g and e["to"] in g:
            g.add_edge(e["from"], e["to"])
    pos = geo_positions(view) if geographic else {}
    free = [n for n in g if n not in pos]
    if free:
        layout = nx.spring_layout(g, seed=7, k=1.6 / max(len(g), 1) ** 0.5, iterations=200,
                                  pos=pos or None, fixed=list(pos) or None)
        pos = {**layout, **pos}
    fig = Figure(figsize=A4_LANDSCAPE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for e in view.edges:
        if e["from"] in pos and e["to"] in pos:
            (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                        arrowprops={"arrowstyle": "-|>", "color": view.programmes.get(e["kind"], ("", "#b0b0b0"))[1],
                                    "lw": 0.8, "linestyle": "--" if e.get("dashes") else "-", "shrinkA": 6, "shrinkB": 6})
    small = len(view.nodes) > 80
    label_font = _font(5 if small else 7)
    for n in view.nodes:
        colour, shape, _ = STYLE.get(n["group"], STYLE["Other"])
        x, y = pos[n["id"]]
        ax.scatter([x], [y], s=60 if small else 120, c=colour, marker=MARKERS.get(shape, "o"), zorder=3,
                   edgecolors="white", linewidths=0.5)
        ax.text(x, y, "  " + n["label"][:24], fontproperties=label_font, va="center", zorder=4)
    groups = [gname for gname in STYLE if any(n["group"] == gname for n in view.nodes)]
    handles = [Line2D([0], [0], marker=MARKERS.get(STYLE[gname][1], "o"), color="w", markerfacecolor=STYLE[gname][0],
                      markersize=8, label=STYLE[gname][2]) for gname in groups]
    handles += [Line2D([0], [0], color=c, label=name) for k, (name, c) in sorted(view.programmes.items())
                if any(e["kind"] == k for e in view.edges)]
    ax.legend(handles=handles, loc="lower left", prop=_font(7), frameon=True)
    ax.set_title(view.title, fontproperties=_font(14))
    fig.text(0.01, 0.01, f"{view.source_line} · aidgraph · 数据截至 {(today or (date.fromisoformat(view.data_date) if view.data_date else date.today())).isoformat()}",
             fontproperties=_font(7), color="#555")
    ax.set_axis_off()
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=DPI, metadata={"Date": None})  # no timestamp in the file
    return buf.getvalue()
