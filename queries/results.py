"""Answers of the named queries. Every store returns these same objects; the
API uses them as response models and the CLI prints them as JSON."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..schema.model import (
    FORM_KINDS,
    LEVELS,
    NODE_TYPES,
    PROGRAM_KINDS,
    PROGRAM_TOTALS,
    SUPPORTER_LEVELS,
    TASK_KINDS,
    UNIT_KINDS,
    VIA,
)

# the allowed values, from the schema table (the OpenAPI lists them)
if TYPE_CHECKING:  # built at run time from the schema table: to the type checker they are strings
    Level: TypeAlias = str
    SupporterLevel: TypeAlias = str
    TaskKind: TypeAlias = str
    UnitKind: TypeAlias = str
    FormKind: TypeAlias = str
    Via: TypeAlias = str
    ProgramKind: TypeAlias = str
    ProgramTotal: TypeAlias = str
else:
    Level = Literal[LEVELS]
    SupporterLevel = Literal[SUPPORTER_LEVELS]
    TaskKind = Literal[TASK_KINDS]
    UnitKind = Literal[UNIT_KINDS]
    FormKind = Literal[FORM_KINDS]
    Via = Literal[VIA]
    # programmes are data (programmes.csv): their ids and names are not fixed here
    ProgramKind = Literal[PROGRAM_KINDS]
    ProgramTotal = Literal[PROGRAM_TOTALS]


class Answer(BaseModel):
    """The base of every answer model: its validator and serialiser are built when it is first used (by
    the server at start-up, by a command for its own answer), not when the module is imported."""

    model_config = ConfigDict(defer_build=True)


class PlaceRef(Answer):
    name: str = Field(description="current official full name")
    level: Level = Field(description="administrative level")
    prefecture: str | None = None
    province: str | None = None
    code: str = Field(description="current GB/T 2260 division code")
    in_graph: bool = Field(True, description="the sources state facts about this place")


class MatchedPlace(PlaceRef):
    matched_form: str = Field(description="the form of the name that matched, as typed")
    form_kind: FormKind = Field(description="which form of a name matched")
    former_until: int | None = Field(None, description="for a former name: the last year it was in force")
    name_then: str | None = Field(None, description="the official name in the year asked, where it differs")


class Supporter(Answer):
    name: str = Field(description="the supporting district, or 上海市 where no district is named")
    code: str = Field(description="the supporter's division code")
    kind: SupporterLevel = Field(description="the supporter's level")
    program: str = Field(description="the programme's Chinese name")
    program_id: str = Field(description="the programme's node id (program:<id in programmes.csv>)")
    valid_from: int | None
    valid_to: int | None
    period_note: str | None = None
    place: str = Field(description="the place the pairing names (the place asked, or a county, prefecture or "
                                   "province it belongs to or contains)")
    place_code: str
    via: Via = Field(description="how the pairing's place relates to the place asked: the place itself, "
                     "a county of it, its prefecture or its province")
    # optional in the schema table (a pairing written into a database by other means may lack it)
    place_as_written: str | None = Field(None, description="the place as the source writes it")
    county_count: int | None = Field(None, description="for a pairing the source states only in numbers")
    source: str = Field(description="document id#table or note; several joined by '; '")
    pairing_id: str


class Shared(Answer):
    """An answer part kept and shared by the answers that include it (a task's, by every answer listing
    the task): frozen, so that no answer can change another's."""

    model_config = ConfigDict(defer_build=True, frozen=True)


class UnitName(Shared):
    id: str = Field(description="the unit's node id")
    name: str = Field(description="as written in the task")
    canonical: str = Field(description="the unit's canonical name within its district")
    kind: UnitKind = Field(description=NODE_TYPES["Unit"].props["kind"].doc)


class TaskOut(Shared):
    id: str = Field(description="the task's node id")
    district: str
    district_code: str
    year: int
    number: int
    kind: TaskKind = Field(description=NODE_TYPES["Task"].props["kind"].doc)
    section: str | None
    title: str
    text: str
    lead_units: list[UnitName]
    responsible_units: list[UnitName]
    cooperating_units: list[UnitName] = Field(default_factory=list,
                                              description="units that cooperate on the task (配合单位 / 协办单位)")
    places: list[str] = Field(description="counties and prefectures the task's text names")
    place_codes: list[str]
    document: str
    source: str


