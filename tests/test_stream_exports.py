"""The whole graph's exports are written as they go, in chunks, and say the same as the writers that
make them in one piece: node-link JSON, Cypher, N-Triples and GraphML byte for byte; Turtle and JSON-LD the same
triples (the streamed Turtle keeps each double as written, where rdflib's whole-graph Turtle shortens it)."""
from __future__ import annotations

import io

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from aidgraph.schema.graph import CanonicalGraph
from aidgraph.schema.rdf import AID
from aidgraph.schema.rdf_graph import iri, to_rdf
from aidgraph.viz.formats import get, stream, subgraph, write
from aidgraph.viz.view import View


@pytest.fixture(scope="module")
def whole(aid):
    graph = aid.graph()
    return graph, subgraph(graph, None, "上海对口帮扶关系网络")


@pytest.mark.parametrize("fmt", ["json", "cypher", "nt", "graphml"])
def test_streamed_bytes_are_the_writers_bytes(whole, fmt):
    graph, view = whole
    chunks = list(stream(view, graph, fmt))
    assert len(chunks) > 1  # written as it goes, not in one piece
    assert b"".join(chunks) == get(fmt).write(view, graph)


@pytest.mark.parametrize("fmt,syntax", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_streamed_linked_data_has_the_same_triples(whole, fmt, syntax):
    graph, view = whole
    chunks = list(stream(view, graph, fmt))
    assert len(chunks) > 1
    back = Graph().parse(data=b"".join(chunks).decode("utf-8"), format=syntax)
    assert isomorphic(back, to_rdf(graph))
    # a fact a reader looks for: 浦东新区 supports 泸水市 (the README's example)
    assert (iri("place:310115"), AID.supports, iri("place:533301")) in back


def test_streamed_graphml_of_awkward_text_is_the_writers_bytes():
    """Markup characters, line breaks, a tab, characters outside the BMP, empty and list values, a
    boolean and a double: the same bytes as networkx writes, and read back the same."""
    g = CanonicalGraph()
    title = 'a & b <c> "d"\r\ne\tf 𠀀😀'
    g.add_node("Document", "doc:d&1", title=title, date="2021-05-01", origin="")
    g.add_node("District", "place:310115", name="浦东新区", level="district", code="310115",
               short_names=["浦东", "东<新>"], longitude=121.5, seat_approximate=True)
    g.add_node("Unit", "unit:310115:办<公>室", name="办公室", kind="unit", source="d&1#表1")
    g.add_edge("UNIT_OF", "unit:310115:办<公>室", "place:310115")
    g.add_edge("DERIVED_FROM", "unit:310115:办<公>室", "doc:d&1", locator="表\n1")
    view = View(title="x", whole=True)
    streamed = b"".join(stream(view, g, "graphml"))
    assert streamed == get("graphml").write(view, g)
    back = nx.read_graphml(io.BytesIO(streamed), force_multigraph=True)
    assert back.nodes["doc:d&1"]["title"] == 'a & b <c> "d"\ne\tf 𠀀😀'  # the writer's lines: CR LF read as LF
    assert back.nodes["place:310115"]["short_names"] == "浦东 | 东<新>"
    assert back.nodes["place:310115"]["seat_approximate"] is True
    assert back.edges["unit:310115:办<公>室", "doc:d&1", "DERIVED_FROM"]["locator"] == "表\n1"


def test_the_ticks_count_every_node_and_relationship(whole):
    graph, view = whole
    seen = []
    for _chunk in stream(view, graph, "cypher", tick=seen.append):
        pass
    g = graph.networkx()
    assert sum(seen) == len(g) + g.number_of_edges()


def test_a_subgraph_is_one_piece_from_its_writer(aid):
    graph = aid.graph()
    view = subgraph(graph, {"place:310112", "place:533301"}, "两个地方")
    assert list(stream(view, graph, "nt")) == [get("nt").write(view, graph)]


def test_the_export_file_is_the_streamed_bytes(whole, tmp_path):
    graph, view = whole
    paths = write(graph, None, ["nt", "json"], tmp_path, "aidgraph")
    assert [p.name for p in paths] == ["aidgraph.nt", "aidgraph.json"]
    assert paths[0].read_bytes() == get("nt").write(view, graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aidgraph.json", "aidgraph.nt"]  # no temporary left


def test_the_api_sends_the_whole_graph_as_it_is_written(whole, client):
    graph, view = whole
    r = client.get("/api/export", params={"format": "nt"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert "transfer-encoding" in r.headers or "content-length" not in r.headers  # streamed, not sized up front
    assert r.content == get("nt").write(view, graph)


def test_the_command_writes_the_whole_graph_with_its_progress_bar(whole, cli, tmp_path):
    graph, view = whole
    res = cli("export", "--format", "cypher", "--progress", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "aidgraph.cypher").read_bytes() == get("cypher").write(view, graph)
