"""`aidgraph neo4j push`: idempotent, removes facts whose source is gone, survives
being cut off, and says what is wrong in one line."""
import json
import re

import pytest
from neo4j import exceptions as nx

from aidgraph.loaders.curated import load_graph
from aidgraph.errors import StoreUnavailable
from aidgraph.queries.neo4j_conn import translate
from aidgraph.queries.neo4j_push import batches, push
from aidgraph.settings import Neo4jSettings
from aidgraph.queries.neo4j_store import open_neo4j
from aidgraph.graph_api.runtime import load_data
from aidgraph.schema.model import NODE_TYPES
from aidgraph.schema.neo4j import META_LABEL, falkordb_ddl, neo4j_ddl
from boltserver import FalkorServer, free_port, make_server, neo4j_env, neo4j_variables, without_goodbye


def _env(monkeypatch, settings):
    """The CLI reaches the test server: every NEO4J_* variable set from the test settings."""
    for k, v in neo4j_env(settings).items():
        monkeypatch.setenv(k, v)


def _no_neo4j_env(monkeypatch):
    """None of the user's NEO4J_* variables reach the CLI (a test then sets only what it checks)."""
    for k in neo4j_variables():
        monkeypatch.delenv(k, raising=False)


def test_push_twice_changes_nothing_the_second_time(bolt_alive, cli, monkeypatch):
    settings = bolt_alive.settings("idempotent")
    _env(monkeypatch, settings)
    first = cli("neo4j", "push", "--wipe", "--json")
    assert first.exit_code == 0, first.stderr
    body = json.loads(first.stdout)
    graph = load_data().graph
    assert body["by_type"]["Pairing"]["created"] == graph.label_counts()["Pairing"]
    assert body["by_type"]["SUPPORTED"]["created"] == graph.rel_counts()["SUPPORTED"]
    second = json.loads(cli("neo4j", "push", "--json").stdout)
    assert second["changes"] == 0
    store = open_neo4j(settings)
    assert store.counts() == (graph.label_counts(), graph.rel_counts())
    store.close()
    plain = cli("neo4j", "push")
    assert plain.exit_code == 0 and "nothing to change" in plain.stdout


def test_facts_that_left_the_sources_leave_the_database(bolt_alive, data_copy):
    settings = bolt_alive.settings("stale")
    push(load_graph(data_copy), settings, wipe_first=True)
    # the 闵行 document re-imported with four tasks fewer
    src = data_copy / "sources" / "003_7bb536ac4fb74f2c.txt"
    text = src.read_text(encoding="utf-8")
    cut = text.index("21. 促进交往交流交融")
    end = text.index("附件：")
    src.write_text(text[:cut] + text[end:], encoding="utf-8")
    import csv
    import hashlib
    reg = data_copy / "sources" / "documents.csv"
    rows = list(csv.DictReader(reg.open(encoding="utf-8")))
    for r in rows:
        if r["file"] == src.name:
            r["sha256"] = hashlib.sha256(src.read_bytes()).hexdigest()
    with reg.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    smaller = load_graph(data_copy)
    summary = push(smaller, settings)
    assert summary.deleted["Task"] == 4 and summary.created.get("Task", 0) == 0
    store = open_neo4j(settings)
    assert store.counts() == (smaller.label_counts(), smaller.rel_counts())
    assert not [t for t in store.tasks() if t.id == "task:mfbf-2024-20:24"]
    store.close()


def test_a_push_cut_off_half_way_is_finished_by_the_next(bolt_alive):
    settings = bolt_alive.settings("interrupted")
    graph = load_data().graph
    calls = []

    def stop_after_some(kind, name, done, total):
        calls.append(name)
        if len(calls) == 6:
            raise KeyboardInterrupt  # the user pressed Ctrl-C, or the process was killed

    with pytest.raises(KeyboardInterrupt):
        push(graph, settings, wipe_first=True, on_step=stop_after_some)
    # the meta node is written last: a cut-off push is never read as a whole graph
    with pytest.raises(StoreUnavailable, match="holds no aidgraph graph"):
        open_neo4j(settings)
    summary = push(graph, settings)
    assert 0 < summary.changes
    created_nodes = sum(v for k, v in summary.created.items() if k in NODE_TYPES)
    assert created_nodes < sum(graph.label_counts().values())  # the first push's work was kept
    neo = open_neo4j(settings)
    assert neo.counts() == (graph.label_counts(), graph.rel_counts())
    neo.close()


