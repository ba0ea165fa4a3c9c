"""XLSX workbooks for meetings (openpyxl): one sheet per table — pairings, tasks with their units,
units, agreements, sources — Chinese headers and values (县级/地级, 任务/保障措施), the sources as
document numbers, pairings by programme, prefecture and place, tasks in the natural order of their
numbers (1, 2, … 10), and every sheet ready to print: bold frozen header row repeated on each page,
auto-filter, A4 landscape fitted to the page width, column widths fitted to the content.

Years are numbers, so a spreadsheet filters them as numbers (终止年 ≥ 2025): 终止年 is empty where a
period runs on with no end stated, and the column 至今 says so (是 / 否) — never text in a column of
years. 所属地州市 is the place's prefecture (a prefecture-level place: itself; none above it: empty) and
所属省份 its province.

A named view (``viz.views``) gives its own rows, its own first (a district's export starts with that
district's pairings); a subgraph gives the rows of the facts in it."""
from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..schema.graph import CanonicalGraph
from ..schema.labels import kind_zh, level_zh
from ..schema.text import starts_formula
from .citations import cite_short

SHEETS = ("结对关系", "工作任务", "单位", "合作协议", "来源文件")
PAIRING_HEAD = ["支援方", "受援地", "级别", "所属地州市", "所属省份", "类别", "起始年", "终止年", "至今", "说明",
                "来源"]
TASK_HEAD = ["区", "年度", "序号", "类别", "板块", "任务", "牵头单位", "责任单位", "涉及地方", "来源", "内容"]
UNIT_HEAD = ["区", "单位", "类别", "原文写法", "牵头任务数", "责任任务数", "来源"]
VIEW_UNIT_HEAD = ["区", "单位", "类别", "原文写法", "牵头任务数", "责任任务数"]


def open_end(valid_to) -> str:
    """The 至今 column: 是 where a period runs on with no end year stated."""
    return "否" if valid_to else "是"


def _pairing_key(g: CanonicalGraph, p: dict, place: str, pref: str, programmes: list[str]) -> tuple:
    """Programme, prefecture (by code: a province's together), place, supporter (上海市 last), start year."""
    prog = g.out(p["id"], "UNDER")[0]
    sup = g.out(p["id"], "SUPPORTER")[0]
    return (programmes.index(prog) if prog in programmes else len(programmes), pref or place, place,
            sup.endswith("0000"), sup, p.get("valid_from") or 0)
AGREEMENT_HEAD = ["序号", "协议名称", "签署方", "签署时间", "来源"]
SOURCE_HEAD = ["文号", "标题", "发文机关", "日期", "数据编号"]


def _docs(graph: CanonicalGraph) -> dict[str, dict]:
    return {d["id"].removeprefix("doc:"): d for d in graph.nodes("Document")}


