"""The named questions, answered the same way over any store.

``AidGraph(store, gazetteer)`` is what the CLI and the API talk to; they never
touch a store's internals. Names are resolved with the national gazetteer,
facts come from the store through ``queries.store.Store``'s primitive reads.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from .. import data_dir
from ..loaders.gazetteer import SHANGHAI, Gazetteer
from ..loaders.tasks import UnitNames
from ..schema.model import PROGRAMS, place_id
from .names import Ambiguous, Match, Unknown, resolve
from .results import (AgreementOut, Candidate, DistrictProfile, DocumentOut, FrontLine, MatchedPlace, PlaceRef, ProgramGroup, Stats,
                      Supporter, TaskOut, Totals, UnitName, UnitProfile, WhoSupports)
from .store import Store
from .totals import AID_PROGRAMS, in_force, paired_totals

VIA_ORDER = {"self": 0, "county": 1, "prefecture": 2, "province": 3}
TOTAL_YEARS = (2020, 2021)


class NotADistrict(LookupError):
    def __init__(self, place: PlaceRef):
        self.place = place
        super().__init__(f"{place.name} is not Shanghai or one of its districts")


class UnknownUnit(LookupError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no unit called {name!r} in the work points")


class AidGraph:
    def __init__(self, store: Store, gazetteer: Gazetteer, unit_names: UnitNames | None = None):
        self.store = store
        self.gaz = gazetteer
        self.unit_names = unit_names or UnitNames(data_dir() / "curated" / "unit_aliases.csv")

    # -- places ---------------------------------------------------------------
    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for d in self.gaz.divisions.values():
            if d.parent:
                out[d.parent].append(d.id)
        return out

    def descendants(self, div: str) -> list[str]:
        out, todo = [], list(self._children.get(div, []))
        while todo:
            d = todo.pop()
            out.append(d)
            todo.extend(self._children.get(d, []))
        return out

    @cached_property
    def name_forms(self) -> list[str]:
        """Every current name form (full, short, alias) of the places the pairings name, for suggestions."""
        records = self.store.pairings()
        ids = {r["place"].removeprefix("place:") for r in records} | {r["supporter"].removeprefix("place:")
                                                                      for r in records}
        return sorted({text for text, fl in self.gaz.forms.items() if not text.isdigit()
                       and any(f.division in ids and f.kind != "former" for f in fl)})

    def _in_graph(self, divs: list[str]) -> set[str]:
        found = self.store.nodes_by_id([place_id(d) for d in divs])
        return {i.removeprefix("place:") for i in found}

    def place_ref(self, div: str, in_graph: bool | None = None) -> PlaceRef:
        d = self.gaz.get(div)
        pref = self.gaz.prefecture_of(div)
        if in_graph is None:
            in_graph = bool(self._in_graph([div]))
        return PlaceRef(name=d.name, level=d.level, code=d.code,
                        prefecture=self.gaz.get(pref).name if pref and pref != div else None,
                        province=self.gaz.get(d.province).name if d.province != div else None,
                        in_graph=in_graph)

    def candidates(self, err: Ambiguous | Unknown) -> list[Candidate]:
        present = self._in_graph(err.divisions)
        refs = [Candidate(**self.place_ref(d, d in present).model_dump()) for d in err.divisions]
        if isinstance(err, Unknown):  # the graph's own places first
            refs.sort(key=lambda c: not c.in_graph)
        return refs

    def resolve(self, text: str, *, year: int | None = None, scope: str | None = None) -> Match:
        return resolve(self.gaz, text, year=year, scope=scope)

    # -- who supports X ---------------------------------------------------------
    def who_supports(self, text: str, *, year: int | None = None, history: bool = False) -> WhoSupports:
        m = self.resolve(text, year=year)
        div = m.division
        ancestors = self.gaz.ancestors(div)
        below = self.descendants(div)
        targets = [div, *ancestors, *below]
        records = self.store.pairings(places=[place_id(t) for t in targets])
        nodes = self.store.nodes_by_id(sorted({r["supporter"] for r in records} | {r["place"] for r in records}
                                              | {place_id(div)}))
        chosen, others = [], []
        up = {place_id(a) for a in [div, *ancestors]}
        for r in records:
            pdiv = r["place"].removeprefix("place:")
            if pdiv in ancestors and any(x in up for x in r["excluding"]):
                continue  # e.g. Yunnan "except 怒江州, 昭通市" does not reach 泸水市
            via = "self" if pdiv == div else (
                "county" if pdiv in below and self.gaz.get(pdiv).rank == 3 else
                "prefecture" if self.gaz.get(pdiv).rank == 2 else "province")
            s = self._supporter(r, nodes, via)
            wanted = history or (in_force(r, year) if year is not None else r["valid_to"] is None)
            (chosen if wanted else others).append(s)
        key = lambda s: (VIA_ORDER[s.via], s.place, s.valid_from or 0, s.name)
        d = self.gaz.get(div)
        then = d.name_in(year) if year is not None else None
        matched = MatchedPlace(**self.place_ref(div, place_id(div) in nodes).model_dump(),
                               matched_form=m.form, form_kind=m.kind,
                               former_until=m.until, name_then=then if then and then != d.name else None)
        chosen_districts = sorted({r["supporter"] for r in records if nodes[r["supporter"]]["label"] == "District"
                                   and nodes[r["supporter"]]["name"] in {s.name for s in chosen if s.kind == "district"}})
        front = [FrontLine(district=self.gaz.get(u["owner"].removeprefix("place:")).name, name=u["name"],
                           names_as_written=u["names_as_written"])
                 for u in (self.store.units(owners=chosen_districts) if chosen_districts else [])
                 if u["kind"] == "front-line"]
        touching = {div, *below}
        pref = self.gaz.prefecture_of(div)
        if pref:
            touching.add(pref)
        tasks = self._task_outs(places=[place_id(t) for t in sorted(touching)])
        return WhoSupports(matched=matched, year=year, supporters=sorted(chosen, key=key),
                           other_periods=sorted(others, key=key), front_line=front, tasks=[t[0] for t in tasks])

    def _supporter(self, r: dict, nodes: dict, via: str) -> Supporter:
        sup, place = nodes[r["supporter"]], nodes[r["place"]]
        prog = PROGRAMS[r["program"]]
        return Supporter(name=sup["name"], kind=sup["level"], program=prog.name, program_id=prog.id,
                         valid_from=r["valid_from"], valid_to=r["valid_to"], period_note=r["period_note"],
                         place=place["name"], via=via, place_as_written=r["place_as_written"],
                         county_count=r["county_count"], source=r["source"])

    # -- a district's pairings ------------------------------------------------------
    def district(self, text: str) -> DistrictProfile:
        m = self.resolve(text, scope=SHANGHAI)
        ref = self.place_ref(m.division)
        if ref.level not in ("district", "municipality"):
            raise NotADistrict(ref)
        records = [r for r in self.store.pairings(supporter=place_id(m.division)) if r["valid_to"] is None]
        groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        counts: dict[str, int] = defaultdict(int)
        for r in records:
            div = r["place"].removeprefix("place:")
            d = self.gaz.get(div)
            area = self.gaz.prefecture_of(div) or d.province
            groups[r["program"]][self.gaz.get(area).name].append(d.name)
            counts[r["program"]] += r["county_count"] or 1
        programs = [ProgramGroup(program=PROGRAMS[p].name, program_id=p, count=counts[p],
                                 prefectures={k: sorted(v) for k, v in sorted(groups[p].items())})
                    for p in PROGRAMS if p in groups]
        return DistrictProfile(district=ref, matched_form=m.form,
                               paired_places=sum(counts[p] for p in AID_PROGRAMS),
                               programs=programs, sources=sorted({r["source"] for r in records}))

    # -- tasks and units -------------------------------------------------------------
    def _task_outs(self, places: list[str] | None = None) -> list[tuple[TaskOut, dict]]:
        raw = self.store.tasks(places=places)
        if not raw:
            return []
        unit_ids = sorted({x["unit"] for t in raw for x in t["lead"] + t["responsible"]})
        units = {u["id"]: u for u in self.store.units(ids=unit_ids)} if unit_ids else {}
        out = []
        for t in raw:
            def names(refs):
                return [UnitName(name=r["as_written"], canonical=units[r["unit"]]["name"], kind=units[r["unit"]]["kind"])
                        for r in refs]
            places = [self.gaz.get(p.removeprefix("place:")).name for p in t["places"]]
            out.append((TaskOut(district=self.gaz.get(t["district"].removeprefix("place:")).name, year=t["year"],
                                number=t["number"], kind=t["kind"], section=t.get("section"), title=t["title"],
                                text=t["text"], lead_units=names(t["lead"]), responsible_units=names(t["responsible"]),
                                places=places, document=t["document"].removeprefix("doc:"), source=t["source"]), t))
        out.sort(key=lambda p: (p[1]["district"], p[0].year, p[0].document, p[0].kind != "task", p[0].number))
        return out

    def _district_scope(self, district: str | None) -> str | None:
        if district is None:
            return None
        m = self.resolve(district, scope=SHANGHAI)
        ref = self.place_ref(m.division)
        if ref.level != "district":
            raise NotADistrict(ref)
        return place_id(m.division)

    def _unit_ids(self, name: str, owner: str | None) -> list[str]:
        from ..loaders.workpoints import normalise_line  # the parser's own normalisation of unit names
        q = normalise_line(name)
        tries = {q, q if q.startswith("区") else "区" + q}
        alias = self.unit_names.table
        wanted = tries | {alias[t][0] for t in tries if t in alias}
        return [u["id"] for u in self.store.units()
                if (owner is None or u["owner"] == owner)
                and (u["name"] in wanted or wanted & set(u["names_as_written"]))]

    def tasks(self, *, district: str | None = None, year: int | None = None, unit: str | None = None,
              place: str | None = None, document: str | None = None) -> list[TaskOut]:
        owner = self._district_scope(district)
        rows = self._task_outs()
        if owner:
            rows = [r for r in rows if r[1]["district"] == owner]
        if year is not None:
            rows = [r for r in rows if r[0].year == year]
        if document is not None:
            rows = [r for r in rows if r[0].document == document]
        if unit is not None:
            ids = set(self._unit_ids(unit, owner))
            if not ids:
                raise UnknownUnit(unit)
            rows = [r for r in rows if ids & {x["unit"] for x in r[1]["lead"] + r[1]["responsible"]}]
        if place is not None:
            div = self.resolve(place).division
            touching = {div, *self.descendants(div)}
            if self.gaz.prefecture_of(div):
                touching.add(self.gaz.prefecture_of(div))
            rows = [r for r in rows if touching & {p.removeprefix("place:") for p in r[1]["places"]}]
        return [r[0] for r in rows]

    def unit(self, name: str, *, district: str | None = None) -> list[UnitProfile]:
        owner = self._district_scope(district)
        ids = self._unit_ids(name, owner)
        if not ids:
            raise UnknownUnit(name)
        units = {u["id"]: u for u in self.store.units()}
        rows = self._task_outs()
        out = []
        for uid in sorted(ids):
            u = units[uid]
            leads = [t for t, raw in rows if uid in {x["unit"] for x in raw["lead"]}]
            resp = [t for t, raw in rows if uid in {x["unit"] for x in raw["responsible"]}]
            out.append(UnitProfile(district=self.gaz.get(u["owner"].removeprefix("place:")).name, name=u["name"],
                                   kind=u["kind"], names_as_written=u["names_as_written"], leads=leads,
                                   responsible_for=resp, duties=u["duties"], source=u["source"]))
        return out

    # -- documents and agreements ---------------------------------------------------------
    def documents(self) -> list[DocumentOut]:
        return [DocumentOut(id=d["id"].removeprefix("doc:"), number=d["number"], title=d["title"], issuer=d["issuer"],
                            date=d["date"]) for d in self.store.nodes_of("Document")]

    def agreements(self, place: str | None = None) -> list[AgreementOut]:
        """Framework agreements; with ``place``, those a party of which is the place or contains it."""
        parties: dict[str, list[str]] = defaultdict(list)
        for a, p in self.store.edges_of("PARTY"):
            parties[a].append(p)
        wanted = None
        if place is not None:
            div = self.resolve(place).division
            wanted = {place_id(x) for x in [div, *self.gaz.ancestors(div)]} - {place_id(SHANGHAI)}
        out = []
        for a in sorted(self.store.nodes_of("Agreement"), key=lambda a: a["no"]):
            ps = sorted(parties[a["id"]])
            if wanted is not None and not wanted & set(ps):
                continue
            out.append(AgreementOut(no=a["no"], title=a["title"], kind=a["kind"], signed=a["signed"],
                                    parties=[self.gaz.get(p.removeprefix("place:")).name for p in ps],
                                    source=a["source"]))
        return out

    # -- counts ---------------------------------------------------------------------
    def stats(self) -> Stats:
        labels, rels = self.store.counts()
        records = self.store.pairings()
        paired = {y: Totals(**paired_totals(records, y, self.gaz)) for y in TOTAL_YEARS}
        return Stats(nodes=labels, relationships=rels, paired=paired, documents=self.store.document_ids())
