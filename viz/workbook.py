"""XLSX workbooks for meetings (openpyxl): one sheet per table — pairings,
tasks with their units, units, agreements, sources — with frozen, bold headers
and column widths fitted to the content."""
from __future__ import annotations

import io
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..schema.graph import CanonicalGraph

SHEETS = ("结对 Pairings", "任务 Tasks", "单位 Units", "协议 Agreements", "来源 Sources")


def tables(graph: CanonicalGraph, nodes: set[str] | None = None) -> dict[str, list[list]]:
    keep = (lambda n: True) if nodes is None else (lambda n: n in nodes)
    g = graph
    name = lambda nid: g.node(nid)["name"]  # noqa: E731
    out: dict[str, list[list]] = {s: [] for s in SHEETS}
    out["结对 Pairings"].append(["supporter 支援方", "place 受援地", "level", "prefecture 地州市", "programme 类别",
                                "from", "to", "note", "source 来源"])
    docs: set[str] = set()
    for p in sorted(g.nodes("Pairing"), key=lambda p: p["id"]):
        if not keep(p["id"]):
            continue
        place = g.out(p["id"], "SUPPORTED")[0]
        parents = g.out(place, "PART_OF")
        pref = next((name(x) for x in parents if g.node(x)["label"] == "Prefecture"), "")
        out["结对 Pairings"].append([name(g.out(p["id"], "SUPPORTER")[0]), name(place), g.node(place)["level"], pref,
                                    g.node(g.out(p["id"], "UNDER")[0])["name"], p.get("valid_from"), p.get("valid_to"),
                                    p.get("period_note") or "", p["source"]])
        docs.update(g.out(p["id"], "DERIVED_FROM"))
    out["任务 Tasks"].append(["district 区", "year 年度", "no. 序号", "kind", "section 板块", "title 任务",
                             "lead units 牵头单位", "responsible units 责任单位", "places 地点", "source 来源", "text 内容"])
    for t in sorted(g.nodes("Task"), key=lambda t: (t["id"])):
        if not keep(t["id"]):
            continue
        def units(rel):
            rows = sorted(((g.g.edges[t["id"], u, rel]["position"], g.g.edges[t["id"], u, rel]["as_written"])
                           for u in g.out(t["id"], rel)))
            return "、".join(w for _p, w in rows)
        out["任务 Tasks"].append([name(g.out(t["id"], "TASK_OF")[0]), t["year"], t["number"], t["kind"], t.get("section", ""),
                                 t["title"], units("LEAD_UNIT"), units("RESPONSIBLE_UNIT"),
                                 "、".join(name(p) for p in sorted(g.out(t["id"], "NAMES_PLACE"))), t["source"], t["text"]])
        docs.update(g.out(t["id"], "DERIVED_FROM"))
    out["单位 Units"].append(["district 区", "unit 单位", "kind", "names as written 原文写法", "leads 牵头任务数",
                             "responsible for 责任任务数", "source 来源"])
    for u in sorted(g.nodes("Unit"), key=lambda u: u["id"]):
        if not keep(u["id"]):
            continue
        out["单位 Units"].append([name(g.out(u["id"], "UNIT_OF")[0]), u["name"], u["kind"], "、".join(u["names_as_written"]),
                                 len(g.into(u["id"], "LEAD_UNIT")), len(g.into(u["id"], "RESPONSIBLE_UNIT")), u["source"]])
    out["协议 Agreements"].append(["no.", "title 协议名称", "parties 签署方", "signed 签署时间", "source 来源"])
    for a in sorted(g.nodes("Agreement"), key=lambda a: a["no"]):
        if not keep(a["id"]):
            continue
        out["协议 Agreements"].append([a["no"], a["title"], "、".join(name(p) for p in g.out(a["id"], "PARTY")),
                                      a["signed"], a["source"]])
        docs.update(g.out(a["id"], "DERIVED_FROM"))
    out["来源 Sources"].append(["id", "number 文号", "title 标题", "issuer 发文机关", "date 日期", "origin"])
    for d in sorted(g.nodes("Document"), key=lambda d: d["id"]):
        if nodes is None or d["id"] in docs or keep(d["id"]):
            out["来源 Sources"].append([d["id"].removeprefix("doc:"), d.get("number") or "文号未知", d["title"], d["issuer"], d["date"],
                                       d["origin"]])
    return out


def workbook(graph: CanonicalGraph, nodes: set[str] | None = None, title: str = "aidgraph",
             when: datetime | None = None) -> bytes:
    """``when`` dates the file (properties and zip entries; default: the newest source document's date),
    so the same data give the same bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, rows in tables(graph, nodes).items():
        ws = wb.create_sheet(sheet)
        for r in rows:
            ws.append(r)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, col in enumerate(zip(*rows) if rows else [], start=1):
            width = max(len(str(v)) * (2 if any("\u4e00" <= ch <= "\u9fff" for ch in str(v)) else 1)
                        for v in col if v is not None) if col else 8
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.properties.title = title
    when = when or data_date(graph)
    wb.properties.created = wb.properties.modified = when
    raw = io.BytesIO()
    with ZipFile(raw, "w", ZIP_DEFLATED) as archive:  # Workbook.save would stamp "modified" with the clock
        ExcelWriter(wb, archive).write_data()
    buf = io.BytesIO()
    with ZipFile(raw) as src, ZipFile(buf, "w", ZIP_DEFLATED) as dst:  # zip entries: the same date, not now
        for info in src.infolist():
            entry = ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info), compress_type=ZIP_DEFLATED)
    return buf.getvalue()


def data_date(graph: CanonicalGraph) -> datetime:
    """The date of the newest source document (1980-01-01, the earliest zip date, without one)."""
    newest = datetime(1980, 1, 1)
    for d in graph.nodes("Document"):
        try:
            newest = max(newest, datetime.fromisoformat(str(d.get("date"))[:10]))
        except ValueError:
            continue
    return newest
