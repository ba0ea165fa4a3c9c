"""The Neo4j store: the same primitive reads as the embedded store, in
parameterised Cypher over the official driver (read transactions,
``database_`` always given)."""
from __future__ import annotations

from typing import Any

from neo4j import Driver
from neo4j import exceptions as nx

from ..errors import StoreUnavailable
from ..settings import Neo4jSettings
from .neo4j_conn import DRIVER_ERRORS, connect, translate
from .neo4j_push import _size, database_nodes, database_rels, schema_version
from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.neo4j import SCHEMA_VERSION, whitelisted_label, whitelisted_type
from ..schema.graph import PAIRING_PROPS, CanonicalGraph
from ..schema.records import AgreementRecord, PairingRecord, TaskRecord, UnitLink, UnitRecord
from .store import Store



_PREFIX_LABELS: dict[str, list[str]] = {}
for _label, _nt in NODE_TYPES.items():
    _PREFIX_LABELS.setdefault(_nt.prefix, []).append(_label)


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, driver: Driver, settings: Neo4jSettings):
        self.driver = driver
        self.settings = settings
        self._snapshot: CanonicalGraph | None = None

    def _read(self, query: str, chunk: str | None = None, **params: Any) -> list[dict]:
        """Rows of a read. ``chunk`` names a list parameter (``$ids``, ``$places`` …) that may be split
        over several requests so each stays under ``batch_bytes`` (AIDGRAPH_NEO4J_BATCH_BYTES: the
        test server crashes on requests over ~4 KB); the rows of all of them are returned together,
        so a query whose rows each come from one item of that list answers the same either way."""
        try:
            with self.driver.session(database=self.settings.database) as s:
                return [row for part in self._parts(query, chunk, params)
                        for row in s.execute_read(lambda tx, p=part: [r.data() for r in tx.run(query, p)])]
        except (nx.Neo4jError, nx.DriverError, OSError) as e:
            raise translate(e, self.settings) from None

    def _parts(self, query: str, chunk: str | None, params: dict[str, Any]) -> list[dict[str, Any]]:
        values = params.get(chunk) if chunk else None
        if not values:
            return [params]
        rest = {k: v for k, v in params.items() if k != chunk}
        budget = self.settings.batch_bytes - len(query.encode("utf-8")) - _size(rest) - 64
        if _size(values) <= budget:
            return [params]
        parts, cur, used = [], [], 2
        for v in values:
            n = _size(v) + 1
            if cur and used + n > budget:
                parts.append({**rest, chunk: cur})
                cur, used = [], 2
            cur.append(v)
            used += n
        return parts + [{**rest, chunk: cur}]

    # -- pairings --------------------------------------------------------------------
    def pairings(self, *, places=None, supporter=None):
        if places is not None:
            head = "MATCH (pl)<-[:SUPPORTED]-(p:Pairing) WHERE pl.id IN $places "
        elif supporter is not None:
            head = "MATCH (s {id: $supporter})<-[:SUPPORTER]-(p:Pairing) "
        else:
            head = "MATCH (p:Pairing) "
        params = {"places": sorted(set(places or ())), "supporter": supporter}
        chunk = "places" if places is not None else None  # a pairing names one place: it comes from one part
        rows = self._read(head + "MATCH (p)-[:SUPPORTED]->(pl2) MATCH (p)-[:SUPPORTER]->(s2) MATCH (p)-[:UNDER]->(g:Program) "
                          "WHERE $supporter IS NULL OR s2.id = $supporter "
                          "RETURN DISTINCT properties(p) AS p, pl2.id AS place, s2.id AS supporter, g.id AS program",
                          chunk, **params)
        excl: dict[str, list[str]] = {}
        if rows:
            for r in self._read(head + "MATCH (p)-[:EXCLUDES]->(x) RETURN DISTINCT p.id AS p, x.id AS x", chunk,
                                **params):
                excl.setdefault(r["p"], []).append(r["x"])
        out = []
        for r in rows:
            p = r["p"]
            out.append(PairingRecord(id=p["id"], supporter=r["supporter"], place=r["place"], program=r["program"],
                                     source=p["source"], excluding=tuple(sorted(excl.get(p["id"], []))),
                                     **{k: p.get(k) for k in PAIRING_PROPS}))
        return sorted(out, key=lambda r: r.id)

    # -- tasks and units -----------------------------------------------------------------
    @staticmethod
    def _task_selection(places, district, document, units, year) -> tuple[str, dict]:
        """The MATCH clauses that select the tasks (start from the narrowest filter, as the embedded store)."""
        params = {"places": sorted(set(places or ())), "units": sorted(set(units or ())), "district": district,
                  "document": document, "year": year}
        if units is not None:
            q = ("MATCH (u:Unit)<-[:LEAD_UNIT|RESPONSIBLE_UNIT|COOPERATING_UNIT]-(t:Task) WHERE u.id IN $units "
                 "WITH DISTINCT t ")
        elif places is not None:
            q = "MATCH (pl)<-[:NAMES_PLACE]-(t:Task) WHERE pl.id IN $places WITH DISTINCT t "
        elif document is not None:
            q = "MATCH (dc:Document {id: $document})<-[:DERIVED_FROM]-(t:Task) "
        elif district is not None:
            q = "MATCH (ds {id: $district})<-[:TASK_OF]-(t:Task) "
        else:
            q = "MATCH (t:Task) "
        if units is not None and places is not None:
            q += "MATCH (t)-[:NAMES_PLACE]->(pl2) WHERE pl2.id IN $places WITH DISTINCT t "
        q += "MATCH (t)-[:TASK_OF]->(d) MATCH (t)-[:DERIVED_FROM]->(doc:Document) "
        q += ("WHERE ($district IS NULL OR d.id = $district) AND ($document IS NULL OR doc.id = $document) "
              "AND ($year IS NULL OR t.year = $year) ")
        return q, params

    def tasks(self, *, places=None, district=None, document=None, units=None, year=None):
        sel, params = self._task_selection(places, district, document, units, year)
        # split the list the selection starts from; a task found through two parts is kept once
        chunk = "units" if units is not None else "places" if places is not None else None
        rows = self._read(sel + "RETURN properties(t) AS t, d.id AS district, doc.id AS document", chunk, **params)
        if not rows:
            return []
        links: dict[tuple[str, str], set[UnitLink]] = {}
        for key, rel in (("lead", "LEAD_UNIT"), ("responsible", "RESPONSIBLE_UNIT"),
                         ("cooperating", "COOPERATING_UNIT")):
            for r in self._read(sel + f"MATCH (t)-[x:{whitelisted_type(rel)}]->(u:Unit) "
                                "RETURN t.id AS t, u.id AS u, x.as_written AS w, x.position AS pos, x.etc AS etc",
                                chunk, **params):
                links.setdefault((r["t"], key), set()).add(
                    UnitLink(unit=r["u"], as_written=r["w"], position=r["pos"], etc=bool(r["etc"])))
        named: dict[str, list[str]] = {}
        for r in self._read(sel + "MATCH (t)-[:NAMES_PLACE]->(p) RETURN t.id AS t, p.id AS p", chunk, **params):
            named.setdefault(r["t"], []).append(r["p"])
        out = []
        for r in rows:
            t = r["t"]
            tid = t["id"]
            out.append(TaskRecord(
                id=tid, number=t["number"], kind=t["kind"], title=t["title"], text=t["text"], year=t["year"],
                source=t["source"], section=t.get("section"), district=r["district"], document=r["document"],
                lead=tuple(sorted(links.get((tid, "lead"), []), key=lambda x: x.position)),
                responsible=tuple(sorted(links.get((tid, "responsible"), []), key=lambda x: x.position)),
                cooperating=tuple(sorted(links.get((tid, "cooperating"), []), key=lambda x: x.position)),
                places=tuple(sorted(set(named.get(tid, []))))))
        return sorted({r.id: r for r in out}.values(), key=lambda r: r.id)

    def units(self, *, ids=None, owners=None, names=None):
        params = {"ids": sorted(set(ids or ())), "owners": sorted(set(owners or ())), "names": sorted(set(names or ())),
                  "by_ids": ids is not None, "by_owners": owners is not None, "by_names": names is not None}
        if ids is not None:
            head = "MATCH (u:Unit) WHERE u.id IN $ids "
        elif names is not None:
            head = "MATCH (u:Unit) WHERE u.name IN $names OR any(w IN u.names_as_written WHERE w IN $names) "
        elif owners is not None:
            head = "MATCH (o)<-[:UNIT_OF]-(u:Unit) WHERE o.id IN $owners WITH DISTINCT u "
        else:
            head = "MATCH (u:Unit) "
        sel = (head + "MATCH (u)-[:UNIT_OF]->(o2) WHERE (NOT $by_owners OR o2.id IN $owners) "
               "AND (NOT $by_names OR u.name IN $names OR any(w IN u.names_as_written WHERE w IN $names)) ")
        chunk = "ids" if ids is not None else "names" if names is not None else "owners" if owners is not None else None
        rows = self._read(sel + "RETURN properties(u) AS u, o2.id AS owner", chunk, **params)
        if not rows:
            return []
        duties: dict[str, list[tuple[int, str]]] = {}
        for r in self._read(sel + "MATCH (d:Duty)-[:DUTY_OF]->(u) RETURN u.id AS u, d.number AS n, d.title AS t",
                            chunk, **params):
            duties.setdefault(r["u"], []).append((r["n"], r["t"]))
        out = []
        for r in rows:
            u = r["u"]
            out.append(UnitRecord(id=u["id"], name=u["name"], kind=u["kind"], owner=r["owner"], source=u["source"],
                                  names_as_written=tuple(u.get("names_as_written") or ()),
                                  duties=tuple(t for _n, t in sorted(set(duties.get(u["id"], []))))))
        return sorted({r.id: r for r in out}.values(), key=lambda r: r.id)

    def agreements(self, *, parties=None):
        if parties is not None:
            head = "MATCH (pp)<-[:PARTY]-(a:Agreement) WHERE pp.id IN $parties WITH DISTINCT a "
        else:
            head = "MATCH (a:Agreement) "
        rows = self._read(head + "MATCH (a)-[:PARTY]->(p) RETURN properties(a) AS a, collect(p.id) AS parties",
                          "parties" if parties is not None else None, parties=sorted(set(parties or ())))
        out = [AgreementRecord(id=r["a"]["id"], no=r["a"]["no"], title=r["a"]["title"], kind=r["a"]["kind"],
                               signed=r["a"]["signed"], source=r["a"]["source"], parties=tuple(sorted(r["parties"])))
               for r in rows]
        return sorted({r.id: r for r in out}.values(), key=lambda r: (r.no, r.id))

    # -- generic ---------------------------------------------------------------------
    def nodes_of(self, label):
        rows = self._read(f"MATCH (n:{whitelisted_label(label)}) RETURN properties(n) AS p")
        return sorted((r["p"] for r in rows), key=lambda n: n["id"])

    def edges_of(self, rel):
        rows = self._read(f"MATCH (a)-[:{whitelisted_type(rel)}]->(b) RETURN a.id AS s, b.id AS e")
        return sorted((r["s"], r["e"]) for r in rows)

    def nodes_by_id(self, ids):
        """One round trip: a UNION ALL over the labels whose id prefix occurs (each uses its id index)."""
        prefixes = sorted({i.split(":", 1)[0] for i in ids})
        labels = [label for p in prefixes for label in _PREFIX_LABELS.get(p, [])]
        if not labels:
            return {}
        query = " UNION ALL ".join(f"MATCH (n:{whitelisted_label(label)}) WHERE n.id IN $ids "
                                   f"RETURN '{label}' AS label, properties(n) AS p" for label in labels)
        return {r["p"]["id"]: {"label": r["label"], **r["p"]} for r in self._read(query, "ids", ids=list(ids))}

    def counts(self):
        labels = {}
        for label in NODE_TYPES:
            (row,) = self._read(f"MATCH (n:{whitelisted_label(label)}) RETURN count(n) AS c")
            if row["c"]:
                labels[label] = row["c"]
        rels = {}
        for rel in REL_TYPES:
            (row,) = self._read(f"MATCH ()-[r:{whitelisted_type(rel)}]->() RETURN count(r) AS c")
            if row["c"]:
                rels[rel] = row["c"]
        return dict(sorted(labels.items())), dict(sorted(rels.items()))

    def document_ids(self):
        return sorted(r["id"] for r in self._read("MATCH (d:Document) RETURN d.id AS id"))

    def canonical(self) -> CanonicalGraph:
        """The database's content as a canonical graph, read once per store (a snapshot: a
        reload opens a new store, so every reader moves to the new version together)."""
        if self._snapshot is None:
            try:
                nodes = database_nodes(self.driver, self.settings.database)
                rels = database_rels(self.driver, self.settings.database)
            except DRIVER_ERRORS as e:
                raise translate(e, self.settings) from None
            g = CanonicalGraph()
            for label, by_id in sorted(nodes.items()):
                for nid, props in sorted(by_id.items()):
                    g.add_node(label, nid, **{k: v for k, v in props.items() if k != "id"})
            for rel, by_key in sorted(rels.items()):
                for (_la, s, _lb, e), props in sorted(by_key.items()):
                    g.add_edge(rel, s, e, **props)
            self._snapshot = g
        return self._snapshot

    def close(self) -> None:
        self.driver.close()


def open_neo4j(settings: Neo4jSettings | None = None, driver: Driver | None = None) -> Neo4jStore:
    """Connect and check the database holds a graph this version can read."""
    settings = settings or Neo4jSettings()
    driver = driver or connect(settings)
    try:
        version = schema_version(driver, settings.database)
    except (nx.Neo4jError, nx.DriverError, OSError) as e:
        raise translate(e, settings) from None
    if version is None:
        raise StoreUnavailable(f"database {settings.database!r} at {settings.uri} holds no aidgraph graph yet: "
                           "run `aidgraph neo4j push` first")
    if version != SCHEMA_VERSION:
        raise StoreUnavailable(f"database {settings.database!r} holds a graph written by another version of aidgraph "
                           f"(schema {version}, this one reads {SCHEMA_VERSION}): run `aidgraph neo4j push --wipe`")
    return Neo4jStore(driver, settings)

