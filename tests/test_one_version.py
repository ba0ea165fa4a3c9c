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


def test_readers_during_reloads_each_see_one_whole_graph(data_copy):
    """8 threads ask over HTTP while the data flip between two versions and the runtime reloads: every
    answer is all of one version (the stats' pairing counts and who supports 宿州 agree with it)."""
    import threading

    from fastapi.testclient import TestClient

    from aidgraph.graph_api.app import create_app

    table = data_copy / "curated" / "pairings_wanbei.csv"
    v1 = table.read_text(encoding="utf-8")
    # version 2: one more pairing (嘉定区—宿州市), so Pairing, SUPPORTER and UNDER each grow by one
    v2 = v1 + "嘉定区,wanbei,安徽省,,宿州市,,2021,2030,the programme runs 2021–2030,,,ndrc-2021-wanbei\n"
    runtime = Runtime(open_aidgraph("embedded", data_copy), store="embedded", root=data_copy)
    client = TestClient(create_app(runtime))
    base = client.get("/api/stats").json()
    one = (base["nodes"]["Pairing"], base["relationships"]["SUPPORTER"], base["relationships"]["UNDER"])
    versions = {one: [], tuple(n + 1 for n in one): ["嘉定区"]}
    seen, bad = set(), []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            st = client.get("/api/stats").json()
            counts = (st["nodes"]["Pairing"], st["relationships"]["SUPPORTER"], st["relationships"]["UNDER"])
            if counts not in versions:
                bad.append(counts)
            seen.add(counts)
            who = client.get("/api/places/宿州/supporters").json()
            if [s["name"] for s in who["supporters"]] not in versions.values():
                bad.append(who["supporters"])

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    try:
        for i in range(6):
            table.write_text(v2 if i % 2 == 0 else v1, encoding="utf-8")
            assert runtime.reload() is True
            want = tuple(n + 1 for n in one) if i % 2 == 0 else one
            st = client.get("/api/stats").json()
            assert (st["nodes"]["Pairing"], st["relationships"]["SUPPORTER"], st["relationships"]["UNDER"]) == want
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert bad == []
    assert seen == set(versions)
