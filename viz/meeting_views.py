"""The five named views officials take to a meeting, built from ``AidGraph`` answers (nothing read
from files): a district's pairings, a place's supporters, a programme's pairings, the pairings into a
province, a document's tasks and units. Registered by name in ``viz.views`` (the one builder).

Each node carries ``col`` (its column in the printed layout: supporter → prefecture → county, task →
unit) and ``measure`` (counties paired, tasks led: its size in the picture). Programme names and
colours come from the graph's Program nodes."""
from __future__ import annotations

from ..errors import BadParameter, NotInGraph
from ..queries.service import AidGraph
from ..schema.eras import period_text
from ..schema.ids import division_of, place_id
from ..schema.labels import RELATION_ZH, kind_zh, level_zh
from ..schema.model import LEVEL_LABEL
from ..schema.sources import short_cite, split_refs
from ..schema.text import file_stem
from .citations import GAZETTEER_CITE, cite_short
from .view import View, dedupe_edges


class MeetingView:
    """Collects one view's nodes, edges, rows and sources."""

    def __init__(self, aid: AidGraph, kind: str, year: int, prog: str | None, asked_year: int | None = None):
        self.aid, self.kind, self.year, self.prog = aid, kind, year, prog
        self.asked_year = asked_year     # None: the view is of now, and lists every year's tasks as its page does
        self.docs = {d.id: d for d in aid.documents()}
        self.view = View(title="", kind=kind, year=year)
        self.nodes: dict[str, dict] = {}
        self.records: list = []          # pairing records shown
        self.own: str | None = None      # the supporter whose rows come first
        self.doc_ids: set[str] = set()
        self.title_parts: list[str] = []
        self.district_tasks: str | None = None  # a supporter whose tasks of the year the handout lists

    # -- nodes ------------------------------------------------------------------------------
    def name(self, div: str) -> str:
        return self.aid.name_in(div, self.year)

    def short(self, div: str, name: str, level: str) -> str:
        """The form the pairing tables write: an autonomous county or prefecture by its short name and
        its kind (金平苗族瑶族傣族自治县 -> 金平县, 红河哈尼族彝族自治州 -> 红河州); other names as they are."""
        if level not in ("county", "prefecture") or "自治" not in name:
            return name
        short = self.aid.short_name_in(div, self.year)
        return short + name[-1] if short else name

    def place(self, nid: str, col: int) -> dict:
        div = division_of(nid)
        if nid in self.nodes:
            n = self.nodes[nid]
            n["col"] = min(n["col"], col) if n["group"] in ("District", "Municipality") else max(n["col"], col)
            return n
        ref = self.aid.place_ref(div, True)
        where = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        level = level_zh(ref.level)
        name = self.name(div)
        now = f"（今{ref.name}）" if name != ref.name else ""
        n = {"id": nid, "label": name, "short": self.short(div, name, ref.level), "group": LEVEL_LABEL[ref.level],
             "code": ref.code, "level": level, "col": col, "measure": 0,
             "title": "\n".join(x for x in (name + now, f"{level} · {where}" if where else level,
                                            f"代码 {ref.code}", f"来源：{GAZETTEER_CITE}") if x)}
        self.nodes[nid] = n
        return n

    def area_of(self, div: str) -> str | None:
        """The prefecture a county lies in (None for a prefecture or province paired whole)."""
        pref = self.aid.prefecture_of(div)
        return pref if pref and pref != div else None

    # -- pairings -----------------------------------------------------------------------------
    def keep(self, r) -> bool:
        return (self.prog is None or r.program == self.prog) and r.in_force(self.year)

    def add_pairing(self, r, *, sup_col: int = 0, area_col: int = 1, leaf_col: int = 2,
                    with_area: bool = True) -> None:
        """supporter → (prefecture →) place: the pairing edge, and the place's prefecture with PART_OF."""
        self.records.append(r)
        self.view.facts.add(r.id)
        prog = self.aid.programmes[r.program]
        self.view.programmes.setdefault(r.program, (prog.name, prog.colour))
        sup = self.place(r.supporter, sup_col)
        div = division_of(r.place)
        area = self.area_of(div) if with_area else None
        place = self.place(r.place, leaf_col if area else area_col)
        counties = r.county_count or 1
        sup["measure"] += counties
        place["measure"] += counties
        if area:
            a = self.place(place_id(area), area_col)
            a["measure"] += counties
            self.edge(r.place, place_id(area), "PART_OF", dashes=True,
                      title=f"{place['label']} 属于 {a['label']}")
        note = f"说明：{r.period_note}" if r.period_note else ""
        self.edge(r.supporter, r.place, r.program, label=prog.name,
                  title="\n".join(x for x in (f"{sup['label']} → {place['label']}", prog.name,
                                              period_text(r.valid_from, r.valid_to), note,
                                              f"来源：{self.cite(r.source)}") if x),
                  valid_from=r.valid_from, valid_to=r.valid_to, source=r.source)
        for doc, _loc in split_refs(r.source):
            if doc in self.docs:
                self.doc_ids.add(doc)

    def edge(self, a: str, b: str, kind: str, **extra) -> None:
        self.view.edges.append({"from": a, "to": b, "kind": kind, **extra})

    def cite(self, source: str) -> str:
        """``沪府合办发〔2021〕14号 表7``: the document number (its title where it has none) and the place in it."""
        return cite_short(source, self.docs)

    # -- the five views --------------------------------------------------------------------------
    def pairings(self, center: str) -> None:
        m, ref = self.aid.supporter_scope(center)
        sid = place_id(m.division)
        self.own = sid
        self.place(sid, 0)
        for r in self.aid.pairings(supporter=m.division):
            if self.keep(r):
                self.add_pairing(r)
        self.view.center = sid
        self.title_parts = [self.name(m.division), self.prog_word(), "结对关系", str(self.year)]
        if ref.level == "district":
            self.district_tasks = sid

    def prog_word(self) -> str:
        return self.aid.programmes[self.prog].name if self.prog else ""

    def supporters(self, center: str, with_tasks: bool) -> None:
        ans = self.aid.who_supports(center, year=self.year)
        m = ans.matched
        pid = place_id(m.code)
        self.view.center = pid
        records = {r.id: r for r in self.aid.pairings(places=[s.place_code for s in ans.supporters])} \
            if ans.supporters else {}
        self.place(pid, 2)
        for s in ans.supporters:
            r = records[s.pairing_id]
            if self.prog and r.program != self.prog:
                continue
            if s.via == "self":
                self.add_pairing(r, sup_col=0, area_col=2, leaf_col=2, with_area=False)
            else:  # through a county of it (below) or its prefecture or province (above)
                self.add_pairing(r, sup_col=0, area_col=1, leaf_col=1, with_area=False)
                below = s.via == "county"
                a, b = (r.place, pid) if below else (pid, r.place)
                self.edge(a, b, "PART_OF", dashes=True,
                          title=f"{self.nodes[a]['label']} 属于 {self.nodes[b]['label']}")
        self.place(pid, 2)["measure"] = max(self.nodes[pid]["measure"], 1)
        self.title_parts = [self.name(m.code), self.prog_word(), "支援方", str(self.year)]
        # what the place's page lists beside its supporters: the supporters' front-line organisations and
        # the tasks naming it (up to the year shown); drawn in the picture only ``with_tasks``
        self.view.front_line = [{"district": f.district, "name": f.name, "names_as_written": list(f.names_as_written)}
                                for f in ans.front_line]
        tasks = [t for t in ans.tasks if t.year <= self.year]
        self.view.tasks = tasks
        if with_tasks:
            self.add_tasks(tasks, task_col=3, unit_col=4, places=True)

    def programme(self, prog: str | None) -> None:
        prog = self.prog = prog or self.prog
        self.view.center = prog or ""
        for r in self.aid.pairings():
            if self.keep(r):
                self.add_pairing(r)
        self.title_parts = [self.aid.programmes[prog].name if prog else "上海市对口帮扶 全部结对关系", str(self.year)]

    def province(self, center: str) -> None:
        m = self.aid.resolve(center, year=self.year)
        ref = self.aid.place_ref(m.division)
        if ref.level != "province":
            raise BadParameter(f"{ref.name} is not a province; the province view takes a province "
                               f"（{ref.name}不是省级行政区）")
        self.view.center = place_id(m.division)
        for r in self.aid.pairings():
            div = division_of(r.place)
            if self.keep(r) and (self.aid.province_of(div) == m.division):
                self.add_pairing(r)
        self.title_parts = [self.name(m.division), self.prog_word(), "结对关系", str(self.year)]

    def document(self, center: str, asked_year: int | None) -> None:
        doc = next((d for d in self.docs.values() if center in (d.id, d.number, f"doc:{d.id}")), None)
        if doc is None:
            raise NotInGraph(f"no document {center!r} in the register （文件目录中没有“{center}”）")
        self.view.center = f"doc:{doc.id}"
        self.doc_ids.add(doc.id)
        head = short_cite(doc.number, doc.title)
        tasks = self.aid.tasks(document=doc.id)
        if tasks:
            self.view.year = tasks[0].year
            self.view.tasks = tasks
            self.add_tasks(tasks, task_col=0, unit_col=1, places=False)
            self.title_parts = [head, "任务与单位"]
            return
        for r in self.aid.pairings():
            if any(d == doc.id for d, _ in split_refs(r.source)) and (self.prog is None or r.program == self.prog) \
                    and (asked_year is None or r.in_force(asked_year)):
                self.add_pairing(r)
        self.view.year = asked_year
        self.title_parts = [head, self.prog_word(), "结对关系", str(asked_year) if asked_year else ""]

    # -- tasks and units ---------------------------------------------------------------------------
    def task_nodes(self) -> None:
        """``with_tasks`` on a district's view: its tasks of the year and their units, beside the pairings."""
        if self.district_tasks:
            tasks = self.aid.tasks(district=division_of(self.district_tasks), year=self.year)
            self.view.tasks = tasks
            self.add_tasks(tasks, task_col=3, unit_col=4, places=True)
            if tasks:
                self.title_parts = [("结对关系与任务" if p == "结对关系" else p) for p in self.title_parts]

    def add_tasks(self, tasks: list, *, task_col: int, unit_col: int, places: bool) -> None:
        for t in tasks:
            word = kind_zh(t.kind)
            self.nodes[t.id] = {"id": t.id, "label": f"{word}{t.number} {t.title}", "group": "Task", "col": task_col,
                                "measure": 1, "number": t.number, "kind": t.kind, "year": t.year,
                                "title": f"{t.year} 年{word}{t.number}：{t.title}\n来源：{self.cite(t.source)}"}
            self.view.facts.add(t.id)
            self.doc_ids.add(t.document)
            for rel, units in (("LEAD_UNIT", t.lead_units), ("RESPONSIBLE_UNIT", t.responsible_units)):
                for u in units:
                    n = self.nodes.setdefault(u.id, {"id": u.id, "label": u.canonical, "group": "Unit", "col": unit_col,
                                                     "measure": 0, "leads": 0,
                                                     "title": f"{u.canonical}\n{t.district}"})
                    if rel == "LEAD_UNIT":
                        n["leads"] += 1
                    n["measure"] += 1
                    role = RELATION_ZH[rel]
                    self.edge(t.id, u.id, rel, dashes=rel == "RESPONSIBLE_UNIT",
                              title=f"{role}（原文：{u.name}）" if u.name != u.canonical else role)
            if places:
                for code in t.place_codes:
                    if place_id(code) in self.nodes:
                        self.edge(t.id, place_id(code), "NAMES_PLACE", title=RELATION_ZH["NAMES_PLACE"])

    # -- the finished view -------------------------------------------------------------------------
    def finish(self) -> View:
        v = self.view
        v.title = " ".join(p for p in self.title_parts if p)
        v.file_stem = file_stem(v.title)
        order = {pid: i for i, pid in enumerate(self.aid.programmes)}
        # every programme of the graph, in its order: a programme keeps its line style in every picture
        v.programmes = {pid: (p.name, p.colour) for pid, p in self.aid.programmes.items()}
        v.nodes = sorted(self.nodes.values(),
                         key=lambda n: (n["col"], n.get("code") or "", n.get("number") or 0, n["id"]))
        v.edges = dedupe_edges(v.edges)
        v.rows = self.rows(order)
        if self.district_tasks and not v.tasks:
            # as the district's page: the tasks of the year asked, or (the view of now) of every year
            every = self.aid.tasks(district=division_of(self.district_tasks))
            v.tasks = every if self.asked_year is None else [t for t in every if t.year == self.asked_year]
            if not v.tasks:
                years = sorted({t.year for t in every})
                name = self.nodes[self.district_tasks]["label"]
                when = f" {self.asked_year} 年" if self.asked_year is not None else ""
                v.tasks_note = (f"来源中没有{name}{when}的工作要点" +
                                (f"（已收录的年份：{'、'.join(map(str, years))}）" if years else "") + "。")
        v.tasks = sorted(v.tasks, key=lambda t: (t.district_code, t.year, t.document, t.kind != "task", t.number))
        cited = self.doc_ids | {t.document for t in v.tasks}  # drawn, and listed in the handout
        dated = sorted((self.docs[d] for d in cited if d in self.docs), key=lambda d: (d.date, d.id))
        v.sources = [{"id": d.id, "number": d.number, "title": d.title, "issuer": d.issuer, "date": d.date}
                     for d in dated]
        v.source_line = "来源：" + "；".join(short_cite(d["number"], d["title"]) for d in v.sources
                                          if d["id"] in self.doc_ids) if self.doc_ids else ""
        v.data_date = self.aid.data_date
        v.seats = self.aid.seats([n["id"] for n in v.nodes if n["id"].startswith("place:")])
        if not self.records and not v.tasks and self.kind != "document":
            v.note = f"来源文件中没有 {self.year} 年在执行的结对关系"
        return v

    def rows(self, order: dict[str, int]) -> list[dict]:
        """The pairing table: the centre's own rows first, then by programme, prefecture and place (by
        their codes: a province's prefectures together), then supporter (上海市 last). A prefecture-level
        place is its own prefecture; a place under no prefecture (a province, a county under its
        province) has none."""
        out = []
        for r in self.records:
            div = division_of(r.place)
            ref = self.aid.place_ref(div, True)
            sup_div = division_of(r.supporter)
            area = self.area_of(div)
            prog = self.aid.programmes[r.program]
            area_ref = self.aid.place_ref(area, True) if area else None
            own = ref.level == "prefecture"  # 淮南市: its own prefecture, not its province
            out.append({"supporter": self.name(sup_div), "supporter_code": sup_div,
                        "place": self.name(div), "place_code": div, "level": level_zh(ref.level),
                        "place_short": self.short(div, self.name(div), ref.level),
                        "prefecture": self.name(area) if area else self.name(div) if own else "",
                        "province": ref.province or ref.name,
                        "prefecture_short": (self.short(area, self.name(area), area_ref.level)
                                             if area and area_ref else
                                             self.short(div, self.name(div), ref.level) if own else ""),
                        "programme": prog.name, "programme_id": r.program,
                        "valid_from": r.valid_from, "valid_to": r.valid_to,
                        "period": period_text(r.valid_from, r.valid_to),
                        "county_count": r.county_count, "note": r.period_note or "",
                        "source": r.source, "cite": self.cite(r.source), "id": r.id,
                        "_key": (r.supporter != self.own, order.get(r.program, 99), area or div, div,
                                 sup_div.endswith("0000"), sup_div)})
        out.sort(key=lambda row: row["_key"])
        for row in out:
            del row["_key"]
        return out


def meeting_view(aid: AidGraph, kind: str, center: str | None, *, year: int, asked_year: int | None,
                 prog: str | None, with_tasks: bool) -> View:
    """The named view ``kind`` (its centre checked by ``viz.views``)."""
    b = MeetingView(aid, kind, year, prog, asked_year)
    if kind == "pairings":
        b.pairings(center or "")
    elif kind == "supporters":
        b.supporters(center or "", with_tasks)
    elif kind == "programme":
        b.programme(center)
    elif kind == "province":
        b.province(center or "")
    else:
        b.document(center or "", asked_year)
    if with_tasks and kind in ("pairings", "programme", "province"):
        b.task_nodes()
    view = b.finish()
    if kind in ("pairings", "supporters"):
        from .timeline import district_timeline, place_timeline
        code = division_of(view.center)
        view.timeline = (place_timeline if kind == "supporters" else district_timeline)(aid, code, asked_year)
    return view
