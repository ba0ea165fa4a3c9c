"""Typed inputs: every table the loader reads, read by one reader with one row model per table.

``read_table(root, relpath, Model)`` reads ``root/relpath`` (UTF-8 CSV, a header line then one
row per line; empty cells become ``None``) and validates each row with ``Model``, a pydantic
model whose fields are the table's columns. Every problem is collected, not only the first,
and each is one line naming the file, the line and, where there is one, the column::

    curated/pairings_2021.csv line 7, column valid_from: 'abc' is not a whole number

The file's line is the physical line the row starts on (the header is line 1 unless comment
lines come before it). Rows with a problem are left out of the result; a caller that collects
problems itself passes its list, otherwise ``LoadError`` is raised listing them all.

The checks here are the ones a single row can make on its own (types, enumerations, required
cells, one cell depending on another); what needs the gazetteer or the other tables (places
resolving, documents existing, duplicates, the documents' totals) stays with the loader.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ..errors import LoadError
from ..schema.model import DOCUMENT_KINDS, PROGRAM_KINDS, PROGRAM_TOTALS
from ..schema.text import strip_invisible
from ..schema.units import UNIT_KINDS


# -- cell types ----------------------------------------------------------------------------------
def _problem(kind: str, text: str) -> PydanticCustomError:
    # the message is passed as context so braces in a cell are never read as a template
    return PydanticCustomError(kind, "{problem}", {"problem": text})


def _whole(v: Any) -> Any:
    if isinstance(v, str):
        if not re.fullmatch(r"[+-]?\d+", v):
            raise _problem("whole_number", f"{v!r} is not a whole number")
        return int(v)
    return v


def _number(v: Any) -> Any:
    if isinstance(v, str):
        try:
            x = float(v)
        except ValueError:
            x = None
        if x is None or x != x or x in (float("inf"), float("-inf")):
            raise _problem("number", f"{v!r} is not a number")
        return x
    return v


def _flag(v: Any) -> Any:
    if isinstance(v, str):
        if v not in ("true", "false"):
            raise _problem("flag", f"{v!r} is not true or false")
        return v == "true"
    return v


def _iso_date(v: Any) -> Any:
    if isinstance(v, str):
        try:
            ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None and dt.date.fromisoformat(v) is not None
        except ValueError:
            ok = False
        if not ok:
            raise _problem("date", f"{v!r} is not a date written YYYY-MM-DD")
    return v


def _words(v: Any) -> Any:
    if v is None:
        return ()
    if isinstance(v, str):
        return tuple(v.split())
    return v


def _code(v: Any) -> Any:
    if isinstance(v, str) and not re.fullmatch(r"\d{6}", v):
        raise _problem("code", f"{v!r} is not a six-digit division code")
    return v


def _programme_key(v: Any) -> Any:
    if isinstance(v, str) and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v):
        raise _problem("programme", f"{v!r} is not a programme id (lower-case letters, digits and -)")
    return v


def _colour(v: Any) -> Any:
    if isinstance(v, str) and not re.fullmatch(r"#[0-9a-f]{6}", v):
        raise _problem("colour", f"{v!r} is not a colour written #rrggbb (lower-case hex)")
    return v


def _sha256(v: Any) -> Any:
    if isinstance(v, str) and not re.fullmatch(r"[0-9a-f]{64}", v):
        raise _problem("sha256", f"{v!r} is not a sha256 digest (64 lower-case hex digits)")
    return v


Int = Annotated[int, BeforeValidator(_whole)]
Number = Annotated[float, BeforeValidator(_number)]
Flag = Annotated[bool, BeforeValidator(_flag)]
IsoDate = Annotated[str, BeforeValidator(_iso_date)]  # kept as written: 2021-09-07
Words = Annotated[tuple[str, ...], BeforeValidator(_words)]  # space-separated names; empty: ()
Code = Annotated[str, BeforeValidator(_code)]
Sha256 = Annotated[str, BeforeValidator(_sha256)]
ProgramKey = Annotated[str, BeforeValidator(_programme_key)]  # a programmes.csv id
ProgramKind = Literal[PROGRAM_KINDS]  # type: ignore[valid-type]
Colour = Annotated[str, BeforeValidator(_colour)]
UnitKind = Literal[UNIT_KINDS]  # type: ignore[valid-type]
DocumentKind = Literal[DOCUMENT_KINDS]  # type: ignore[valid-type]

# the years a pairing or a programme may have: paired assistance began in 1979; later than 2100 is a slip
FIRST_YEAR, LAST_YEAR = 1979, 2100


def year_problems(**years: int | None) -> list[tuple[str, str]]:
    """(column, problem) for each year outside FIRST_YEAR..LAST_YEAR."""
    return [(col, f"{y} 年不在 {FIRST_YEAR}–{LAST_YEAR} 年之内（对口支援始于 {FIRST_YEAR} 年）"
                  f" the year {y} is outside {FIRST_YEAR}–{LAST_YEAR}")
            for col, y in years.items() if y is not None and not FIRST_YEAR <= y <= LAST_YEAR]


class TableRow(BaseModel):
    """One row of a table; the fields are its columns, in the file's order."""

    # defer_build: a table's validator is built when it first reads a row, not when the command starts
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    COMMENT: ClassVar[str | None] = None  # lines starting with this are comments
    # optional columns added to the table after rows were first written for it: a row may end before
    # them (its cells are then empty); every other row must have a cell for every column
    LATER_COLUMNS: ClassVar[tuple[str, ...]] = ()

    def check(self) -> list[tuple[str, str]]:
        """Checks across the cells of one row: (column, problem) pairs."""
        return []


