"""`aidgraph neo4j export-bulk DIR`: CSVs with neo4j-admin import headers. The test reads them the way
the import tool does — the header names each column's property and type, `:ID`, `:START_ID`,
`:END_ID`, the label and type come from the command line — and loads them with `LOAD CSV` into the
test server (the import tool itself needs a stopped server of its own; the test server reads file
URLs from anywhere on this machine), then compares counts and the
named answers with the embedded store's."""
from __future__ import annotations

import json
import re
import shlex

import pytest

from aidgraph.graph_api.runtime import load_data
from aidgraph.queries.neo4j_conn import connect
from aidgraph.queries.neo4j_push import apply_ddl, wipe
from aidgraph.queries.neo4j_store import open_neo4j
from aidgraph.queries.service import AidGraph

# neo4j-admin header types -> the Cypher conversion of LOAD CSV's text (arrays split on the delimiter)
CONVERT = {"": "{v}", "string": "{v}", "int": "toInteger({v})", "long": "toInteger({v})", "double": "toFloat({v})",
           "float": "toFloat({v})", "boolean": "toBoolean({v})",
           "string[]": "CASE {v} WHEN '' THEN [] ELSE split({v}, $delim) END",  # "" is an empty array
           "int[]": "CASE {v} WHEN '' THEN [] ELSE [x IN split({v}, $delim) | toInteger(x)] END"}


def _columns(header: str) -> list[tuple[str, str, str]]:
    """(column as written, property or role, type) of a header line."""
    out = []
    for col in header.rstrip("\n").split(","):
        name, _, kind = col.partition(":")
        out.append((col, name, kind))
    return out


def _load_csv(session, url: str, header: str, label: str | None, rel: str | None, delim: str) -> None:
    sets = []
    for col, name, kind in _columns(header):
        if kind in ("ID", "START_ID", "END_ID"):
            continue
        value = CONVERT[kind].format(v=f"row.`{col}`")
        sets.append(f"x.`{name}` = CASE WHEN row.`{col}` IS NULL THEN null ELSE {value} END")
    if label:
        id_col = next(c for c, _, k in _columns(header) if k == "ID")
        q = f"LOAD CSV WITH HEADERS FROM $url AS row CREATE (x:`{label}` {{id: row.`{id_col}`}})"
    else:
        q = (f"LOAD CSV WITH HEADERS FROM $url AS row MATCH (a {{id: row.`:START_ID`}}) "
             f"MATCH (b {{id: row.`:END_ID`}}) CREATE (a)-[x:`{rel}`]->(b)")
    if sets:
        q += " SET " + ", ".join(sets)
    session.run(q, url=url, delim=delim).consume()


@pytest.fixture(scope="module")
def bulk(tmp_path_factory, cli):
    out = tmp_path_factory.mktemp("bulk") / "graph"
    res = cli("neo4j", "export-bulk", str(out), "--json")
    assert res.exit_code == 0, res.stderr
    return out, json.loads(res.stdout)


def test_files_headers_and_command(bulk):
    out, done = bulk
    graph = load_data().graph
    assert done["files"]["nodes-Pairing.csv"] == graph.label_counts()["Pairing"]
    assert done["files"]["rels-SUPPORTED.csv"] == graph.rel_counts()["SUPPORTED"]
    header = (out / "nodes-Pairing.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[0] == "id:ID" and "valid_from:int" in header and "source" in header
    assert (out / "rels-SUPPORTED.csv").read_text(encoding="utf-8").startswith(":START_ID,:END_ID")
    words = shlex.split((out / "import.sh").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()[-1])
    assert words[:4] == ["neo4j-admin", "database", "import", "full"] and words[-1] == "neo4j"
    assert "--nodes=Pairing=nodes-Pairing.csv" in words and "--relationships=SUPPORTED=rels-SUPPORTED.csv" in words
    assert "CREATE CONSTRAINT pairing_id IF NOT EXISTS" in (out / "after-import.cypher").read_text(encoding="utf-8")


def test_loaded_into_neo4j_it_answers_as_the_embedded_store(bulk, neo4j_alive, aid):
    out, _done = bulk
    settings = neo4j_alive.settings()
    words = shlex.split((out / "import.sh").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()[-1])
    delim = next(w.split("=", 1)[1] for w in words if w.startswith("--array-delimiter="))
    d = connect(settings)
    try:
        wipe(d, settings.database)
        apply_ddl(d, settings.database)
        with d.session(database=settings.database) as s:
            for w in words:  # nodes first, as the import tool reads them
                m = re.fullmatch(r"--(nodes|relationships)=(\w+)=(.+\.csv)", w)
                if not m:
                    continue
                kind, name, file = m.groups()
                header = (out / file).read_text(encoding="utf-8").split("\n", 1)[0]
                _load_csv(s, (out / file).as_uri(), header, name if kind == "nodes" else None,
                          name if kind == "relationships" else None, delim)
    finally:
        d.close()
    store = open_neo4j(settings)
    try:
        graph = load_data().graph
        assert store.counts() == (graph.label_counts(), graph.rel_counts())
        neo = AidGraph(store, aid.gaz, aid.unit_names, as_of=aid.as_of)
        for place in ("泸水", "巴楚", "淮南", "普洱", "遵义"):
            assert neo.who_supports(place) == aid.who_supports(place), place
        assert neo.tasks(unit="区人社局") == aid.tasks(unit="区人社局")
        assert neo.district("闵行") == aid.district("闵行")
    finally:
        store.close()