class FrontLine(Answer):
    id: str
    district: str
    name: str
    names_as_written: list[str]


class Successor(Answer):
    place: PlaceRef = Field(description="the division that took over the abolished one's area")
    since: int = Field(description="the first year of the successor")
    supporters: list[Supporter] = Field(description="the successor's supporters in the year asked (or now)")


class WhoSupports(Answer):
    matched: MatchedPlace
    abolished: int | None = Field(None, description="for an abolished or merged division: the last year it existed")
    successors: list[Successor] = Field(default_factory=list,
                                        description="for an abolished division: what took it over, "
                                                    "and who supports that")
    year: int | None = Field(None, description="the year asked; None: pairings in force now")
    as_of: int = Field(description="the year 'now' means (the current year, or --as-of / AIDGRAPH_AS_OF)")
    note: str | None = Field(None, description="for a year after the data's date, in Chinese (数据截至 …)")
    supporters: list[Supporter]
    other_periods: list[Supporter] = Field(default_factory=list,
                                           description="pairings of this place not in force in the year asked")
    front_line: list[FrontLine] = Field(default_factory=list,
                                        description="the supporting districts' front-line aid organisations")
    tasks: list[TaskOut] = Field(default_factory=list,
                                 description="work-point tasks naming the place, its prefecture or its counties")


class UnitProfile(Answer):
    id: str
    district: str
    district_code: str
    name: str
    kind: UnitKind
    names_as_written: list[str]
    leads: list[TaskOut]
    responsible_for: list[TaskOut]
    duties: list[str] = Field(default_factory=list, description="duties the guidance gives this kind of organisation")
    source: str


class DocumentOut(Answer):
    id: str
    number: str | None = Field(description="document number (文号); none where it is not known")
    title: str
    issuer: str
    date: str
    district: str | None = None
    year: int | None = None


class AgreementOut(Answer):
    id: str
    no: int
    title: str
    kind: str
    signed: str
    parties: list[str]
    party_codes: list[str]
    source: str


class SearchResult(Answer):
    matched: MatchedPlace
    page: str = Field(description="the page for the place")


class ImportWarning(Answer):
    line: int
    message: str


class ImportReport(Answer):
    document: DocumentOut
    tasks: list[TaskOut]
    warnings: list[ImportWarning]
    dry_run: bool
    replaced: bool = Field(description="the document was in the graph before and its facts were replaced")
    forced: bool = Field(False, description="--force was given: self-check problems and losses were let through")
    diff: dict[str, Any] | None = Field(None, description="against the registered copy it replaces: tasks added, "
                                        "removed and changed, units lost (locators such as 任务3)")


class Candidate(PlaceRef):
    pass


class ProgramOut(Answer):
    id: str = Field(description="node id, program:<id in programmes.csv>")
    name: str = Field(description="Chinese name")
    name_en: str
    kind: ProgramKind = Field(description=NODE_TYPES["Program"].props["kind"].doc)
    counts_toward: ProgramTotal | None = Field(description=NODE_TYPES["Program"].props["counts_toward"].doc)
    colour: str
    description: str
    source: str


class ProgramGroup(Answer):
    program: str
    program_id: str
    count: int
    prefectures: dict[str, list[str]] = Field(description="prefecture (or province for places directly under it) "
                                                          "-> paired places")


class DistrictProfile(Answer):
    district: PlaceRef
    matched_form: str
    as_of: int = Field(description="the year 'now' means (the current year, or --as-of / AIDGRAPH_AS_OF)")
    note: str | None = Field(None, description="for a year after the data's date, in Chinese (数据截至 …)")
    paired_places: int = Field(description="county-level places paired now under the programmes that count "
                               "toward the documents' totals (the table's 结对县数)")
    programs: list[ProgramGroup]
    sources: list[str]


class Totals(Answer):
    counties: int
    prefectures: int
    provinces: int


