"""The Neo4j store: the same primitive reads as the embedded store, in
parameterised Cypher over the official driver (read transactions,
``database_`` always given)."""
from __future__ import annotations

from typing import Any

from neo4j import Driver
from neo4j import exceptions as nx

from ..loaders.neo4j_writer import Neo4jProblem, Neo4jSettings, connect, schema_version, translate
from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.neo4j import SCHEMA_VERSION, whitelisted_label, whitelisted_type
from .store import PAIRING_KEYS, Store

_PREFIX_LABELS: dict[str, list[str]] = {}
for _label, _nt in NODE_TYPES.items():
    _PREFIX_LABELS.setdefault(_nt.prefix, []).append(_label)


class Neo4jStore(Store):
    name = "neo4j"

    def __init__(self, driver: Driver, settings: Neo4jSettings):
        self.driver = driver
        self.settings = settings

    def _read(self, query: str, **params: Any) -> list[dict]:
        try:
            with self.driver.session(database=self.settings.database) as s:
                return s.execute_read(lambda tx: [r.data() for r in tx.run(query, params)])
        except (nx.Neo4jError, nx.DriverError, OSError) as e:
            raise translate(e, self.settings) from None

    # -- pairings --------------------------------------------------------------------
    def pairings(self, *, places=None, supporter=None):
        where, params = [], {}
        if places is not None:
            where.append("pl.id IN $places")
            params["places"] = list(places)
        if supporter is not None:
            where.append("s.id = $supporter")
            params["supporter"] = supporter
        cond = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self._read(
            "MATCH (p:Pairing)-[:SUPPORTED]->(pl) MATCH (p)-[:SUPPORTER]->(s) MATCH (p)-[:UNDER]->(g:Program) "
            f"{cond} RETURN properties(p) AS p, pl.id AS place, s.id AS supporter, g.id AS program", **params)
        ids = [r["p"]["id"] for r in rows]
        excl: dict[str, list[str]] = {}
        if ids:
            for r in self._read("MATCH (p:Pairing)-[:EXCLUDES]->(x) WHERE p.id IN $ids RETURN p.id AS p, x.id AS x",
                                ids=ids):
                excl.setdefault(r["p"], []).append(r["x"])
        out = []
        for r in rows:
            rec = {k: r["p"].get(k) for k in PAIRING_KEYS}
            rec.update(supporter=r["supporter"], place=r["place"], program=r["program"],
                       excluding=sorted(excl.get(r["p"]["id"], [])))
            out.append(rec)
        return sorted(out, key=lambda r: r["id"])

    # -- tasks and units -----------------------------------------------------------------
    def tasks(self, *, places=None):
        if places is None:
            rows = self._read("MATCH (t:Task)-[:TASK_OF]->(d) MATCH (t)-[:DERIVED_FROM]->(doc:Document) "
                              "RETURN properties(t) AS t, d.id AS district, doc.id AS document")
        else:
            rows = self._read("MATCH (t:Task)-[:NAMES_PLACE]->(p) WHERE p.id IN $places WITH DISTINCT t "
                              "MATCH (t)-[:TASK_OF]->(d) MATCH (t)-[:DERIVED_FROM]->(doc:Document) "
                              "RETURN properties(t) AS t, d.id AS district, doc.id AS document", places=list(places))
            if not rows:
                return []
        ids = [r["t"]["id"] for r in rows]
        by_id: dict[str, dict] = {}
        for r in rows:
            rec = dict(r["t"])
            rec.setdefault("section", None)
            rec.update(district=r["district"], document=r["document"], lead=[], responsible=[], places=[])
            by_id[rec["id"]] = rec
        for key, rel in (("lead", "LEAD_UNIT"), ("responsible", "RESPONSIBLE_UNIT")):
            for r in self._read(f"MATCH (t:Task)-[x:{whitelisted_type(rel)}]->(u:Unit) WHERE t.id IN $ids "
                                "RETURN t.id AS t, u.id AS u, x.as_written AS w, x.position AS pos, x.etc AS etc",
                                ids=ids):
                by_id[r["t"]][key].append({"unit": r["u"], "as_written": r["w"], "position": r["pos"], "etc": r["etc"]})
        for r in self._read("MATCH (t:Task)-[:NAMES_PLACE]->(p) WHERE t.id IN $ids RETURN t.id AS t, p.id AS p",
                            ids=ids):
            by_id[r["t"]]["places"].append(r["p"])
        for rec in by_id.values():
            rec["lead"].sort(key=lambda x: x["position"])
            rec["responsible"].sort(key=lambda x: x["position"])
            rec["places"].sort()
        return [by_id[k] for k in sorted(by_id)]

    def units(self, *, ids=None, owners=None):
        rows = self._read("MATCH (u:Unit)-[:UNIT_OF]->(o) WHERE ($ids IS NULL OR u.id IN $ids) "
                          "AND ($owners IS NULL OR o.id IN $owners) RETURN properties(u) AS u, o.id AS owner",
                          ids=None if ids is None else list(ids), owners=None if owners is None else list(owners))
        if not rows:
            return []
        duties: dict[str, list[tuple[int, str]]] = {}
        for r in self._read("MATCH (d:Duty)-[:DUTY_OF]->(u:Unit) WHERE u.id IN $ids "
                            "RETURN u.id AS u, d.number AS n, d.title AS t", ids=[r["u"]["id"] for r in rows]):
            duties.setdefault(r["u"], []).append((r["n"], r["t"]))
        out = []
        for r in rows:
            rec = dict(r["u"])
            rec.setdefault("names_as_written", [])
            rec["owner"] = r["owner"]
            rec["duties"] = [t for _n, t in sorted(duties.get(rec["id"], []))]
            out.append(rec)
        return sorted(out, key=lambda r: r["id"])

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
        return {r["p"]["id"]: {"label": r["label"], **r["p"]} for r in self._read(query, ids=list(ids))}

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

    def close(self) -> None:
        self.driver.close()


def open_neo4j(settings: Neo4jSettings | None = None, driver: Driver | None = None) -> Neo4jStore:
    """Connect and check the database holds a graph this version can read."""
    settings = settings or Neo4jSettings.from_env()
    driver = driver or connect(settings)
    try:
        version = schema_version(driver, settings.database)
    except (nx.Neo4jError, nx.DriverError, OSError) as e:
        raise translate(e, settings) from None
    if version is None:
        raise Neo4jProblem(f"database {settings.database!r} at {settings.uri} holds no aidgraph graph yet: "
                           "run `aidgraph neo4j push` first")
    if version != SCHEMA_VERSION:
        raise Neo4jProblem(f"database {settings.database!r} holds a graph written by another version of aidgraph "
                           f"(schema {version}, this one reads {SCHEMA_VERSION}): run `aidgraph neo4j push --wipe`")
    return Neo4jStore(driver, settings)

