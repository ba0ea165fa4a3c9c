"""Printable pictures: PNG and SVG (matplotlib, imported on first use). A named view: the layered
layout on A4 landscape (A3 when it needs more room); a subgraph around a centre: A4 landscape."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..view import View
from .base import Format


def write(view: View, graph: CanonicalGraph | None, fmt: str, geographic: bool = False) -> bytes:
    from ..picture import render as picture
    return picture(view, fmt, geographic=geographic)


FORMATS = (
    Format("png", ".png", "image/png", "PNG 图片(A4 横向,150 dpi;内容多时 A3)· PNG picture, A4 landscape",
           True, write),
    Format("svg", ".svg", "image/svg+xml", "SVG 矢量图(A4 横向,文字可检索)· SVG picture, A4 landscape",
           False, write),
)
