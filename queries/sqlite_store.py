"""The built graph as an indexed SQLite file, and the store that answers from it without loading it.

A command-line answer needs a few dozen nodes of a graph that at national scale holds over a hundred
thousand; reading the whole snapshot to build networkx costs seconds. ``write_sqlite`` writes one load
(the canonical graph, the gazetteer and unit names it was built with, its warnings) into an SQLite file;
``SqliteStore`` answers the ``Store`` reads from it, each with indexed ``SELECT`` statements that start
from the nodes a filter names, as the embedded store's reads follow adjacency. The parity tests hold it to
the embedded store's answers.

Tables: ``nodes(id, label, props)`` and ``edges(start, type, end, props)`` keyed for reading out of a node,
with an index for reading into one; ``unit_names(name, unit)`` for the units' names as written; ``meta``
for the key, the counts, the gazetteer, the unit names and the load's warnings. Properties are JSON
(read with the standard library's ``json``: nothing read runs code). A whole-graph read (exports, SPARQL)
is not answered from the file: ``canonical()`` asks the loader given to the store for the graph itself.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.records import PAIRING_PROPS, AgreementRecord, PairingRecord, TaskRecord, UnitLink, UnitRecord
from .store import Store, strings_in

if TYPE_CHECKING:
    from ..schema.graph import CanonicalGraph

FORMAT = "aidgraph-sqlite/1"
_UNIT_RELS = ("LEAD_UNIT", "RESPONSIBLE_UNIT", "COOPERATING_UNIT")
_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE nodes(id TEXT PRIMARY KEY, label TEXT NOT NULL, props TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE edges(start TEXT NOT NULL, type TEXT NOT NULL, "end" TEXT NOT NULL, props TEXT NOT NULL,
                   PRIMARY KEY(start, type, "end")) WITHOUT ROWID;
CREATE TABLE unit_names(name TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY(name, unit)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX nodes_by_label ON nodes(label, id);
CREATE INDEX edges_into ON edges("end", type, start);
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_sqlite(path: Path, key: str, graph: CanonicalGraph, meta: dict[str, Any]) -> None:
    """Write ``graph`` and ``meta`` (JSON data: gazetteer, unit names, warnings) into a new SQLite file at
    ``path`` (which must not exist yet), stamped with ``key``. The caller moves it into place once written."""
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        g = graph.g
        con.executemany("INSERT INTO nodes VALUES (?, ?, ?)",
                        ((nid, attrs["label"], _dumps(attrs)) for nid, attrs in g.nodes(data=True)))
        con.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)",
                        ((s, rel, e, _dumps({k: v for k, v in attrs.items() if k != "type"}))
                         for s, e, rel, attrs in g.edges(keys=True, data=True)))
        con.executemany("INSERT OR IGNORE INTO unit_names VALUES (?, ?)",
                        ((name, u["id"]) for u in graph.nodes("Unit")
                         for name in {u["name"], *u.get("names_as_written", ())}))
        con.executescript(_INDEXES)
        rows = {"format": FORMAT, "key": key,
                "counts": _dumps([graph.label_counts(), graph.rel_counts()]),
                **{name: _dumps(value) for name, value in meta.items()}}
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(rows.items()))
        con.commit()
    finally:
        con.close()


class SqliteStore(Store):
    """The reads of ``Store`` over a file ``write_sqlite`` wrote. ``full`` gives the whole canonical graph
    (the load the file was written from) for the reads about the whole graph."""
    name = "sqlite"
    fixed = True

    def __init__(self, con: sqlite3.Connection, full: Callable[[], CanonicalGraph]):
        self._con, self._full = con, full
        self._lock = threading.Lock()  # one connection, shared by the threads of a test client

    @classmethod
    def open(cls, path: Path, key: str, full: Callable[[], CanonicalGraph]) -> SqliteStore | None:
        """The store of the file at ``path`` when it is one ``write_sqlite`` wrote under ``key``; else None
        (the caller builds it anew). The file is opened read-only, as immutable, with its schema's SQL
        functions untrusted."""
        try:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                  check_same_thread=False)
        except (sqlite3.Error, ValueError):
            return None
        try:
            con.execute("PRAGMA trusted_schema=OFF")
            found = dict(con.execute("SELECT name, value FROM meta WHERE name IN ('format', 'key')").fetchall())
        except sqlite3.Error:
            con.close()
            return None
        if found != {"format": FORMAT, "key": key}:
            con.close()
            return None
        return cls(con, full)

    def meta(self, name: str) -> Any:
        """A JSON value stored beside the graph (``gazetteer``, ``unit_names``, ``warnings``); KeyError if none."""
        rows = self._rows("SELECT value FROM meta WHERE name = ?", (name,))
        if not rows:
            raise KeyError(name)
        return json.loads(rows[0][0])

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, params).fetchall()

    # -- reading by id ------------------------------------------------------------------
    def _props(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        rows = self._rows("SELECT id, props FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                          (_dumps(sorted(set(ids))),))
        return {nid: json.loads(props) for nid, props in rows}

    def _out_edges(self, ids: Iterable[str], rels: Iterable[str]) -> dict[str, list[tuple[str, str, str]]]:
        """start id -> [(type, end, props JSON)] of its relationships of the types ``rels``."""
        rows = self._rows('SELECT start, type, "end", props FROM edges WHERE start IN (SELECT value FROM json_each(?))'
                          " AND type IN (SELECT value FROM json_each(?))",
                          (_dumps(sorted(set(ids))), _dumps(sorted(set(rels)))))
        out: dict[str, list[tuple[str, str, str]]] = {}
        for start, rel, end, props in rows:
            out.setdefault(start, []).append((rel, end, props))
        return out

    def _into(self, ends: Iterable[str], rels: Iterable[str]) -> set[str]:
        """Ids of the nodes with a relationship of one of the types ``rels`` into one of ``ends``."""
        rows = self._rows('SELECT start FROM edges WHERE "end" IN (SELECT value FROM json_each(?))'
                          " AND type IN (SELECT value FROM json_each(?))",
                          (_dumps(sorted(set(ends))), _dumps(sorted(set(rels)))))
        return {r[0] for r in rows}

    def _label_of(self, ids: Iterable[str], label: str) -> set[str]:
        rows = self._rows("SELECT id FROM nodes WHERE label = ? AND id IN (SELECT value FROM json_each(?))",
                          (label, _dumps(sorted(set(ids)))))
        return {r[0] for r in rows}

    def _all(self, label: str) -> set[str]:
        return {r[0] for r in self._rows("SELECT id FROM nodes WHERE label = ?", (label,))}

    # -- records ------------------------------------------------------------------------
    def _pairing_records(self, ids: set[str]) -> list[PairingRecord]:
        props = self._props(ids)
        ends = self._out_edges(ids, ("SUPPORTER", "SUPPORTED", "UNDER", "EXCLUDES"))
        out = []
        for pid in ids:
            by: dict[str, list[str]] = {}
            for rel, end, _ in ends.get(pid, ()):
                by.setdefault(rel, []).append(end)
            node = props[pid]
            out.append(PairingRecord(id=pid, supporter=by["SUPPORTER"][0], place=by["SUPPORTED"][0],
                                     program=by["UNDER"][0], source=node["source"],
                                     excluding=tuple(sorted(by.get("EXCLUDES", ()))),
                                     **{k: node.get(k) for k in PAIRING_PROPS}))
        return sorted(out, key=lambda r: r.id)

    def _task_records(self, ids: set[str]) -> list[TaskRecord]:
        props = self._props(ids)
        ends = self._out_edges(ids, ("TASK_OF", "DERIVED_FROM", "NAMES_PLACE", *_UNIT_RELS))
        out = []
        for tid in ids:
            t = props[tid]
            by: dict[str, list[str]] = {}
            links: dict[str, list[UnitLink]] = {}
            for rel, end, edge in ends.get(tid, ()):
                by.setdefault(rel, []).append(end)
                if rel in _UNIT_RELS:
                    d = json.loads(edge)
                    links.setdefault(rel, []).append(UnitLink(unit=end, as_written=d["as_written"],
                                                              position=d["position"], etc=d["etc"]))
            lead, responsible, cooperating = (tuple(sorted(links.get(rel, ()), key=lambda x: x.position))
                                              for rel in _UNIT_RELS)
            out.append(TaskRecord(id=tid, number=t["number"], kind=t["kind"], title=t["title"], text=t["text"],
                                  year=t["year"], source=t["source"], section=t.get("section"),
                                  district=by["TASK_OF"][0], document=by["DERIVED_FROM"][0], lead=lead,
                                  responsible=responsible, cooperating=cooperating,
                                  places=tuple(sorted(by.get("NAMES_PLACE", ())))))
        return sorted(out, key=lambda r: r.id)

    def _owners(self, ids: Iterable[str]) -> dict[str, str]:
        return {u: ends[0][1] for u, ends in self._out_edges(ids, ("UNIT_OF",)).items()}

    # -- reads --------------------------------------------------------------------------
    def pairings(self, *, places=None, supporter=None):
        if places is not None:
            ids = self._into(places, ("SUPPORTED",))
        elif supporter is not None:
            ids = self._into([supporter], ("SUPPORTER",))
        else:
            ids = self._all("Pairing")
        recs = self._pairing_records(ids)
        if supporter is not None:
            recs = [r for r in recs if r.supporter == supporter]
        return recs

    def tasks(self, *, places=None, district=None, document=None, units=None, year=None):
        if units is not None:
            ids = self._into(units, _UNIT_RELS)
        elif places is not None:
            ids = self._into(places, ("NAMES_PLACE",))
        elif district is not None:
            ids = self._into([district], ("TASK_OF",))
        elif document is not None:
            ids = self._label_of(self._into([document], ("DERIVED_FROM",)), "Task")
        else:
            ids = self._all("Task")
        place_set = None if places is None else set(places)
        unit_set = None if units is None else set(units)
        return [rec for rec in self._task_records(ids)
                if not ((district is not None and rec.district != district)
                        or (document is not None and rec.document != document)
                        or (year is not None and rec.year != year)
                        or (place_set is not None and not place_set & set(rec.places))
                        or (unit_set is not None and not unit_set & rec.unit_ids()))]

    def units(self, *, ids=None, owners=None, names=None):
        if ids is not None:
            cand = self._label_of(ids, "Unit")
        elif names is not None:
            rows = self._rows("SELECT unit FROM unit_names WHERE name IN (SELECT value FROM json_each(?))",
                              (_dumps(sorted(set(names))),))
            cand = {r[0] for r in rows}
        elif owners is not None:
            cand = self._label_of(self._into(owners, ("UNIT_OF",)), "Unit")
        else:
            cand = self._all("Unit")
        owner_of = self._owners(cand)
        if owners is not None:
            own = set(owners)
            cand = {u for u in cand if owner_of[u] in own}
        props = self._props(cand)
        duties: dict[str, list[dict[str, Any]]] = {}
        for unit, duty in self._rows('SELECT e."end", n.props FROM edges e JOIN nodes n ON n.id = e.start'
                                     ' WHERE e.type = \'DUTY_OF\' AND e."end" IN (SELECT value FROM json_each(?))',
                                     (_dumps(sorted(cand)),)):
            duties.setdefault(unit, []).append(json.loads(duty))
        recs = [UnitRecord(id=u, name=p["name"], kind=p["kind"], owner=owner_of[u], source=p["source"],
                           names_as_written=tuple(p.get("names_as_written", ())),
                           duties=tuple(d["title"] for d in sorted(duties.get(u, ()), key=lambda d: d["number"])))
                for u, p in props.items()]
        if names is not None:
            wanted = set(names)
            recs = [r for r in recs if r.name in wanted or wanted & set(r.names_as_written)]
        return sorted(recs, key=lambda r: r.id)

    def agreements(self, *, parties=None):
        ids = self._into(parties, ("PARTY",)) if parties is not None else self._all("Agreement")
        props = self._props(ids)
        ends = self._out_edges(ids, ("PARTY",))
        out = [AgreementRecord(id=a, no=n["no"], title=n["title"], kind=n["kind"], signed=n["signed"],
                               source=n["source"], parties=tuple(sorted(e for _, e, _ in ends.get(a, ()))))
               for a, n in props.items()]
        return sorted(out, key=lambda r: (r.no, r.id))

    def nodes_of(self, label):
        rows = self._rows("SELECT props FROM nodes WHERE label = ? ORDER BY id", (label,))
        return sorted(({k: v for k, v in json.loads(p).items() if k != "label"} for (p,) in rows),
                      key=lambda n: n["id"])

    def edges_of(self, rel):
        return sorted((s, e) for s, e in self._rows('SELECT start, "end" FROM edges WHERE type = ?', (rel,)))

    def nodes_by_id(self, ids):
        return self._props(ids)

    def counts(self):
        labels, rels = self.meta("counts")
        return dict(sorted(labels.items())), dict(sorted(rels.items()))

    def neighbours(self, ids):
        wanted = _dumps(sorted(set(ids)))
        rows = self._rows('SELECT "end" FROM edges WHERE start IN (SELECT value FROM json_each(?)) UNION '
                          'SELECT start FROM edges WHERE "end" IN (SELECT value FROM json_each(?))', (wanted, wanted))
        return {r[0] for r in rows}

    def subgraph(self, ids):
        from ..schema.graph import CanonicalGraph
        props = self._props(ids)
        sub = CanonicalGraph()
        for nid in sorted(props):
            node = props[nid]
            sub.add_node(node["label"], nid, **{k: v for k, v in node.items() if k not in ("label", "id")})
        wanted = _dumps(sorted(props))
        edges = self._rows('SELECT start, "end", type, props FROM edges WHERE start IN (SELECT value FROM json_each(?))'
                           ' AND "end" IN (SELECT value FROM json_each(?))', (wanted, wanted))
        for start, end, rel, edge in sorted(edges):
            sub.add_edge(rel, start, end, **json.loads(edge))
        return sub

    def texts(self):
        out: set[str] = set()
        for label, p in self._rows("SELECT label, props FROM nodes"):
            keys = NODE_TYPES[label].all_props
            out.update(strings_in(v for k, v in json.loads(p).items() if k in keys))
        for rel, p in self._rows("SELECT type, props FROM edges WHERE props != '{}'"):
            keys = REL_TYPES[rel].props
            out.update(strings_in(v for k, v in json.loads(p).items() if k in keys))
        return out

    def sources_citing(self, document):
        rows = self._rows("SELECT json_extract(props, '$.source') FROM nodes"
                          " WHERE json_type(props, '$.source') = 'text'"
                          " AND instr(json_extract(props, '$.source'), ?) > 0", (document,))
        return sorted(r[0] for r in rows)

    def canonical(self) -> CanonicalGraph:
        return self._full()

    def close(self) -> None:
        """Nothing to do now: the read-only connection closes when the store is collected, so a request still
        reading when a reload swaps in the graph in memory finishes its reads."""