# -- the tables -----------------------------------------------------------------------------------
class DocumentRow(TableRow):
    """``sources/documents.csv``: the register of source documents."""
    id: str
    file: str
    sha256: Sha256
    number: str
    title: str
    issuer: str | None = None       # an imported document may lack it (the parser warns)
    date: IsoDate | None = None
    kind: DocumentKind
    origin: str

    def check(self) -> list[tuple[str, str]]:
        if "/" in self.file or "\\" in self.file or self.file.startswith("."):
            return [("file", f"{self.file!r} is not the name of a file in sources/")]
        return []


class ProgrammeRow(TableRow):
    """``curated/programmes.csv``: the programmes pairings are made under. ``provinces``: the provinces
    its supported places lie in (empty: not recorded, not checked); ``valid_from``/``valid_to``: its
    period where a source states it (the years of its pairings must lie within)."""
    LATER_COLUMNS: ClassVar[tuple[str, ...]] = ("provinces", "valid_from", "valid_to")
    id: ProgramKey
    name: str
    name_en: str
    kind: ProgramKind
    counts_toward: Literal[PROGRAM_TOTALS] | None = None  # type: ignore[valid-type]
    colour: Colour
    description: str
    source: str
    provinces: Words = ()
    valid_from: Int | None = None
    valid_to: Int | None = None

    def check(self) -> list[tuple[str, str]]:
        problems = year_problems(valid_from=self.valid_from, valid_to=self.valid_to)
        if self.valid_from is not None and self.valid_to is not None and self.valid_from > self.valid_to:
            problems.append(("valid_to", f"valid_from {self.valid_from} is after valid_to {self.valid_to}"))
        return problems


class PairingTableRow(TableRow):
    """``curated/pairing_tables.csv``: the register of pairing tables and the programmes each may hold.
    ``origin``: empty for a table curated with the data; ``imported by aidgraph import-pairings …`` for
    one an import wrote (only those an import may replace without ``--force``)."""
    LATER_COLUMNS: ClassVar[tuple[str, ...]] = ("origin",)
    file: str
    programmes: Words
    source: str
    note: str | None = None
    origin: str | None = None

    def check(self) -> list[tuple[str, str]]:
        problems = []
        if not re.fullmatch(r"pairings_[a-z0-9_]+\.csv", self.file):
            problems.append(("file", f"{self.file!r} is not named pairings_<name>.csv (a file in curated/)"))
        if not self.programmes:
            problems.append(("programmes", "no programme given"))
        return problems


class CitedDocumentRow(TableRow):
    """``curated/cited_documents.csv``: documents a table cites whose text is not held in ``sources/``.
    A number not known stays empty rather than guessed."""
    id: str
    number: str | None = None
    title: str
    issuer: str
    date: IsoDate | None = None
    kind: DocumentKind
    note: str


class PairingRow(TableRow):
    """``curated/pairings_*.csv``."""
    supporter: str
    program: ProgramKey
    province: str | None = None
    prefecture: str | None = None
    place: str
    excluding: Words = ()
    valid_from: Int | None = None
    valid_to: Int | None = None
    period_note: str | None = None
    county_count: Int | None = None
    prefecture_count: Int | None = None
    source: str

    def check(self) -> list[tuple[str, str]]:
        problems = year_problems(valid_from=self.valid_from, valid_to=self.valid_to)
        if self.valid_from is not None and self.valid_to is not None and self.valid_from > self.valid_to:
            problems.append(("valid_to", f"valid_from {self.valid_from} is after valid_to {self.valid_to}"))
        return problems


class SupporterRow(TableRow):
    """``curated/supporters.csv``: who may be a supporter. ``scope`` is a division (上海市, 江苏省,
    广州市黄埔区): it and every division in it may support under ``programmes`` (empty: every programme)."""
    scope: str
    programmes: Words = ()
    source: str
    note: str | None = None


