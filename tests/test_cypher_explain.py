"""Every Cypher statement aidgraph sends, writes or exports, checked by the Neo4j 5 the tests launch:
``EXPLAIN`` plans each statement without running it, so a statement Neo4j 5 cannot parse or plan fails,
and the warnings it plans with (a cartesian product, a deprecated form, an unknown label, type or
property once the shipped graph is in the database) fail too.

The statements are not copied from the code: the reader (``Neo4jStore``), the writer (``neo4j_push``)
run against a recording driver that keeps what each session receives, query and parameters; the Cypher
export is rendered for the whole graph. The DDL is applied on the server in ``test_neo4j_push``.
"""
from __future__ import annotations

import re

import pytest
from neo4j import GraphDatabase, NotificationClassification, NotificationSeverity
from neo4j import exceptions as nx

from aidgraph.errors import StoreUnavailable
from aidgraph.graph_api.runtime import load_data
from aidgraph.queries import neo4j_push
from aidgraph.queries.neo4j_store import Neo4jStore, open_neo4j
from aidgraph.schema.model import NODE_TYPES, REL_TYPES
from aidgraph.schema.neo4j import neo4j_ddl
from aidgraph.settings import Neo4jSettings
from aidgraph.viz.formats.cypher import _lit, render


# -- the check: EXPLAIN on the server ---------------------------------------------------------------
@pytest.fixture(scope="module")
def server(neo4j_aid, neo4j_server):
    """A driver to the test server, which holds the shipped graph (so labels, types and property keys
    that the graph has are known to the planner, and a misspelt one is reported as unknown)."""
    settings = neo4j_server.settings()
    d = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password.get_secret_value()),
                             warn_notification_severity="OFF")
    yield d, settings.database
    d.close()


SCHEMA_NAMES = {*NODE_TYPES, *REL_TYPES, "AidgraphMeta", "id", "schema_version",
                *(p for t in (*NODE_TYPES.values(), *REL_TYPES.values()) for p in t.props)}
UNKNOWN_NAME = re.compile(r"(?:label|relationship type|property) `([^`]+)` does not exist")


def _warnings(summary) -> list[str]:
    """The server's warnings, and its performance notes (a cartesian product, an unbounded
    variable-length pattern …), as text."""
    out = []
    for g in summary.gql_status_objects:
        if not g.is_notification or not (g.severity == NotificationSeverity.WARNING
                                         or g.classification == NotificationClassification.PERFORMANCE):
            continue
        unknown = UNKNOWN_NAME.search(g.status_description)
        if unknown and unknown.group(1) in SCHEMA_NAMES:
            continue  # declared by the schema, only absent from the shipped data (COOPERATING_UNIT …)
        out.append(f"{g.gql_status}: {g.status_description}")
    return out


def explain(server, statements: list[tuple[str, dict]]) -> list[list[str]]:
    """The problems of each (query, parameters), in order: the server's error, or its warnings."""
    driver, db = server
    out = []
    with driver.session(database=db) as s:
        for q, params in statements:
            try:
                out.append(_warnings(s.run("EXPLAIN " + q, params).consume()))
            except nx.ClientError as e:
                out.append([f"{e.code}: {e.message}"])
    return out


def problems(server, statements: list[tuple[str, dict]]) -> list[str]:
    return [f"{p}\n    in: {q[:300]}"
            for (q, _), found in zip(statements, explain(server, statements), strict=True) for p in found]


def test_control_the_explain_check_finds_what_it_should(server):
    """Control of the EXPLAIN check the other tests here rely on, not of the package's statements:
    EXPLAIN itself, on statements written by hand: a misspelt keyword is an error, a label the graph
    lacks a warning, a cartesian product a warning, and a correct statement is clean."""
    found = explain(server, [("MATCH (p:County {id: $id}) RETRUN p", {"id": "place:533301"}),
                             ("MATCH (p:Countey) RETURN p.id", {}),
                             ("MATCH (p:County {id: $id})<-[:SUPPORTED]-(x:Pairing) RETURN p.name, x.valid_from",
                              {"id": "place:533301"}),
                             ("MATCH (a:County {id: 'a'}), (b:County {id: 'b'}) RETURN a, b", {})])
    assert len(found[0]) == 1 and "SyntaxError" in found[0][0] and "RETRUN" in found[0][0]
    assert len(found[1]) == 1 and "Countey" in found[1][0]
    assert found[2] == []
    assert len(found[3]) == 1 and "cartesian product" in found[3][0].lower()


