"""The embedded store: the canonical networkx graph, in process, no server.
Every read starts from the nodes its filters name and follows adjacency."""
from __future__ import annotations

from functools import cached_property

from ..schema.graph import CanonicalGraph
from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.records import AgreementRecord, PairingRecord, TaskRecord, UnitLink, UnitRecord
from .store import Store, strings_in

_UNIT_RELS = frozenset({"LEAD_UNIT", "RESPONSIBLE_UNIT", "COOPERATING_UNIT"})


def _position(link: UnitLink) -> int:
    return link.position


class EmbeddedStore(Store):
    name = "embedded"
    fixed = True
    in_memory = True

    def __init__(self, graph: CanonicalGraph):
        self.graph = graph
        # {node: {neighbour: {relationship type: properties}}} both ways, from networkx's public adjacency()
        # (of the graph and of its reverse view): plain dicts, several times faster to read than the
        # read-only views (succ, pred, out_edges) at national scale. A loaded graph is never changed after.
        self._succ = dict(graph.g.adjacency())
        self._pred = dict(graph.g.reverse(copy=False).adjacency())
        self._nodes = dict(graph.g.nodes(data=True))  # node id -> properties, as a plain dict (see above)
        # records are immutable, as the graph is once loaded: each is made on first use and kept
        self._unit_records: dict[str, UnitRecord] = {}
        self._task_records: dict[str, TaskRecord] = {}
        self._pairing_records: dict[str, PairingRecord] = {}

    def _out(self, node: str, rel: str) -> list[str]:
        return [e for e, keys in self._succ[node].items() if rel in keys]

    def _into(self, node: str, rel: str) -> list[str]:
        return [s for s, keys in self._pred[node].items() if rel in keys]

    # -- records ------------------------------------------------------------------------
    def _task(self, tid: str) -> TaskRecord:
        """The task's record, made once: a place's or a unit's answer lists the same tasks over and over."""
        rec = self._task_records.get(tid)
        if rec is None:
            rec = self._task_records[tid] = self._make_task(tid)
        return rec

    def _pairing(self, pid: str) -> PairingRecord:
        rec = self._pairing_records.get(pid)
        if rec is None:
            rec = self._pairing_records[pid] = self.graph.pairing_record(pid)
        return rec

    def _make_task(self, tid: str) -> TaskRecord:
        t = self._nodes[tid]
        one: dict[str, str] = {}
        links: dict[str, list[UnitLink]] = {}
        places: list[str] = []
        for e, keys in self._succ[tid].items():  # one pass over the task's relationships
            for rel, d in keys.items():
                if rel in _UNIT_RELS:
                    links.setdefault(rel, []).append(UnitLink(e, d["as_written"], d["position"], d["etc"]))
                elif rel == "NAMES_PLACE":
                    places.append(e)
                else:
                    one.setdefault(rel, e)
        by_position = {rel: tuple(sorted(ls, key=_position)) for rel, ls in links.items()}
        return TaskRecord(id=tid, number=t["number"], kind=t["kind"], title=t["title"], text=t["text"], year=t["year"],
                          source=t["source"], section=t.get("section"), district=one["TASK_OF"],
                          document=one["DERIVED_FROM"], lead=by_position.get("LEAD_UNIT", ()),
                          responsible=by_position.get("RESPONSIBLE_UNIT", ()),
                          cooperating=by_position.get("COOPERATING_UNIT", ()), places=tuple(sorted(places)))

    @cached_property
    def _duties(self) -> dict[str, tuple[str, ...]]:
        """Unit id -> the titles of its duties by number (a few units have any: no scan of a unit's
        hundreds of task relationships to find none)."""
        by_unit: dict[str, list[dict]] = {}
        for d in self.graph.nodes("Duty"):
            for u in self._out(d["id"], "DUTY_OF"):
                by_unit.setdefault(u, []).append(d)
        return {u: tuple(d["title"] for d in sorted(ds, key=lambda d: d["number"])) for u, ds in by_unit.items()}

    def _unit(self, uid: str) -> UnitRecord:
        """The unit's record, made once: a unit is named by hundreds of tasks, and answers about them
        (who-supports, tasks by unit) ask for the same few units over and over."""
        rec = self._unit_records.get(uid)
        if rec is None:
            rec = self._unit_records[uid] = self._make_unit(uid)
        return rec

    def _make_unit(self, uid: str) -> UnitRecord:
        u = self.graph.g.nodes[uid]
        return UnitRecord(id=uid, name=u["name"], kind=u["kind"], owner=self._owner_of[uid],
                          source=u["source"], names_as_written=tuple(u.get("names_as_written", ())),
                          duties=self._duties.get(uid, ()))

    def _is(self, node: str, label: str) -> bool:
        props = self._nodes.get(node)
        return props is not None and props["label"] == label

    @cached_property
    def _units_by_name(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for u in self.graph.nodes("Unit"):
            for name in {u["name"], *u.get("names_as_written", ())}:
                out.setdefault(name, []).append(u["id"])
        return out

    @cached_property
    def _owner_of(self) -> dict[str, str]:
        """Unit id -> the district (or municipality) it belongs to, read once."""
        return {u: self._out(u, "UNIT_OF")[0] for u in self.graph.ids("Unit")}

    @cached_property
    def _units_by_owner(self) -> dict[str, list[str]]:
        """District (or municipality) id -> its units: no scan of a district's thousands of tasks to find them."""
        out: dict[str, list[str]] = {}
        for u, owner in self._owner_of.items():
            out.setdefault(owner, []).append(u)
        return out

    # -- reads --------------------------------------------------------------------------
    def pairings(self, *, places=None, supporter=None):
        g = self.graph
        if places is not None:
            ids = {p for place in places if place in g.g for p in self._into(place, "SUPPORTED")}
        elif supporter is not None:
            ids = set(self._into(supporter, "SUPPORTER")) if supporter in g.g else set()
        else:
            ids = set(g.ids("Pairing"))
        recs = [self._pairing(p) for p in ids]
        if supporter is not None:
            recs = [r for r in recs if r.supporter == supporter]
        return sorted(recs, key=lambda r: r.id)

    def tasks(self, *, places=None, district=None, document=None, units=None, year=None):
        g = self.graph
        # start from the narrowest filter given, then check the others on each candidate
        if units is not None:
            ids = {t for u in units if u in g.g for rel in ("LEAD_UNIT", "RESPONSIBLE_UNIT", "COOPERATING_UNIT")
                   for t in self._into(u, rel)}
        elif places is not None:
            ids = {t for p in places if p in g.g for t in self._into(p, "NAMES_PLACE")}
        elif district is not None:
            ids = set(self._into(district, "TASK_OF")) if district in g.g else set()
        elif document is not None:
            ids = {t for t in self._into(document, "DERIVED_FROM") if self._is(t, "Task")} if document in g.g else set()
        else:
            ids = set(g.ids("Task"))
        place_set = None if places is None else set(places)
        unit_set = None if units is None else set(units)
        out = []
        for tid in ids:
            rec = self._task(tid)
            if ((district is not None and rec.district != district)
                    or (document is not None and rec.document != document)
                    or (year is not None and rec.year != year)
                    or (place_set is not None and not place_set & set(rec.places))
                    or (unit_set is not None and not unit_set & rec.unit_ids())):
                continue
            out.append(rec)
        return sorted(out, key=lambda r: r.id)

    def units(self, *, ids=None, owners=None, names=None):
        g = self.graph
        if ids is not None:
            cand = {i for i in ids if self._is(i, "Unit")}
        elif names is not None:
            cand = {u for n in names for u in self._units_by_name.get(n, [])}
        elif owners is not None:
            cand = {u for o in owners for u in self._units_by_owner.get(o, ())}
        else:
            cand = set(g.ids("Unit"))
        if owners is not None:  # before the records are made: a name alone names a unit of every district
            own = set(owners)
            cand = {u for u in cand if self._owner_of[u] in own}
        recs = [self._unit(u) for u in cand]
        if names is not None:
            wanted = set(names)
            recs = [r for r in recs if r.name in wanted or wanted & set(r.names_as_written)]
        return sorted(recs, key=lambda r: r.id)

    def agreements(self, *, parties=None):
        g = self.graph
        if parties is not None:
            ids = {a for p in parties if p in g.g for a in self._into(p, "PARTY")}
        else:
            ids = set(g.ids("Agreement"))
        out = []
        for a in ids:
            n = g.g.nodes[a]
            out.append(AgreementRecord(id=a, no=n["no"], title=n["title"], kind=n["kind"], signed=n["signed"],
                                       source=n["source"], parties=tuple(sorted(self._out(a, "PARTY")))))
        return sorted(out, key=lambda r: (r.no, r.id))

    def nodes_of(self, label):
        return sorted(({k: v for k, v in n.items() if k != "label"} for n in self.graph.nodes(label)),
                      key=lambda n: n["id"])

    def edges_of(self, rel):
        return sorted((s, e) for s, e, _ in self.graph.edges(rel))

    def nodes_by_id(self, ids):
        return {i: self.graph.node(i) for i in ids if i in self.graph.g}

    @cached_property
    def _counts(self) -> tuple[dict[str, int], dict[str, int]]:
        # counted once: counting walks every node and relationship, which in a forked worker would also
        # write into (and so copy) every page of the graph it shares
        return self.graph.label_counts(), self.graph.rel_counts()

    def counts(self):
        labels, rels = self._counts
        return dict(labels), dict(rels)

    def warm(self) -> None:
        for index in ("_counts", "_owner_of", "_units_by_owner", "_units_by_name", "_duties"):
            getattr(self, index)
        for uid in self.graph.ids("Unit"):  # every unit's and pairing's record, shared by forked workers
            self._unit(uid)
        for pid in self.graph.ids("Pairing"):
            self._pairing(pid)

    def neighbours(self, ids):
        return {n for i in ids if i in self._succ for n in (*self._succ[i], *self._pred[i])}

    def subgraph(self, ids):
        wanted = {i for i in ids if i in self._succ}
        sub = CanonicalGraph()
        for nid in sorted(wanted):
            node = self.graph.props(nid)
            sub.add_node(node["label"], nid, **{k: v for k, v in node.items() if k not in ("label", "id")})
        edges = sorted((start, end, rel) for start in wanted for end, by_type in self._succ[start].items()
                       if end in wanted for rel in by_type)
        for start, end, rel in edges:
            sub.add_edge(rel, start, end, **{k: v for k, v in self._succ[start][end][rel].items() if k != "type"})
        return sub

    def texts(self):
        out: set[str] = set()
        for n in self.graph.nodes():
            keys = NODE_TYPES[n["label"]].all_props
            out.update(strings_in(v for k, v in n.items() if k in keys))
        for _s, _e, d in self.graph.edges():
            keys = REL_TYPES[d["type"]].props
            out.update(strings_in(v for k, v in d.items() if k in keys))
        return out

    def sources_citing(self, document):
        return sorted(src for n in self.graph.nodes() if isinstance(src := n.get("source"), str) and document in src)

    def canonical(self) -> CanonicalGraph:
        return self.graph

