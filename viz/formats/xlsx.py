"""An XLSX workbook for meetings: one sheet per table (openpyxl, imported on first use). A named view:
its own rows; a subgraph: the rows of the facts in it."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ..view import View
from .base import Format, subgraph_nodes, the_graph


def write(view: View, graph: CanonicalGraph | None, fmt: str = "xlsx", geographic: bool = False) -> bytes:
    from ..workbook import view_workbook, workbook
    return view_workbook(view) if view.kind else workbook(the_graph(graph), subgraph_nodes(view), view.title)


FORMATS = (Format("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "Excel 工作簿(结对、任务、单位、协议、来源)· Excel workbook: pairings, tasks, units, "
                  "agreements, sources", True, write),)
