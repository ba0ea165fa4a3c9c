"""The named questions about work-point tasks and units (``AidGraph.tasks`` and ``AidGraph.unit``): the
store's task and unit records as answers, with the units' names as written and as canonical."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotADistrict, UnknownUnit
from ..schema.ids import division_of, doc_id, doc_key, place_id
from ..schema.records import TaskRecord
from .results import TaskOut, UnitName, UnitProfile

if TYPE_CHECKING:
    from .service import AidGraph


def task_outs(aid: AidGraph, raw: list[TaskRecord]) -> list[TaskOut]:
    """The tasks' answers, ordered by district, year, document, tasks before safeguards, number. Each task's
    answer is made once where the store never changes (``aid.kept_tasks``): a place's or a unit's
    answer lists the same tasks again and again."""
    kept = aid.kept_tasks
    out = [] if kept is None else [kept[t.id] for t in raw if t.id in kept]
    new = raw if kept is None else [t for t in raw if t.id not in kept]
    if new:
        made = _make(aid, new)
        out += made
        if kept is not None:
            kept.update((t.id, t) for t in made)
    out.sort(key=_order)
    return out


def _order(t: TaskOut) -> tuple:
    return t.district_code, t.year, t.document, t.kind != "task", t.number


def _make(aid: AidGraph, raw: list[TaskRecord]) -> list[TaskOut]:
    unit_ids = sorted({x.unit for t in raw for x in t.lead + t.responsible + t.cooperating})
    units = {u.id: u for u in aid.store.units(ids=unit_ids)} if unit_ids else {}
    names: dict[tuple[str, str], UnitName] = {}  # (unit, as written) -> its answer, shared by the tasks naming it

    def named(links) -> list[UnitName]:
        out = []
        for x in links:
            n = names.get((x.unit, x.as_written))
            if n is None:
                u = units[x.unit]
                n = names[x.unit, x.as_written] = UnitName(id=x.unit, name=x.as_written, canonical=u.name, kind=u.kind)
            out.append(n)
        return out

    return [TaskOut(id=t.id, district=aid.place_name(t.district), district_code=division_of(t.district),
                    year=t.year, number=t.number, kind=t.kind, section=t.section, title=t.title,
                    text=t.text, lead_units=named(t.lead), responsible_units=named(t.responsible),
                    cooperating_units=named(t.cooperating),
                    places=[aid.place_name(p) for p in t.places],
                    place_codes=[division_of(p) for p in t.places],
                    document=doc_key(t.document), source=t.source)
            for t in raw]


def district_scope(aid: AidGraph, district: str | None) -> str | None:
    if district is None:
        return None
    m = aid._in_shanghai(district)
    ref = aid.place_ref(m.division)
    if ref.level != "district":
        raise NotADistrict(ref.name, ref.level, ref.code)
    return place_id(m.division)

def unit_ids(aid: AidGraph, name: str, owner: str | None) -> list[str]:
    from ..schema.text import normalise_line  # the parser's own normalisation of unit names
    wanted = aid.unit_names.candidates(normalise_line(name))
    units = aid.store.units(names=sorted(wanted), owners=None if owner is None else [owner])
    return [u.id for u in units]

def tasks(aid: AidGraph, *, district: str | None = None, year: int | None = None, unit: str | None = None,
          place: str | None = None, document: str | None = None) -> list[TaskOut]:
    owner = district_scope(aid, district)
    units = None
    if unit is not None:
        units = unit_ids(aid, unit, owner)
        if not units:
            raise UnknownUnit(unit)
    places = None if place is None else aid._touching(aid.resolve(place).division)
    raw = aid.store.tasks(places=places, district=owner, units=units, year=year,
                           document=None if document is None else doc_id(document))
    return task_outs(aid, raw)

def unit(aid: AidGraph, name: str, *, district: str | None = None) -> list[UnitProfile]:
    owner = district_scope(aid, district)
    ids = unit_ids(aid, name, owner)
    if not ids:
        raise UnknownUnit(name)
    out = []
    for u in aid.store.units(ids=ids):
        raw = aid.store.tasks(units=[u.id])
        tasks = {t.id: t for t in task_outs(aid, raw)}
        ordered = [tasks[t] for t in tasks]
        lead_ids = {t.id for t in raw if any(x.unit == u.id for x in t.lead)}
        resp_ids = {t.id for t in raw if any(x.unit == u.id for x in t.responsible)}
        out.append(UnitProfile(id=u.id, district=aid.place_name(u.owner), district_code=division_of(u.owner),
                               name=u.name, kind=u.kind, names_as_written=list(u.names_as_written),
                               leads=[t for t in ordered if t.id in lead_ids],
                               responsible_for=[t for t in ordered if t.id in resp_ids],
                               duties=list(u.duties), source=u.source))
    return out
