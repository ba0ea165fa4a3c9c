"""What changed between two years: the pairings added, ended and changed, with the documents'
totals for both years.

Built on the store's pairing reads and the service's own rule for which pairings reach a place
(``AidGraph.pairings_reaching``), so for a place ``added`` is exactly its supporters that
who-supports gives for the second year and not for the first (a supporter of a place: a
supporter-place pair, as who-supports lists it), and ``ended`` the reverse. A supporter-place pair
in force in both years under other terms (programme, period, source) is ``changed``. Where an
aggregate the sources state only in numbers (上海市 → 云南省, 74 counties) ends and county
pairings within its area begin, each such county pairing names it (``replaces``) and one
``regroupings`` item says so, instead of leaving them unexplained.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..errors import BadParameter
from ..schema.eras import paired_totals
from ..schema.ids import division_of, place_id
from ..schema.model import VIA
from ..schema.records import PairingRecord
from .results import (
    ChangedItem,
    ChangeItem,
    ChangeParty,
    ChangePlace,
    Changes,
    DocumentOut,
    MatchedPlace,
    PairedTotals,
    PairingTerms,
    PlaceRef,
    Regrouping,
    Totals,
)

if TYPE_CHECKING:
    from .service import AidGraph

Entry = tuple[PairingRecord, str]  # a pairing and how it reaches the place asked (``via``)
_VIA_ORDER = {v: i for i, v in enumerate(VIA)}
_DOC_REF = re.compile(r"(?:^|;)\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?=\s*(?:#|;|$))")


def changes(aid: AidGraph, first: int, second: int, *, district: str | None = None, place: str | None = None,
            programme: str | None = None) -> Changes:
    """The pairings added, ended and changed from year ``first`` to year ``second``, of one supporter
    (``district``: Shanghai, a district or another supporter, any name form), of one place (``place``:
    as who-supports reaches it), of one programme (id or Chinese name), or of the whole graph."""
    if first > second:
        raise BadParameter(f"起始年份 {first} 晚于结束年份 {second} (the first year must not be after the second)")
    prog = aid.programme_named(programme).id if programme is not None else None
    supporter_ref: PlaceRef | None = None
    supporter: str | None = None
    if district is not None:
        m, supporter_ref = aid.supporter_scope(district)
        supporter = place_id(m.division)
    matched: MatchedPlace | None = None
    if place is not None:
        mp = aid.resolve(place)
        entries = aid.pairings_reaching(mp.division)
        matched = MatchedPlace(**aid.place_ref(mp.division).model_dump(), matched_form=mp.form,
                               form_kind=mp.kind, former_until=mp.until)
        if supporter is not None:
            entries = [(r, via) for r, via in entries if r.supporter == supporter]
    else:
        entries = [(r, "self") for r in aid.store.pairings(supporter=supporter)]
    if prog is not None:
        entries = [(r, via) for r, via in entries if r.program == prog]
    return _Diff(aid, first, second, entries).answer(supporter_ref, matched, prog)


class _Diff:
    def __init__(self, aid: AidGraph, first: int, second: int, entries: list[Entry]):
        self.aid, self.first, self.second, self.entries = aid, first, second, entries
        self.docs: dict[str, DocumentOut] = {d.id: d for d in aid.documents()}
        self.nodes: dict[str, dict] = {}

    def answer(self, supporter: PlaceRef | None, matched: MatchedPlace | None, prog: str | None) -> Changes:
        aid, first, second = self.aid, self.first, self.second
        was: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        now: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for r, via in self.entries:
            if r.in_force(first):
                was[(r.supporter, r.place)].append((r, via))
            if r.in_force(second):
                now[(r.supporter, r.place)].append((r, via))
        aggregates = self._ended_aggregates([e for k in now.keys() - was.keys() for e in now[k]])
        self._fetch({x for r, _v in self.entries for x in (r.supporter, r.place)}
                    | {x for r in aggregates for x in (r.supporter, r.place, *r.excluding)})
        vias = {r.id: via for r, via in self.entries}
        added: list[ChangeItem] = []
        followers: dict[str, list[ChangeItem]] = defaultdict(list)
        for key in sorted(now.keys() - was.keys()):
            for r, via in now[key]:
                item = self._item(r, via)
                self._explain(item, r, aggregates, followers)
                added.append(item)
        ended = [self._item(r, via) for key in sorted(was.keys() - now.keys()) for r, via in was[key]]
        regroupings = []
        for agg in aggregates:
            took_over = followers.get(agg.id, [])
            for item in ended:
                if item.pairing_id == agg.id:
                    item.note = self._ended_note(agg, len(took_over))
            if took_over:
                regroupings.append(self._regrouping(agg, vias.get(agg.id, "self"), took_over))
        for item in ended:
            if item.note is None and item.county_count is not None:
                item.note = self._ended_note(self._record(item.pairing_id), 0)
        changed = [c for key in sorted(was.keys() & now.keys()) if (c := self._changed(was[key], now[key]))]
        order = lambda i: (_VIA_ORDER[i.via], i.supporter.code, i.place.code, i.programme_id,  # noqa: E731
                           i.valid_from or 0, i.pairing_id)
        date = aid.data_date
        notes = list(dict.fromkeys(n for y in sorted({first, second}) if (n := aid.uncovered(y))))
        return Changes.model_validate({
            "from": first, "to": second, "district": supporter, "place": matched, "programme": prog,
            "added": sorted(added, key=order), "ended": sorted(ended, key=order),
            "changed": sorted(changed, key=order), "regroupings": regroupings,
            "totals": PairedTotals.model_validate({
                "from": self._totals(first), "to": self._totals(second),
                "counted": [p.name for pid, p in aid.programmes.items() if pid in aid.counted_programmes],
                "added": len(added), "ended": len(ended), "changed": len(changed)}),
            "data_date": date, "notes": notes})

    # -- reading -------------------------------------------------------------------------------
    def _fetch(self, ids: set[str]) -> None:
        self.nodes.update(self.aid.store.nodes_by_id(sorted(ids - self.nodes.keys())))

    def _record(self, pairing_id: str) -> PairingRecord:
        return next(r for r, _v in self.entries if r.id == pairing_id)

    def _ended_aggregates(self, added: list[Entry]) -> list[PairingRecord]:
        """Aggregates (stated only in numbers) in force in the first year and not in the second, naming
        the place of an added pairing or a prefecture or province containing it."""
        gaz = self.aid.gaz
        divs = {division_of(r.place) for r, _v in added}
        up = sorted({place_id(a) for d in divs for a in [d, *gaz.ancestors(d)]})
        if not up:
            return []
        return [r for r in self.aid.store.pairings(places=up)
                if r.county_count is not None and r.in_force(self.first) and not r.in_force(self.second)]

    # -- items --------------------------------------------------------------------------------
    def _terms(self, r: PairingRecord) -> dict:
        prog = self.aid.programmes[r.program]
        return {"programme": prog.name, "programme_id": prog.id, "valid_from": r.valid_from, "valid_to": r.valid_to,
                "source": self._numbers(r.source), "source_ref": r.source, "pairing_id": r.id}

    def _item(self, r: PairingRecord, via: str) -> ChangeItem:
        sup, pl = self.nodes[r.supporter], self.nodes[r.place]
        return ChangeItem(**self._terms(r), supporter=ChangeParty(name=sup["name"], code=sup["code"]),
                          place=ChangePlace(name=pl["name"], code=pl["code"], level=pl["level"]), via=via,
                          county_count=r.county_count)

    def _numbers(self, source: str) -> str:
        """The documents a ``source`` cell cites, as their numbers (a title in 《》 where none is known)."""
        out: list[str] = []
        for key in _DOC_REF.findall(source):
            d = self.docs.get(key)
            text = key if d is None else d.number or f"《{d.title}》"
            if text not in out:
                out.append(text)
        return "；".join(out)

    def _name(self, node: str) -> str:
        return str(self.nodes[node]["name"])

    def _explain(self, item: ChangeItem, r: PairingRecord, aggregates: list[PairingRecord],
                 followers: dict[str, list[ChangeItem]]) -> None:
        """Name the ended aggregate an added pairing takes over from, or say it lay outside it."""
        div = division_of(r.place)
        up = {place_id(a) for a in [div, *self.aid.gaz.ancestors(div)]}
        for agg in aggregates:
            if agg.program != r.program or agg.place not in up:
                continue
            whole = f"{self._name(agg.supporter)} → {self._name(agg.place)}"
            if any(x in up for x in agg.excluding):
                left_out = "、".join(self._name(x) for x in agg.excluding if x in up)
                item.note = f"{self.first} 年{whole}的整体结对不含{left_out}：此为新结对"
                continue
            item.replaces = agg.id
            item.note = f"接替{whole}的整体结对（{agg.county_count} 个县，{agg.valid_from or '?'}–{agg.valid_to}）"
            followers[agg.id].append(item)
            return

    def _ended_note(self, agg: PairingRecord, took_over: int) -> str:
        whole = f"整体结对，来源只记载数目（{agg.county_count} 个县）"
        if took_over:
            return f"{whole}；{self.second} 年由其范围内 {took_over} 项县级结对接替（见 regroupings）"
        return f"{whole}；本答案中 {self.second} 年无接替它的结对"

    def _regrouping(self, agg: PairingRecord, via: str, took_over: list[ChangeItem]) -> Regrouping:
        sups = sorted({(i.supporter.code, i.supporter.name) for i in took_over})
        whole = f"{self._name(agg.supporter)} → {self._name(agg.place)}"
        size = f"{agg.county_count} 个县" + (f"、{agg.prefecture_count} 个州市" if agg.prefecture_count else "")
        note = (f"{whole}的整体结对（{size}，{agg.valid_from or '?'}–{agg.valid_to}）{(agg.valid_to or 0) + 1} 年起"
                f"改为结对到县：本答案新增的 {len(took_over)} 项县级结对在其范围内，由 {len(sups)} 个支援方承担")
        return Regrouping(aggregate=self._item(agg, via), counties=agg.county_count or 0,
                          prefectures=agg.prefecture_count, followed_by=len(took_over),
                          supporters=[name for _c, name in sups], note=note)

    def _changed(self, was: list[Entry], now: list[Entry]) -> ChangedItem | None:
        before_ids = {r.id for r, _v in was}
        if before_ids == {r.id for r, _v in now}:
            return None
        r, via = next(((r, v) for r, v in now if r.id not in before_ids), now[0])
        before = [PairingTerms(**self._terms(b)) for b, _v in was]
        after = [PairingTerms(**self._terms(a)) for a, _v in now]
        differs = [what for what, fields in (("programme", ("programme_id",)), ("period", ("valid_from", "valid_to")),
                                             ("source", ("source_ref",)))
                   if {tuple(getattr(t, f) for f in fields) for t in before}
                   != {tuple(getattr(t, f) for f in fields) for t in after}]
        return ChangedItem(**self._item(r, via).model_dump(), before=before, differs=differs)

    # -- totals ------------------------------------------------------------------------------
    def _totals(self, year: int) -> Totals:
        """The documents' count (counties, prefectures, provinces paired) of this answer's own pairings: a
        place's and its counties' (not those it has through its prefecture or province)."""
        own = [r for r, via in self.entries if via in ("self", "county")]
        return Totals(**paired_totals(own, year, self.aid.gaz, self.aid.counted_programmes))