def test_server_killed_mid_push_is_a_clear_error_then_recovers(tmp_path, monkeypatch):
    """A private server, killed during a push: one clear line, no hang; the next push
    to a server that is back (empty: the test server keeps no data) gives exact counts.
    Always a private FalkorDB, even when AIDGRAPH_TEST_NEO4J_URI names a Neo4j: that one is not ours to kill."""
    without_goodbye(monkeypatch)
    server = FalkorServer()
    server.start()
    try:
        settings = server.settings("killed")
        graph = load_data().graph
        steps = []

        def kill_on_fifth(kind, name, done, total):
            steps.append(name)
            if len(steps) == 5:
                server.kill()

        with pytest.raises(StoreUnavailable, match="lost the connection|cannot reach"):
            push(graph, settings, on_step=kill_on_fifth)
        server.start()
        push(graph, settings)
        neo = open_neo4j(settings)
        assert neo.counts() == (graph.label_counts(), graph.rel_counts())
        neo.close()
    finally:
        server.cleanup()


def test_unreachable_server_is_one_line(cli, monkeypatch):
    _no_neo4j_env(monkeypatch)
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    res = cli("neo4j", "push")
    assert res.exit_code == 7 and "cannot reach Neo4j" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    res = cli("who-supports", "泸水", "--store", "neo4j")
    assert res.exit_code == 7 and "cannot reach Neo4j" in res.stderr


def test_bad_uri_is_one_line(cli, monkeypatch):
    _no_neo4j_env(monkeypatch)
    monkeypatch.setenv("NEO4J_URI", "ftp://example.invalid:7687")
    res = cli("neo4j", "push")
    assert res.exit_code == 7 and "not a valid Neo4j address" in res.stderr


def test_credentials_and_database_errors_are_translated():
    """Wrong credentials and a wrong database name: FalkorDB accepts any user and makes
    any database on demand, so these are checked on the driver's own error types."""
    s = Neo4jSettings(uri="bolt://db.example:7687", database="nosuch")
    auth = nx.AuthError("The client is unauthorized due to authentication failure.")
    assert "refused the user name or password" in str(translate(auth, s))
    missing = nx.ClientError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                            message="Database does not exist. Database name: 'nosuch'.")
    assert str(translate(missing, s)) == "Neo4j at bolt://db.example:7687 has no database 'nosuch' (NEO4J_DATABASE)"


def test_graph_from_an_older_schema_is_refused(bolt_alive, cli, monkeypatch):
    settings = bolt_alive.settings("older")
    push(load_data().graph, settings, wipe_first=True)
    from aidgraph.queries.neo4j_conn import connect
    d = connect(settings)
    with d.session(database=settings.database) as s:
        s.execute_write(lambda tx: tx.run(f"MATCH (m:{META_LABEL}) SET m.schema_version = $v", v=1).consume())
    _env(monkeypatch, settings)
    res = cli("who-supports", "泸水", "--store", "neo4j")
    assert res.exit_code == 7 and "another version of aidgraph" in res.stderr and "--wipe" in res.stderr
    res = cli("neo4j", "push")
    assert res.exit_code == 7 and "--wipe" in res.stderr
    assert cli("neo4j", "push", "--wipe").exit_code == 0
    assert cli.json("who-supports", "泸水", "--store", "neo4j")["supporters"][0]["name"] == "浦东新区"


def test_password_is_never_printed(cli, monkeypatch):
    _no_neo4j_env(monkeypatch)
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-value")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    res = cli("neo4j", "push")
    assert "s3cret-value" not in res.stdout + res.stderr
    assert "s3cret-value" not in repr(Neo4jSettings().with_overrides())


def test_batches_respect_rows_and_bytes():
    rows = [{"id": f"x{i}", "text": "文" * 200} for i in range(50)]
    out = list(batches(rows, "UNWIND $rows AS r RETURN r", max_rows=100, max_bytes=3000))
    assert sum(len(b) for b in out) == 50 and all(len(json.dumps(b, ensure_ascii=False).encode()) < 3000 for b in out)
    assert len(list(batches(rows, "Q", max_rows=7, max_bytes=10**9))) == 8
    with pytest.raises(StoreUnavailable, match="more than the batch limit"):
        list(batches([{"t": "x" * 5000}], "Q", max_rows=10, max_bytes=3000))


CONSTRAINT = re.compile(r"^CREATE CONSTRAINT [a-z_]+_id IF NOT EXISTS FOR \(n:[A-Z][A-Za-z]+\) REQUIRE n\.id IS UNIQUE$")
INDEX = re.compile(r"^CREATE INDEX [a-z_]+ IF NOT EXISTS FOR \(n:[A-Z][A-Za-z]+\) ON \(n\.[a-z_]+\)$")


def test_neo4j_ddl_is_neo4j_5_syntax():
    """Checked by shape here, since FalkorDB rejects Neo4j 5 DDL (it answers 'unknown error'
    to CREATE CONSTRAINT … REQUIRE and to named IF NOT EXISTS indexes)."""
    ddl = neo4j_ddl()
    constraints = [s for s in ddl if s.startswith("CREATE CONSTRAINT")]
    assert {re.search(r"\(n:(\w+)\)", s).group(1) for s in constraints} == set(NODE_TYPES) | {META_LABEL}
    assert all(CONSTRAINT.match(s) or INDEX.match(s) for s in ddl)
    names = [s.split()[2] for s in ddl]
    assert len(names) == len(set(names))


