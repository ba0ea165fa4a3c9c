"""Curated tables (``data/curated/*.csv``) -> the canonical graph.

Every row names its source. A row that is malformed, duplicated or points at a
place that cannot be resolved stops the load with ``LoadError`` naming the
file, the line and the problem; the graph is built in a fresh object and only
returned once everything, including the documents' own totals, checks out, so
nothing half-loaded is ever served.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..schema.model import LEVEL_LABEL, PROGRAMS, place_id, program_id
from ..schema.graph import CanonicalGraph, SchemaError
from .guidance import parse_guidance
from .coordinates import load_coordinates
from .tasks import TaskBuilder
from .workpoints import decode
from .workpoints import parse as parse_workpoints
from ..errors import LoadError
from ..schema.eras import AID_PROGRAMS, paired_totals
from ..schema.places import GAZETTEER_SOURCE, SHANGHAI, Gazetteer, gazetteer
from ..schema.units import UnitNames

PAIRING_FILES = ("pairings_2001_2010.csv", "pairings_end2020.csv", "pairings_2021.csv", "pairings_cooperation.csv")
PAIRING_COLUMNS = ["supporter", "program", "province", "prefecture", "place", "excluding", "valid_from", "valid_to",
                   "period_note", "county_count", "prefecture_count", "source"]


@dataclass
class Row:
    file: str
    line: int
    data: dict[str, str]

    def where(self) -> str:
        return f"{self.file} line {self.line}"


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.curated = root / "curated"
        self.graph = CanonicalGraph()
        self.problems: list[str] = []
        self.gaz: Gazetteer = load_gazetteer(root)
        self.unit_names: UnitNames = load_unit_names(root)
        self.seats = load_coordinates(root)
        self.doc_ids: set[str] = set()
        self.doc_kinds: dict[str, tuple[str, Path]] = {}
        self.warnings: list[tuple[str, int, str]] = []  # (file, line, message)
        self.short_names: dict[str, list[str]] = {}
        for text, flist in sorted(self.gaz.forms.items()):
            for f in flist:
                if f.kind in ("short", "alias"):
                    self.short_names.setdefault(f.division, []).append(text)

    # -- helpers --------------------------------------------------------------
    def rows(self, name: str, columns: list[str]) -> list[Row]:
        path = self.curated / name
        if not path.exists():
            self.problems.append(f"{name}: file is missing")
            return []
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                self.problems.append(f"{name}: missing column(s) {', '.join(missing)}")
                return []
            out = []
            for raw in reader:
                row = Row(name, reader.line_num, {k: (v or "").strip() for k, v in raw.items() if k})
                if None in raw:
                    self.problems.append(f"{row.where()}: more cells than columns")
                    continue
                out.append(row)
            return out

    def fail(self, row: Row, msg: str) -> None:
        self.problems.append(f"{row.where()}: {msg}")

    def provenance(self, row: Row, node_id: str) -> str | None:
        text = row.data.get("source", "")
        refs = [r.strip() for r in text.split(";") if r.strip()]
        if not refs:
            self.fail(row, "no source given")
            return None
        last_doc = None
        by_doc: dict[str, list[str]] = {}
        for ref in refs:
            doc, _, locator = ref.partition("#")
            if doc not in self.doc_ids:
                # a continuation such as "三(二)1 …" refers to the previous document
                if last_doc and not _looks_like_doc_id(doc):
                    doc, locator = last_doc, ref
                else:
                    self.fail(row, f"source {ref!r} names no known document")
                    return None
            last_doc = doc
            by_doc.setdefault(doc, []).append(locator.strip())
        for doc, locators in by_doc.items():
            self.graph.add_edge("DERIVED_FROM", node_id, f"doc:{doc}", locator="; ".join(locators))
        return text

    def int_or_none(self, row: Row, col: str) -> int | None:
        v = row.data.get(col, "")
        if not v:
            return None
        try:
            return int(v)
        except ValueError:
            self.fail(row, f"{col} {v!r} is not a whole number")
            return None

    def add_place(self, div_id: str) -> str:
        """Add a division and its ancestors, with PART_OF edges; returns the node id."""
        d = self.gaz.get(div_id)
        label = LEVEL_LABEL[d.level]
        former = d.former_names()
        nid = place_id(d.id)
        if nid not in self.graph.g:
            self.graph.add_node(label, nid, name=d.name, level=d.level, code=d.code,
                                former_codes=[c for c, _f, _l in d.codes[:-1]],
                                short_names=self.short_names.get(div_id, []), former_names=[n for n, _ in former],
                                former_until=[y for _, y in former], source=GAZETTEER_SOURCE,
                                longitude=self.seats.get(d.code, (None, None))[0],
                                latitude=self.seats.get(d.code, (None, None))[1])
        if d.parent:
            parent = self.add_place(d.parent)
            self.graph.add_edge("PART_OF", nid, parent, source=GAZETTEER_SOURCE)
        return nid

    def find(self, row: Row, text: str, within: str | None = None, levels: tuple[int, ...] = (1, 2, 3)) -> str | None:
        """Resolve a name as written in a source, optionally inside a division."""
        cands = set(self.gaz.best([f for f in self.gaz.forms.get(text, [])
                                   if self.gaz.get(f.division).rank in levels
                                   and (within is None or f.division == within
                                        or within in self.gaz.ancestors(f.division))]))
        if len(cands) == 1:
            return cands.pop()
        where = f" in {self.gaz.get(within).name}" if within else ""
        if not cands:
            self.fail(row, f"place {text!r} is not a known division{where}")
        else:
            names = ", ".join(sorted(self.gaz.get(c).name for c in cands))
            self.fail(row, f"place {text!r} is ambiguous{where}: {names}")
        return None

    # -- tables ---------------------------------------------------------------
    def documents(self) -> None:
        path = self.root / "sources" / "documents.csv"
        with open(path, encoding="utf-8", newline="") as f:
            for i, r in enumerate(csv.DictReader(f), start=2):
                row = Row("sources/documents.csv", i, r)
                path = self.root / "sources" / r["file"]
                if not path.is_file():
                    self.fail(row, f"source file {r['file']} is missing")
                elif hashlib.sha256(path.read_bytes()).hexdigest() != r["sha256"]:
                    self.fail(row, f"source file {r['file']} differs from the copy registered (sha256)")
                if r["id"] in self.doc_ids:
                    self.fail(row, f"document id {r['id']} appears twice")
                self.doc_ids.add(r["id"])
                self.doc_kinds[r["id"]] = (r["kind"], path)
                self.graph.add_node("Document", f"doc:{r['id']}", number=r["number"], title=r["title"],
                                    issuer=r["issuer"], date=r["date"], kind=r["kind"], file=r["file"],
                                    origin=r["origin"])

    def programs(self) -> None:
        for p in PROGRAMS.values():
            self.graph.add_node("Program", p.id, name=p.name, name_en=p.name_en, description=p.description)

    def pairings(self) -> None:
        seen: dict[tuple, str] = {}
        for name in PAIRING_FILES:
            for row in self.rows(name, PAIRING_COLUMNS):
                self.pairing(row, seen)

    def pairing(self, row: Row, seen: dict) -> None:
        r = row.data
        try:
            prog = program_id(r["program"])
        except KeyError:
            return self.fail(row, f"unknown programme {r['program']!r} (known: {', '.join(PROGRAMS)})")
        sup = self.find(row, r["supporter"], within=SHANGHAI)
        prov = self.find(row, r["province"], levels=(1,)) if r["province"] else None
        if sup is None or (r["province"] and prov is None):
            return
        within = prov
        if r["prefecture"]:
            within = self.find(row, r["prefecture"], within=prov, levels=(2,))
            if within is None:
                return
        place = self.find(row, r["place"], within=within)
        if place is None:
            return
        vf, vt = self.int_or_none(row, "valid_from"), self.int_or_none(row, "valid_to")
        if vf is not None and vt is not None and vf > vt:
            return self.fail(row, f"valid_from {vf} is after valid_to {vt}")
        key = (sup, place, vf)
        if key in seen:
            return self.fail(row, f"duplicate pairing of {r['supporter']} and {r['place']} from {vf} (first at {seen[key]})")
        seen[key] = row.where()
        pid = f"pairing:{self.gaz.get(sup).code}:{self.gaz.get(place).code}:{vf if vf is not None else 'na'}"
        excluded = [self.find(row, x, within=place) for x in r["excluding"].split()]
        if None in excluded:
            return
        self.graph.add_node("Pairing", pid, valid_from=vf, valid_to=vt, period_note=r["period_note"] or None,
                            place_as_written=r["place"], county_count=self.int_or_none(row, "county_count"),
                            prefecture_count=self.int_or_none(row, "prefecture_count"), source=r["source"])
        if self.provenance(row, pid) is None:
            return
        self.graph.add_edge("SUPPORTER", pid, self.add_place(sup))
        self.graph.add_edge("SUPPORTED", pid, self.add_place(place))
        self.graph.add_edge("UNDER", pid, prog)
        for x in excluded:
            self.graph.add_edge("EXCLUDES", pid, self.add_place(x))

    def agreements(self) -> None:
        for row in self.rows("agreements.csv", ["no", "title", "parties", "kind", "signed", "source"]):
            r = row.data
            aid = f"agreement:hfhbf-2021-14:t5:{r['no']}"
            parties = [self.find(row, p, levels=(1, 2)) for p in r["parties"].split()]
            if None in parties or not parties:
                continue
            self.graph.add_node("Agreement", aid, no=self.int_or_none(row, "no"), title=r["title"], kind=r["kind"],
                                signed=r["signed"], source=r["source"])
            self.provenance(row, aid)
            for p in parties:
                self.graph.add_edge("PARTY", aid, self.add_place(p))

    def indicators(self) -> None:
        cols = ["no", "name", "target_2025", "target_yearly_or_cumulative", "cumulative", "attribute", "source"]
        for row in self.rows("indicators.csv", cols):
            r = row.data
            if r["cumulative"] not in ("true", "false"):
                self.fail(row, "cumulative must be true or false")
                continue
            iid = f"indicator:hfhbf-2021-14:t6:{r['no']}"
            self.graph.add_node("Indicator", iid, no=self.int_or_none(row, "no"), name=r["name"],
                                target_2025=r["target_2025"] or None, target=r["target_yearly_or_cumulative"],
                                cumulative=r["cumulative"] == "true", attribute=r["attribute"], source=r["source"])
            self.provenance(row, iid)

    def funds(self) -> None:
        cols = ["id", "period", "areas", "amount_100m_yuan", "projects", "note", "source"]
        for row in self.rows("aid_funds.csv", cols):
            r = row.data
            areas = [self.find(row, a) for a in r["areas"].split()]
            if None in areas:
                continue
            try:
                amount = float(r["amount_100m_yuan"])
            except ValueError:
                self.fail(row, f"amount {r['amount_100m_yuan']!r} is not a number")
                continue
            fid = f"funding:{r['id']}"
            self.graph.add_node("AidFunding", fid, period=r["period"], amount_100m_yuan=amount,
                                projects=self.int_or_none(row, "projects"), note=r["note"] or None, source=r["source"])
            self.provenance(row, fid)
            for a in areas:
                self.graph.add_edge("FUNDED", fid, self.add_place(a))

    def council(self) -> None:
        cid = "council:yrd-city-economic-coordination"
        self.graph.add_node("Council", cid, name="长三角城市经济协调会", source="hfhbf-2021-14#表1; 表2")
        self.graph.add_edge("DERIVED_FROM", cid, "doc:hfhbf-2021-14", locator="表1; 表2")
        for n, row in enumerate(self.rows("yrd_bodies.csv", ["name", "kind", "lead_city", "lead_province", "founded",
                                                             "source"]), start=1):
            r = row.data
            prov = self.find(row, r["lead_province"], levels=(1,))
            lead = prov if prov and r["lead_city"] == r["lead_province"] else (
                self.find(row, r["lead_city"], within=prov, levels=(2,)) if prov else None)
            if lead is None:
                continue
            bid = f"councilbody:{n:02d}"
            self.graph.add_node("CouncilBody", bid, name=r["name"], kind=r["kind"],
                                founded=self.int_or_none(row, "founded"), source=r["source"])
            self.provenance(row, bid)
            self.graph.add_edge("BODY_OF", bid, cid)
            self.graph.add_edge("LED_BY", bid, self.add_place(lead), source=r["source"])
        for row in self.rows("yrd_new_members.csv", ["city", "province", "joined", "meeting", "source"]):
            r = row.data
            prov = self.find(row, r["province"], levels=(1,))
            city = self.find(row, r["city"], within=prov, levels=(2,)) if prov else None
            if city is None:
                continue
            self.graph.add_edge("MEMBER_OF", self.add_place(city), cid, joined=self.int_or_none(row, "joined"),
                                meeting=r["meeting"], source=r["source"])

    def texts(self) -> None:
        """Tasks and units from the work points, duties from the guidance, read from the texts."""
        builder = TaskBuilder(self, self.unit_names)
        for doc, (kind, path) in sorted(self.doc_kinds.items()):
            if kind == "work-points":
                try:
                    plan = parse_workpoints(decode(path.read_bytes()))
                    found = builder.add_plan(doc, plan)
                except ValueError as e:
                    self.problems.append(f"sources/{path.name}: {e}")
                    continue
                self.warnings += [(path.name, w.line, w.message) for w in found]
            elif kind == "guidance":
                builder.add_guidance(doc, parse_guidance(path.read_text(encoding="utf-8")))
        builder.finish()

    # -- the documents' own totals -------------------------------------------
    def check_totals(self) -> None:
        pairings = self.graph.pairing_records()  # the same records every store returns
        for row in self.rows("document_totals.csv", ["as_of", "counties", "prefectures", "provinces", "source"]):
            year = self.int_or_none(row, "as_of")
            got = paired_totals(pairings, year, self.gaz)
            want = {k: self.int_or_none(row, k) for k in ("counties", "prefectures", "provinces")}
            if got != want:
                self.fail(row, f"the graph gives {got} for {year}, the document says {want}")
        records = [p for p in pairings if p.in_force(2021) and p.program in AID_PROGRAMS]
        for row in self.rows("district_totals_2021.csv", ["district", "paired_places", "source"]):
            d = self.find(row, row.data["district"], within=SHANGHAI)
            if d is None:
                continue
            got = sum(1 for p in records if p.supporter == place_id(d))
            want = self.int_or_none(row, "paired_places")
            if got != want:
                self.fail(row, f"{row.data['district']} has {got} paired places in the graph, the table says {want}")


def _looks_like_doc_id(text: str) -> bool:
    return text.isascii() and "-" in text


def load_gazetteer(root: Path) -> Gazetteer:
    """The national gazetteer with this data folder's alias table."""
    path = root / "curated" / "aliases.csv"
    try:
        return gazetteer(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise LoadError([f"curated/aliases.csv: cannot be read ({e.strerror})"]) from None
    except ValueError as e:
        raise LoadError([str(e)]) from None


def load_unit_names(root: Path) -> UnitNames:
    path = root / "curated" / "unit_aliases.csv"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return UnitNames({r["written"]: (r["canonical"], r["kind"]) for r in csv.DictReader(f)})
    except OSError as e:
        raise LoadError([f"curated/unit_aliases.csv: cannot be read ({e.strerror})"]) from None


@dataclass(frozen=True)
class Loaded:
    """Everything one load of a data folder gives: the validated graph, the gazetteer and
    the unit names it was built with, and the parsers' warnings as (file, line, message)."""
    graph: CanonicalGraph
    gazetteer: Gazetteer
    unit_names: UnitNames
    warnings: list[tuple[str, int, str]]


def load_graph(root: Path) -> CanonicalGraph:
    """Build and validate the canonical graph from ``root`` (``sources/`` + ``curated/``)."""
    return load(root).graph


def load_graph_with_warnings(root: Path) -> tuple[CanonicalGraph, list[tuple[str, int, str]]]:
    """The graph and the parsers' warnings as (file, line, message)."""
    got = load(root)
    return got.graph, got.warnings


def load(root: Path) -> Loaded:
    """Load a data folder whole, or raise ``LoadError`` listing every problem: nothing half-loaded."""
    if not (root / "sources").is_dir() or not (root / "curated").is_dir():
        raise LoadError([f"{root}: not a data folder (it needs sources/ and curated/; check AIDGRAPH_DATA)"])
    ld = _Loader(root)
    try:
        ld.documents()
        ld.programs()
        ld.pairings()
        ld.agreements()
        ld.indicators()
        ld.funds()
        ld.council()
        ld.texts()
        if not ld.problems:
            ld.check_totals()
    except SchemaError as e:
        ld.problems.append(str(e))
    if ld.problems:
        raise LoadError(ld.problems)
    return Loaded(ld.graph, ld.gaz, ld.unit_names, ld.warnings)
