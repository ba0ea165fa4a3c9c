"""The Neo4j store: the same primitive reads as the embedded store, in
parameterised Cypher over the official driver (read transactions,
``database_`` always given)."""
from __future__ import annotations

from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j import exceptions as nx

from ..errors import StoreUnavailable
from ..schema.graph import CanonicalGraph
from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.neo4j import SCHEMA_VERSION, whitelisted_label, whitelisted_type
from ..schema.records import PAIRING_PROPS, AgreementRecord, PairingRecord, TaskRecord, UnitLink, UnitRecord
from ..settings import Neo4jSettings
from .neo4j_conn import DRIVER_ERRORS, connect, translate
from .neo4j_push import _size, database_nodes, database_rels, schema_version
from .store import Store

_PREFIX_LABELS: dict[str, list[str]] = {}
for _label, _nt in NODE_TYPES.items():
    _PREFIX_LABELS.setdefault(_nt.prefix, []).append(_label)


def _seek(var: str, rel: str, test: str) -> list[str]:
    """Starts binding ``var`` to the nodes at the end of ``rel`` whose id passes ``test`` (``IN $places``,
    ``= $district``): one per label the schema allows there, each an indexed lookup, for ``_union``. An
    unlabelled ``MATCH (x) WHERE x.id …`` scans every node of the graph (134,000 at national scale:
    tens of milliseconds a question)."""
    return [f"MATCH ({var}:{whitelisted_label(label)}) WHERE {var}.id {test} " for label in REL_TYPES[rel].end]


def _columns(var: str, *labels: str) -> str:
    """A node's schema properties as columns (``t.title AS t__title`` …), for ``_take``: only the
    properties the schema declares travel, whatever else a shared database has put on the node."""
    return ", ".join(f"{var}.{p} AS {var}__{p}" for p in _props(labels))


def _take(row: dict, var: str, *labels: str) -> dict:
    """The properties ``_columns`` sent, as ``properties()`` gives them (absent ones left out)."""
    return {p: v for p in _props(labels) if (v := row[f"{var}__{p}"]) is not None}


def _props(labels: tuple[str, ...]) -> list[str]:
    return ["id", *sorted({p for label in labels for p in NODE_TYPES[label].props})]


def _union(starts: list[str], tail: str) -> str:
    """The query from each start, as one ``UNION ALL``: each branch starts from one label's index."""
    return " UNION ALL ".join(start + tail for start in starts)


_ROLES = (("lead", "LEAD_UNIT"), ("responsible", "RESPONSIBLE_UNIT"), ("cooperating", "COOPERATING_UNIT"))