def test_ddl_applies_on_the_server(bolt_alive):
    from aidgraph.queries.neo4j_conn import connect
    from aidgraph.queries.neo4j_push import apply_ddl
    settings = bolt_alive.settings("ddl")
    d = connect(settings)
    applied = apply_ddl(d, settings.database)
    if bolt_alive.kind == "falkordb":
        # FalkorDB does not support Neo4j 5 constraints: push falls back to its own indexes
        assert applied == "falkordb"
        with d.session(database=settings.database) as s:
            # in a transaction: FalkorDB's bridge runs auto-commit statements on another graph than the database
            labels = {r["label"] for r in s.execute_read(
                lambda tx: tx.run("CALL db.indexes() YIELD label RETURN label").data())}
        assert set(NODE_TYPES) <= labels
        assert len(falkordb_ddl()) > len(NODE_TYPES)
    else:
        assert applied == "neo4j"
        with d.session(database=settings.database) as s:
            names = {r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name").data()}
        assert {"pairing_id", "county_id", "task_id"} <= names
    assert apply_ddl(d, settings.database) == applied  # a second run is harmless


def test_cypher_export_recreates_the_subgraph(bolt_alive):
    """The exported Cypher script, run statement by statement, rebuilds the subgraph."""
    from aidgraph.queries.neo4j_conn import connect
    from aidgraph.queries.subgraph import neighbourhood
    from aidgraph.viz.formats import render
    graph = load_data().graph
    ids = neighbourhood(graph, "place:533301", 2)
    assert len(ids) > 10
    script = "\n".join(line for line in render(graph, ids, "cypher").decode().splitlines()
                        if not line.startswith("//"))
    from aidgraph.queries.neo4j_push import wipe
    settings = bolt_alive.settings("cypherscript")
    d = connect(settings)
    wipe(d, settings.database)
    with d.session(database=settings.database) as s:
        for stmt in (x.strip().rstrip(";") for x in script.split(";\n") if x.strip()):
            s.execute_write(lambda tx, q=stmt: tx.run(q).consume())
        n = s.execute_read(lambda tx: tx.run("MATCH (n) RETURN count(n) AS c").single()["c"])
        r = s.execute_read(lambda tx: tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"])
    assert (n, r) == (len(ids), graph.g.subgraph(ids).number_of_edges())


def test_the_tests_never_use_the_users_neo4j(monkeypatch):
    """NEO4J_* is the user's own server (the README has them export it): the test fixtures ignore it
    and take AIDGRAPH_TEST_NEO4J_* only, refusing a database whose name does not say test."""
    for k, v in {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_USER": "someone", "NEO4J_PASSWORD": "theirs",
                 "NEO4J_DATABASE": "production"}.items():
        monkeypatch.setenv(k, v)
    for k in ("AIDGRAPH_TEST_NEO4J_URI", "AIDGRAPH_TEST_NEO4J_USER", "AIDGRAPH_TEST_NEO4J_PASSWORD",
              "AIDGRAPH_TEST_NEO4J_DATABASE"):
        monkeypatch.delenv(k, raising=False)
    own = make_server()
    try:
        assert own.kind == "falkordb"
        s = own.settings("parity")
        assert (s.uri, s.user, s.database) == (f"bolt://127.0.0.1:{own.port}", "falkordb", "parity")
    finally:
        own.cleanup()

    monkeypatch.setenv("AIDGRAPH_TEST_NEO4J_URI", "bolt://127.0.0.1:2")
    neo = make_server()
    s = neo.settings("parity")
    assert neo.kind == "neo4j"
    assert (s.uri, s.user, s.password.get_secret_value(), s.database) == ("bolt://127.0.0.1:2", "neo4j", "", "aidgraph-test")
    env = neo4j_env(s)  # what the CLI tests hand the command: the test server, not the user's
    assert (env["NEO4J_URI"], env["NEO4J_USER"], env["NEO4J_PASSWORD"], env["NEO4J_DATABASE"]) == (
        "bolt://127.0.0.1:2", "neo4j", "", "aidgraph-test")

    monkeypatch.setenv("AIDGRAPH_TEST_NEO4J_USER", "tester")
    monkeypatch.setenv("AIDGRAPH_TEST_NEO4J_DATABASE", "ci-test-1")
    s = make_server().settings()
    assert (s.uri, s.user, s.database) == ("bolt://127.0.0.1:2", "tester", "ci-test-1")

    monkeypatch.setenv("AIDGRAPH_TEST_NEO4J_DATABASE", "production")
    with pytest.raises(pytest.fail.Exception, match="'production' does not look like a test database"):
        make_server()
