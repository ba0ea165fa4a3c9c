"""The Neo4j store answers every named query exactly as the embedded store, byte for byte as
JSON, over a real Neo4j 5 (tests/neo4j-server, or the Neo4j of AIDGRAPH_TEST_NEO4J_URI)."""
import copy

import pytest
from neo4jserver import neo4j_env
from same_answers import same

from aidgraph.errors import Ambiguous


@pytest.fixture(scope="module")
def both(neo4j_aid, aid):
    return aid, neo4j_aid


READS = ("pairings", "tasks", "units", "agreements", "nodes_of", "edges_of", "nodes_by_id", "counts", "document_ids")


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value))
    return value


class ReadOnce:
    """The Neo4j store, each distinct read sent to the server once: the service asks the same
    question for every era of a place (the era is applied to the answer), and these tests
    only read. Every distinct question still goes to the server, and every answer of the
    service is still compared whole; a repeated one gets a copy of the server's first answer."""

    def __init__(self, store):
        self._store, self._answers = store, {}
        self.asked = 0  # reads sent to the server

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if name not in READS:
            return attr

        def read(*args, **kwargs):
            args = [list(a) if not isinstance(a, (str, dict)) and hasattr(a, "__iter__") else a for a in args]
            kwargs = {k: list(v) if not isinstance(v, (str, dict)) and hasattr(v, "__iter__") else v
                      for k, v in kwargs.items()}
            key = (name, _frozen(args), _frozen(kwargs))
            if key not in self._answers:
                self.asked += 1
                self._answers[key] = attr(*args, **kwargs)
            return copy.deepcopy(self._answers[key])
        return read


@pytest.fixture(scope="module")
def both_read_once(both):
    from aidgraph.queries.service import AidGraph
    emb, neo = both
    return emb, AidGraph(ReadOnce(neo.store), neo.gaz, neo.unit_names, as_of=neo.as_of)


def test_counts_per_label_and_type_are_equal(both, neo4j_alive):
    emb, neo = both
    assert neo.store.counts() == emb.store.counts()
    assert neo.stats() == emb.stats()


def _place_codes(aid):
    return sorted(n["code"] for label in ("County", "Prefecture", "Province", "District", "Municipality")
                  for n in aid.store.graph.nodes(label))


def test_who_supports_every_place_every_era(both_read_once, neo4j_alive):
    emb, neo = both_read_once
    codes = _place_codes(emb)
    assert len(codes) > 150
    for code in codes:
        for kw in ({}, {"year": 2005}, {"year": 2019}, {"year": 2022}, {"history": True}):
            same(neo.who_supports(code, **kw), emb.who_supports(code, **kw), (code, kw))
    assert neo.store.asked >= 3 * len(codes)  # pairings, nodes and tasks of every place came from the server


def test_every_district(both, neo4j_alive):
    emb, neo = both
    for n in [*emb.store.graph.nodes("District"), {"code": "310000"}]:
        same(neo.district(n["code"]), emb.district(n["code"]), n["code"])


def test_every_task_filter(both, neo4j_alive):
    emb, neo = both
    same(neo.tasks(), emb.tasks())
    assert len(emb.tasks()) == 45
    for d in ("静安区", "闵行区"):
        same(neo.tasks(district=d), emb.tasks(district=d), d)
    for y in (2022, 2024, 2023):
        same(neo.tasks(year=y), emb.tasks(year=y), y)
    for p in {p for t in emb.tasks() for p in t.places}:
        same(neo.tasks(place=p), emb.tasks(place=p), p)


def test_every_unit(both_read_once, neo4j_alive):
    emb, neo = both_read_once
    units = emb.store.units()
    assert neo.store.units() == units
    for u in units:
        district = None if u.owner == "place:310000" else emb.place_name(u.owner)
        same(neo.unit(u.name, district=district), emb.unit(u.name, district=district), u.name)
        same(neo.tasks(unit=u.name, district=district), emb.tasks(unit=u.name, district=district), u.name)


def test_name_errors_are_the_same(both, neo4j_alive):
    emb, neo = both
    for name in ("红河", "普陀区"):
        with pytest.raises(Ambiguous) as a:
            emb.who_supports(name)
        with pytest.raises(Ambiguous) as b:
            neo.who_supports(name)
        assert neo.candidates(b.value) == emb.candidates(a.value)


def test_cli_and_api_on_the_neo4j_store(both, neo4j_server, cli, monkeypatch):
    """`--store neo4j` and the API over the Neo4j store give the embedded answers."""
    from fastapi.testclient import TestClient

    from aidgraph.graph_api.app import create_app
    emb, neo = both
    for k, v in neo4j_env(neo.store.settings).items():  # the test server, whatever NEO4J_* the user exported
        monkeypatch.setenv(k, v)
    assert cli.json("who-supports", "泸水", "--store", "neo4j") == cli.json("who-supports", "泸水")
    assert cli.json("tasks", "--unit", "区人社局", "--store", "neo4j") == cli.json("tasks", "--unit", "区人社局")
    client = TestClient(create_app(neo))
    assert client.get("/api/places/巴楚/supporters").json() == emb.who_supports("巴楚").model_dump(mode="json")


def test_documents_and_agreements(both, neo4j_alive):
    emb, neo = both
    assert neo.documents() == emb.documents()
    assert neo.agreements() == emb.agreements()
    for p in ("青海省", "大连市", "云南省"):
        assert neo.agreements(p) == emb.agreements(p)


def test_pages_are_the_same_on_both_stores(both, neo4j_alive):
    from fastapi.testclient import TestClient

    from aidgraph.graph_api.app import create_app
    emb, neo = both
    a, b = TestClient(create_app(emb)), TestClient(create_app(neo))
    for url in ("/", "/place/533301", "/place/653124", "/district/310112", "/network", "/network?year=2019",
                "/search?q=红河", "/documents", "/document/hfhbf-2021-14"):
        ra, rb = a.get(url), b.get(url)
        assert (rb.status_code, rb.text) == (ra.status_code, ra.text), url


def test_subgraphs_are_read_from_either_store_alike(both, neo4j_alive):
    """/api/subgraph asks the store for the neighbourhood and its relationships (no whole-graph read):
    the same nodes and links on both stores, holding the pairing that names 泸水市 and 浦东新区."""
    from fastapi.testclient import TestClient

    from aidgraph.graph_api.app import create_app
    emb, neo = both
    a, b = TestClient(create_app(emb)), TestClient(create_app(neo))
    for params in ({"center": "泸水", "hops": 1}, {"center": "闵行区", "hops": 2}, {"center": "泸水", "hops": 0}):
        ra, rb = a.get("/api/subgraph", params=params), b.get("/api/subgraph", params=params)
        assert ra.status_code == rb.status_code == 200, params
        assert rb.json() == ra.json(), params
    one = a.get("/api/subgraph", params={"center": "泸水", "hops": 1}).json()
    ids = {n["id"] for n in one["nodes"]}
    assert "place:533301" in ids
    pairings = [x for x in one["links"] if x["type"] == "SUPPORTED" and x["target"] == "place:533301"]
    assert pairings and all(x["source"] in ids for x in pairings)
    two = a.get("/api/subgraph", params={"center": "泸水", "hops": 2}).json()
    assert "place:310115" in {n["id"] for n in two["nodes"]}  # 浦东新区, two steps away through the pairing
    assert [n["id"] for n in a.get("/api/subgraph", params={"center": "泸水", "hops": 0}).json()["nodes"]] == \
        ["place:533301"]
