"""Work points and guidance -> tasks, units, duties and the places tasks name.

Units are per district: 闵行's 区人社局 and 静安's 区人力资源和社会保障局 are
different bodies, while inside one district an abbreviation and its full form
are one unit (``data/curated/unit_aliases.csv``). Collective units and the
district's front-line aid organisation are marked by ``kind``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..schema.ids import division_of, place_id
from ..schema.places import SHANGHAI, Gazetteer
from ..schema.text import cn2an  # imported on first use: a command answering from a snapshot never needs it
from ..schema.units import OFFICES_OUTSIDE, UnitNames
from .guidance import Article
from .workpoints import Task, Warning_, WorkPlan


@dataclass
class _Unit:
    name: str
    kind: str
    owner: str
    written: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)


class PlaceMentions:
    """Finds the graph's counties and prefectures named in a text (longest match first)."""

    def __init__(self, gaz: Gazetteer, divisions: set[str]):
        self.gaz = gaz
        self.vocab: dict[str, list] = {}
        for text, flist in gaz.forms.items():
            sel = [f for f in flist if f.division in divisions and f.kind != "code"]
            if sel and len(text) >= 2:
                self.vocab[text] = sel
        lengths: dict[str, set[int]] = {}
        for t in self.vocab:
            lengths.setdefault(t[0], set()).add(len(t))
        # first character -> the lengths of the names starting with it, longest first
        self.lengths = {c: sorted(ns, reverse=True) for c, ns in lengths.items()}
        # the characters a name starts with: the search skips to the next of them
        self.starts = re.compile("[" + "".join(map(re.escape, sorted(self.lengths))) + "]") if self.lengths else None

    def find(self, text: str) -> list[tuple[str, list[str]]]:
        """[(text as written, [division ids])]; several ids mean the mention is ambiguous."""
        out, i = [], 0
        while self.starts is not None and (m := self.starts.search(text, i)):
            i = m.start()
            for n in self.lengths[text[i]]:
                if n > len(text) - i:
                    continue
                frag = text[i:i + n]
                if frag in self.vocab:
                    out.append((frag, self.gaz.best(self.vocab[frag])))
                    i += n
                    break
            else:
                i += 1
        return out


class TaskBuilder:
    def __init__(self, loader, unit_names: UnitNames):
        self.ld = loader
        self.names = unit_names
        self.units: dict[str, _Unit] = {}
        self.edges: list[tuple] = []
        self._mentions: PlaceMentions | None = None

    @property
    def mentions(self) -> PlaceMentions:
        if self._mentions is None:
            g = self.ld.graph
            divs = {division_of(n["id"]) for label in ("County", "Prefecture") for n in g.nodes(label)}
            divs = {d for d in divs if self.ld.gaz.get(d).province != SHANGHAI}
            self._mentions = PlaceMentions(self.ld.gaz, divs)
        return self._mentions

    @cached_property
    def supporters(self) -> set[str]:
        """Divisions the pairings name as supporters (read once the pairings are loaded)."""
        g = self.ld.graph
        return {division_of(s) for p in g.ids("Pairing") for s in g.out(p, "SUPPORTER")}

    def unit(self, owner_div: str, written: str, doc: str) -> str:
        canonical, kind = self.names.canonical(written)
        uid = f"unit:{self.ld.gaz.get(owner_div).code}:{canonical}"
        u = self.units.setdefault(uid, _Unit(canonical, kind, owner_div))
        u.written.add(written)
        u.docs.add(doc)
        return uid

    def add_plan(self, doc_id: str, plan: WorkPlan) -> list[Warning_]:
        ld, g = self.ld, self.ld.graph
        warnings = list(plan.warnings)
        forms = [f for f in ld.gaz.forms.get(plan.district, []) if f.division != SHANGHAI
                 and SHANGHAI in ld.gaz.ancestors(f.division)]
        div = ld.gaz.best(forms)
        if len(div) != 1:  # a district elsewhere: its name must name one of the pairings' supporters
            div = ld.gaz.best([f for f in ld.gaz.forms.get(plan.district, []) if f.division in self.supporters])
        if len(div) != 1:
            raise ValueError(f"{plan.district!r} is not a district of Shanghai nor one supporter of the pairings")
        district = ld.add_place(div[0])
        for t in plan.tasks:
            tid = f"task:{doc_id}:{t.number if t.kind == 'task' else 's' + str(t.number)}"
            g.add_node("Task", tid, number=t.number, kind=t.kind, section=t.section or None, title=t.title,
                       text=t.text, year=plan.year, source=f"{doc_id}#{t.locator}")
            g.add_edge("DERIVED_FROM", tid, f"doc:{doc_id}", locator=t.locator)
            g.add_edge("TASK_OF", tid, district)
            for rel, refs in (("LEAD_UNIT", t.lead), ("RESPONSIBLE_UNIT", t.responsible),
                              ("COOPERATING_UNIT", t.cooperating)):
                for pos, u in enumerate(refs):
                    props = {"as_written": u.name, "position": pos, "etc": u.etc}
                    if rel == "RESPONSIBLE_UNIT":
                        props["label"] = t.responsible_label
                    self.edges.append((rel, tid, self.unit(div[0], u.name, doc_id), props))
            warnings += self._places(tid, t)
        return warnings

    def _places(self, tid: str, t: Task) -> list[Warning_]:
        warnings, seen = [], set()
        for text, divs in self.mentions.find(t.title + "。" + t.text):
            if len(divs) != 1:
                names = "、".join(self.ld.gaz.get(d).name for d in divs)
                warnings.append(Warning_(t.line, f"{text!r} in {t.kind} {t.number} may be {names}; left unlinked"))
                continue
            if divs[0] not in seen:
                seen.add(divs[0])
                self.ld.graph.add_edge("NAMES_PLACE", tid, place_id(divs[0]), as_written=text)
        return warnings

    def add_guidance(self, doc_id: str, articles: list[Article]) -> None:
        g = self.ld.graph
        self.ld.add_place(SHANGHAI)
        uid = f"unit:{SHANGHAI}:{OFFICES_OUTSIDE}"
        self.units.setdefault(uid, _Unit(OFFICES_OUTSIDE, "office-outside", SHANGHAI)).docs.add(doc_id)
        self.units[uid].written.add("驻外办")
        for a in articles:
            did = f"duty:{doc_id}:{a.number}"
            locator = f"({cn2an.an2cn(a.number)}) {a.title}"
            g.add_node("Duty", did, number=a.number, section=a.section, title=a.title, text=a.text,
                       source=f"{doc_id}#{locator}")
            g.add_edge("DERIVED_FROM", did, f"doc:{doc_id}", locator=locator)
            self.edges.append(("DUTY_OF", did, uid, {}))

    def finish(self) -> None:
        g = self.ld.graph
        for uid, u in sorted(self.units.items()):
            g.add_node("Unit", uid, name=u.name, names_as_written=sorted(u.written), kind=u.kind,
                       source="; ".join(sorted(u.docs)))
            g.add_edge("UNIT_OF", uid, place_id(u.owner))
            for doc in sorted(u.docs):
                g.add_edge("DERIVED_FROM", uid, f"doc:{doc}", locator="units named in the document")
        seen = set()
        for rel, start, end, props in self.edges:
            if (rel, start, end) in seen:  # the same unit twice in one list, under two names
                continue
            seen.add((rel, start, end))
            g.add_edge(rel, start, end, **props)
