"""Curated tables (``data/curated/*.csv``) -> the canonical graph.

Every table is read by ``table_reader.read_table`` with its row model (``tables``), so a cell of the wrong
type, an empty required cell or a value out of range is reported there, with the file,
the line and the column, for every table at once. The checks that need the gazetteer or
the other tables stay here (with ``resolving`` for names and sources, ``pairing_rows`` for the
pairings): places resolving, documents existing, duplicates and the documents' own totals, each
reported as ``<file> line <n>, column <name>: <problem>``.
Any problem stops the load with ``LoadError``; the graph is built in a fresh object and
only returned once everything checks out, so nothing half-loaded is ever served.

Ids that name a document or a council come from the data: an agreement or indicator is
``<kind>:<document id>:t<table no.>:<no>`` from its row's source (``hfhbf-2021-14#表5 1``),
a council ``council:<id>`` from ``councils.csv``.
"""
from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError, NameProblem
from ..schema.eras import paired_totals
from ..schema.graph import CanonicalGraph, SchemaError
from ..schema.model import place_id, program_id
from ..schema.names import resolve
from ..schema.places import SHANGHAI, Gazetteer
from ..schema.sources import source_docs
from ..schema.units import UnitNames
from . import import_events
from .coordinates import coordinates
from .gazetteer import gazetteer_from
from .guidance import parse_guidance
from .pairing_rows import PairingRows
from .supporters import Scope, Supporters
from .table_reader import Row, optional_table, read_table, unique_rows
from .tables import (
    ALIASES,
    CITED,
    COUNCILS,
    DOCUMENTS,
    EXONYMS,
    PAIRING_TABLES,
    PROGRAMMES,
    SEATS,
    SUCCESSORS,
    SUPPORTERS,
    UNIT_ALIASES,
    AgreementRow,
    AliasRow,
    CitedDocumentRow,
    CouncilBodyRow,
    CouncilMemberRow,
    CouncilRow,
    DistrictTotalRow,
    DocumentRow,
    DocumentTotalRow,
    ExonymRow,
    FundRow,
    IndicatorRow,
    PairingRow,
    PairingTableRow,
    PlaceSuccessorRow,
    ProgrammeRow,
    SeatRow,
    SupporterRow,
    UnitAliasRow,
)
from .tasks import TaskBuilder
from .unit_names import unit_names_from
from .workpoint_texts import PlanCache, read_plans
from .workpoints import known_unit_names, load_labels

Progress = Callable[[int, int], None]  # (texts read, texts in all)
PROGRESS_EVERY = 100  # texts between two calls of a load's progress


