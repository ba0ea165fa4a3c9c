"""`aidgraph neo4j push` on a real Neo4j 5 (tests/neo4j-server): idempotent, removes facts whose
source is gone, all or nothing when cut off (one transaction), and says what is wrong in one line."""
import json
import re

import pytest
from neo4j import exceptions as nx
from neo4jserver import Cable, free_port, make_server, neo4j_env, neo4j_variables

from aidgraph.errors import StoreUnavailable
from aidgraph.graph_api.runtime import load_data
from aidgraph.loaders.curated import load_graph
from aidgraph.queries.neo4j_conn import translate
from aidgraph.queries.neo4j_push import batches, push
from aidgraph.queries.neo4j_store import open_neo4j
from aidgraph.schema.model import NODE_TYPES
from aidgraph.schema.neo4j import META_LABEL, SCHEMA_VERSION, neo4j_ddl
from aidgraph.settings import Neo4jSettings


def _env(monkeypatch, settings):
    """The CLI reaches the test server: every NEO4J_* variable set from the test settings."""
    for k, v in neo4j_env(settings).items():
        monkeypatch.setenv(k, v)


def _no_neo4j_env(monkeypatch):
    """None of the user's NEO4J_* variables reach the CLI (a test then sets only what it checks)."""
    for k in neo4j_variables():
        monkeypatch.delenv(k, raising=False)


def test_push_twice_changes_nothing_the_second_time(neo4j_alive, cli, monkeypatch):
    settings = neo4j_alive.settings()
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


def _shorter(data_copy):
    """The 闵行 document re-imported with four tasks fewer (21-24): a graph with less in it."""
    import csv
    import hashlib
    src = data_copy / "sources" / "003_7bb536ac4fb74f2c.txt"
    text = src.read_text(encoding="utf-8")
    src.write_text(text[:text.index("21. 促进交往交流交融")] + text[text.index("附件："):], encoding="utf-8")
    reg = data_copy / "sources" / "documents.csv"
    rows = list(csv.DictReader(reg.open(encoding="utf-8")))
    for r in rows:
        if r["file"] == src.name:
            r["sha256"] = hashlib.sha256(src.read_bytes()).hexdigest()
    with reg.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return load_graph(data_copy)


def _answers(settings) -> tuple:
    store = open_neo4j(settings)
    try:
        return store.counts(), sorted(t.id for t in store.tasks())
    finally:
        store.close()


def test_facts_that_left_the_sources_leave_the_database(neo4j_alive, data_copy):
    settings = neo4j_alive.settings()
    push(load_graph(data_copy), settings, wipe_first=True)
    smaller = _shorter(data_copy)
    summary = push(smaller, settings)
    assert summary.deleted["Task"] == 4 and summary.created.get("Task", 0) == 0
    store = open_neo4j(settings)
    assert store.counts() == (smaller.label_counts(), smaller.rel_counts())
    assert not [t for t in store.tasks() if t.id == "task:mfbf-2024-20:24"]
    store.close()


def test_a_push_cut_off_half_way_leaves_the_previous_graph_whole(neo4j_alive, data_copy):
    """Ctrl-C after some batches of a push (here with one-row batches, so there are many): the database
    still holds the previous graph, every node and relationship of it, and answers from it. A cut-off
    `--wipe` push (a start from nothing) leaves a database the store refuses, never a part taken for
    the whole."""
    settings = neo4j_alive.settings().with_overrides(batch_rows=1)
    graph = load_data().graph
    push(graph, settings, wipe_first=True)
    before = _answers(settings)
    assert before[0] == (graph.label_counts(), graph.rel_counts()) and "task:mfbf-2024-20:24" in before[1]
    smaller = _shorter(data_copy)

    def stopper(calls):
        def stop_after_some(kind, name, done, total):
            calls.append(name)
            if len(calls) == 6:
                raise KeyboardInterrupt  # the user pressed Ctrl-C
        return stop_after_some

    calls: list = []
    with pytest.raises(KeyboardInterrupt):
        push(smaller, settings, on_step=stopper(calls))
    assert len(calls) == 6
    assert _answers(settings) == before  # nothing of the cut-off push is visible
    push(smaller, settings)
    after = _answers(settings)
    assert after[0] == (smaller.label_counts(), smaller.rel_counts())
    assert "task:mfbf-2024-20:24" not in after[1] and "task:mfbf-2024-20:20" in after[1]

    calls = []
    with pytest.raises(KeyboardInterrupt):
        push(graph, settings, wipe_first=True, on_step=stopper(calls))
    with pytest.raises(StoreUnavailable, match="holds no aidgraph graph"):
        open_neo4j(settings)
    push(graph, settings)
    assert _answers(settings) == before