def _rows(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict]:
    return [r.data() for r in tx.run(query, params)]


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, driver: Driver, settings: Neo4jSettings):
        self.driver = driver
        self.settings = settings
        self._snapshot: CanonicalGraph | None = None

    def _read(self, query: str, chunk: str | None = None, **params: Any) -> list[dict]:
        """Rows of a read. ``chunk`` names a list parameter (``$ids``, ``$places`` …) that may be split
        over several requests so each stays under ``batch_bytes`` (AIDGRAPH_NEO4J_BATCH_BYTES, the bound
        a push's requests keep too); the rows of all of them are returned together,
        so a query whose rows each come from one item of that list answers the same either way."""
        try:
            with self.driver.session(database=self.settings.database) as s:
                return [row for part in self._parts(query, chunk, params)
                        for row in s.execute_read(_rows, query, part)]
        except (nx.Neo4jError, nx.DriverError, OSError) as e:
            raise translate(e, self.settings) from None

    def _parts(self, query: str, chunk: str | None, params: dict[str, Any]) -> list[dict[str, Any]]:
        if not chunk or not params.get(chunk):
            return [params]
        values = params[chunk]
        rest = {k: v for k, v in params.items() if k != chunk}
        budget = self.settings.batch_bytes - len(query.encode("utf-8")) - _size(rest) - 64
        if _size(values) <= budget:
            return [params]
        parts: list[dict[str, Any]] = []
        cur: list[Any] = []
        used = 2
        for v in values:
            n = _size(v) + 1
            if cur and used + n > budget:
                parts.append({**rest, chunk: cur})
                cur, used = [], 2
            cur.append(v)
            used += n
        return [*parts, {**rest, chunk: cur}]

    # -- pairings --------------------------------------------------------------------
    def pairings(self, *, places=None, supporter=None):
        if places is not None:
            heads = [h + "MATCH (pl)<-[:SUPPORTED]-(p:Pairing) " for h in _seek("pl", "SUPPORTED", "IN $places")]
        elif supporter is not None:
            heads = [h + "MATCH (s)<-[:SUPPORTER]-(p:Pairing) " for h in _seek("s", "SUPPORTER", "= $supporter")]
        else:
            heads = ["MATCH (p:Pairing) "]
        params = {"places": sorted(set(places or ())), "supporter": supporter}
        chunk = "places" if places is not None else None  # a pairing names one place: it comes from one part
        rows = self._read(_union(heads, "MATCH (p)-[:SUPPORTED]->(pl2) MATCH (p)-[:SUPPORTER]->(s2) "
                                 "MATCH (p)-[:UNDER]->(g:Program) WHERE $supporter IS NULL OR s2.id = $supporter "
                                 f"RETURN DISTINCT {_columns('p', 'Pairing')}, pl2.id AS place, s2.id AS supporter, "
                                 "g.id AS program, COLLECT { MATCH (p)-[:EXCLUDES]->(x) RETURN x.id } AS excluding"),
                          chunk, **params)
        out = []
        for r in rows:
            p = _take(r, "p", "Pairing")
            out.append(PairingRecord(id=p["id"], supporter=r["supporter"], place=r["place"], program=r["program"],
                                     source=p["source"], excluding=tuple(sorted(set(r["excluding"]))),
                                     **{k: p.get(k) for k in PAIRING_PROPS}))
        return sorted(out, key=lambda r: r.id)

    # -- tasks and units -----------------------------------------------------------------
    @staticmethod
    def _task_selection(places, district, document, units, year) -> tuple[list[str], dict]:
        """The MATCH clauses that select the tasks (start from the narrowest filter, as the embedded store),
        one per start for ``_union``."""
        params = {"places": sorted(set(places or ())), "units": sorted(set(units or ())), "district": district,
                  "document": document, "year": year}
        if units is not None:
            starts = ["MATCH (u:Unit)<-[:LEAD_UNIT|RESPONSIBLE_UNIT|COOPERATING_UNIT]-(t:Task) WHERE u.id IN $units "
                      "WITH DISTINCT t "]
        elif places is not None:
            starts = [h + "MATCH (pl)<-[:NAMES_PLACE]-(t:Task) WITH DISTINCT t "
                      for h in _seek("pl", "NAMES_PLACE", "IN $places")]
        elif document is not None:
            starts = ["MATCH (dc:Document {id: $document})<-[:DERIVED_FROM]-(t:Task) "]
        elif district is not None:
            starts = [h + "MATCH (ds)<-[:TASK_OF]-(t:Task) " for h in _seek("ds", "TASK_OF", "= $district")]
        else:
            starts = ["MATCH (t:Task) "]
        q = ""
        if units is not None and places is not None:
            q += "MATCH (t)-[:NAMES_PLACE]->(pl2) WHERE pl2.id IN $places WITH DISTINCT t "
        q += "MATCH (t)-[:TASK_OF]->(d) MATCH (t)-[:DERIVED_FROM]->(doc:Document) "
        q += ("WHERE ($district IS NULL OR d.id = $district) AND ($document IS NULL OR doc.id = $document) "
              "AND ($year IS NULL OR t.year = $year) ")
        return [start + q for start in starts], params

    def tasks(self, *, places=None, district=None, document=None, units=None, year=None):
        """One request: the tasks with their units per role and the places they name (``COLLECT``
        subqueries), instead of one request for the tasks and one per role and for the places."""
        sel, params = self._task_selection(places, district, document, units, year)
        # split the list the selection starts from; a task found through two parts is kept once
        chunk = "units" if units is not None else "places" if places is not None else None
        roles = "".join(
            f", COLLECT {{ MATCH (t)-[x:{whitelisted_type(rel)}]->(u:Unit) RETURN [u.id, x.as_written, x.position, "
            f"x.etc] }} AS {key}" for key, rel in _ROLES)
        rows = self._read(_union(sel, f"RETURN {_columns('t', 'Task')}, d.id AS district, doc.id AS document{roles}, "
                                      "COLLECT { MATCH (t)-[:NAMES_PLACE]->(p) RETURN p.id } AS named"),
                          chunk, **params)
        out = []
        for r in rows:
            t = _take(r, "t", "Task")
            links = {key: tuple(sorted({UnitLink(unit=u, as_written=w, position=pos, etc=bool(etc))
                                        for u, w, pos, etc in r[key]}, key=lambda x: x.position))
                     for key, _rel in _ROLES}
            out.append(TaskRecord(
                id=t["id"], number=t["number"], kind=t["kind"], title=t["title"], text=t["text"], year=t["year"],
                source=t["source"], section=t.get("section"), district=r["district"], document=r["document"],
                lead=links["lead"], responsible=links["responsible"], cooperating=links["cooperating"],
                places=tuple(sorted(set(r["named"])))))
        return sorted({r.id: r for r in out}.values(), key=lambda r: r.id)

    def units(self, *, ids=None, owners=None, names=None):
        params = {"ids": sorted(set(ids or ())), "owners": sorted(set(owners or ())), "names": sorted(set(names or ())),
                  "by_ids": ids is not None, "by_owners": owners is not None, "by_names": names is not None}
        if ids is not None:
            heads = ["MATCH (u:Unit) WHERE u.id IN $ids "]
        elif owners is not None:  # before names: a district's few units, not every unit's names
            heads = [h + "MATCH (o)<-[:UNIT_OF]-(u:Unit) WITH DISTINCT u " for h in _seek("o", "UNIT_OF", "IN $owners")]
        elif names is not None:
            heads = ["MATCH (u:Unit) WHERE u.name IN $names OR any(w IN u.names_as_written WHERE w IN $names) "]
        else:
            heads = ["MATCH (u:Unit) "]
        sel = [head + "MATCH (u)-[:UNIT_OF]->(o2) WHERE (NOT $by_owners OR o2.id IN $owners) "
               "AND (NOT $by_names OR u.name IN $names OR any(w IN u.names_as_written WHERE w IN $names)) "
               for head in heads]
        chunk = "ids" if ids is not None else "owners" if owners is not None else "names" if names is not None else None
        rows = self._read(_union(sel, f"RETURN {_columns('u', 'Unit')}, o2.id AS owner"), chunk, **params)
        for r in rows:
            r["u"] = _take(r, "u", "Unit")
        if not rows:
            return []
        duties: dict[str, list[tuple[int, str]]] = {}
        for r in self._read(_union(sel, "MATCH (d:Duty)-[:DUTY_OF]->(u) RETURN u.id AS u, d.number AS n, "
                                   "d.title AS t"), chunk, **params):
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
            heads = [h + "MATCH (pp)<-[:PARTY]-(a:Agreement) WITH DISTINCT a "
                     for h in _seek("pp", "PARTY", "IN $parties")]
        else:
            heads = ["MATCH (a:Agreement) "]
        rows = self._read(_union(heads, "MATCH (a)-[:PARTY]->(p) RETURN properties(a) AS a, collect(p.id) AS parties"),
                          "parties" if parties is not None else None, parties=sorted(set(parties or ())))
        out = [AgreementRecord(id=r["a"]["id"], no=r["a"]["no"], title=r["a"]["title"], kind=r["a"]["kind"],
                               signed=r["a"]["signed"], source=r["a"]["source"], parties=tuple(sorted(r["parties"])))
               for r in rows]
        return sorted({r.id: r for r in out}.values(), key=lambda r: (r.no, r.id))

    # -- generic ---------------------------------------------------------------------
    def nodes_of(self, label):
        rows = self._read(f"MATCH (n:{whitelisted_label(label)}) RETURN {_columns('n', label)}")
        return sorted((_take(r, "n", label) for r in rows), key=lambda n: n["id"])

    def edges_of(self, rel):
        rows = self._read(f"MATCH (a)-[:{whitelisted_type(rel)}]->(b) RETURN a.id AS s, b.id AS e")
        return sorted((r["s"], r["e"]) for r in rows)

    def nodes_by_id(self, ids):
        """One round trip per kind of id (``place:``, ``unit:`` …): a UNION ALL over the labels with that
        prefix, each using its id index."""
        by_prefix: dict[str, list[str]] = {}
        for i in ids:
            by_prefix.setdefault(i.split(":", 1)[0], []).append(i)
        out = {}
        for prefix, some in sorted(by_prefix.items()):
            labels = _PREFIX_LABELS.get(prefix, [])
            if not labels:
                continue
            query = " UNION ALL ".join(f"MATCH (n:{whitelisted_label(label)}) WHERE n.id IN $ids "
                                       f"RETURN '{label}' AS label, {_columns('n', *labels)}" for label in labels)
            out.update({r["n__id"]: {"label": r["label"], **_take(r, "n", *labels)}
                        for r in self._read(query, "ids", ids=some)})
        return out

    @staticmethod
    def _starts(var: str, ids: list[str]) -> list[str]:
        """``MATCH (var:Label) WHERE var.id IN $ids`` for each label an id among ``ids`` may have (by its
        prefix): each start an indexed lookup, for ``_union``."""
        prefixes = sorted({i.split(":", 1)[0] for i in ids})
        return [f"MATCH ({var}:{whitelisted_label(label)}) WHERE {var}.id IN $ids "
                for p in prefixes for label in _PREFIX_LABELS.get(p, [])]

    def neighbours(self, ids):
        ids = sorted(set(ids))
        starts = self._starts("a", ids)
        if not starts:
            return set()
        rows = self._read(_union(starts, "MATCH (a)--(b) RETURN DISTINCT b.id AS id"), "ids", ids=ids)
        return {r["id"] for r in rows if r["id"] is not None}

    def subgraph(self, ids):
        nodes = self.nodes_by_id(sorted(set(ids)))
        wanted = sorted(nodes)
        sub = CanonicalGraph()
        for nid in wanted:
            node = nodes[nid]
            sub.add_node(node["label"], nid, **{k: v for k, v in node.items() if k not in ("label", "id")})
        starts = self._starts("a", wanted)
        if not starts:
            return sub
        rows = self._read(_union(starts, "MATCH (a)-[r]->(b) WHERE b.id IN $all "
                                          "RETURN a.id AS s, type(r) AS rel, b.id AS e, properties(r) AS p"),
                          "ids", ids=wanted, all=wanted)
        for r in sorted(rows, key=lambda r: (r["s"], r["e"], r["rel"])):
            if r["rel"] in REL_TYPES:  # a shared database's other relationships are not the graph's
                sub.add_edge(r["rel"], r["s"], r["e"], **r["p"])
        return sub

    def texts(self):
        """Distinct values only, worked out by the database: the text the font needs, not the graph."""
        out: set[str] = set()
        kinds = [(f"MATCH (n:{whitelisted_label(label)})", "n", ["id", *nt.props]) for label, nt in NODE_TYPES.items()]
        kinds += [(f"MATCH ()-[n:{whitelisted_type(rel)}]->()", "n", list(rt.props)) for rel, rt in REL_TYPES.items()
                  if rt.props]
        for match, var, keys in kinds:
            rows = self._read(f"{match} UNWIND [k IN $keys | {var}[k]] AS v WITH v WHERE v IS NOT NULL "
                              "RETURN DISTINCT v", keys=keys)
            for r in rows:
                v = r["v"]
                if isinstance(v, str):
                    out.add(v)
                elif isinstance(v, list):
                    out.update(x for x in v if isinstance(x, str))
        return out

    def sources_citing(self, document):
        rows = self._read(_union([f"MATCH (n:{whitelisted_label(label)}) " for label, nt in NODE_TYPES.items()
                                  if "source" in nt.props],
                                 "WHERE n.source CONTAINS $doc RETURN n.source AS source"), doc=document)
        return sorted(r["source"] for r in rows if isinstance(r["source"], str))

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
                for (_la, start, _lb, end), props in sorted(by_key.items()):
                    g.add_edge(rel, start, end, **props)
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

