"""Typed inputs: every table of a data folder and its row model (a pydantic model whose fields are the
table's columns), with the cell types they share.

The checks here are the ones a single row can make on its own (types, enumerations, required
cells, one cell depending on another); what needs the gazetteer or the other tables (places
resolving, documents existing, duplicates, the documents' totals) stays with the loader. The
tables are read by ``table_reader.read_table``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from ..schema.model import DOCUMENT_KINDS, PROGRAM_KINDS, PROGRAM_TOTALS
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
    """``curated/pairings_*.csv``. ``period_note``: what the sources say of the period, in Chinese (shown
    to users); ``period_note_en``: the same note in English, kept for English readers of the table."""
    LATER_COLUMNS: ClassVar[tuple[str, ...]] = ("period_note_en",)
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
    period_note_en: str | None = None

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
DOCUMENTS = "sources/documents.csv"
ALIASES = "curated/aliases.csv"
EXONYMS = "curated/exonyms.csv"                # optional: a data folder without it has no English names
SUCCESSORS = "curated/place_successors.csv"    # optional: then only the successions the lists show
UNIT_ALIASES = "curated/unit_aliases.csv"
SEATS = "curated/seat_coordinates.csv"
COUNCILS = "curated/councils.csv"
PROGRAMMES = "curated/programmes.csv"
CITED = "curated/cited_documents.csv"
SUPPORTERS = "curated/supporters.csv"          # optional: a data folder without it does not check supporters

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