class Stats(Answer):
    nodes: dict[str, int]
    relationships: dict[str, int]
    paired: dict[int, Totals] = Field(description="county-level places, prefectures and provinces paired, by year")
    documents: list[str]


def api_model(label: str) -> type[BaseModel]:
    """A pydantic model of a node type's properties, built from the schema table when called: each
    property with its type (``Literal`` of its allowed values), required as the table says, described
    by its declaration. ``label`` is the node's label."""
    nt = NODE_TYPES[label]
    fields: dict[str, Any] = {"label": (Literal[label], Field(description=nt.doc))}
    for name, prop in nt.all_props.items():
        if name in nt.required:
            fields[name] = (prop.python_type, Field(description=prop.doc))
        else:
            fields[name] = (prop.python_type | None, Field(None, description=prop.doc))
    return create_model(f"{label}Node", **fields)


# -- changes between two years (queries.changes) -------------------------------------------------
class ChangeParty(Answer):
    name: str = Field(description="the supporter's current official name")
    code: str = Field(description="the supporter's division code")


class ChangePlace(Answer):
    name: str = Field(description="the paired place's current official name")
    code: str
    level: Level


class PairingTerms(Answer):
    programme: str = Field(description="the programme's Chinese name")
    programme_id: str
    valid_from: int | None
    valid_to: int | None
    source: str = Field(description="the source documents' numbers (a title in 《》 where a document has none)")
    source_ref: str = Field(description="document id#table or note, as the pairing cites it")
    pairing_id: str


class ChangeItem(PairingTerms):
    supporter: ChangeParty
    place: ChangePlace
    via: Via = Field(description="how the pairing reaches the place asked (as who-supports says); "
                                 "'self' without a place filter")
    county_count: int | None = Field(None, description="for an aggregate the source states only in numbers")
    replaces: str | None = Field(None, description="for an added county pairing: the pairing id of the ended "
                                                   "aggregate it takes over from (see regroupings)")
    note: str | None = Field(None, description="why, in Chinese, where the data say")


class ChangedItem(ChangeItem):
    before: list[PairingTerms] = Field(description="the same supporter's pairing(s) of the same place in the "
                                                   "first year")
    differs: list[str] = Field(description="what differs: programme, period, source")


class Regrouping(Answer):
    aggregate: ChangeItem = Field(description="the ended aggregate pairing (上海市 → 云南省, 74 counties)")
    counties: int
    prefectures: int | None
    followed_by: int = Field(description="added county pairings of this answer that take over from it")
    supporters: list[str] = Field(description="their supporters")
    note: str


class PairedTotals(Answer):
    """Counts of the documents' kind (schema.eras.paired_totals) in each year, and of the lists."""
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True, defer_build=True)
    from_: Totals = Field(alias="from", description="county-level places, prefectures and provinces paired in "
                                                    "the first year, under the programmes counted")
    to: Totals
    counted: list[str] = Field(description="the programmes counted (those counting toward paired places)")
    added: int
    ended: int
    changed: int


class Changes(Answer):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True, defer_build=True)
    from_: int = Field(alias="from")
    to: int
    district: PlaceRef | None = Field(None, description="the supporter asked for")
    place: MatchedPlace | None = Field(None, description="the place asked for")
    programme: str | None = Field(None, description="the programme asked for (its id)")
    added: list[ChangeItem] = Field(description="pairings in force in 'to' whose supporter-place pair was not "
                                                "in force in 'from'")
    ended: list[ChangeItem] = Field(description="the reverse")
    changed: list[ChangedItem] = Field(description="the same supporter and place in both years under "
                                                   "other terms (programme, period, source)")
    regroupings: list[Regrouping] = Field(default_factory=list,
                                          description="aggregates that gave way to county pairings")
    totals: PairedTotals
    data_date: str = Field(description="the date of the newest source document")
    notes: list[str] = Field(default_factory=list, description="years the sources do not cover, in Chinese")


class YearChoice(Answer):
    year: int
    covered: bool = Field(description="on or before the data's date, with pairings the sources state")
    note: str | None = Field(None, description="why not, in Chinese")