def tables(graph: CanonicalGraph, nodes: set[str] | None = None) -> dict[str, list[list]]:
    """The sheets of the graph, or of the facts among ``nodes``."""
    keep = (lambda n: True) if nodes is None else (lambda n: n in nodes)
    g = graph
    docs = _docs(graph)
    name = lambda nid: g.props(nid)["name"]  # noqa: E731
    out: dict[str, list[list]] = {s: [] for s in SHEETS}
    out["结对关系"].append(list(PAIRING_HEAD))
    cited: set[str] = set()
    programmes = sorted(n["id"] for n in g.nodes("Program"))
    shown = []
    for p in g.nodes("Pairing"):
        if not keep(p["id"]):
            continue
        place = g.out(p["id"], "SUPPORTED")[0]
        level = g.props(place)["level"]
        pref = place if level == "prefecture" else next(
            (x for x in g.out(place, "PART_OF") if g.props(x)["label"] == "Prefecture"), "")
        prov = place if level == "province" else next(
            (x for x in [*g.out(place, "PART_OF"), *(g.out(pref, "PART_OF") if pref else [])]
             if g.props(x)["label"] == "Province"), "")
        shown.append((_pairing_key(g, p, place, pref, programmes), p, place, pref, prov))
    for _key, p, place, pref, prov in sorted(shown, key=lambda x: x[0]):
        out["结对关系"].append([name(g.out(p["id"], "SUPPORTER")[0]), name(place),
                                    level_zh(g.props(place)["level"]), name(pref) if pref else "",
                                    name(prov) if prov else "",
                                    g.props(g.out(p["id"], "UNDER")[0])["name"], p.get("valid_from"),
                                    p.get("valid_to"), open_end(p.get("valid_to")), p.get("period_note") or "",
                                    cite_short(p["source"], docs)])
        cited.update(g.out(p["id"], "DERIVED_FROM"))
    out["工作任务"].append(list(TASK_HEAD))
    tasks = [t for t in g.nodes("Task") if keep(t["id"])]
    district = {t["id"]: name(g.out(t["id"], "TASK_OF")[0]) for t in tasks}
    for t in sorted(tasks, key=lambda t: (district[t["id"]], t["year"], t["kind"] != "task", t["number"])):
        def units(rel, t=t):
            rows = sorted((g.edge_props(t["id"], u, rel)["position"], g.edge_props(t["id"], u, rel)["as_written"])
                           for u in g.out(t["id"], rel))
            return "、".join(w for _p, w in rows)
        out["工作任务"].append([district[t["id"]], t["year"], t["number"], kind_zh(t["kind"]),
                                 t.get("section", ""), t["title"], units("LEAD_UNIT"), units("RESPONSIBLE_UNIT"),
                                 "、".join(name(p) for p in sorted(g.out(t["id"], "NAMES_PLACE"))),
                                 cite_short(t["source"], docs), t["text"]])
        cited.update(g.out(t["id"], "DERIVED_FROM"))
    out["单位"].append(list(UNIT_HEAD))
    for u in sorted(g.nodes("Unit"), key=lambda u: u["id"]):
        if not keep(u["id"]):
            continue
        out["单位"].append([name(g.out(u["id"], "UNIT_OF")[0]), u["name"], kind_zh(u["kind"]),
                                 "、".join(u["names_as_written"]), len(g.into(u["id"], "LEAD_UNIT")),
                                 len(g.into(u["id"], "RESPONSIBLE_UNIT")), cite_short(u["source"], docs)])
    out["合作协议"].append(list(AGREEMENT_HEAD))
    for a in sorted(g.nodes("Agreement"), key=lambda a: a["no"]):
        if not keep(a["id"]):
            continue
        out["合作协议"].append([a["no"], a["title"], "、".join(name(p) for p in g.out(a["id"], "PARTY")),
                                      a["signed"], cite_short(a["source"], docs)])
        cited.update(g.out(a["id"], "DERIVED_FROM"))
    out["来源文件"].append(list(SOURCE_HEAD))
    for d in sorted(g.nodes("Document"), key=lambda d: (str(d.get("date")), d["id"])):
        if nodes is None or d["id"] in cited or keep(d["id"]):
            out["来源文件"].append([d.get("number") or "（无文号）", d["title"], d["issuer"], d["date"],
                                       d["id"].removeprefix("doc:")])
    return out


