"""Adding a row to a register (``sources/documents.csv``, ``curated/pairing_tables.csv``,
``curated/supporters.csv``) without touching the rows already there: every other line stays byte for
byte as it was (line endings and quoting included), so an import never rewrites what shipped."""
from __future__ import annotations

import csv
import io
from pathlib import Path


def read(root: Path, relpath: str) -> bytes | None:
    path = Path(root) / relpath
    return path.read_bytes() if path.is_file() else None


def with_row(data: bytes | None, columns: list[str], key: str | None, row: dict) -> bytes:
    """The register ``data`` with ``row`` in place of the row whose ``key`` column equals ``row[key]``
    (or added at the end; always added when ``key`` is None). Columns the register's header lacks (a
    later column) are added to the header line only. No register yet (None): one with ``columns``."""
    if data is None:
        return (_line(columns, {c: c for c in columns}, "\n") + _line(columns, row, "\n")).encode("utf-8")
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    text = data.decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    spans: list[tuple[int, int, list[str]]] = []  # (first line, line after, cells) per record
    while True:
        start = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            break
        if header is None and any(c.strip() for c in cells):
            header = [c.strip() for c in cells]
            head_span = (start, reader.line_num)
            continue
        spans.append((start, reader.line_num, cells))
    if header is None:
        return (_line(columns, {c: c for c in columns}, newline) + _line(columns, row, newline)).encode("utf-8")
    out = lines[:]
    missing = [c for c in columns if c not in header]
    if missing:
        header = header + missing
        out[head_span[0]:head_span[1]] = [_line(header, {c: c for c in header}, newline)] + [""] * (
            head_span[1] - head_span[0] - 1)
    col = header.index(key) if key is not None else None
    for first, after, cells in spans:
        if col is not None and len(cells) > col and cells[col].strip() == row[key]:
            out[first:after] = [""] * (after - first)
    if out and not out[-1].endswith(("\n", "\r")) and out[-1]:
        out[-1] += newline
    return (bom + "".join(out) + _line(header, row, newline)).encode("utf-8")


def _line(columns: list[str], row: dict, newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow([row.get(c, "") or "" for c in columns])
    return buf.getvalue()