def test_connection_lost_mid_push_is_a_clear_error_and_changes_nothing(neo4j_alive, data_copy):
    """The network goes away during a push (the server stays up): one clear line, no hang, and the
    server rolls the transaction back, so the previous graph is whole; the next push completes it."""
    base = neo4j_alive.settings()
    graph = load_data().graph
    push(graph, base, wipe_first=True)
    before = _answers(base)
    smaller = _shorter(data_copy)
    cable = Cable(int(base.uri.rsplit(":", 1)[1]))
    try:
        via = base.with_overrides(uri=f"bolt://127.0.0.1:{cable.port}", batch_rows=1, max_retry_time=1.0)
        steps = []

        def cut_on_fifth(kind, name, done, total):
            steps.append(name)
            if len(steps) == 5:
                cable.cut()

        with pytest.raises(StoreUnavailable, match=r"lost the connection|cannot reach"):
            push(smaller, via, on_step=cut_on_fifth)
        assert _answers(base) == before
        cable.reconnect()
        push(smaller, via)
        assert _answers(base)[0] == (smaller.label_counts(), smaller.rel_counts())
    finally:
        cable.close()


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


def test_unknown_database_is_one_line(neo4j_alive, cli, monkeypatch):
    """The real server answers a database it does not have (community edition has one)."""
    _no_neo4j_env(monkeypatch)
    _env(monkeypatch, neo4j_alive.settings().with_overrides(database="nosuch"))
    res = cli("neo4j", "push")
    assert res.exit_code == 7 and "has no database 'nosuch' (NEO4J_DATABASE)" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_credentials_and_database_errors_are_translated():
    """Wrong credentials: the test server runs without authentication, so this is checked on the
    driver's own error types (as is the unknown database, also checked on the server above)."""
    s = Neo4jSettings(uri="bolt://db.example:7687", database="nosuch")
    auth = nx.AuthError("The client is unauthorized due to authentication failure.")
    assert "refused the user name or password" in str(translate(auth, s))
    missing = nx.ClientError._hydrate_neo4j(code="Neo.ClientError.Database.DatabaseNotFound",
                                            message="Database does not exist. Database name: 'nosuch'.")
    assert str(translate(missing, s)) == "Neo4j at bolt://db.example:7687 has no database 'nosuch' (NEO4J_DATABASE)"


def test_graph_from_an_older_schema_is_refused(neo4j_alive, cli, monkeypatch):
    settings = neo4j_alive.settings()
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


CONSTRAINT = re.compile(r"^CREATE CONSTRAINT [a-z_]+_id IF NOT EXISTS FOR \(n:[A-Z][A-Za-z]+\) "
                        r"REQUIRE n\.id IS UNIQUE$")
INDEX = re.compile(r"^CREATE INDEX [a-z_]+ IF NOT EXISTS FOR \(n:[A-Z][A-Za-z]+\) ON \(n\.[a-z_]+\)$")