def test_neo4j_4_syntax_fails_the_check(server):
    """What Neo4j 4 accepted but Neo4j 5 rejects is an error: the removed ``exists(n.prop)`` predicate
    and the 4.x constraint DDL; the Neo4j 5 forms are clean (the 5.x DDL is applied in test_neo4j_push)."""
    old = [("MATCH (n:County) WHERE exists(n.name) RETURN n.id", {}),
           ("CREATE CONSTRAINT ON (n:County) ASSERT n.id IS UNIQUE", {})]
    for q, found in zip(old, explain(server, old), strict=True):
        assert found and "SyntaxError" in found[0], (q, found)
    assert problems(server, [("MATCH (n:County) WHERE n.name IS NOT NULL RETURN n.id", {})]) == []


# -- recording what the code sends ---------------------------------------------------------------
class Wild(str):
    """A value that stands for anything a row holds: a string that can also be indexed and asked .get()."""

    def __getitem__(self, key):
        return Wild("x")

    def get(self, key, default=None):
        return default

    def keys(self):  # and a mapping with nothing in it, for {**row["p"]}
        return []

    def __iter__(self):  # and an empty list, for a COLLECT column
        return iter(())


class Row(dict):
    def __missing__(self, key):
        return Wild("x")

    def data(self):
        return self


class Result:
    def __init__(self, rows):
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)

    def single(self, strict=False):
        return self.rows[0] if self.rows else Row(c=0)

    def consume(self):
        return None


class Recorder:
    """A driver that records every statement run through it. ``wild``: each read answers one row whose
    every field is there (so the code goes on to the statements it sends about the rows it got);
    otherwise reads answer nothing (an empty database)."""

    def __init__(self, wild: bool):
        self.wild = wild
        self.sent: list[tuple[str, dict]] = []

    def run(self, query, parameters=None, **kw):
        self.sent.append((query, {**(parameters or {}), **kw}))
        return Result([Row()] if self.wild else [])

    def session(self, database=None, **_kw):
        return Session(self)

    def close(self):
        pass


class Session:
    def __init__(self, rec: Recorder):
        self.rec = rec

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, query, parameters=None, **kw):
        return self.rec.run(query, parameters, **kw)

    def execute_read(self, fn, *args, **kwargs):  # the driver's signature: arguments go on to fn
        return fn(self, *args, **kwargs)

    def execute_write(self, fn, *args, **kwargs):
        return fn(self, *args, **kwargs)

    def begin_transaction(self):
        return Transaction(self.rec)


class Transaction(Session):
    def commit(self):
        pass


@pytest.fixture(scope="module")
def graph():
    return load_data().graph


def _reads() -> list[tuple[str, dict]]:
    rec = Recorder(wild=True)
    settings = Neo4jSettings()
    store = Neo4jStore(rec, settings)
    ids = ["place:533301", "place:310115"]
    store.pairings()
    store.pairings(places=ids)
    store.pairings(supporter="place:310115")
    for kw in ({}, {"places": ids}, {"district": "place:310115"}, {"document": "doc:mfbf-2024-20"},
               {"units": ["unit:310115:x"]}, {"units": ["unit:310115:x"], "places": ids},
               {"district": "place:310115", "year": 2024}):
        store.tasks(**kw)
    for kw in ({}, {"ids": ["unit:310115:x"]}, {"owners": ["place:310115"]}, {"names": ["区人社局"]}):
        store.units(**kw)
    store.agreements()
    store.agreements(parties=ids)
    for label in NODE_TYPES:
        store.nodes_of(label)
    for rel in REL_TYPES:
        store.edges_of(rel)
    store.nodes_by_id([f"{nt.prefix}:x" for nt in NODE_TYPES.values()])
    store.counts()
    store.document_ids()
    neo4j_push.database_nodes(rec, "neo4j")
    neo4j_push.database_rels(rec, "neo4j")
    with pytest.raises(StoreUnavailable):  # the recorded "version" is no schema version
        open_neo4j(settings, driver=rec)
    return rec.sent


