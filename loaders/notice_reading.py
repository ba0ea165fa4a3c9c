"""Reading a pairing-change notice (CSV or XLSX) into pairing-table rows: its headings matched to the
table's columns (the columns' own names or the Chinese headings of ``HEADINGS``), title lines and notes
around the table skipped, programmes by id or Chinese name, years as ``2026`` or ``2026年``. Problems of
the notice itself are collected with its line and column; ``pairing_import`` checks the rows against
the graph."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportRefused
from ..schema.text import strip_invisible
from .table_reader import csv_records
from .tables import PROGRAMMES, PairingRow, ProgrammeRow
from .xlsx_input import MAX_CELL_CHARS
from .xlsx_input import read_rows as xlsx_rows

MAX_BYTES = 2_000_000
COLUMNS = list(PairingRow.model_fields)
# the headings a notice may use for each column (besides the column's own name)
HEADINGS = {
    "supporter": ("支援方", "帮扶方", "结对方", "支援单位", "帮扶单位", "上海结对区", "结对区", "区"),
    "program": ("项目", "类别", "类型", "结对类别", "帮扶类别", "协作类别", "工作类别", "programme"),
    "province": ("省", "省份", "省区", "受援省", "省（区、市）"),
    "prefecture": ("市州", "州市", "地区", "地市", "市（州）", "州（市）"),
    "place": ("受援地", "受援方", "结对县", "受援县", "县", "县市区", "县（市、区）", "地方"),
    "excluding": ("除外", "不含"),
    "valid_from": ("起始年", "起始年份", "开始年份", "起", "自"),
    "valid_to": ("终止年", "终止年份", "结束年份", "截止年份", "止", "至"),
    "period_note": ("说明", "备注"),
    "county_count": ("县数",),
    "prefecture_count": ("州市数",),
    "source": ("来源", "文号", "依据", "出处"),
    "period_note_en": ("英文说明",),
}
IGNORED = ("序号", "编号", "no", "no.")  # a numbering column: read and not kept
YEAR = re.compile(r"(\d{4})\s*年?")


@dataclass
class Notice:
    """The notice read: its rows as table rows, and where each stands in the notice."""
    header: list[str]              # the notice's headings as written
    columns: dict[str, str]        # table column -> the notice's heading
    rows: list[dict]               # table rows (text cells), in the notice's order
    lines: list[int]               # the notice line of each row
    problems: list[str]


def _clean(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return strip_invisible(str(v)).strip()


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """(notice line, cells) for every line (CSV: the line a record starts on) or sheet row (XLSX)."""
    try:
        st = path.stat()
    except OSError as e:
        raise ImportRefused(f"无法读取 cannot read {path}: {e.strerror}") from e
    if not path.is_file():
        raise ImportRefused(f"{path} 不是普通文件 not a regular file")
    if st.st_size > MAX_BYTES:
        raise ImportRefused(f"{path.name}: 文件过大 {st.st_size:,} bytes; "
                            f"a pairing notice may have at most {MAX_BYTES:,}")
    if path.suffix.lower() == ".xlsx":
        # its unpacked size checked first, then streamed within row and cell limits
        return [(n, [_clean(v) for v in row]) for n, row in enumerate(xlsx_rows(path), 1)]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{path.name}: 不是 UTF-8 文本 not UTF-8 text; "
                            "save the table as UTF-8 CSV or as XLSX") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    try:
        for start, cells in csv_records(reader):
            for column, cell in enumerate(cells, 1):
                if len(cell) > MAX_CELL_CHARS:
                    raise ImportRefused(f"{path.name} line {start}, column {column}: 单元格过长 {len(cell):,} "
                                        f"characters; a cell holds at most {MAX_CELL_CHARS:,}")
            out.append((start, [_clean(c) for c in cells]))
    except csv.Error as e:
        raise ImportRefused(f"{path.name} line {reader.line_num}: 无法按 CSV 读取 not readable as CSV ({e})") from None
    return out


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


_BY_HEADING = {_heading_key(h): col for col, hs in HEADINGS.items() for h in (col, *hs)}


def _letter(i: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_notice(path: Path, programmes: list[ProgrammeRow]) -> Notice:
    """The notice as table rows; problems of the notice itself (headings, extra cells, a programme or a
    year not understood) are collected with the notice's line and column."""
    records = [(n, cells) for n, cells in _records(path) if any(cells)]
    # title lines above the heading (one cell: 关于调整结对关系的通知) and notes below the rows (注：…)
    while records and sum(1 for c in records[0][1] if c) == 1 and _BY_HEADING.get(
            _heading_key(next(c for c in records[0][1] if c))) is None and len(records) > 1:
        records.pop(0)
    while len(records) > 1 and sum(1 for c in records[-1][1] if c) == 1 and re.match(
            r"(注|备注|说明)\s*[:：]", next(c for c in records[-1][1] if c)):
        records.pop()
    if not records:
        raise ImportRefused(f"{path.name}: 文件为空 empty")
    head_line, header = records[0]
    while header and not header[-1]:
        header.pop()
    problems: list[str] = []
    columns: dict[str, str] = {}
    for i, h in enumerate(header):
        col = _BY_HEADING.get(_heading_key(h))
        where = f"{path.name} line {head_line}, column {h or _letter(i)}"
        if _heading_key(h) in IGNORED:
            continue
        if not h:
            problems.append(f"{where}: 第 {_letter(i)} 列没有表头 column {_letter(i)} has no heading")
        elif col is None:
            problems.append(f"{where}: 未知的表头 unknown heading (the columns are: {', '.join(COLUMNS)}; "
                            f"or 支援方, 项目, 省, 市州, 受援地, 起始年, 终止年, 说明, 来源)")
        elif col in columns:
            problems.append(f"{where}: 与“{columns[col]}”重复 the same column as {columns[col]!r}")
        else:
            columns[col] = h
    missing = [c for c in ("supporter", "program", "place") if c not in columns]
    if missing:
        problems.append(f"{path.name} line {head_line}: 缺少列 missing column(s) {', '.join(missing)}")
    if problems:
        raise ImportRefused(f"{path.name}: 表头无法读取 the heading line is not understood:\n  "
                            + "\n  ".join(problems), problems=problems)
    by_id = {p.id: p.id for p in programmes}
    by_name = {_heading_key(p.name): p.id for p in programmes} | {_heading_key(p.name_en): p.id for p in programmes}
    rows, lines = [], []
    for line, cells in records[1:]:
        for i in range(len(header), len(cells)):
            if cells[i]:
                problems.append(f"{path.name} line {line}, column {_letter(i)}: 表头之外多出的单元格 {cells[i]!r}，"
                                f"表头只有 {len(header)} 列 an extra cell beyond the heading's {len(header)} columns")
        row = {c: "" for c in COLUMNS}
        for i, h in enumerate(header):
            if _heading_key(h) not in IGNORED:
                row[_BY_HEADING[_heading_key(h)]] = cells[i] if i < len(cells) else ""
        prog = row["program"]
        if prog and prog not in by_id:
            found = by_name.get(_heading_key(prog))
            if found:
                row["program"] = found
            elif not re.fullmatch(r"[a-z0-9-]+", prog):
                problems.append(f"{path.name} line {line}, column {columns['program']}: 未知的项目 {prog!r}；可用 "
                                + "、".join(f"{p.name}（{p.id}）" for p in programmes)
                                + f" no such programme in {PROGRAMMES}")
        for col in ("valid_from", "valid_to", "county_count", "prefecture_count"):
            v = unicodedata.normalize("NFKC", row[col])
            m = YEAR.fullmatch(v) if col.startswith("valid") else None
            if m:
                v = m.group(1)
            elif col == "valid_to" and v in ("至今", "今"):
                v = ""
            row[col] = v
        rows.append(row)
        lines.append(line)
    if not rows:
        raise ImportRefused(f"{path.name}: 表头下没有结对行 no pairing rows below the heading")
    return Notice(header, columns, rows, lines, problems)
