"""Node and relationship types of the aid graph: THE one table that the loaders,
the canonical graph's checks, the stores, the API models, the Neo4j DDL, the
RDF export, its SHACL shapes and the network pictures' styles are generated from.

Every node has a stable ``id`` (``<prefix>:<key>``) and one label. Nodes and
relationships that state a fact carry ``source``: one or more references
``<document id>#<table, note or item>`` joined by ``"; "`` (document ids from
``data/sources/documents.csv``), and a ``DERIVED_FROM`` relationship to each
document named, with the locator on it. Places and their hierarchy come from the
national division-code lists and carry ``source = "gbt2260"``.

Each property (of a node or of a relationship) is a :class:`Prop`: its value
type, its RDF predicate, and where it applies its allowed values (``enum``),
language, RDF datatype and whether Neo4j indexes it. Each node type names its
RDF classes and, where pictures draw it, its style; each relationship type names
its RDF predicate, how its properties are written in RDF (:class:`Qualified`)
and how many of it a start node has.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass, field
from types import GenericAlias
from typing import NamedTuple

from .iri import AID, DCTERMS, IRI, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

# property type names; the canonical graph checks values against them
STR, INT, FLOAT, BOOL, STRS, INTS = "str", "int", "float", "bool", "list[str]", "list[int]"
_PYTHON = {STR: str, INT: int, FLOAT: float, BOOL: bool, STRS: str, INTS: int}


def _iri(value: object, what: str) -> IRI:
    """An IRI the table names (``IRI``, an rdflib ``URIRef`` or another absolute IRI string) as the
    table keeps it: a plain ``IRI``; ValueError for anything else (a bare name is no predicate)."""
    if not isinstance(value, str) or not str(value).startswith(("http://", "https://", "urn:")):
        raise ValueError(f"{what} must be an absolute IRI, not {value!r}")
    return IRI(value)


def _iris(obj: object, **fields: str) -> None:
    """Each named field of a frozen table entry kept as ``IRI`` (tuples of IRIs, pairs, or None kept so)."""
    for name, what in fields.items():
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = tuple(tuple(_iri(v, what) for v in item) if isinstance(item, tuple) else _iri(item, what)
                          for item in value)
        else:
            value = _iri(value, what)
        object.__setattr__(obj, name, value)


_XSD = {STR: XSD.string, INT: XSD.integer, FLOAT: XSD.double, BOOL: XSD.boolean, STRS: XSD.string, INTS: XSD.integer}


@dataclass(frozen=True)
class Group:
    """Parallel list properties that together describe one resource per index (a former name
    and the last year it was in force). In RDF each index is a resource ``<owner>/<segment>/<i>``
    of class ``cls``, linked from its owner by ``link``."""
    link: IRI
    cls: IRI
    segment: str

    def __post_init__(self) -> None:
        _iris(self, link="a group's link", cls="a group's class")


@dataclass(frozen=True)
class Prop:
    """One property of a node or relationship type.

    ``rdf``: the predicate in the RDF export (``also``: further predicates given the same value);
    ``enum``: the allowed values (checked by the canonical graph, ``sh:in`` in SHACL, ``Literal``
    in the API); ``lang``: a language tag for text literals; ``datatype``: the RDF datatype where
    it is not the type's own (``xsd:gYear``, ``xsd:date``); ``indexed``: Neo4j indexes it (the
    named queries look nodes up by it); ``group``: see :class:`Group`; ``interval``: ``"begin"`` or
    ``"end"`` — a year written as that end of a ``time:Interval`` linked by ``rdf``;
    ``documents``: the value names documents (``<doc id>#<locator>; …``)."""
    type: str
    rdf: IRI
    doc: str = ""
    enum: tuple[str, ...] | None = None
    lang: str | None = None
    datatype: IRI | None = None
    indexed: bool = False
    also: tuple[IRI, ...] = ()
    group: Group | None = None
    interval: str | None = None
    documents: bool = False

    def __post_init__(self) -> None:
        if self.type not in _PYTHON:
            raise ValueError(f"unknown property type {self.type!r}")
        _iris(self, rdf=f"property {self.doc!r}: rdf (its predicate)", also=f"property {self.doc!r}: also",
              datatype=f"property {self.doc!r}: datatype")
        if self.enum is not None and (self.type not in (STR, STRS) or not self.enum):
            raise ValueError("enum needs a (list of) str property and at least one value")
        if self.interval not in (None, "begin", "end") or (self.interval and self.type != INT):
            raise ValueError("interval is 'begin' or 'end', on an int (year) property")

    @property
    def many(self) -> bool:
        return self.type in (STRS, INTS)

    @property
    def python_type(self) -> typing.Any:
        """The Python type of a value: ``Literal[…]`` of the enum where there is one."""
        one = typing.Literal[self.enum] if self.enum else _PYTHON[self.type]
        return GenericAlias(list, (one,)) if self.many else one  # list[one], with `one` known at run time

    @property
    def rdf_datatype(self) -> IRI:
        if self.lang:
            return RDF.langString
        return self.datatype or _XSD[self.type]


class Style(NamedTuple):
    """How the network pictures draw a node type: colour, vis-network shape, legend text
    (Chinese first, English second)."""
    colour: str
    shape: str
    legend: str


@dataclass(frozen=True)
class NodeType:
    label: str
    prefix: str
    doc: str
    classes: tuple[IRI, ...]  # RDF classes, the main one first
    props: dict[str, Prop]
    required: tuple[str, ...] = ("id",)
    style: Style | None = None   # None: not drawn as a node

    def __post_init__(self) -> None:
        if not self.classes:
            raise ValueError(f"{self.label}: no RDF class")
        _iris(self, classes=f"{self.label}: a class")
        unknown = [p for p in self.required if p not in self.all_props]
        if unknown:
            raise ValueError(f"{self.label}: required {unknown} not among its properties")

    @property
    def all_props(self) -> dict[str, Prop]:
        return {"id": ID, **self.props}

    @property
    def lookup(self) -> tuple[str, ...]:
        """Properties the named queries look nodes up by (indexed in Neo4j)."""
        return tuple(k for k, p in self.props.items() if p.indexed)


@dataclass(frozen=True)
class Qualified:
    """How a relationship's properties are written in RDF: beside the direct ``start rdf end``
    triple, a resource ``<start>/<segment>/<end id>`` of ``classes`` linked ``start from_start q``
    (and ``q to_start start`` where given), ``q to_end end``, carrying the ``constants`` and each
    property with its predicate."""
    segment: str
    classes: tuple[IRI, ...]
    from_start: IRI
    to_end: IRI
    to_start: IRI | None = None
    constants: tuple[tuple[IRI, IRI], ...] = ()

    def __post_init__(self) -> None:
        _iris(self, classes="a qualified class", from_start="from_start", to_end="to_end", to_start="to_start",
              constants="a constant")


@dataclass(frozen=True)
class RelType:
    type: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    doc: str
    rdf: IRI                          # predicate start -> end
    props: dict[str, Prop] = field(default_factory=dict)
    one_each: bool = False               # at most one per start node (and, in SHACL, exactly one)
    min_one: bool = False                # every start node has at least one
    qualified: Qualified | None = None   # default for a type with properties: a reified rdf:Statement
    also: tuple[IRI, ...] = ()        # further predicates start -> end
    inverse: IRI | None = None        # a predicate end -> start

    def __post_init__(self) -> None:
        _iris(self, rdf=f"{self.type}: rdf (its predicate)", also=f"{self.type}: also", inverse=f"{self.type}: inverse")

    @property
    def qualifier(self) -> Qualified | None:
        """How the properties are written; ``None`` for a type without properties."""
        if self.qualified is not None or not self.props:
            return self.qualified
        camel = "".join(w.capitalize() for w in self.type.split("_"))
        return Qualified(f"statement/{self.type.lower()}", (RDF.Statement,), AID["qualified" + camel], RDF.object,
                         RDF.subject, ((RDF.predicate, self.rdf),))


ID = Prop(STR, DCTERMS.identifier, "stable id <prefix>:<key>")
SOURCE = Prop(STR, AID.sourceReference, "document id#table, note or item; several joined by '; '", documents=True)
PROVENANCE = {"source": SOURCE}
YEAR = XSD.gYear

# -- allowed values ------------------------------------------------------------------------------------
LEVELS = ("municipality", "district", "province", "prefecture", "county")
TASK_KINDS = ("task", "safeguard")                     # a numbered task, a safeguard item (保障措施)
UNIT_KINDS = ("unit", "collective", "front-line", "office-outside")
DOCUMENT_KINDS = ("guidance", "plan", "work-points", "notice")  # notice: a pairing-change notice (import-pairings)
# how a document came into the graph: shipped with the data (the initial load), or by an import command
IMPORT_KINDS = ("initial", "import-doc", "import-pairings")
# programmes: what each is (coordination, support, cooperation, cooperation with assistance) and the totals it
# counts toward
PROGRAM_KINDS = ("collaboration", "support", "cooperation", "cooperation-support")
PROGRAM_TOTALS = ("paired-places",)
# answers of the named queries (not graph properties): how a name matched, how a pairing reaches a place
FORM_KINDS = ("full", "short", "former", "alias", "code", "qualified", "traditional", "pinyin", "english",
              "code-within")
VIA = ("self", "county", "prefecture", "province")

FORMER = Group(AID.formerName, AID.FormerName, "former")

PLACE_PROPS = {
    "name": Prop(STR, SDO.name, "current official full name", lang="zh", indexed=True),
    "level": Prop(STR, AID.level, "administrative level", enum=LEVELS),
    "code": Prop(STR, SDO.identifier, "current GB/T 2260 code", indexed=True),
    "former_codes": Prop(STRS, AID.formerCode, "earlier GB/T 2260 codes"),
    "short_names": Prop(STRS, SDO.alternateName, "forms people write: 巍山, 巍山县, 文山州", lang="zh"),
    "former_names": Prop(STRS, SDO.name, "former official names, parallel to former_until", lang="zh", group=FORMER),
    "former_until": Prop(INTS, AID.inForceUntil, "last year each former name was in force", datatype=YEAR,
                         group=FORMER),
    "longitude": Prop(FLOAT, SDO.longitude,
                      "of the seat (data/curated/seat_coordinates.csv), for the geographic layout"),
    "latitude": Prop(FLOAT, SDO.latitude, "of the seat"),
    "seat_approximate": Prop(BOOL, AID.seatApproximate,
                             "true: the table has no seat for it, so the seat of the nearest division above it "
                             "is used"),
    "source": Prop(STR, AID.sourceReference, "gbt2260: the national division-code lists"),
}
PLACE_REQUIRED = ("id", "name", "level", "code")
PLACE_CLASSES = (SDO.AdministrativeArea,)
SUPPORTER_CLASSES = (SDO.AdministrativeArea, ORG.Organization, SDO.GovernmentOrganization)

SEAT_CREDIT = "seat coordinates: adcode dataset (CC BY 4.0), via the cpca package (MIT)"

PLACE_LABELS = ("Municipality", "District", "Province", "Prefecture", "County")
# a supporter may be a division of any level in any province (Shanghai's districts and the municipality
# in the shipped data; other eastern provinces' cities and districts in a graph of their pairings)
SUPPORTER_LABELS = PLACE_LABELS


def _number(doc: str) -> Prop:
    return Prop(INT, AID.number, doc)


NODE_TYPES: dict[str, NodeType] = {t.label: t for t in [
    NodeType("Municipality", "place", "Shanghai (and other province-level municipalities)", SUPPORTER_CLASSES,
             PLACE_PROPS, PLACE_REQUIRED, Style("#1f3a93", "star", "上海市 municipality")),
    NodeType("District", "place", "A district of Shanghai", SUPPORTER_CLASSES, PLACE_PROPS, PLACE_REQUIRED,
             Style("#2e86de", "box", "区 district (supporter)")),
    NodeType("Province", "place", "Province-level division", PLACE_CLASSES, PLACE_PROPS, PLACE_REQUIRED,
             Style("#7f8c8d", "ellipse", "省 province")),
    NodeType("Prefecture", "place", "Prefecture-level division 地(州、市)", PLACE_CLASSES, PLACE_PROPS, PLACE_REQUIRED,
             Style("#27ae60", "ellipse", "地(州、市) prefecture")),
    NodeType("County", "place", "County-level division 县(区、市)", PLACE_CLASSES, PLACE_PROPS, PLACE_REQUIRED,
             Style("#a3d977", "dot", "县(区、市) county")),
    NodeType("Program", "program", "A programme of cooperation (东西部协作, 对口支援, 对口合作 …), declared in "
             "data/curated/programmes.csv", (AID.Programme, SKOS.Concept),
             {"name": Prop(STR, SDO.name, "Chinese name", lang="zh"),
              "name_en": Prop(STR, RDFS.label, "English name", lang="en"),
              "kind": Prop(STR, AID.kind, "what the programme is: 协作, 支援, 合作 or 合作帮扶", enum=PROGRAM_KINDS),
              "counts_toward": Prop(STR, AID.countsToward,
                                    "the documents' totals its pairings count toward (paired-places), if any",
                                    enum=PROGRAM_TOTALS),
              "colour": Prop(STR, AID.colour, "colour of its pairings in the pictures (#rrggbb)"),
              "description": Prop(STR, RDFS.comment, "what the programme covers", lang="en"), **PROVENANCE},
             ("id", "name", "kind", "colour", "source")),
    NodeType("Pairing", "pairing",
             "A supporter's pairing with a place for a period (reified so it can carry its period and source)",
             (AID.Pairing, ORG.OrganizationalCollaboration),
             {"valid_from": Prop(INT, AID.validFrom, "first year in force", datatype=YEAR, indexed=True),
              "valid_to": Prop(INT, AID.validTo, "last year in force", datatype=YEAR, indexed=True),
              "period_note": Prop(STR, AID.periodNote, "what the sources say of the period"),
              "place_as_written": Prop(STR, AID.placeAsWritten, "the place as the source writes it", lang="zh"),
              "county_count": Prop(INT, AID.countyCount, "for a pairing the source states only in numbers"),
              "prefecture_count": Prop(INT, AID.prefectureCount, "for a pairing the source states only in numbers"),
              **PROVENANCE},
             ("id", "source")),
    NodeType("Document", "doc", "A source document", (SDO.Legislation, PROV.Entity),
             {"number": Prop(STR, AID.number, "document number (文号)", indexed=True,
                             also=(SDO.legislationIdentifier,)),
              "title": Prop(STR, DCTERMS.title, "title", lang="zh"),
              "issuer": Prop(STR, DCTERMS.creator, "issuing body", lang="zh"),
              "date": Prop(STR, DCTERMS.issued, "date issued", datatype=XSD.date),
              "kind": Prop(STR, AID.kind, "kind of document", enum=DOCUMENT_KINDS),
              "file": Prop(STR, AID.sourceFile, "text file under data/sources (none: a document cited, not held)"),
              "origin": Prop(STR, DCTERMS.provenance, "where the text comes from, or why it is not held")},
             ("id", "title"), Style("#34495e", "diamond", "文件 document")),
    NodeType("Agreement", "agreement", "An inter-government framework agreement", (AID.Agreement, PROV.Entity),
             {"no": _number("row number in the source table"),
              "title": Prop(STR, DCTERMS.title, "title", lang="zh"),
              "kind": Prop(STR, AID.kind, "kind of agreement, as the source writes it", lang="zh"),
              "signed": Prop(STR, DCTERMS.date, "date signed", datatype=XSD.date), **PROVENANCE},
             ("id", "title", "source"), Style("#c0392b", "diamond", "协议 agreement")),
    NodeType("Indicator", "indicator", "A plan indicator with its target", (AID.Indicator,),
             {"no": _number("row number in the source table"),
              "name": Prop(STR, SDO.name, "indicator", lang="zh"),
              "target_2025": Prop(STR, AID.target2025, "target for 2025"),
              "target": Prop(STR, AID.target, "target"),
              "cumulative": Prop(BOOL, AID.cumulative, "the target is cumulative"),
              "attribute": Prop(STR, AID.attribute, "expected or binding"), **PROVENANCE},
             ("id", "name", "source")),
    NodeType("AidFunding", "funding", "Funds and project counts reported for a period and area", (AID.Funding,),
             {"period": Prop(STR, AID.period, "years reported"),
              "amount_100m_yuan": Prop(FLOAT, AID.amountHundredMillionYuan, "funds in 100 million yuan"),
              "projects": Prop(INT, AID.projectCount, "number of projects"),
              "note": Prop(STR, RDFS.comment, "note"), **PROVENANCE},
             ("id", "period", "source")),
    NodeType("Task", "task", "A numbered task (or safeguard item) of a district's yearly work points",
             (AID.Task, PROV.Activity),
             {"number": Prop(INT, AID.number, "number in the work points", indexed=True),
              "kind": Prop(STR, AID.kind, "a numbered task or a safeguard item (保障措施)", enum=TASK_KINDS),
              "section": Prop(STR, AID.section, "section heading", lang="zh"),
              "title": Prop(STR, DCTERMS.title, "title", lang="zh"),
              "text": Prop(STR, SDO.description, "text", lang="zh"),
              "year": Prop(INT, AID.year, "year of the work points", datatype=YEAR, indexed=True), **PROVENANCE},
             ("id", "number", "kind", "title", "year", "source"), Style("#e67e22", "square", "任务 task")),
    NodeType("Unit", "unit", "A government unit of a district (or of the municipality); collective units "
             "(各成员单位, 各街镇) and the front-line aid organisation (援外机构 / 前方工作机构) included",
             (ORG.OrganizationalUnit, SDO.GovernmentOrganization),
             {"name": Prop(STR, SDO.name, "canonical name within its district", lang="zh", indexed=True),
              "names_as_written": Prop(STRS, AID.nameAsWritten, "forms the documents write", lang="zh"),
              "kind": Prop(STR, AID.kind, "a unit, a collective of units, the front-line aid organisation, "
                           "or the municipality's offices outside Shanghai", enum=UNIT_KINDS), **PROVENANCE},
             ("id", "name", "kind"), Style("#8e44ad", "triangle", "单位 unit")),
    NodeType("Duty", "duty", "A duty the guidance document gives a kind of organisation", (AID.Duty, SKOS.Concept),
             {"number": Prop(INT, AID.number, "number in the guidance"),
              "section": Prop(STR, AID.section, "section heading", lang="zh"),
              "title": Prop(STR, DCTERMS.title, "title", lang="zh", also=(SKOS.prefLabel,)),
              "text": Prop(STR, SDO.description, "text", lang="zh", also=(SKOS.definition,)), **PROVENANCE},
             ("id", "number", "title", "source")),
    NodeType("ImportEvent", "import", "A dated change to the graph: the initial load of the documents shipped with "
             "the data, or one import (import-doc: a work-points document; import-pairings: a notice); read from "
             "the registers' origin column", (AID.ImportEvent, PROV.Activity),
             {"kind": Prop(STR, AID.kind, "initial load or the import command", enum=IMPORT_KINDS),
              "order": Prop(INT, AID.sequence, "place in the graph's history, from 1 (the initial load)"),
              "date": Prop(STR, DCTERMS.date, "day of the import as the register records it (the initial load: "
                           "the newest shipped document's date)", datatype=XSD.date),
              "file": Prop(STR, AID.importedFile, "the file as it was imported"),
              "added_pairings": Prop(INT, AID.addedPairings, "pairings whose first source is the documents used"),
              "ended_pairings": Prop(INT, AID.endedPairings, "earlier pairings the documents used end"),
              "added_tasks": Prop(INT, AID.addedTasks, "tasks read from the documents used")},
             ("id", "kind", "order", "date")),
    NodeType("Council", "council", "A regional coordination body (长三角城市经济协调会)",
             (ORG.FormalOrganization, AID.Council),
             {"name": Prop(STR, SDO.name, "name", lang="zh"), **PROVENANCE}, ("id", "name")),
    NodeType("CouncilBody", "councilbody", "A committee or alliance of the council",
             (ORG.FormalOrganization, AID.CouncilBody),
             {"name": Prop(STR, SDO.name, "name", lang="zh"),
              "kind": Prop(STR, AID.kind, "committee or alliance"),
              "founded": Prop(INT, AID.foundedYear, "year founded", datatype=YEAR), **PROVENANCE},
             ("id", "name", "source")),
]}

OTHER_STYLE = Style("#bdc3c7", "dot", "其他 other")  # a node of a type without a style of its own

ROLE_LEAD, ROLE_RESPONSIBLE = AID.LeadRole, AID.ResponsibleRole
ROLE_COOPERATING = AID.CooperatingRole
_UNIT_PROPS = {"as_written": Prop(STR, AID.asWritten, "the unit as the task writes it", lang="zh"),
               "position": Prop(INT, AID.position, "place in the task's list, from 0"),
               "etc": Prop(BOOL, AID.listEndsWithEtc, "the list ends with 等")}


def _association(role: IRI, name: str) -> Qualified:
    return Qualified(f"association/{name}", (PROV.Association,), PROV.qualifiedAssociation, PROV.agent,
                     constants=((PROV.hadRole, role),))


REL_TYPES: dict[str, RelType] = {t.type: t for t in [
    RelType("PART_OF", PLACE_LABELS, PLACE_LABELS, "Administrative hierarchy", SDO.containedInPlace,
            {"source": PLACE_PROPS["source"]}),
    RelType("SUPPORTER", ("Pairing",), SUPPORTER_LABELS, "Who supports in a pairing", AID.supporter,
            one_each=True, min_one=True),
    RelType("SUPPORTED", ("Pairing",), ("Province", "Prefecture", "County"), "The place a pairing names",
            AID.supported, one_each=True, min_one=True),
    RelType("EXCLUDES", ("Pairing",), ("Prefecture", "County"), "A part of the named place the pairing leaves out",
            AID.excludes),
    RelType("UNDER", ("Pairing",), ("Program",), "The programme of a pairing", AID.programme,
            one_each=True, min_one=True),
    RelType("DERIVED_FROM", ("Program", "Pairing", "Agreement", "Indicator", "AidFunding", "Council", "CouncilBody",
                             "Task", "Duty", "Unit"),
            ("Document",), "Provenance of a fact: every fact derives from a document", PROV.wasDerivedFrom,
            {"locator": Prop(STR, AID.sourceLocator, "table, note or item of the document", lang="zh")},
            min_one=True, also=(PROV.hadPrimarySource,),
            qualified=Qualified("derivation", (PROV.Derivation,), PROV.qualifiedDerivation, PROV.entity)),
    RelType("USED", ("ImportEvent",), ("Document",), "The document (or notice) an import brought in",
            PROV.used, min_one=True),
    RelType("PARTY", ("Agreement",), PLACE_LABELS, "A government that signed an agreement", AID.party),
    RelType("FUNDED", ("AidFunding",), PLACE_LABELS, "An area a funding figure covers", AID.fundedArea),
    RelType("TASK_OF", ("Task",), SUPPORTER_LABELS, "The district whose work points set the task", AID.taskOf,
            one_each=True, min_one=True),
    RelType("UNIT_OF", ("Unit",), SUPPORTER_LABELS, "The district (or municipality) a unit belongs to", ORG.unitOf,
            one_each=True, min_one=True),
    RelType("LEAD_UNIT", ("Task",), ("Unit",), "A unit that leads the task (牵头单位)", AID.leadUnit,
            _UNIT_PROPS, qualified=_association(ROLE_LEAD, "lead")),
    RelType("RESPONSIBLE_UNIT", ("Task",), ("Unit",), "A unit responsible for the task (责任单位 / 责任部门)",
            AID.responsibleUnit,
            {**_UNIT_PROPS, "label": Prop(STR, AID.label, "how the task heads the list (a responsible "
                                          "label of data/curated/unit_role_labels.csv)", lang="zh")},
            qualified=_association(ROLE_RESPONSIBLE, "responsible")),
    RelType("COOPERATING_UNIT", ("Task",), ("Unit",), "A unit that cooperates on the task (配合单位 / 协办单位)",
            AID.cooperatingUnit, _UNIT_PROPS, qualified=_association(ROLE_COOPERATING, "cooperating")),
    RelType("NAMES_PLACE", ("Task",), ("Prefecture", "County"), "A place the task's text names", AID.namesPlace,
            {"as_written": Prop(STR, AID.asWritten, "the place as the task writes it", lang="zh")}),
    RelType("DUTY_OF", ("Duty",), ("Unit",), "The organisation a duty belongs to", AID.dutyOf, inverse=ORG.purpose),
    RelType("BODY_OF", ("CouncilBody",), ("Council",), "A committee or alliance of a council", ORG.subOrganizationOf),
    RelType("LED_BY", ("CouncilBody",), PLACE_LABELS, "Lead city of a committee or alliance", AID.leadCity,
            PROVENANCE),
    RelType("MEMBER_OF", PLACE_LABELS, ("Council",), "A city that joined the council", ORG.memberOf,
            {"joined": Prop(INT, ORG.memberDuring, "year joined", datatype=YEAR, interval="begin"),
             "meeting": Prop(STR, RDF.value, "the meeting that admitted it", lang="zh"), **PROVENANCE},
            qualified=Qualified("membership", (ORG.Membership,), ORG.hasMembership, ORG.organization,
                                to_start=ORG.member)),
]}


def program_id(key: str) -> str:
    """``east-west`` -> ``program:east-west`` (the programmes themselves are data: programmes.csv)."""
    return key if key.startswith("program:") else f"program:{key}"


def place_id(code: str) -> str:
    return f"place:{code}"


LEVEL_LABEL = dict(zip(LEVELS, PLACE_LABELS, strict=True))
SUPPORTER_LEVELS = tuple(lv for lv, label in LEVEL_LABEL.items() if label in SUPPORTER_LABELS)
