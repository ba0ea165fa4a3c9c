"""One HTML page with the interactive network that works offline (vis-network inlined)."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..network import standalone_html, subgraph_view
from .base import Format


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str = "html", title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    view = subgraph_view(graph, nodes if nodes is not None else set(graph.g.nodes), title)
    return standalone_html(view, geographic=geographic).encode("utf-8")


def render_view(view, graph: CanonicalGraph, fmt: str = "html") -> bytes:
    return standalone_html(view).encode("utf-8")


FORMATS = (Format("html", ".html", "text/html; charset=utf-8",
                  "交互式网络网页(离线可用)· interactive network page that works offline", False, render, render_view),)