def _writes(graph) -> list[tuple[str, dict]]:
    rec = Recorder(wild=False)
    neo4j_push.push(graph, Neo4jSettings(), wipe_first=True, driver=rec)      # wipe, DDL, create all
    neo4j_push.push(graph, Neo4jSettings(), driver=rec)                       # the version check
    # a database holding one more node of each label and one more relationship of each type: deletions
    db_nodes = {label: {f"{nt.prefix}:gone": {"id": f"{nt.prefix}:gone"}} for label, nt in NODE_TYPES.items()}
    ends = {d["type"]: (graph.g.nodes[s]["label"], graph.g.nodes[e]["label"]) for s, e, d in graph.edges()}
    some = next(iter(NODE_TYPES))
    db_rels = {rel: {(*ends.get(rel, (some, some))[:1], "x:gone", ends.get(rel, (some, some))[1], "x:gone2"): {}}
               for rel in REL_TYPES}
    steps = neo4j_push.plan_push(graph, db_nodes, db_rels, neo4j_push.PushSummary())
    sent = list(rec.sent)
    sent += [(query, {"rows": rows[:3]}) for _kind, _name, query, rows in steps]
    return sent


def _distinct(statements):
    """One of each query text (with the parameters of its first run)."""
    seen: dict[str, dict] = {}
    for q, p in statements:
        seen.setdefault(q, p)
    return list(seen.items())


def test_every_read_is_neo4j_5_cypher(server):
    sent = _distinct(_reads())
    assert len(sent) >= 40, len(sent)  # every method, every variant of its selection
    assert problems(server, sent) == []


def test_every_write_is_neo4j_5_cypher(server, graph):
    sent = _distinct(_writes(graph))
    texts = [q for q, _p in sent]
    assert set(neo4j_ddl()) <= set(texts)  # sent (applied on the server in test_neo4j_push)
    assert any(q.startswith("UNWIND $rows AS r MERGE") for q in texts)
    assert any(q.endswith("DETACH DELETE n") for q in texts) and any(q.endswith("DELETE x") for q in texts)
    assert any("DETACH DELETE n RETURN count(*)" in q for q in texts)  # wipe
    # the DDL and SHOW commands are administration, which EXPLAIN does not plan: they run on the server
    # in test_neo4j_push.test_ddl_applies_on_the_server
    data = [(q, p) for q, p in sent if q not in set(neo4j_ddl()) and not q.startswith("SHOW ")]
    assert problems(server, data) == []


STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')                                  # a JSON-quoted string
NUMBER = re.compile(r"(?<![\w`.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w`])")  # outside strings
LIST = re.compile(r'\[(?:(?:""|0), )*(?:""|0)\]')


def test_the_cypher_export_is_neo4j_5_cypher(server, graph):
    """Every statement of the export of the whole graph: each form of statement (literals blanked,
    lists shortened) is planned once, and every literal of the script in lists of 500; a literal the
    patterns split wrongly leaves a broken form, caught as well."""
    script = render(graph, None).decode("utf-8")
    lines = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in lines)
    assert len(lines) == graph.g.number_of_nodes() + graph.g.number_of_edges()
    statements = [line[:-1] for line in lines]
    forms = sorted({LIST.sub("[0]", NUMBER.sub("0", STRING.sub('""', q))) for q in statements})
    literals = sorted({m.group(0) for q in statements for m in STRING.finditer(q)}
                      | {m.group(0) for q in statements for m in NUMBER.finditer(STRING.sub('""', q))})
    assert 10 < len(forms) < len(statements) / 10, len(forms)
    lists = [f"RETURN [{', '.join(literals[i:i + 500])}] AS v" for i in range(0, len(literals), 500)]
    assert problems(server, [(q, {}) for q in forms + lists]) == []


def test_export_literals_are_cypher_literals(server):
    """Values the data could hold, written as the export writes them, read back by Neo4j as the same
    value: quotes, backslashes, newlines, control characters, non-BMP text, big and small numbers."""
    values = ["他说\"好\"", "it's", "a\\b", "line\nbreak\ttab\r", "\x00\x1f\x7f", "𠀀𝄞", "\u2028\u2029", "",
              0, -7, 2**62, 1.5, 1e20, 1e-7, -0.0, True, False, ["a", 1, [2.5]]]
    driver, db = server
    with driver.session(database=db) as s:
        for v in values:
            got = s.run(f"RETURN {_lit(v)} AS v").single()["v"]
            assert got == v and type(got) is type(v), (v, got)
