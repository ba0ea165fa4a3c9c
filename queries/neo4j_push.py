"""Write the canonical graph into Neo4j with the official driver (``aidgraph neo4j push``).

The push is a diff: it reads what the database holds for the schema's labels
and relationship types, then creates, updates and deletes only what differs,
in batched ``UNWIND $rows … MERGE`` statements. All of a push's writes run in
ONE transaction that writes the version node last and commits at the end:
readers see the previous graph whole until the new one is whole, and a push
cut off at any point (Ctrl-C, a lost connection, a killed client or server)
leaves the previous graph as it was. ``--wipe`` is the exception: it deletes
the version node and then the graph in batches first (a start from nothing),
so a wipe cut off leaves a database that readers refuse until the next push.
So a second push changes nothing and facts that left the sources (a document
re-imported with fewer tasks) leave the database. Constraints and indexes come
first, in transactions of their own (Neo4j does not mix schema and data
writes). Labels and relationship types in the query text come from the
schema's whitelist; every value travels as a parameter.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import Driver, ManagedTransaction
from neo4j import exceptions as nx

from ..errors import StoreUnavailable
from ..schema.graph import CanonicalGraph
from ..schema.model import NODE_TYPES, REL_TYPES
from ..schema.neo4j import META_LABEL, SCHEMA_VERSION, neo4j_ddl, whitelisted_label, whitelisted_type
from ..settings import Neo4jSettings
from .neo4j_conn import connect, translate


# -- reading what the database holds ------------------------------------------------
def _read(driver: Driver, db: str, query: str, **params: Any) -> list[dict]:
    with driver.session(database=db) as s:
        return s.execute_read(lambda tx: [r.data() for r in tx.run(query, params)])


def database_nodes(driver: Driver, db: str) -> dict[str, dict[str, dict]]:
    out = {}
    for label in NODE_TYPES:
        rows = _read(driver, db, f"MATCH (n:{whitelisted_label(label)}) RETURN properties(n) AS p")
        out[label] = {r["p"]["id"]: r["p"] for r in rows}
    return out


def database_rels(driver: Driver, db: str) -> dict[str, dict[tuple, dict]]:
    out = {}
    for rel in REL_TYPES:
        rows = _read(driver, db, f"MATCH (a)-[r:{whitelisted_type(rel)}]->(b) "
                                 "RETURN labels(a) AS la, a.id AS s, labels(b) AS lb, b.id AS e, properties(r) AS p")
        out[rel] = {(r["la"][0], r["s"], r["lb"][0], r["e"]): r["p"] for r in rows}
    return out


def schema_version(driver: Driver, db: str) -> int | None:
    rows = _read(driver, db, f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.schema_version AS v", id="meta")
    return rows[0]["v"] if rows else None


# -- batching ----------------------------------------------------------------------------
def _size(obj: Any) -> int:
    return len(json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"))


def batches(rows: list[dict], query: str, max_rows: int, max_bytes: int) -> Iterable[list[dict]]:
    """Split rows so each request stays under ``max_rows`` and about ``max_bytes`` encoded."""
    budget = max_bytes - len(query.encode("utf-8")) - 64
    batch: list[dict] = []
    used = 0
    for row in rows:
        n = _size(row)
        if n > budget:
            raise StoreUnavailable(f"one row is {n} bytes, more than the batch limit of {max_bytes} bytes "
                               f"(AIDGRAPH_NEO4J_BATCH_BYTES): {str(row)[:80]}…")
        if batch and (len(batch) >= max_rows or used + n > budget):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += n
    if batch:
        yield batch


@dataclass
class PushSummary:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deleted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ddl: str = ""

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def as_dict(self) -> dict:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.deleted))
        return {k: {"created": self.created.get(k, 0), "updated": self.updated.get(k, 0),
                    "deleted": self.deleted.get(k, 0)} for k in kinds}


Step = tuple[str, str, str, list[dict]]  # (kind of work, type name, query, rows)


def plan_push(graph: CanonicalGraph, db_nodes: dict, db_rels: dict, summary: PushSummary) -> list[Step]:
    """The units of work that turn the database's content into the canonical graph's."""
    steps: list[Step] = []
    want_nodes: dict[str, dict[str, dict]] = defaultdict(dict)
    for n in graph.nodes():
        want_nodes[n["label"]][n["id"]] = {k: v for k, v in n.items() if k != "label"}
    for label in NODE_TYPES:
        have, want = db_nodes.get(label, {}), want_nodes.get(label, {})
        rows = []
        for nid, props in sorted(want.items()):
            if nid not in have:
                summary.created[label] += 1
            elif have[nid] != props:
                summary.updated[label] += 1
            else:
                continue
            rows.append({"id": nid, "props": props})
        if rows:
            lab = whitelisted_label(label)
            steps.append(("nodes", label, f"UNWIND $rows AS r MERGE (n:{lab} {{id: r.id}}) SET n = r.props", rows))
    want_rels: dict[str, dict[tuple, dict]] = defaultdict(dict)
    label_of = {n["id"]: n["label"] for n in graph.nodes()}
    for s, e, data in graph.edges():
        key = (label_of[s], s, label_of[e], e)
        want_rels[data["type"]][key] = {k: v for k, v in data.items() if k != "type"}
    deletions: list[Step] = []
    for rel in REL_TYPES:
        have_rels, want_rels_of = db_rels.get(rel, {}), want_rels.get(rel, {})
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for key, props in sorted(want_rels_of.items()):
            if key not in have_rels:
                summary.created[rel] += 1
            elif have_rels[key] != props:
                summary.updated[rel] += 1
            else:
                continue
            groups[(key[0], key[2])].append({"s": key[1], "e": key[3], "p": props})
        gone: dict[tuple, list[dict]] = defaultdict(list)
        for key in sorted(set(have_rels) - set(want_rels_of)):
            summary.deleted[rel] += 1
            gone[(key[0], key[2])].append({"s": key[1], "e": key[3]})
        t = whitelisted_type(rel)
        for (sl, el), rows in sorted(gone.items()):
            a, b = whitelisted_label(sl), whitelisted_label(el)
            deletions.append(("delete relationships", rel,
                              f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}})-[x:{t}]->(b:{b} {{id: r.e}}) "
                              "DELETE x", rows))
        for (sl, el), rows in sorted(groups.items()):
            a, b = whitelisted_label(sl), whitelisted_label(el)
            steps.append(("relationships", rel,
                          f"UNWIND $rows AS r MATCH (a:{a} {{id: r.s}}) MATCH (b:{b} {{id: r.e}}) "
                          f"MERGE (a)-[x:{t}]->(b) SET x = r.p", rows))
    for label in NODE_TYPES:
        gone_ids = sorted(set(db_nodes.get(label, {})) - set(want_nodes.get(label, {})))
        if gone_ids:
            summary.deleted[label] += len(gone_ids)
            deletions.append(("delete nodes", label,
                              f"UNWIND $rows AS r MATCH (n:{whitelisted_label(label)} {{id: r.id}}) DETACH DELETE n",
                              [{"id": i} for i in gone_ids]))
    return deletions + steps


def _names(tx: ManagedTransaction, query: LiteralString) -> list[str]:
    return [r["name"] for r in tx.run(query)]


def _run(tx: ManagedTransaction, query: str) -> None:
    tx.run(query).consume()


def apply_ddl(driver: Driver, db: str) -> int:
    """The schema's Neo4j 5 constraints and indexes that the database lacks (by name), each in a write
    transaction of its own (``IF NOT EXISTS``: a concurrent creation is harmless). Returns how many
    statements ran."""
    with driver.session(database=db) as s:
        have = set(s.execute_read(_names, "SHOW CONSTRAINTS YIELD name"))
        have |= set(s.execute_read(_names, "SHOW INDEXES YIELD name"))
        missing = [stmt for stmt in neo4j_ddl() if stmt.split()[2] not in have]
        for stmt in missing:
            s.execute_write(_run, stmt)
    return len(missing)


def write_steps(tx: ManagedTransaction | Any, steps: list[Step], settings: Neo4jSettings,
                on_step: Callable[[str, str, int, int], None] | None = None) -> None:
    """Runs the steps in ``tx`` as batched statements, then writes the version node (last)."""
    for kind, name, query, rows in steps:
        done = 0
        for batch in batches(rows, query, settings.batch_rows, settings.batch_bytes):
            tx.run(query, rows=batch).consume()
            done += len(batch)
            if on_step:
                on_step(kind, name, done, len(rows))
    tx.run(f"MERGE (m:{META_LABEL} {{id: $id}}) SET m.schema_version = $v", id="meta", v=SCHEMA_VERSION).consume()


WIPE_BATCH = 10_000


def wipe(driver: Driver, db: str) -> int:
    """The aidgraph graph deleted: the version node first (so no reader takes what is left for a whole
    graph), then every node under the schema's labels, WIPE_BATCH at a time, each batch a transaction
    of its own (a national graph deleted in one transaction would hold all of it in the server's memory)."""
    def delete_some(tx: ManagedTransaction, query: str) -> int:
        return int(tx.run(query, n=WIPE_BATCH).single(strict=True)["c"])  # a count: always one row

    deleted = 0
    with driver.session(database=db) as s:
        for label in [META_LABEL, *NODE_TYPES]:
            q = f"MATCH (n:{whitelisted_label(label)}) WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c"
            while True:
                c = s.execute_write(delete_some, q)
                deleted += c
                if c < WIPE_BATCH:
                    break
    return deleted


def push(graph: CanonicalGraph, settings: Neo4jSettings, *, wipe_first: bool = False,
         on_step: Callable[[str, str, int, int], None] | None = None, driver: Driver | None = None) -> PushSummary:
    """Make the database hold exactly the canonical graph. ``on_step(kind, type, done, total)``
    is called after every batch (progress)."""
    own = driver is None
    try:
        driver = driver or connect(settings)
        db = settings.database
        summary = PushSummary()
        if not wipe_first:
            version = schema_version(driver, db)
            if version is not None and version != SCHEMA_VERSION:
                raise StoreUnavailable(f"the database holds a graph written by another version of aidgraph (schema "
                                   f"{version}, this one writes {SCHEMA_VERSION}): push again with --wipe")
        if wipe_first:
            wipe(driver, db)
        summary.ddl = f"{apply_ddl(driver, db)} constraints and indexes created"
        db_nodes, db_rels = ({}, {}) if wipe_first else (database_nodes(driver, db), database_rels(driver, db))
        steps = plan_push(graph, db_nodes, db_rels, summary)
        with driver.session(database=db) as s, s.begin_transaction() as tx:
            write_steps(tx, steps, settings, on_step)
            tx.commit()
        return summary
    except StoreUnavailable:
        raise
    except (nx.Neo4jError, nx.DriverError, OSError) as e:
        raise translate(e, settings) from None
    finally:
        if own and driver is not None:
            driver.close()
