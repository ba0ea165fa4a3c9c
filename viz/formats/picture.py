"""Printable pictures: PNG and SVG (matplotlib, imported on first use). A named view: the layered
layout on A4 landscape (A3 when it needs more room); a subgraph around a centre: A4 landscape."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..network import subgraph_view
from .base import Format


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    from ..picture import render as picture
    view = subgraph_view(graph, nodes if nodes is not None else set(graph.g.nodes), title)
    return picture(view, fmt, geographic=geographic)


def render_view(view, graph: CanonicalGraph, fmt: str) -> bytes:
    from ..picture import render as picture
    return picture(view, fmt)


FORMATS = (
    Format("png", ".png", "image/png", "PNG 图片(A4 横向,150 dpi;内容多时 A3)· PNG picture, A4 landscape",
           True, render, render_view),
    Format("svg", ".svg", "image/svg+xml", "SVG 矢量图(A4 横向,文字可检索)· SVG picture, A4 landscape",
           False, render, render_view),
)
