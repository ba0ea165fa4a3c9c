"""Printable pictures, A4 landscape: PNG and SVG (matplotlib, imported on first use)."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..network import subgraph_view
from .base import Format


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    from ..picture import render as picture
    view = subgraph_view(graph, nodes if nodes is not None else set(graph.g.nodes), title)
    return picture(view, fmt, geographic=geographic)


FORMATS = (
    Format("png", ".png", "image/png", "PNG 图片(A4 横向,150 dpi)· PNG picture, A4 landscape", True, render),
    Format("svg", ".svg", "image/svg+xml", "SVG 矢量图(A4 横向)· SVG picture, A4 landscape", False, render),
)
