"""The streamed linked data is written without rdflib (``viz.formats.rdf_terms``) and says exactly what
``schema.rdf_graph.to_rdf`` says: on the shipped data, and on a small graph of awkward values (quotes,
backslashes, line breaks, tabs, characters outside the BMP, numbers, booleans, years and dates) where a
reader parsing the file with rdflib must get every value back unchanged."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS
from rdflib.plugins.serializers.nt import _nt_row

from aidgraph.schema.graph import CanonicalGraph
from aidgraph.schema.model import NODE_TYPES, REL_TYPES
from aidgraph.schema.rdf import AID, SDO
from aidgraph.schema.rdf_graph import iri, literal, serialise, to_rdf
from aidgraph.viz.formats import stream
from aidgraph.viz.formats.rdf_terms import lit, n3
from aidgraph.viz.view import View

AWKWARD = 'say "yes"\\no\nnext line\r\n\ttab 𠀀😀 end'
WHOLE = View(title="aidgraph", whole=True)


def _streamed(graph: CanonicalGraph, fmt: str) -> bytes:
    return b"".join(stream(WHOLE, graph, fmt))


@pytest.fixture(scope="module")
def awkward() -> CanonicalGraph:
    g = CanonicalGraph()
    g.add_node("Document", "doc:d-1", title=AWKWARD, number="沪\\府〔2021〕1号", date="2021-05-01", kind="plan")
    g.add_node("Document", "doc:d-2", title="第二份", date="2021-05")  # a date rdflib cannot read as one
    g.add_node("Municipality", "place:310000", name="上海市", level="municipality", code="310000")
    g.add_node("District", "place:310115", name='浦东"新"区', level="district", code="310115",
               former_names=["川沙县", "旧\\名"], former_until=[1992, 1993], longitude=121.5, latitude=1e-07,
               seat_approximate=True)
    g.add_node("Province", "place:530000", name="云南省", level="province", code="530000")
    g.add_node("County", "place:533301", name="泸水市", level="county", code="533301", short_names=["泸水"],
               longitude=98.85, latitude=25.82, seat_approximate=False)
    g.add_node("Program", "program:east-west", name="东西部协作", name_en="East–West \"collaboration\"",
               kind="collaboration", colour="#123456", source="d-1#表1")
    g.add_node("Pairing", "pairing:p 1", valid_from=2021, valid_to=2025, period_note="line\none",
               source="d-1#表1 \"注\"; d-1#表2")
    g.add_edge("SUPPORTER", "pairing:p 1", "place:310115")
    g.add_edge("SUPPORTED", "pairing:p 1", "place:533301")
    g.add_edge("UNDER", "pairing:p 1", "program:east-west")
    g.add_edge("DERIVED_FROM", "pairing:p 1", "doc:d-1", locator="表1\t\"注\"")
    g.add_edge("PART_OF", "place:533301", "place:530000", source="gbt2260")
    g.add_node("Indicator", "indicator:1", no=3, name="指标 𠀀", cumulative=False, target="≥ 100%", source="d-1#表3")
    g.add_node("AidFunding", "funding:1", period="2021–2025", amount_100m_yuan=12.5, projects=0, source="d-1")
    g.add_node("Task", "task:t-1", number=7, kind="task", title="任务\r\n一", text=AWKWARD, year=2024,
               source="d-1#任务7")
    g.add_node("Unit", "unit:u-1", name="区合作交流办", kind="unit", names_as_written=["合作\\交流办"])
    g.add_edge("TASK_OF", "task:t-1", "place:310115")
    g.add_edge("UNIT_OF", "unit:u-1", "place:310115")
    g.add_edge("COOPERATING_UNIT", "task:t-1", "unit:u-1", as_written='"合作"办', position=0, etc=True)
    g.add_edge("RESPONSIBLE_UNIT", "task:t-1", "unit:u-1", as_written="办\n", position=1, label="责任单位：")
    g.add_node("Duty", "duty:1", number=1, title="职责", text="做\\事", source="d-1#一")
    g.add_edge("DUTY_OF", "duty:1", "unit:u-1")
    g.add_node("Council", "council:c", name="协调会")
    g.add_node("CouncilBody", "councilbody:b", name="委员会", kind="committee", founded=2003, source="d-2")
    g.add_edge("BODY_OF", "councilbody:b", "council:c")
    g.add_edge("MEMBER_OF", "place:310000", "council:c", joined=1997, meeting="第\"8\"次会议")
    return g


def test_the_awkward_graph_is_the_same_bytes_as_rdflib_writes(awkward):
    assert _streamed(awkward, "nt") == serialise(to_rdf(awkward), "nt")


@pytest.mark.parametrize("fmt,syntax", [("nt", "nt"), ("ttl", "turtle"), ("jsonld", "json-ld")])
def test_a_reader_gets_every_awkward_value_back(awkward, fmt, syntax):
    back = Graph().parse(data=_streamed(awkward, fmt).decode("utf-8"), format=syntax)
    assert isomorphic(back, to_rdf(awkward))
    title = back.value(iri("doc:d-1"), DCTERMS.title)
    assert str(title) == 'say "yes"\\no\nnext line\r\n\ttab 𠀀😀 end' and title.language == "zh"
    assert back.value(iri("place:310115"), SDO.latitude) == Literal(1e-07)
    assert back.value(iri("place:310115"), AID.seatApproximate) == Literal(True)
    assert back.value(iri("indicator:1"), AID.cumulative) == Literal(False)
    assert str(back.value(iri("doc:d-2"), DCTERMS.issued)) == "2021-05"


def test_the_lines_a_reader_sees(awkward):
    lines = _streamed(awkward, "nt").decode("utf-8").splitlines()
    doc = "<https://w3id.org/aidgraph/id/doc/d-1>"
    assert (f'{doc} <http://purl.org/dc/terms/title> "say \\"yes\\"\\\\no\\nnext line\\r\\n\ttab 𠀀😀 end"@zh .'
            in lines)
    assert f'{doc} <http://purl.org/dc/terms/issued> "2021-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .' in lines
    assert ('<https://w3id.org/aidgraph/id/place/310115> <https://schema.org/latitude> '
            '"1e-07"^^<http://www.w3.org/2001/XMLSchema#double> .') in lines
    assert ('<https://w3id.org/aidgraph/id/indicator/1> <https://w3id.org/aidgraph/ns#cumulative> '
            '"false"^^<http://www.w3.org/2001/XMLSchema#boolean> .') in lines
    assert ('<https://w3id.org/aidgraph/id/funding/1> <https://w3id.org/aidgraph/ns#projectCount> '
            '"0"^^<http://www.w3.org/2001/XMLSchema#integer> .') in lines
    # an id with a space is percent-encoded in its IRI, never written raw between < >
    assert any(line.startswith("<https://w3id.org/aidgraph/id/pairing/p%201> ") for line in lines)
    assert lines == sorted(set(lines))


@pytest.mark.parametrize("label,name,value,expected", [
    ("Document", "title", AWKWARD, '"say \\"yes\\"\\\\no\\nnext line\\r\\n\ttab 𠀀😀 end"@zh'),
    ("Document", "date", "2021-5", '"2021-5"^^<http://www.w3.org/2001/XMLSchema#date>'),
    ("Document", "origin", 'a"b', '"a\\"b"'),
    ("Task", "year", 2024, '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
    ("Task", "number", -3, '"-3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("District", "longitude", 121, '"121.0"^^<http://www.w3.org/2001/XMLSchema#double>'),
    ("District", "latitude", 1e20, '"1e+20"^^<http://www.w3.org/2001/XMLSchema#double>'),
    ("District", "seat_approximate", True, '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
    ("Program", "name_en", "x\ry", '"x\\ry"@en'),
])
def test_each_value_is_written_as_rdflib_writes_it(label, name, value, expected):
    prop = NODE_TYPES[label].all_props[name]
    assert n3(lit(prop, value)) == expected
    assert _nt_row((URIRef("s"), URIRef("p"), literal(prop, value)))[8:-3] == expected


def test_the_shipped_data_has_every_type_the_rules_cover(aid):
    """The byte-for-byte comparison in test_stream_exports.py reaches every node type, and every
    relationship type but the one the awkward graph above adds."""
    g = aid.graph().networkx()
    assert {d["label"] for _, d in g.nodes(data=True)} == set(NODE_TYPES)
    assert {d["type"] for *_, d in g.edges(data=True)} | {"COOPERATING_UNIT"} == set(REL_TYPES)


def test_the_shipped_data_streamed_is_what_rdflib_reads_as_to_rdf(aid):
    graph = aid.graph()
    back = Graph().parse(data=_streamed(graph, "nt").decode("utf-8"), format="nt")
    assert isomorphic(back, to_rdf(graph))
    assert (iri("place:310115"), AID.supports, iri("place:533301")) in back
    assert back.value(iri("place:310115"), SDO.name) == Literal("浦东新区", lang="zh")
