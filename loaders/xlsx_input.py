"""An XLSX file a user gives (a pairing-change notice), read as rows of text within fixed bounds.

An XLSX file is a zip archive: two megabytes on disk can unpack to gigabytes. Before openpyxl reads
anything, the archive's own directory is checked — how many members it has, how large each says it
unpacks to, in total and against its packed size (Python's zipfile never unpacks a member beyond the
size its directory declares). Then the first sheet is read in openpyxl's read-only (streaming) mode,
stopping at the first row or cell over the limits. Every refusal is an ``ImportRefused`` naming the
file and the limit, in a fraction of a second.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ImportRefused

MAX_MEMBERS = 500                  # files inside the archive (a workbook has a dozen or so)
MAX_UNPACKED = 32 * 1024 * 1024    # bytes, all members together
MAX_RATIO = 100                    # unpacked / packed size of a member larger than RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_ROWS = 10_000                  # sheet rows, the header included
MAX_COLUMNS = 64
MAX_CELL_CHARS = 32_767            # Excel's own limit for the text of a cell


def check_archive(path: Path) -> None:
    """Refuse an XLSX whose members would unpack too large, before anything is unpacked."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ImportRefused(f"{name}: 不是可读的 XLSX 文件 not a readable XLSX workbook ({e})") from None
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(f"{name}: 压缩包内文件过多 the workbook holds {len(members):,} files; "
                            f"at most {MAX_MEMBERS:,} are read")
    total = 0
    for m in members:
        total += m.file_size
        if m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise ImportRefused(f"{name}: 解压后过大 {m.filename} unpacks to {m.file_size:,} bytes from "
                                f"{m.compress_size:,} (more than {MAX_RATIO} times): refused as a zip bomb")
    if total > MAX_UNPACKED:
        raise ImportRefused(f"{name}: 解压后过大 the workbook unpacks to {total:,} bytes; "
                            f"at most {MAX_UNPACKED:,} are read")


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_rows(path: Path) -> list[list[str]]:
    """The first sheet's rows as text cells (whole numbers without '.0'), within the limits above."""
    check_archive(path)
    from openpyxl import load_workbook
    name = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook is refused with its reason
        raise ImportRefused(f"{name}: 不是可读的 XLSX 文件 not a readable XLSX workbook ({e})") from None
    try:
        if not wb.worksheets:
            raise ImportRefused(f"{name}: 没有工作表 the workbook has no sheet")
        rows: list[list[str]] = []
        for number, row in enumerate(wb.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), 1):
            if number > MAX_ROWS:
                raise ImportRefused(f"{name}: 行数过多 more than {MAX_ROWS:,} rows; a notice holds fewer")
            cells = [_text(v) for v in row]
            if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
                raise ImportRefused(f"{name} line {number}: 列数过多 more than {MAX_COLUMNS} columns")
            for column, cell in enumerate(cells[:MAX_COLUMNS], 1):
                if len(cell) > MAX_CELL_CHARS:
                    raise ImportRefused(f"{name} line {number}, column {column}: 单元格过长 {len(cell):,} "
                                        f"characters; a cell holds at most {MAX_CELL_CHARS:,}")
            rows.append(cells[:MAX_COLUMNS])
        return rows
    except ImportRefused:
        raise
    except Exception as e:  # noqa: BLE001 - a sheet broken half-way is refused whole
        raise ImportRefused(f"{name}: 不是可读的 XLSX 文件 not a readable XLSX workbook ({e})") from None
    finally:
        wb.close()