class _Loader(PairingRows):
    progress: Progress | None = None

    def __init__(self, root: Path):
        self.root = root
        self.graph = CanonicalGraph()
        self.problems: list[str] = []
        self.warnings: list[tuple[str, int, str]] = []  # (file, line, message)
        # every table is read first, so one load reports the broken rows of all of them
        read = self.read
        self.document_rows = read(DOCUMENTS, DocumentRow)
        self.alias_rows = read(ALIASES, AliasRow)
        self.exonym_rows = optional_table(root, EXONYMS, ExonymRow, self.problems)
        self.successor_rows = optional_table(root, SUCCESSORS, PlaceSuccessorRow, self.problems)
        self.unit_rows = read(UNIT_ALIASES, UnitAliasRow)
        self.seat_rows = read(SEATS, SeatRow)
        self.council_rows = read(COUNCILS, CouncilRow)
        self.cited_rows = read(CITED, CitedDocumentRow)
        self.programme_rows = read(PROGRAMMES, ProgrammeRow)
        self.pairing_table_rows = read(PAIRING_TABLES, PairingTableRow)
        self.supporter_rows = optional_table(root, SUPPORTERS, SupporterRow, self.problems)
        # the tables the others refer to: with a row missing, the rest would give false alarms
        self.references_ok = not self.problems
        self.pairing_rows = self.read_pairing_tables()
        self.agreement_rows = read("curated/agreements.csv", AgreementRow)
        self.indicator_rows = read("curated/indicators.csv", IndicatorRow)
        self.fund_rows = read("curated/aid_funds.csv", FundRow)
        self.body_rows = read("curated/yrd_bodies.csv", CouncilBodyRow)
        self.member_rows = read("curated/yrd_new_members.csv", CouncilMemberRow)
        self.document_total_rows = read("curated/document_totals.csv", DocumentTotalRow)
        self.district_total_rows = read("curated/district_totals_2021.csv", DistrictTotalRow)
        self.doc_ids: set[str] = set()
        self.doc_kinds: dict[str, tuple[str, Path]] = {}
        self.councils: dict[str, str] = {}  # council id in the tables -> node id
        self.programmes: dict[str, Row[ProgrammeRow]] = {}  # programme key -> its row

    def read(self, relpath: str, model):
        return read_table(self.root, relpath, model, self.problems)

    def read_pairing_tables(self) -> list[tuple[Row[PairingTableRow], Row[PairingRow]]]:
        """Every pairing table the register names, each row with its register row; a
        ``pairings_*.csv`` the register does not name is a problem, never silently skipped."""
        out = []
        registered = {row.data.file: row for row in unique_rows(self.pairing_table_rows, "file", self.problems)}
        for name, reg in registered.items():
            if not (self.root / "curated" / name).is_file():
                self.fail(reg, f"curated/{name} does not exist", "file")
                continue
            out += [(reg, r) for r in self.read(f"curated/{name}", PairingRow)]
        for path in sorted((self.root / "curated").glob("pairings_*.csv")):
            if path.name not in registered:
                self.problems.append(f"curated/{path.name}: a pairing table not named in {PAIRING_TABLES}; "
                                     "add a row there (file, programmes, source) so it is loaded")
        return out

    def prepare(self) -> None:
        """The gazetteer, unit names and seats the tables are read against (after a clean read)."""
        self.gaz: Gazetteer = gazetteer_from(self.alias_rows, self.exonym_rows, self.successor_rows)
        self.unit_names: UnitNames = unit_names_from(self.unit_rows, self.problems)
        self.seats = coordinates(self.seat_rows, self.problems)
        self.supporters: Supporters | None = None
        if (self.root / SUPPORTERS).is_file():
            scopes = []
            for row in self.supporter_rows:
                try:
                    scopes.append(Scope(resolve(self.gaz, row.data.scope).division, row.data.programmes, row.where()))
                except NameProblem as e:
                    self.fail(row, f"{row.data.scope!r}: {e.detail}", "scope")
            self.supporters = Supporters(self.gaz, scopes)
        self.short_names: dict[str, list[str]] = {}
        for text, flist in sorted(self.gaz.forms.items()):
            for f in flist:
                if f.kind in ("short", "alias"):
                    self.short_names.setdefault(f.division, []).append(text)


    # -- tables ---------------------------------------------------------------
    def documents(self) -> None:
        seen: dict[str, str] = {}
        for row in self.document_rows:
            r = row.data
            path = self.root / "sources" / r.file
            if not path.is_file():
                self.fail(row, f"source file {r.file} is missing", "file")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != r.sha256:
                self.fail(row, f"source file {r.file} differs from the copy registered (sha256)", "sha256")
            if not self.once(seen, r.id, row, f"document id {r.id}", "id"):
                continue
            self.doc_ids.add(r.id)
            self.doc_kinds[r.id] = (r.kind, path)
            self.graph.add_node("Document", f"doc:{r.id}", number=r.number, title=r.title,
                                issuer=r.issuer or "", date=r.date or "", kind=r.kind, file=r.file,
                                origin=r.origin)
        for row in self.cited_rows:
            r = row.data
            if not self.once(seen, r.id, row, f"document id {r.id}", "id"):
                continue
            self.doc_ids.add(r.id)
            self.graph.add_node("Document", f"doc:{r.id}", number=r.number or None, title=r.title, issuer=r.issuer,
                                date=r.date or "", kind=r.kind, origin=r.note)

    def programs(self) -> None:
        for row in unique_rows(self.programme_rows, "id", self.problems):
            r = row.data
            refs = self.refs(row)
            if refs is None:
                continue
            pid = program_id(r.id)
            self.graph.add_node("Program", pid, name=r.name, name_en=r.name_en, kind=r.kind,
                                counts_toward=r.counts_toward, colour=r.colour, description=r.description,
                                source=r.source)
            self.provenance(row, pid, refs)
            self.programmes[r.id] = row

    def agreements(self) -> None:
        seen: dict[str, str] = {}
        for row in self.agreement_rows:
            r = row.data
            found = [self.find(row, p, "parties", levels=(1, 2)) for p in r.parties]
            parties = [p for p in found if p is not None]
            refs = self.refs(row)
            if len(parties) != len(found) or refs is None:
                continue
            aid = self.table_item_id(row, "agreement", refs)
            if not self.once(seen, aid, row, f"agreement {aid}", "no"):
                continue
            self.graph.add_node("Agreement", aid, no=r.no, title=r.title, kind=r.kind, signed=r.signed,
                                source=r.source)
            self.provenance(row, aid, refs)
            for p in parties:
                self.graph.add_edge("PARTY", aid, self.add_place(p))

    def indicators(self) -> None:
        seen: dict[str, str] = {}
        for row in self.indicator_rows:
            r = row.data
            refs = self.refs(row)
            if refs is None:
                continue
            iid = self.table_item_id(row, "indicator", refs)
            if not self.once(seen, iid, row, f"indicator {iid}", "no"):
                continue
            self.graph.add_node("Indicator", iid, no=r.no, name=r.name, target_2025=r.target_2025,
                                target=r.target_yearly_or_cumulative, cumulative=r.cumulative,
                                attribute=r.attribute, source=r.source)
            self.provenance(row, iid, refs)

    def funds(self) -> None:
        seen: dict[str, str] = {}
        for row in self.fund_rows:
            r = row.data
            found = [self.find(row, a, "areas") for a in r.areas]
            areas = [a for a in found if a is not None]
            refs = self.refs(row)
            if len(areas) != len(found) or refs is None or not self.once(seen, r.id, row, f"funding id {r.id}", "id"):
                continue
            fid = f"funding:{r.id}"
            self.graph.add_node("AidFunding", fid, period=r.period, amount_100m_yuan=r.amount_100m_yuan,
                                projects=r.projects, note=r.note, source=r.source)
            self.provenance(row, fid, refs)
            for a in areas:
                self.graph.add_edge("FUNDED", fid, self.add_place(a))

    def council(self) -> None:
        seen: dict[str, str] = {}
        for row in self.council_rows:
            c = row.data
            refs = self.refs(row)
            if refs is None or not self.once(seen, c.id, row, f"council id {c.id}", "id"):
                continue
            council = f"council:{c.id}"
            self.graph.add_node("Council", council, name=c.name, source=c.source)
            self.provenance(row, council, refs)
            self.councils[c.id] = council
        for n, row in enumerate(self.body_rows, start=1):
            r = row.data
            cid = self.council_of(row)
            prov = self.find(row, r.lead_province, "lead_province", levels=(1,))
            lead = prov if prov and r.lead_city == r.lead_province else (
                self.find(row, r.lead_city, "lead_city", within=prov, levels=(2,)) if prov else None)
            refs = self.refs(row)
            if lead is None or cid is None or refs is None:
                continue
            bid = f"councilbody:{n:02d}"
            self.graph.add_node("CouncilBody", bid, name=r.name, kind=r.kind, founded=r.founded, source=r.source)
            self.provenance(row, bid, refs)
            self.graph.add_edge("BODY_OF", bid, cid)
            self.graph.add_edge("LED_BY", bid, self.add_place(lead), source=r.source)
        for row in self.member_rows:
            r = row.data
            cid = self.council_of(row)
            prov = self.find(row, r.province, "province", levels=(1,))
            city = self.find(row, r.city, "city", within=prov, levels=(2,)) if prov else None
            if city is None or cid is None or self.refs(row) is None:
                continue
            self.graph.add_edge("MEMBER_OF", self.add_place(city), cid, joined=r.joined, meeting=r.meeting,
                                source=r.source)

    def council_of(self, row: Row) -> str | None:
        cid = self.councils.get(row.data.council)
        if cid is None:
            self.fail(row, f"no council {row.data.council!r} in {COUNCILS}", "council")
        return cid

    def texts(self) -> None:
        """Tasks and units from the work points, duties from the guidance, read from the texts."""
        builder = TaskBuilder(self, self.unit_names)
        docs = sorted(self.doc_kinds.items())
        texts = [path for _doc, (kind, path) in docs if kind == "work-points"]
        # read once per load, for every document; the texts parsed beside this process when there are many
        plans = None
        if texts:
            known, labels = known_unit_names(self.unit_names), load_labels(self.root)
            plans = read_plans(texts, known, labels, cache=PlanCache(known, labels))
        try:
            self._add_texts(builder, docs, plans)
        finally:
            if plans is not None:
                plans.close()  # the workers stop however this ends
        builder.finish()

    def _add_texts(self, builder: TaskBuilder, docs: list, plans: Iterator | None) -> None:
        total = sum(1 for _doc, (kind, _path) in docs if kind == "work-points")
        done = 0
        for doc, (kind, path) in docs:
            if kind == "work-points":
                assert plans is not None
                plan, refused = next(plans)
                done += 1
                if self.progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                    self.progress(done, total)
                try:
                    if plan is None:
                        raise ValueError(refused)
                    found = builder.add_plan(doc, plan)
                except ValueError as e:
                    self.problems.append(f"sources/{path.name}: {e}")
                    continue
                self.warnings += [(path.name, w.line, w.message) for w in found]
            elif kind == "guidance":
                builder.add_guidance(doc, parse_guidance(path.read_text(encoding="utf-8")))

    # -- the documents' own totals -------------------------------------------
    def check_totals(self) -> None:
        """The documents' own totals, against the pairings that document states (its source) under the
        programmes that count toward paired places: a pairing added later from another source does not
        disturb a check of what an earlier document said."""
        counted = {program_id(k) for k, row in self.programmes.items() if row.data.counts_toward == "paired-places"}
        pairings = self.graph.pairing_records()  # the same records every store returns

        def stated_by(row: Row) -> list:
            docs = {doc for doc, _ in (self.refs(row) or [])}
            return [p for p in pairings if set(source_docs(p.source)) & docs]

        for row in self.document_total_rows:
            r = row.data
            got = paired_totals(stated_by(row), r.as_of, self.gaz, counted)
            want = {"counties": r.counties, "prefectures": r.prefectures, "provinces": r.provinces}
            if got != want:
                self.fail(row, f"the graph gives {got} for {r.as_of}, the document says {want}")
        for row in self.district_total_rows:
            r = row.data
            d = self.find(row, r.district, "district", within=SHANGHAI)
            if d is None:
                continue
            paired = sum(1 for p in stated_by(row) if p.in_force(2021) and p.program in counted
                         and p.supporter == place_id(d))
            if paired != r.paired_places:
                self.fail(row, f"{r.district} has {paired} paired places in the graph, "
                               f"the table says {r.paired_places}",
                          "paired_places")