def view_tables(view) -> dict[str, list[list]]:
    """The sheets of a named view, holding what its page shows: its pairing rows (the centre's own first),
    its tasks in the order of their numbers, the units of those tasks and the front-line organisations
    the page names, and the documents cited."""
    docs = {d["id"]: d for d in view.sources}
    pairings = [list(PAIRING_HEAD)]
    for r in view.rows:
        pairings.append([r["supporter"], r["place"], r["level"], r["prefecture"], r["province"], r["programme"],
                         r["valid_from"], r["valid_to"], open_end(r["valid_to"]), r["note"], r["cite"]])
    if view.kind == "changes":
        from .changes_view import change_table
        pairings = change_table(view)
    tasks = [list(TASK_HEAD)]
    leads: dict[tuple[str, str], list[int]] = {}
    about: dict[tuple[str, str], tuple[str, list[str]]] = {}  # (district, unit) -> (kind, as written)
    for t in sorted(view.tasks, key=lambda t: (t.district_code, t.year, t.kind != "task", t.number)):
        tasks.append([t.district, t.year, t.number, kind_zh(t.kind), t.section or "", t.title,
                      "、".join(u.name for u in t.lead_units), "、".join(u.name for u in t.responsible_units),
                      "、".join(t.places), cite_short(t.source, docs), t.text])
        for i, links in enumerate((t.lead_units, t.responsible_units)):
            for u in links:
                leads.setdefault((t.district, u.canonical), [0, 0])[i] += 1
                written = about.setdefault((t.district, u.canonical), (u.kind, []))[1]
                if u.name not in written:
                    written.append(u.name)
    for f in getattr(view, "front_line", []):  # named on a place's page though it leads none of its tasks
        leads.setdefault((f["district"], f["name"]), [0, 0])
        about[(f["district"], f["name"])] = ("front-line", list(f["names_as_written"]))
    units: list[list[Any]] = [list(VIEW_UNIT_HEAD)]
    by_district_then_most = sorted(leads.items(), key=lambda kv: (kv[0][0], -kv[1][0], -kv[1][1], kv[0][1]))
    for (district, unit), (lead, resp) in by_district_then_most:
        kind, written = about[(district, unit)]
        units.append([district, unit, kind_zh(kind), "、".join(written), lead, resp])
    sources = [list(SOURCE_HEAD)]
    for d in view.sources:
        sources.append([d["number"] or "（无文号）", d["title"], d.get("issuer", ""), d["date"], d["id"]])
    out = {"结对关系": pairings, "工作任务": tasks, "单位": units, "来源文件": sources}
    return {k: v for k, v in out.items() if len(v) > 1 or k in ("结对关系", "来源文件")}


def as_text(cell) -> None:
    """Store a cell whose text starts like a formula as text, with Excel's quote prefix: it is shown as
    written and never evaluated, not even after the cell is edited."""
    if starts_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell_value(v):
    """What a cell holds (one place every value passes through on its way into the sheet)."""
    return v


def _sheet(ws: Worksheet, rows: list[list], title: str) -> None:
    """Rows into ``ws``, set up for reading and printing."""
    for r in rows:
        ws.append([_cell_value(v) for v in r])
    for row in ws.iter_rows():                      # no cell text is ever a formula
        for cell in row:
            as_text(cell)
    head_fill = PatternFill("solid", fgColor="E3E9F0")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for i, col in enumerate(zip(*rows, strict=False) if rows else [], start=1):
        width = max(len(str(v)) * (2 if any("\u4e00" <= ch <= "\u9fff" for ch in str(v)) else 1)
                    for v in col if v is not None) if col else 8
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{max(len(rows), 1)}"
    ws.print_title_rows = "1:1"                     # the header row on every printed page
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0                   # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    # openpyxl makes every sheet's header and footer (its stubs say they may be None)
    ws.oddHeader.center.text = f"{title} · {ws.title.split(' ')[0]}"  # type: ignore[union-attr]
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"  # type: ignore[union-attr]


def _book(sheets: dict[str, list[list]], title: str, when: datetime) -> bytes:
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for sheet, rows in sheets.items():
        _sheet(wb.create_sheet(sheet), rows, title)
    wb.properties.title = title
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


def workbook(graph: CanonicalGraph, nodes: set[str] | None = None, title: str = "aidgraph",
             when: datetime | None = None) -> bytes:
    """``when`` dates the file (properties and zip entries; default: the newest source document's date),
    so the same data give the same bytes."""
    return _book(tables(graph, nodes), title, when or data_date(graph))


def view_workbook(view, when: datetime | None = None) -> bytes:
    """The workbook of a named view, dated by its data (``view.data_date``)."""
    if when is None:
        when = datetime.fromisoformat(view.data_date) if view.data_date else datetime(1980, 1, 1)
    return _book(view_tables(view), view.title, when)


def data_date(graph: CanonicalGraph) -> datetime:
    """The date of the newest source document (1980-01-01, the earliest zip date, without one)."""
    newest = datetime(1980, 1, 1)
    for d in graph.nodes("Document"):
        try:
            newest = max(newest, datetime.fromisoformat(str(d.get("date"))[:10]))
        except ValueError:
            continue
    return newest
