"""Every Cypher statement aidgraph sends, checked by Neo4j's own linter (``@neo4j-cypher/language-support``,
``lintCypherQuery``, Neo4j 5 dialect) with the schema's labels, relationship types and property keys.

The statements are not copied from the code: the reader (``Neo4jStore``), the writer (``neo4j_push``)
and the DDL run against a recording driver that keeps what each session receives, query and
parameters; the Cypher export is rendered for the whole graph. The linter runs in node from
``tests/lint`` (``make test`` installs it with ``npm ci``); without node or the package this fails.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from aidgraph.errors import StoreUnavailable
from aidgraph.graph_api.runtime import load_data
from aidgraph.queries import neo4j_push
from aidgraph.queries.neo4j_store import Neo4jStore, open_neo4j
from aidgraph.schema.model import NODE_TYPES, REL_TYPES
from aidgraph.schema.neo4j import META_LABEL, falkordb_ddl, neo4j_ddl
from aidgraph.settings import Neo4jSettings
from aidgraph.viz.formats.cypher import _lit, render

LINT = Path(__file__).resolve().parent / "lint"
PACKAGE = "@neo4j-cypher/language-support"
VERSION = "2.0.0-next.38"
ERROR, WARNING = 1, 2


# -- the linter ------------------------------------------------------------------------------
def _linter() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: `make test` installs it (apt package nodejs)")
    major = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    if int(major.split(".")[0] or 0) < 20:
        pytest.fail(f"node {major} is too old for {PACKAGE} {VERSION}: it needs node 20 or newer")
    manifest = LINT / "node_modules" / PACKAGE / "package.json"
    if not manifest.is_file():
        pytest.fail(f"{PACKAGE} is not installed in tests/lint: run `make test` (or `npm ci` in tests/lint)")
    found = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if found != VERSION:
        pytest.fail(f"tests/lint holds {PACKAGE} {found}, not {VERSION}: run `npm ci` in tests/lint")
    return [node, str(LINT / "lint.mjs")]


def _schema() -> dict:
    props = {"id", "schema_version"}
    for nt in NODE_TYPES.values():
        props.update(nt.props)
    for rt in REL_TYPES.values():
        props.update(rt.props)
    return {"labels": sorted([*NODE_TYPES, META_LABEL]), "relationshipTypes": sorted(REL_TYPES),
            "propertyKeys": sorted(props)}


def _map_keys(params: dict) -> list[str]:
    """Keys of the maps in a statement's list parameters (``UNWIND $rows AS r`` reads ``r.id``): for the
    linter these are property keys like those of the graph."""
    return sorted({k for v in params.values() if isinstance(v, list) for row in v if isinstance(row, dict)
                   for k in row})


def lint(statements: list[tuple[str, dict]]) -> list[list[dict]]:
    """Diagnostics of each (query, parameters), in order."""
    payload = {"schema": _schema(),
               "statements": [{"query": q, "parameters": p, "mapKeys": _map_keys(p)} for q, p in statements]}
    res = subprocess.run(_linter(), input=json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"),
                         capture_output=True, timeout=600, cwd=LINT)
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")[-3000:]
    out = json.loads(res.stdout)
    assert len(out) == len(statements)
    return out


def problems(statements: list[tuple[str, dict]], severities=(ERROR, WARNING)) -> list[str]:
    found = []
    for (q, _p), diags in zip(statements, lint(statements)):
        for d in diags:
            if d["severity"] in severities:
                found.append(f"{d['message']}\n    in: {q[:300]}\n    at: {q[d['start']:d['end']]!r}")
    return found


def test_the_linter_finds_what_it_should():
    """The linter itself, on statements written by hand: a misspelt keyword is an error, a label the
    schema lacks a warning, an undeclared parameter an error, and a correct statement is clean."""
    found = lint([("MATCH (p:County {id: $id}) RETRUN p", {"id": "place:533301"}),
                  ("MATCH (p:Countey) RETURN p.id", {}),
                  ("MATCH (p:County {id: $id}) RETURN p.name", {}),
                  ("MATCH (p:County {id: $id})<-[:SUPPORTED]-(x:Pairing) RETURN p.name, x.valid_from",
                   {"id": "place:533301"}),
                  ("MATCH (a:County {id: 'a'}), (b:County {id: 'b'}) RETURN a, b", {})])
    assert [d["severity"] for d in found[0]] == [ERROR, ERROR] and "RETRUN" in found[0][0]["message"]
    assert [d["severity"] for d in found[1]] == [WARNING] and "Countey" in found[1][0]["message"]
    assert [(d["severity"], d["message"]) for d in found[2]] == [(ERROR, "Parameter $id is not defined.")]
    assert found[3] == []
    assert [d["severity"] for d in found[4]] == [WARNING] and "cartesian product" in found[4][0]["message"]


def test_neo4j_4_syntax_fails_the_check():
    """What FalkorDB or Neo4j 4 accept but Neo4j 5 rejects is an error: the 4.x constraint and index DDL
    and the removed ``exists(n.prop)`` predicate; their Neo4j 5 forms are clean."""
    old = [("CREATE CONSTRAINT ON (n:County) ASSERT n.id IS UNIQUE", {}),
           ("CREATE INDEX ON :County(name)", {}),
           ("MATCH (n:County) WHERE exists(n.name) RETURN n.id", {})]
    new = [("CREATE CONSTRAINT county_id IF NOT EXISTS FOR (n:County) REQUIRE n.id IS UNIQUE", {}),
           ("CREATE INDEX county_name IF NOT EXISTS FOR (n:County) ON (n.name)", {}),
           ("MATCH (n:County) WHERE n.name IS NOT NULL RETURN n.id", {})]
    for q, diags in zip(old, lint(old)):
        assert any(d["severity"] == ERROR for d in diags), q
    assert problems(new) == []


# -- recording what the code sends ---------------------------------------------------------------
class Wild(str):
    """A value that stands for anything a row holds: a string that can also be indexed and asked .get()."""

    def __getitem__(self, key):
        return Wild("x")

    def get(self, key, default=None):
        return default

    def keys(self):  # and a mapping with nothing in it, for {**row["p"]}
        return []


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

    def single(self):
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

    def execute_read(self, fn):
        return fn(self)

    def execute_write(self, fn):
        return fn(self)


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


def test_every_read_is_neo4j_5_cypher():
    sent = _distinct(_reads())
    assert len(sent) >= 40, len(sent)  # every method, every variant of its selection
    assert problems(sent) == []


def test_every_write_and_the_ddl_are_neo4j_5_cypher(graph):
    sent = _distinct(_writes(graph))
    texts = [q for q, _p in sent]
    assert set(neo4j_ddl()) <= set(texts)
    assert any(q.startswith("UNWIND $rows AS r MERGE") for q in texts)
    assert any(q.endswith("DETACH DELETE n") for q in texts) and any(q.endswith("DELETE x") for q in texts)
    assert any("DETACH DELETE n RETURN count(*)" in q for q in texts)  # wipe
    assert problems(sent) == []


def test_falkordb_ddl_is_also_neo4j_5_cypher():
    """The plain indexes written for the FalkorDB test server are valid Neo4j 5 as well."""
    assert problems([(q, {}) for q in falkordb_ddl()]) == []


STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')                                  # a JSON-quoted string
NUMBER = re.compile(r"(?<![\w`.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w`])")  # outside strings
LIST = re.compile(r'\[(?:(?:""|0), )*(?:""|0)\]')


def test_the_cypher_export_is_neo4j_5_cypher(graph):
    """Every statement of the export of the whole graph. The linter takes about 0.1 s a statement, so
    each form of statement (literals blanked, lists shortened) is linted once, and every literal of the
    script in lists of 500; a literal the patterns split wrongly leaves a broken form, caught as well."""
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
    assert problems([(q, {}) for q in forms + lists]) == []


def test_export_literals_are_cypher_literals():
    """Values the data could hold, written as the export writes them, read back by the linter as one
    literal each: quotes, backslashes, newlines, control characters, non-BMP text, big and small numbers."""
    values = ["他说\"好\"", "it's", "a\\b", "line\nbreak\ttab\r", "\x00\x1f\x7f", "𠀀𝄞", "\u2028\u2029", "",
              0, -7, 2**62, 1.5, 1e20, 1e-7, -0.0, True, False, ["a", 1, [2.5]]]
    stmts = [(f"RETURN {_lit(v)} AS v", {}) for v in values]
    assert problems(stmts) == []
