"""One HTML page with the interactive network that works offline (vis-network inlined)."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..network import standalone_html
from ..view import View
from .base import Format


def write(view: View, graph: CanonicalGraph | None, fmt: str = "html", geographic: bool = False) -> bytes:
    return standalone_html(view, geographic=geographic).encode("utf-8")


FORMATS = (Format("html", ".html", "text/html; charset=utf-8",
                  "交互式网络网页(离线可用)· interactive network page that works offline", False, write),)
