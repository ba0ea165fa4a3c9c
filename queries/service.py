"""The named questions, answered the same way over any store.

``AidGraph(store, gazetteer, unit_names)`` is what the command line, the API,
the pages and the exports talk to; they never touch a store's internals or
the gazetteer themselves. Names are resolved with the national gazetteer,
facts come from the store's filtered reads (``queries.store.Store``), and
answers carry codes and ids beside names.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import BadParameter, NameProblem, NotADistrict, NotInGraph
from ..schema.eras import current_year, paired_totals
from ..schema.ids import division_of, doc_id, doc_key, place_id
from ..schema.model import VIA
from ..schema.names import Match, normalise, resolve
from ..schema.places import SHANGHAI, Gazetteer
from ..schema.records import PairingRecord
from ..schema.units import UnitNames
from . import task_answers
from .changes import changes
from .coverage import after_data, newest_date, stated_years, uncovered_note, year_choices
from .imports import ImportEventOut, import_events
from .results import (
    AgreementOut,
    Candidate,
    Changes,
    DistrictProfile,
    DocumentOut,
    FrontLine,
    MatchedPlace,
    PlaceRef,
    ProgramGroup,
    ProgramOut,
    Stats,
    Successor,
    Supporter,
    TaskOut,
    Totals,
    UnitProfile,
    WhoSupports,
    YearChoice,
)
from .store import Store

if TYPE_CHECKING:
    from ..schema.graph import CanonicalGraph

VIA_ORDER = {v: i for i, v in enumerate(VIA)}  # nearest first
TOTAL_YEARS = (2020, 2021)


class AidGraph:
    def __init__(self, store: Store, gazetteer: Gazetteer, unit_names: UnitNames, *, as_of: int | None = None):
        self.store = store
        self.gaz = gazetteer
        self.unit_names = unit_names
        self.as_of = as_of  # the year "now" means; None: the current year
        self.load_warnings: list[tuple[str, int, str]] = []  # (file, line, message) of the load it was built from
        # task id -> its answer, kept when the store never changes (task_answers.task_outs)
        self.kept_tasks: dict[str, TaskOut] | None = {} if store.fixed else None

    @property
    def in_memory(self) -> bool:
        """Whether the answers are lookups in this process's memory (the loaded graph), not reads over a
        connection or from a file: a caller may then ask at once rather than from a worker thread."""
        return self.store.in_memory

    @property
    def now(self) -> int:
        return self.as_of or current_year()

    # -- programmes (data: programmes.csv) ------------------------------------------
    @cached_property
    def programmes(self) -> dict[str, ProgramOut]:
        """Programme id -> the programme, in the order of programmes.csv's ids (sorted)."""
        return {n["id"]: ProgramOut(id=n["id"], name=n["name"], name_en=n["name_en"], kind=n["kind"],
                                    counts_toward=n.get("counts_toward"), colour=n["colour"],
                                    description=n["description"], source=n["source"])
                for n in sorted(self.store.nodes_of("Program"), key=lambda n: n["id"])}

    @property
    def counted_programmes(self) -> set[str]:
        """The programmes whose pairings count toward the documents' totals of paired places."""
        return {p.id for p in self.programmes.values() if p.counts_toward == "paired-places"}

    def programme_named(self, text: str) -> ProgramOut:
        """A programme by its id (``east-west``, ``program:east-west``) or Chinese name (``东西部协作``)."""
        t = text.strip()
        for pid, p in self.programmes.items():
            if t in (pid, pid.removeprefix("program:"), p.name):
                return p
        choices = "、".join(f"{pid.removeprefix('program:')}（{p.name}）" for pid, p in self.programmes.items())
        raise BadParameter(f"没有这个项目类别：{text!r}；可选 {choices} (unknown programme)")

    # -- places ---------------------------------------------------------------
    def descendants(self, div: str) -> list[str]:
        return self.gaz.descendants(div)

    @cached_property
    def name_forms(self) -> list[str]:
        """Every current name form (full, short, alias) of the places the pairings name, for suggestions."""
        records = self.store.pairings()
        ids = {division_of(r.place) for r in records} | {division_of(r.supporter) for r in records}
        return sorted({text for text, fl in self.gaz.forms.items() if not text.isdigit()
                       and any(f.division in ids and f.kind != "former" for f in fl)})

    @cached_property
    def _paired_divisions(self) -> frozenset[str]:
        """The places the pairings name and their supporters: an unknown name's suggestions offer them first."""
        return frozenset(division_of(x) for r in self.store.pairings() for x in (r.place, r.supporter))

    def _in_graph(self, divs: list[str]) -> set[str]:
        return {division_of(i) for i in self.store.nodes_by_id([place_id(d) for d in divs])}

    def place_ref(self, div: str, in_graph: bool | None = None) -> PlaceRef:
        d = self.gaz.get(div)
        pref = self.gaz.prefecture_of(div)
        if in_graph is None:
            in_graph = bool(self._in_graph([div]))
        return PlaceRef(name=d.name, level=d.level, code=d.code,
                        prefecture=self.gaz.get(pref).name if pref and pref != div else None,
                        province=self.gaz.get(d.province).name if d.province != div else None,
                        in_graph=in_graph)

    def seats(self, node_ids: list[str]) -> dict[str, tuple[float, float]]:
        """node id -> (longitude, latitude) of the places among ``node_ids`` that have a seat."""
        return {i: (n["longitude"], n["latitude"]) for i, n in self.store.nodes_by_id(node_ids).items()
                if n.get("longitude") is not None}

    def place_name(self, node_or_div: str) -> str:
        return self.gaz.get(division_of(place_id(node_or_div))).name

    def name_in(self, node_or_div: str, year: int) -> str:
        """The official name in ``year`` (思茅市 in 2005), the current one where the lists say nothing."""
        d = self.gaz.get(division_of(place_id(node_or_div)))
        return d.name_in(year) or d.name

    def short_name_in(self, node_or_div: str, year: int) -> str | None:
        """The short form of the name in ``year`` (金平 for 金平苗族瑶族傣族自治县); the latest before it when the
        lists end earlier; None without one."""
        shorts = [s for s, first, _last in self.gaz.get(division_of(place_id(node_or_div))).shorts if first <= year]
        return shorts[-1] if shorts else None

    def candidates(self, err: NameProblem) -> list[Candidate]:
        present = self._in_graph(err.divisions)
        refs = [Candidate(**self.place_ref(d, d in present).model_dump()) for d in err.divisions]
        if err.slug == "unknown-name":  # the graph's own places first
            refs.sort(key=lambda c: not c.in_graph)
        return refs

    def resolve(self, text: str, *, year: int | None = None, scope: str | None = None) -> Match:
        """A division for what the user typed; a name problem carries its candidates described."""
        try:
            return resolve(self.gaz, text, year=year, scope=scope, prefer=lambda: self._paired_divisions)
        except NameProblem as e:
            e.places = [c.model_dump() for c in self.candidates(e)]
            raise

    # -- who supports X ---------------------------------------------------------
    def who_supports(self, text: str, *, year: int | None = None, history: bool = False) -> WhoSupports:
        m = self.resolve(text, year=year)
        div = m.division
        reaching = self.pairings_reaching(div)
        records = [r for r, _via in reaching]
        nodes = self.store.nodes_by_id(sorted({r.supporter for r in records} | {r.place for r in records}
                                              | {place_id(div)}))
        when = year if year is not None else self.now
        chosen: list[Supporter] = []
        others: list[Supporter] = []
        for r, via in reaching:
            s = self._supporter(r, nodes, via)
            (chosen if history or r.in_force(when) else others).append(s)
        key = lambda s: (VIA_ORDER[s.via], s.place, s.valid_from or 0, s.name)  # noqa: E731
        d = self.gaz.get(div)
        then = d.name_in(year) if year is not None else None
        matched = MatchedPlace(**self.place_ref(div, place_id(div) in nodes).model_dump(),
                               matched_form=m.form, form_kind=m.kind,
                               former_until=m.until, name_then=then if then and then != d.name else None)
        chosen_districts = sorted({place_id(s.code) for s in chosen if s.kind == "district"})
        front = [FrontLine(id=u.id, district=self.place_name(u.owner), name=u.name,
                           names_as_written=list(u.names_as_written))
                 for u in (self.store.units(owners=chosen_districts) if chosen_districts else [])
                 if u.kind == "front-line"]
        gone = self.gaz.abolished(div)
        successors = [Successor(place=self.place_ref(s), since=since,
                                supporters=self.who_supports(self.gaz.get(s).code, year=year).supporters)
                      for s, since in (self.gaz.successors(div) if gone else [])]
        return WhoSupports(matched=matched, abolished=gone, successors=successors, note=self.after_data(when),
                           year=year, as_of=self.now, supporters=sorted(chosen, key=key),
                           other_periods=sorted(others, key=key), front_line=front,
                           tasks=task_answers.task_outs(self, self.store.tasks(places=self._touching(div))))

    def pairings_reaching(self, div: str) -> list[tuple[PairingRecord, str]]:
        """Every pairing that reaches a place, in any year, with how (``via``): naming the place itself,
        a county within it, or its prefecture or province (unless that pairing excludes the place's area)."""
        ancestors = self.gaz.ancestors(div)
        below = self.descendants(div)
        up = {place_id(a) for a in [div, *ancestors]}
        out = []
        for r in self.store.pairings(places=[place_id(t) for t in [div, *ancestors, *below]]):
            pdiv = division_of(r.place)
            if pdiv in ancestors and any(x in up for x in r.excluding):
                continue  # e.g. Yunnan "except 怒江州, 昭通市" does not reach 泸水市
            via = "self" if pdiv == div else (
                "county" if pdiv in below and self.gaz.get(pdiv).rank == 3 else
                "prefecture" if self.gaz.get(pdiv).rank == 2 else "province")
            out.append((r, via))
        return out

    def _touching(self, div: str) -> list[str]:
        """The place, what lies in it and its prefecture: what a task naming it may name."""
        touching = {div, *self.descendants(div)}
        pref = self.gaz.prefecture_of(div)
        if pref:
            touching.add(pref)
        return [place_id(t) for t in sorted(touching)]

    def _supporter(self, r: PairingRecord, nodes: dict, via: str) -> Supporter:
        sup, place = nodes[r.supporter], nodes[r.place]
        prog = self.programmes[r.program]
        return Supporter(name=sup["name"], code=sup["code"], kind=sup["level"], program=prog.name, program_id=prog.id,
                         valid_from=r.valid_from, valid_to=r.valid_to, period_note=r.period_note,
                         place=place["name"], place_code=place["code"], via=via, place_as_written=r.place_as_written,
                         county_count=r.county_count, source=r.source, pairing_id=r.id)

    # -- a district's pairings ------------------------------------------------------
    def _in_shanghai(self, text: str) -> Match:
        """Resolve among Shanghai and its districts; a name that is no place there but exactly one
        place elsewhere (泸水) is ``NotADistrict`` naming that place, not an unknown name."""
        try:
            return self.resolve(text, scope=SHANGHAI)
        except NameProblem as e:
            raise self.not_a_district(e) from None

    def supporter_scope(self, text: str) -> tuple[Match, PlaceRef]:
        """Shanghai or one of its districts by any name form (the default scope), or a place elsewhere
        that the graph holds as a supporter (another province's city or district)."""
        try:
            m = self._in_shanghai(text)
        except (NameProblem, NotADistrict) as e:
            try:
                m = self.resolve(text)
            except NameProblem:
                raise e from None
            if not self.store.pairings(supporter=place_id(m.division)):
                raise e from None
            return m, self.place_ref(m.division)
        ref = self.place_ref(m.division)
        if ref.level not in ("district", "municipality") and not self.store.pairings(supporter=place_id(m.division)):
            raise NotADistrict(ref.name, ref.level, ref.code)
        return m, ref

    def district(self, text: str) -> DistrictProfile:
        m, ref = self.supporter_scope(text)
        records = [r for r in self.store.pairings(supporter=place_id(m.division)) if r.in_force(self.now)]
        groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        counts: dict[str, int] = defaultdict(int)
        for r in records:
            div = division_of(r.place)
            d = self.gaz.get(div)
            pref = self.gaz.prefecture_of(div)
            area = pref if pref and pref != div else d.province  # a prefecture paired whole: under its province
            groups[r.program][self.gaz.get(area).name].append(d.name)
            counts[r.program] += r.county_count or 1
        programs = [ProgramGroup(program=prog.name, program_id=p, count=counts[p],
                                 prefectures={k: sorted(v) for k, v in sorted(groups[p].items())})
                    for p, prog in self.programmes.items() if p in groups]
        return DistrictProfile(district=ref, matched_form=m.form, as_of=self.now, note=self.after_data(self.now),
                               paired_places=sum(counts[p] for p in self.counted_programmes),
                               programs=programs, sources=sorted({r.source for r in records}))

    def pairings(self, *, places: list[str] | None = None, supporter: str | None = None) -> list[PairingRecord]:
        """Pairing records (for views and pictures): of these places / this supporter (codes), or all."""
        return self.store.pairings(places=None if places is None else [place_id(p) for p in places],
                                   supporter=None if supporter is None else place_id(supporter))

    # -- tasks and units -------------------------------------------------------------
    def units_of(self, owner: str) -> list:
        """The units of a district or the municipality (a division code), sorted by id."""
        return self.store.units(owners=[place_id(owner)])

    def tasks(self, *, district: str | None = None, year: int | None = None, unit: str | None = None,
              place: str | None = None, document: str | None = None) -> list[TaskOut]:
        """Work-point tasks with their units, filtered (``queries.task_answers``)."""
        return task_answers.tasks(self, district=district, year=year, unit=unit, place=place, document=document)

    def unit(self, name: str, *, district: str | None = None) -> list[UnitProfile]:
        """A unit as written or abbreviated: what it leads and answers for, per district that has it."""
        return task_answers.unit(self, name, district=district)

    # -- documents and agreements ---------------------------------------------------------
    def imports(self, *, last: bool = False, details: bool = True) -> list[ImportEventOut]:
        """The graph's import events, oldest first (``queries.imports``); ``last``: only the newest."""
        events = import_events(self, details=details or last)
        return events[-1:] if last else events

    def documents(self, keys: Iterable[str] | None = None) -> list[DocumentOut]:
        """The source documents, by id; with ``keys`` (document keys, ``hfhbf-2021-14``), those of them the
        graph holds: what a citation needs, without reading every document of a national graph."""
        if keys is None:
            return list(self._documents)
        found = self.store.nodes_by_id(sorted({doc_id(k) for k in keys}))
        nodes = [d for _, d in sorted(found.items()) if d["label"] == "Document"]
        return [DocumentOut(id=doc_key(d["id"]), number=d.get("number"), title=d["title"], issuer=d["issuer"],
                            date=d["date"]) for d in nodes]

    @cached_property
    def _documents(self) -> tuple[DocumentOut, ...]:
        """Every document, read once: pages, views and citations list them over and over (5,146 at national
        scale), and the graph an ``AidGraph`` answers for never changes."""
        return tuple(DocumentOut(id=doc_key(d["id"]), number=d.get("number"), title=d["title"], issuer=d["issuer"],
                                 date=d["date"]) for d in self.store.nodes_of("Document"))

    def agreements(self, place: str | None = None) -> list[AgreementOut]:
        """Framework agreements; with ``place``, those a party of which is the place or contains it."""
        parties = None
        if place is not None:
            div = self.resolve(place).division
            parties = sorted({place_id(x) for x in [div, *self.gaz.ancestors(div)]} - {place_id(SHANGHAI)})
        return [AgreementOut(id=a.id, no=a.no, title=a.title, kind=a.kind, signed=a.signed,
                             parties=[self.place_name(p) for p in a.parties],
                             party_codes=[division_of(p) for p in a.parties], source=a.source)
                for a in self.store.agreements(parties=parties)]

    # -- change over time ------------------------------------------------------------------
    def changes(self, first: int, second: int, *, district: str | None = None, place: str | None = None,
                programme: str | None = None) -> Changes:
        """Pairings added, ended and changed from year ``first`` to ``second`` (``queries.changes``)."""
        return changes(self, first, second, district=district, place=place, programme=programme)

    @cached_property
    def data_date(self) -> str:
        """The date of the newest source document (``2024-05-24``): what the data are as of."""
        return newest_date(d.get("date") for d in self.store.nodes_of("Document"))

    def after_data(self, year: int) -> str | None:
        """For a year after the data's date, the note an answer about it carries; None otherwise."""
        return after_data(self.data_date, year)

    @cached_property
    def _stated_years(self) -> frozenset[int]:
        last = int(self.data_date[:4]) if self.data_date else self.now
        return stated_years(self.store.pairings(), last)

    def uncovered(self, year: int) -> str | None:
        """None when a source covers ``year``: on or before the data's date, with pairings in force then;
        else why not (after the data's date, or no pairing the sources state for it), in Chinese."""
        return uncovered_note(year, self.data_date, self._stated_years)

    def year_choices(self, first: int | None = None, last: int | None = None) -> list[YearChoice]:
        """The years a year picker offers, each marked covered or not: by default from the first year a
        source states a pairing for to the later of now and the last year a pairing's period runs to."""
        return year_choices(self.store.pairings(), self.now, self.uncovered, first, last)

    def warm(self) -> None:
        """Build the store's lookup indexes and the document list now (``serve`` does, before forking workers
        that share them); over a graph in memory, also every task's answer (a place's or a unit's answer is
        then assembled from answers already made: at national scale ≈ 7 s of CPU once, instead of ≈ 70 µs
        per task on every first request naming it)."""
        import gc
        paused = gc.isenabled()
        gc.disable()  # what is made here is kept and acyclic: no collection over the whole graph meanwhile
        try:
            self.store.warm()
            _ = self._documents
            if self.store.in_memory and self.kept_tasks is not None:
                task_answers.task_outs(self, self.store.tasks())
        finally:
            if paused:
                gc.enable()

    # -- counts ---------------------------------------------------------------------
    def stats(self) -> Stats:
        labels, rels = self.store.counts()
        records = self.store.pairings()
        paired = {y: Totals(**paired_totals(records, y, self.gaz, self.counted_programmes)) for y in TOTAL_YEARS}
        return Stats(nodes=labels, relationships=rels, paired=paired, documents=self.store.document_ids())

    # -- the graph itself, for exports, subgraphs and SPARQL ------------------------------------
    def graph(self) -> CanonicalGraph:
        """The store's content as one canonical graph (the same version the named queries read): for
        SPARQL and the exports of the whole graph. A part of the graph is read with ``subgraph``."""
        return self.store.canonical()

    def texts(self) -> set[str]:
        """Every distinct text of the graph's properties (for the pages' font)."""
        return self.store.texts()

    def document_nodes(self) -> list[dict]:
        """The Document nodes' properties (the register entry, ``file``, ``kind``), sorted by id."""
        return self.store.nodes_of("Document")

    def sources_citing(self, document: str) -> list[str]:
        """The source cells naming ``document`` (a document key), one per node citing it."""
        return self.store.sources_citing(document)

    def neighbourhood(self, centre: str, hops: int) -> set[str]:
        """Node ids within ``hops`` relationships (either way) of ``centre`` (a node id, see ``centre``)."""
        from .subgraph import neighbourhood
        return neighbourhood(self.store, centre, hops)

    def subgraph(self, ids: set[str] | list[str]) -> CanonicalGraph:
        """The nodes among ``ids`` and the relationships between them, read from the store alone."""
        return self.store.subgraph(ids)

    def centre(self, text: str) -> str:
        """A node id for what the user typed: a node id, a document id or number, a unit, or a place."""
        if self.store.nodes_by_id([text]):
            return text
        for d in self.store.nodes_of("Document"):
            if text in (doc_key(d["id"]), d.get("number")):
                return d["id"]
        if not normalise(text):
            raise NotInGraph("an empty name names nothing")
        try:
            units = task_answers.unit_ids(self, text, None)
        except NameProblem:
            units = []
        if len(units) == 1:
            return units[0]
        m = self.resolve(text)  # raises Ambiguous / Unknown with candidates / suggestions
        nid = place_id(m.division)
        if not self.store.nodes_by_id([nid]):
            raise NotInGraph(f"{self.gaz.get(m.division).name} has no facts in the graph")
        return nid

    # -- used by the pages ----------------------------------------------------------------
    def ancestors(self, place: str) -> list[str]:
        """Division codes of the prefecture and province containing a place (a code or node id), nearest first."""
        return self.gaz.ancestors(division_of(place_id(place)))

    def prefecture_of(self, place: str) -> str | None:
        """Division code of the prefecture a place is or lies in (a code or node id); None above or outside one."""
        return self.gaz.prefecture_of(division_of(place_id(place)))

    def province_of(self, place: str) -> str:
        """Division code of the province of a place (a code or node id); a province is its own."""
        return self.gaz.get(division_of(place_id(place))).province

    def not_a_district(self, err: NameProblem) -> NameProblem | NotADistrict:
        """For a name unknown among Shanghai and its districts (``district``): ``NotADistrict`` when it
        names exactly one place elsewhere (a county of Yunnan, say), else ``err`` itself."""
        if err.slug != "unknown-name":
            return err
        try:
            m = resolve(self.gaz, err.text)
        except NameProblem:
            return err
        ref = self.place_ref(m.division)
        return NotADistrict(ref.name, ref.level, ref.code)
