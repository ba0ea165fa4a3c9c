"""One graph version at a time: the named queries, the exports, the subgraphs and
SPARQL all read the served AidGraph; an import is seen by none of them until a
reload, and then by all of them together; a broken data folder keeps the last
good graph served."""
from __future__ import annotations

from aidgraph.graph_api.runtime import Runtime, open_aidgraph
from aidgraph.loaders.importer import import_document
from aidgraph.queries.sparql import rdf_of, run_sparql

MINHANG_2024 = "003_7bb536ac4fb74f2c.txt"
TASKS_OF_XUHUI = """PREFIX aid: <https://w3id.org/aidgraph/ns#>
PREFIX sdo: <https://schema.org/>
SELECT (COUNT(?t) AS ?n) WHERE { ?t a aid:Task ; aid:taskOf/sdo:name "徐汇区"@zh . }"""


def _readers(aid) -> dict:
    """What each kind of reader says about 徐汇区's 2025 work points."""
    graph = aid.graph()
    csv = run_sparql(rdf_of(graph), TASKS_OF_XUHUI, "csv").body.decode().split()
    return {
        "tasks": len(aid.tasks(district="徐汇")),
        "export": sum(1 for t in graph.nodes("Task") if t["year"] == 2025),
        "documents": sum(1 for d in aid.documents() if d.number == "徐府办发〔2025〕7号"),
        "sparql": int(csv[1]),
    }


def test_an_import_reaches_every_reader_at_the_reload(data_copy, tmp_path):
    text = (data_copy / "sources" / MINHANG_2024).read_text(encoding="utf-8")
    new = text.replace("闵行", "徐汇").replace("闵府办发〔2024〕20号", "徐府办发〔2025〕7号").replace("2024", "2025")
    doc = tmp_path / "xuhui.txt"
    doc.write_text(new, encoding="utf-8")
    runtime = Runtime(open_aidgraph("embedded", data_copy), store="embedded", root=data_copy)
    served = runtime.aid
    assert _readers(served) == {"tasks": 0, "export": 0, "documents": 0, "sparql": 0}

    import_document(doc, data_copy, dry_run=False)
    # the files changed, the served version did not: every reader still agrees on the old graph
    assert _readers(runtime.aid) == {"tasks": 0, "export": 0, "documents": 0, "sparql": 0}

    assert runtime.reload() is True
    assert _readers(runtime.aid) == {"tasks": 24, "export": 24, "documents": 1, "sparql": 24}
    # a request that took the old version before the reload still sees one whole graph
    assert _readers(served) == {"tasks": 0, "export": 0, "documents": 0, "sparql": 0}


def test_a_broken_data_folder_keeps_the_last_good_graph(data_copy):
    runtime = Runtime(open_aidgraph("embedded", data_copy), store="embedded", root=data_copy)
    before = runtime.aid
    (data_copy / "curated" / "pairings_2021.csv").write_text("supporter,program\n", encoding="utf-8")
    assert runtime.reload() is False
    assert runtime.aid is before
    assert "pairings_2021.csv" in runtime.last_problem
    assert [s.name for s in runtime.aid.who_supports("泸水").supporters] == ["浦东新区"]