@dataclass(frozen=True)
class Loaded:
    """Everything one load of a data folder gives: the validated graph, the gazetteer and
    the unit names it was built with, and the parsers' warnings as (file, line, message)."""
    graph: CanonicalGraph
    gazetteer: Gazetteer
    unit_names: UnitNames
    warnings: list[tuple[str, int, str]]
    ends: tuple[tuple[str, int, str], ...] = ()  # (file, line, pairing id): rows that ended an earlier pairing
    concurrent: tuple[tuple[str, int, str], ...] = ()  # (file, line, message): see _Loader.concurrent

    def to_data(self) -> dict:
        """The whole load as JSON data (for the snapshot cache)."""
        return {"graph": self.graph.to_data(), "gazetteer": self.gazetteer.to_data(),
                "unit_names": self.unit_names.table, "warnings": self.warnings}

    @classmethod
    def from_data(cls, data: dict) -> Loaded:
        """The load ``to_data`` gave; ValueError, TypeError, KeyError or IndexError when ``data`` is not one."""
        return cls(CanonicalGraph.from_data(data["graph"]), Gazetteer.from_data(data["gazetteer"]),
                   UnitNames.from_data(data["unit_names"]),
                   [(str(f), int(n), str(m)) for f, n, m in data["warnings"]])