class AgreementRow(TableRow):
    """``curated/agreements.csv`` (the plan's table of framework agreements)."""
    no: Int
    title: str
    parties: Words
    kind: str
    signed: IsoDate
    source: str

    def check(self) -> list[tuple[str, str]]:
        return [] if self.parties else [("parties", "no party given")]


class IndicatorRow(TableRow):
    """``curated/indicators.csv``."""
    no: Int
    name: str
    target_2025: str | None = None
    target_yearly_or_cumulative: str
    cumulative: Flag
    attribute: Literal["expected", "binding"]
    source: str


class FundRow(TableRow):
    """``curated/aid_funds.csv``; no areas: all the areas of the period."""
    id: str
    period: str
    areas: Words = ()
    amount_100m_yuan: Number
    projects: Int | None = None
    note: str | None = None
    source: str


class CouncilRow(TableRow):
    """``curated/councils.csv``: regional coordination bodies."""
    id: str
    name: str
    source: str


class CouncilBodyRow(TableRow):
    """``curated/yrd_bodies.csv``: committees and alliances of a council."""
    council: str
    name: str
    kind: Literal["committee", "alliance"]
    lead_city: str
    lead_province: str
    founded: Int | None = None
    source: str


class CouncilMemberRow(TableRow):
    """``curated/yrd_new_members.csv``: cities that joined a council."""
    council: str
    city: str
    province: str
    joined: Int | None = None
    meeting: str
    source: str


class DocumentTotalRow(TableRow):
    """``curated/document_totals.csv``: paired places as the documents count them."""
    as_of: Int
    counties: Int
    prefectures: Int
    provinces: Int
    source: str


class DistrictTotalRow(TableRow):
    """``curated/district_totals_2021.csv``."""
    district: str
    paired_places: Int
    source: str


class AliasRow(TableRow):
    """``curated/aliases.csv``: place names the official lists do not give."""
    alias: str
    name: str
    parent: str | None = None
    kind: Literal["short", "former", "alias"]
    changed: Int | None = None     # first year of the new name (former names)
    note: str | None = None
    source: str

    def check(self) -> list[tuple[str, str]]:
        if self.kind == "former" and self.changed is None:
            return [("changed", "empty; a former name needs the year of the change")]
        return []


class ExonymRow(TableRow):
    """``curated/exonyms.csv``: English names of places (Kashgar, Shigatse), each with its source."""
    name: str
    code: Code
    source: str


class PlaceSuccessorRow(TableRow):
    """``curated/place_successors.csv``: the division(s) that took over an abolished one, where the
    yearly lists do not show it; overrides what the gazetteer derives for that division."""
    abolished_code: Code
    successor_code: Code
    year: Int          # first year of the successor holding the place
    source: str


class UnitAliasRow(TableRow):
    """``curated/unit_aliases.csv``: a unit's written forms and its canonical name."""
    written: str
    canonical: str
    kind: UnitKind
    note: str | None = None


class RoleLabelRow(TableRow):
    """``curated/unit_role_labels.csv``: a label a work-points document writes before its units
    (牵头单位：…, 参与：…) and the role it gives them; a bare word (no 单位 / 部门) is a label only
    where a field starts."""
    label: str
    role: Literal["lead", "responsible", "cooperating"]
    note: str | None = None


class SeatRow(TableRow):
    """``curated/seat_coordinates.csv`` (a comment line credits the data)."""
    COMMENT: ClassVar[str | None] = "#"
    code: Code
    name: str
    longitude: Number
    latitude: Number


PAIRING_TABLES = "curated/pairing_tables.csv"

# every table of a data folder and its row model
TABLES: dict[str, type[TableRow]] = {
    "sources/documents.csv": DocumentRow,
    "curated/programmes.csv": ProgrammeRow,
    PAIRING_TABLES: PairingTableRow,
    "curated/cited_documents.csv": CitedDocumentRow,
    "curated/pairings_*.csv": PairingRow,  # each registered in pairing_tables.csv
    "curated/supporters.csv": SupporterRow,
    "curated/agreements.csv": AgreementRow,
    "curated/indicators.csv": IndicatorRow,
    "curated/aid_funds.csv": FundRow,
    "curated/councils.csv": CouncilRow,
    "curated/yrd_bodies.csv": CouncilBodyRow,
    "curated/yrd_new_members.csv": CouncilMemberRow,
    "curated/document_totals.csv": DocumentTotalRow,
    "curated/district_totals_2021.csv": DistrictTotalRow,
    "curated/aliases.csv": AliasRow,
    "curated/exonyms.csv": ExonymRow,
    "curated/place_successors.csv": PlaceSuccessorRow,
    "curated/unit_aliases.csv": UnitAliasRow,
    "curated/unit_role_labels.csv": RoleLabelRow,
    "curated/seat_coordinates.csv": SeatRow,
}


# -- the reader -----------------------------------------------------------------------------------
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
