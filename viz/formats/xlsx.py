"""An XLSX workbook for meetings: one sheet per table (openpyxl, imported on first use)."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from .base import Format


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str = "xlsx", title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    from ..workbook import workbook
    return workbook(graph, nodes, title)


def render_view(view, graph: CanonicalGraph, fmt: str = "xlsx") -> bytes:
    from ..workbook import view_workbook
    return view_workbook(view)


FORMATS = (Format("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "Excel 工作簿(结对、任务、单位、协议、来源)· Excel workbook: pairings, tasks, units, "
                  "agreements, sources", True, render, render_view),)