def test_neo4j_ddl_is_generated_from_the_schema():
    ddl = neo4j_ddl()
    constraints = [s for s in ddl if s.startswith("CREATE CONSTRAINT")]
    assert {re.search(r"\(n:(\w+)\)", s).group(1) for s in constraints} == set(NODE_TYPES) | {META_LABEL}
    assert all(CONSTRAINT.match(s) or INDEX.match(s) for s in ddl)
    names = [s.split()[2] for s in ddl]
    assert len(names) == len(set(names))


def test_ddl_applies_on_the_server(neo4j_alive):
    """The constraints and indexes exist on the server by the names the schema gives them; a second
    run changes nothing. The server is the Neo4j 5 the tests launch."""
    from aidgraph.queries.neo4j_conn import connect
    from aidgraph.queries.neo4j_push import apply_ddl
    settings = neo4j_alive.settings()
    push(load_data().graph, settings)
    d = connect(settings)
    try:
        with d.session(database=settings.database) as s:
            version = s.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()["v"]
            constraints = {r["name"]: (r["labelsOrTypes"], r["properties"], r["type"])
                           for r in s.run("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type").data()}
            indexes = {r["name"] for r in s.run("SHOW INDEXES YIELD name").data()}
        assert version.startswith("5.")
        assert constraints["pairing_id"] == (["Pairing"], ["id"], "UNIQUENESS")
        assert constraints["task_id"] == (["Task"], ["id"], "UNIQUENESS")
        assert constraints["aidgraph_meta_id"] == ([META_LABEL], ["id"], "UNIQUENESS")
        assert {s.split()[2] for s in neo4j_ddl()} <= indexes
        assert apply_ddl(d, settings.database) == 0  # all there: nothing runs
        with d.session(database=settings.database) as s:
            s.run("DROP CONSTRAINT pairing_id").consume()
            s.run("DROP INDEX task_year").consume()
        assert apply_ddl(d, settings.database) == 2  # only the missing ones
        with d.session(database=settings.database) as s:
            assert len(s.run("SHOW CONSTRAINTS YIELD name").data()) == len(constraints)
            assert {r["name"] for r in s.run("SHOW INDEXES YIELD name").data()} == indexes
    finally:
        d.close()


def test_version_node_is_written_with_the_graph(neo4j_alive):
    from aidgraph.queries.neo4j_conn import connect
    settings = neo4j_alive.settings()
    push(load_data().graph, settings, wipe_first=True)
    d = connect(settings)
    try:
        with d.session(database=settings.database) as s:
            rows = s.run(f"MATCH (m:{META_LABEL}) RETURN m.id AS id, m.schema_version AS v").data()
    finally:
        d.close()
    assert rows == [{"id": "meta", "v": SCHEMA_VERSION}]


def test_cypher_export_recreates_the_subgraph(neo4j_alive):
    """The exported Cypher script, run statement by statement, rebuilds the subgraph."""
    from aidgraph.queries.embedded import EmbeddedStore
    from aidgraph.queries.neo4j_conn import connect
    from aidgraph.queries.subgraph import neighbourhood
    from aidgraph.viz.formats import render
    graph = load_data().graph
    ids = neighbourhood(EmbeddedStore(graph), "place:533301", 2)
    assert len(ids) > 10
    script = "\n".join(line for line in render(graph, ids, "cypher").decode().splitlines()
                        if not line.startswith("//"))
    from aidgraph.queries.neo4j_push import wipe
    settings = neo4j_alive.settings()
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
    own = make_server()  # not started: only its settings are read
    s = own.settings()
    assert own.kind == "neo4j-harness"
    assert (s.uri, s.database) == (f"bolt://127.0.0.1:{own.port}", "neo4j")
    own.cleanup()

    monkeypatch.setenv("AIDGRAPH_TEST_NEO4J_URI", "bolt://127.0.0.1:2")
    neo = make_server()
    s = neo.settings("parity")
    assert neo.kind == "neo4j"
    assert (s.uri, s.user, s.password.get_secret_value(), s.database) == \
        ("bolt://127.0.0.1:2", "neo4j", "", "aidgraph-test")
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
