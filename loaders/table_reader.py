"""The one reader of a data folder's tables.

``read_table(root, relpath, Model)`` reads ``root/relpath`` (UTF-8 CSV, a header line then one
row per line; empty cells become ``None``) and validates each row with ``Model``, a row model of
``tables``. Every problem is collected, not only the first, and each is one line naming the file,
the line and, where there is one, the column::

    curated/pairings_2021.csv line 7, column valid_from: 'abc' is not a whole number

The file's line is the physical line the row starts on (the header is line 1 unless comment
lines come before it). Rows with a problem are left out of the result; a caller that collects
problems itself passes its list, otherwise ``LoadError`` is raised listing them all.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import LoadError
from ..schema.text import strip_invisible
from .tables import TableRow

M = TypeVar("M", bound=TableRow)


@dataclass(frozen=True)
class Row(Generic[M]):
    """A validated row and where it stands: ``file`` is the path under the data folder."""
    file: str
    line: int
    data: M

    def where(self, column: str | None = None) -> str:
        return f"{self.file} line {self.line}" + (f", column {column}" if column else "")


def _describe(err: ErrorDetails, cells: dict[str, str | None]) -> tuple[str | None, str]:
    """A pydantic error -> (column, problem) in the words of the table."""
    column = str(err["loc"][0]) if err.get("loc") else None
    value = cells.get(column) if column else None
    kind = err["type"]
    if column and value is None and column in cells:
        return column, "empty; a value is required"
    if kind == "literal_error":
        return column, f"{value!r} is not one of {err['ctx']['expected']}"
    if kind == "extra_forbidden":
        return column, "not a column of this table"
    return column, err["msg"]


def _lines(text: str, comment: str | None):
    """The file's lines, comment lines blanked so the line numbers stay the file's own."""
    for line in io.StringIO(text, newline=""):  # only \n, \r\n and \r end a line, as for csv
        yield "\n" if comment and line.startswith(comment) else line


def unique_rows(rows: list[Row[M]], column: str, problems: list[str]) -> list[Row[M]]:
    """The rows whose ``column`` holds a value not seen on an earlier row; a repeat is a problem
    naming both lines."""
    first: dict[Any, int] = {}
    out = []
    for row in rows:
        value = getattr(row.data, column)
        if value in first:
            problems.append(f"{row.where(column)}: {column} {value} appears twice (first at line {first[value]})")
            continue
        first[value] = row.line
        out.append(row)
    return out


def csv_records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(the line a record starts on, its cells) for each record of a ``csv.reader`` (a quoted cell may
    span lines, so a record's line is taken before it is read). ``csv.Error`` reaches the caller."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield start, cells


def read_table(root: Path, relpath: str, model: type[M], problems: list[str] | None = None) -> list[Row[M]]:
    """The rows of ``root/relpath`` that pass ``model``; every problem goes to ``problems``
    (or, without that list, raises ``LoadError`` listing them all)."""
    found: list[str] = []
    rows = _read(root, relpath, model, found)
    if problems is not None:
        problems.extend(found)
    elif found:
        raise LoadError(found)
    return rows


def _read(root: Path, relpath: str, model: type[M], problems: list[str]) -> list[Row[M]]:
    path = Path(root) / relpath
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(f"{relpath}: file is missing")
        return []
    except OSError as e:
        problems.append(f"{relpath}: cannot be read ({e.strerror or e})")
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        problems.append(f"{relpath} line {line}: not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8")
        return []
    columns = list(model.model_fields)
    reader = csv.reader(_lines(text, model.COMMENT))
    header: list[str] | None = None
    out: list[Row[M]] = []
    try:
        for start, cells in csv_records(reader):
            if not any(c.strip() for c in cells):
                continue  # a blank (or comment) line, or a spreadsheet's row of empty cells
            if header is None:
                header = [c.strip() for c in cells]
                while header and not header[-1]:
                    header.pop()  # a spreadsheet's empty columns at the end
                bad = _header_problems(header, columns, model.LATER_COLUMNS)
                if bad:
                    problems.extend(f"{relpath} line {start}, column {c}: {p}" for c, p in bad)
                    return []
                continue
            row = _row(relpath, start, header, cells, model, problems)
            if row is not None:
                out.append(row)
    except csv.Error as e:
        problems.append(f"{relpath} line {reader.line_num}: not readable as CSV ({e})")
        return []
    if header is None:
        problems.append(f"{relpath}: empty file (it needs a header line: {','.join(columns)})")
    return out


def _header_problems(header: list[str], columns: list[str], later: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    bad = [(c, "missing from the header line") for c in columns if c not in header and c not in later]
    bad += [(c or f"no. {i + 1}", "not a column of this table (expected: " + ", ".join(columns) + ")")
            for i, c in enumerate(header) if c not in columns]
    bad += [(c, "appears twice in the header line") for i, c in enumerate(header) if c in header[:i]]
    return bad


def _row(relpath: str, line: int, header: list[str], cells: list[str], model: type[M],
         problems: list[str]) -> Row[M] | None:
    where = f"{relpath} line {line}"
    if len(cells) > len(header):
        extra = [c for c in cells[len(header):] if c.strip()]
        if extra:
            problems.append(f"{where}: {len(cells) - len(header)} more cell(s) than the {len(header)} columns "
                            f"(first extra: {extra[0].strip()!r})")
            return None
        cells = cells[:len(header)]  # trailing empty cells, e.g. a spreadsheet's ",,"
    required_missing = [c for c in header[len(cells):] if c not in model.LATER_COLUMNS]
    if len(cells) < len(header) and not required_missing:
        cells = cells + [""] * (len(header) - len(cells))  # a row written before the later columns
    if len(cells) < len(header):
        problems.append(f"{where}, column {header[len(cells)]}: missing; the row ends after "
                        f"{len(cells)} of the {len(header)} cells")
        return None
    values: dict[str, str | None] = {}
    for col, cell in zip(header, cells, strict=True):
        cell = strip_invisible(cell).strip()  # bidi and invisible characters never reach the graph
        values[col] = cell or None
    try:
        data = model.model_validate({k: v for k, v in values.items() if v is not None or
                                     model.model_fields[k].is_required()})
    except ValidationError as e:
        for err in e.errors(include_url=False):
            column, problem = _describe(err, values)
            problems.append(f"{where}, column {column}: {problem}" if column else f"{where}: {problem}")
        return None
    cross = data.check()
    if cross:
        problems.extend(f"{where}, column {c}: {p}" for c, p in cross)
        return None
    return Row(relpath, line, data)


def optional_table(root: Path, relpath: str, model, problems: list[str]) -> list:
    """The rows of a table a data folder may lack (older copies): none when the file is absent."""
    return read_table(root, relpath, model, problems) if (Path(root) / relpath).is_file() else []