def load_graph(root: Path) -> CanonicalGraph:
    """Build and validate the canonical graph from ``root`` (``sources/`` + ``curated/``)."""
    return load(root).graph


def load(root: Path, progress: Progress | None = None) -> Loaded:
    """Load a data folder whole, or raise ``LoadError`` listing every problem: nothing half-loaded.
    ``progress(done, total)`` is called as the work-points texts (most of a large build) are read.
    The garbage collector waits meanwhile: a load makes millions of objects that live on (the graph), and
    each of its full passes over them found nothing to free (a national build: 26 -> 20 s)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, progress)
    finally:
        if was_enabled:
            gc.enable()


def _load(root: Path, progress: Progress | None) -> Loaded:
    if not (root / "sources").is_dir() or not (root / "curated").is_dir():
        raise LoadError([f"{root}: not a data folder (it needs sources/ and curated/; check AIDGRAPH_DATA)"])
    ld = _Loader(root)
    ld.progress = progress
    if not ld.references_ok:
        raise LoadError(ld.problems)
    try:
        ld.prepare()
    except LoadError as e:
        raise LoadError(ld.problems + e.problems) from None
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
            ld.check_seats()
            ld.check_totals()
            import_events.add(ld.graph, list(dict.fromkeys(r.data.id for r in [*ld.document_rows, *ld.cited_rows])))
    except SchemaError as e:
        ld.problems.append(str(e))
    if ld.problems:
        raise LoadError(ld.problems)
    return Loaded(ld.graph, ld.gaz, ld.unit_names, ld.warnings, tuple(ld.ends), tuple(ld.concurrent()))
