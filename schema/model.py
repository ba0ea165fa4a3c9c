"""Node and relationship types of the aid graph: the single definition that the
loaders, the stores, the API models, the Neo4j DDL and the RDF vocabulary use.

Every node has a stable ``id`` (``<prefix>:<key>``) and one label. Nodes and
relationships that state a fact carry ``source``: one or more references
``<document id>#<table, note or item>`` joined by ``"; "`` (document ids from
``data/sources/documents.csv``), and a ``DERIVED_FROM`` relationship to each
document named, with the locator on it. Places and their hierarchy come from the
national division-code lists and carry ``source = "gbt2260"``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# property type names used below; the canonical graph checks values against them
STR, INT, FLOAT, BOOL, STRS, INTS = "str", "int", "float", "bool", "list[str]", "list[int]"

PROVENANCE = {"source": STR}


@dataclass(frozen=True)
class NodeType:
    label: str
    prefix: str
    doc: str
    props: dict[str, str]
    required: tuple[str, ...] = ("id",)
    lookup: tuple[str, ...] = ()  # properties the named queries look nodes up by (indexed in Neo4j)

    @property
    def all_props(self) -> dict[str, str]:
        return {"id": STR, **self.props}


@dataclass(frozen=True)
class RelType:
    type: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    doc: str
    props: dict[str, str] = field(default_factory=dict)


PLACE_PROPS = {
    "name": STR,            # current official full name
    "level": STR,           # municipality | district | province | prefecture | county
    "code": STR,            # current GB/T 2260 code
    "former_codes": STRS,
    "short_names": STRS,    # forms people write: 巍山, 巍山县, 文山州
    "former_names": STRS,   # parallel to former_until
    "former_until": INTS,   # last year each former name was in force
    "longitude": FLOAT,     # of the seat (data/curated/seat_coordinates.csv), for the geographic layout
    "latitude": FLOAT,
    "source": STR,
}

SEAT_CREDIT = "seat coordinates: adcode dataset (CC BY 4.0), via the cpca package (MIT)"

PLACE_LABELS = ("Municipality", "District", "Province", "Prefecture", "County")
SUPPORTER_LABELS = ("Municipality", "District")

NODE_TYPES: dict[str, NodeType] = {t.label: t for t in [
    NodeType("Municipality", "place", "Shanghai (and other province-level municipalities)", PLACE_PROPS,
             ("id", "name", "level", "code"), ("name", "code")),
    NodeType("District", "place", "A district of Shanghai", PLACE_PROPS, ("id", "name", "level", "code"), ("name", "code")),
    NodeType("Province", "place", "Province-level division", PLACE_PROPS, ("id", "name", "level", "code"), ("name", "code")),
    NodeType("Prefecture", "place", "Prefecture-level division 地(州、市)", PLACE_PROPS,
             ("id", "name", "level", "code"), ("name", "code")),
    NodeType("County", "place", "County-level division 县(区、市)", PLACE_PROPS, ("id", "name", "level", "code"), ("name", "code")),
    NodeType("Program", "program", "A kind of cooperation: 东西部协作, 对口支援, 对口合作 …",
             {"name": STR, "name_en": STR, "description": STR}, ("id", "name")),
    NodeType("Pairing", "pairing", "A supporter's pairing with a place for a period (reified so it can carry its period and source)",
             {"valid_from": INT, "valid_to": INT, "period_note": STR, "place_as_written": STR,
              "county_count": INT, "prefecture_count": INT, **PROVENANCE},
             ("id", "source"), ("valid_from", "valid_to")),
    NodeType("Document", "doc", "A source document",
             {"number": STR, "title": STR, "issuer": STR, "date": STR, "kind": STR, "file": STR, "origin": STR},
             ("id", "number", "title"), ("number",)),
    NodeType("Agreement", "agreement", "An inter-government framework agreement",
             {"no": INT, "title": STR, "kind": STR, "signed": STR, **PROVENANCE}, ("id", "title", "source")),
    NodeType("Indicator", "indicator", "A plan indicator with its target",
             {"no": INT, "name": STR, "target_2025": STR, "target": STR, "cumulative": BOOL, "attribute": STR, **PROVENANCE},
             ("id", "name", "source")),
    NodeType("AidFunding", "funding", "Funds and project counts reported for a period and area",
             {"period": STR, "amount_100m_yuan": FLOAT, "projects": INT, "note": STR, **PROVENANCE},
             ("id", "period", "source")),
    NodeType("Task", "task", "A numbered task (or safeguard item) of a district's yearly work points",
             {"number": INT, "kind": STR, "section": STR, "title": STR, "text": STR, "year": INT, **PROVENANCE},
             ("id", "number", "kind", "title", "year", "source"), ("year", "number")),
    NodeType("Unit", "unit", "A government unit of a district (or of the municipality); collective units "
             "(各成员单位, 各街镇) and the front-line aid organisation (援外机构 / 前方工作机构) included",
             {"name": STR, "names_as_written": STRS, "kind": STR, **PROVENANCE}, ("id", "name", "kind"), ("name",)),
    NodeType("Duty", "duty", "A duty the guidance document gives a kind of organisation",
             {"number": INT, "section": STR, "title": STR, "text": STR, **PROVENANCE}, ("id", "number", "title", "source")),
    NodeType("Council", "council", "A regional coordination body (长三角城市经济协调会)", {"name": STR, **PROVENANCE}, ("id", "name")),
    NodeType("CouncilBody", "councilbody", "A committee or alliance of the council",
             {"name": STR, "kind": STR, "founded": INT, **PROVENANCE}, ("id", "name", "source")),
]}

REL_TYPES: dict[str, RelType] = {t.type: t for t in [
    RelType("PART_OF", PLACE_LABELS, PLACE_LABELS, "Administrative hierarchy", {"source": STR}),
    RelType("SUPPORTER", ("Pairing",), SUPPORTER_LABELS, "Who supports in a pairing"),
    RelType("SUPPORTED", ("Pairing",), ("Province", "Prefecture", "County"), "The place a pairing names"),
    RelType("EXCLUDES", ("Pairing",), ("Prefecture", "County"), "A part of the named place the pairing leaves out"),
    RelType("UNDER", ("Pairing",), ("Program",), "The programme of a pairing"),
    RelType("DERIVED_FROM", ("Pairing", "Agreement", "Indicator", "AidFunding", "Council", "CouncilBody", "Task", "Duty", "Unit"),
            ("Document",), "Provenance of a fact", {"locator": STR}),
    RelType("PARTY", ("Agreement",), PLACE_LABELS, "A government that signed an agreement"),
    RelType("FUNDED", ("AidFunding",), PLACE_LABELS, "An area a funding figure covers"),
    RelType("TASK_OF", ("Task",), SUPPORTER_LABELS, "The district whose work points set the task"),
    RelType("UNIT_OF", ("Unit",), SUPPORTER_LABELS, "The district (or municipality) a unit belongs to"),
    RelType("LEAD_UNIT", ("Task",), ("Unit",), "A unit that leads the task (牵头单位)",
            {"as_written": STR, "position": INT, "etc": BOOL}),
    RelType("RESPONSIBLE_UNIT", ("Task",), ("Unit",), "A unit responsible for the task (责任单位 / 责任部门)",
            {"as_written": STR, "position": INT, "etc": BOOL, "label": STR}),
    RelType("NAMES_PLACE", ("Task",), ("Prefecture", "County"), "A place the task's text names", {"as_written": STR}),
    RelType("DUTY_OF", ("Duty",), ("Unit",), "The organisation a duty belongs to"),
    RelType("BODY_OF", ("CouncilBody",), ("Council",), "A committee or alliance of a council"),
    RelType("LED_BY", ("CouncilBody",), PLACE_LABELS, "Lead city of a committee or alliance", PROVENANCE),
    RelType("MEMBER_OF", PLACE_LABELS, ("Council",), "A city that joined the council",
            {"joined": INT, "meeting": STR, **PROVENANCE}),
]}


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    name_en: str
    description: str


PROGRAMS: dict[str, Program] = {p.id: p for p in [
    Program("program:east-west", "东西部协作", "East–West cooperation", "Eastern provinces paired with western ones (for Shanghai: Yunnan; Guizhou’s Zunyi until 2020)"),
    Program("program:paired-support", "对口支援", "Paired support", "Support to Xinjiang, Tibet, Qinghai and the Three Gorges area"),
    Program("program:paired-cooperation", "对口合作", "Paired cooperation", "Cooperation with Dalian"),
]}


def program_id(key: str) -> str:
    """``east-west`` -> ``program:east-west``; raises KeyError for unknown programmes."""
    pid = key if key.startswith("program:") else f"program:{key}"
    if pid not in PROGRAMS:
        raise KeyError(key)
    return pid


def place_id(code: str) -> str:
    return f"place:{code}"


UNIT_KINDS = ("unit", "collective", "front-line", "office-outside")

LEVEL_LABEL = {"municipality": "Municipality", "district": "District", "province": "Province",
               "prefecture": "Prefecture", "county": "County"}
