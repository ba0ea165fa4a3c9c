"""The schema table (schema/model.py) is the one definition: a property added to a node
type there shows up, with no other edit, in the canonical graph's checks, the Neo4j
DDL, the RDF export and its SHACL shapes, and the API model; enums are enforced."""
import csv
import dataclasses

import pytest
from pydantic import ValidationError
from pyshacl import validate
from rdflib import RDF, Graph, Literal, URIRef

from aidgraph.errors import LoadError
from aidgraph.loaders.curated import load_graph
from aidgraph.queries.results import api_model
from aidgraph.schema import model
from aidgraph.schema.graph import CanonicalGraph, SchemaError
from aidgraph.schema.neo4j import neo4j_ddl
from aidgraph.schema.rdf import mapping, shapes, vocabulary
from aidgraph.schema.rdf_graph import iri, to_rdf

AID = "https://w3id.org/aidgraph/ns#"
SH = "http://www.w3.org/ns/shacl#"
MOTTO, STANDING = URIRef(AID + "motto"), URIRef(AID + "standing")
COUNCIL = "council:test"


@pytest.fixture
def with_motto(monkeypatch):
    """Council gets two new properties in the table, and nothing else is edited."""
    council = model.NODE_TYPES["Council"]
    motto = model.Prop(model.STR, MOTTO, "the council's motto", lang="zh", indexed=True)
    standing = model.Prop(model.STR, STANDING, "how the council stands", enum=("founding", "joined"))
    monkeypatch.setitem(model.NODE_TYPES, "Council", dataclasses.replace(
        council, props={**council.props, "motto": motto, "standing": standing}, required=(*council.required, "motto")))


def _council_graph(**props) -> CanonicalGraph:
    g = CanonicalGraph()
    g.add_node("Document", "doc:test-1", number="测〔2024〕1号", title="测试文件", kind="plan")
    g.add_node("Council", COUNCIL, name="测试协调会", source="test-1#表1", **props)
    g.add_edge("DERIVED_FROM", COUNCIL, "doc:test-1", locator="表1")
    return g


def test_before_the_edit_the_property_is_nowhere():
    assert "motto" not in model.NODE_TYPES["Council"].props
    assert not any("motto" in s for s in neo4j_ddl())
    with pytest.raises(SchemaError, match="'motto' is not in the schema"):
        _council_graph(motto="同舟共济")
    assert "motto" not in api_model("Council").model_fields


def test_graph_check_takes_the_new_property_and_its_type_and_enum(with_motto):
    g = _council_graph(motto="同舟共济", standing="founding")
    assert g.node(COUNCIL)["motto"] == "同舟共济"
    with pytest.raises(SchemaError, match="'motto' must be str, got 7"):
        _council_graph(motto=7)
    with pytest.raises(SchemaError) as e:
        _council_graph(motto="同舟共济", standing="visitor")
    assert str(e.value) == ("Council council:test: property 'standing' is 'visitor', "
                            "not one of the allowed values founding, joined")
    with pytest.raises(SchemaError, match="missing motto"):
        _council_graph()


def test_neo4j_ddl_indexes_the_new_property(with_motto):
    assert "CREATE INDEX council_motto IF NOT EXISTS FOR (n:Council) ON (n.motto)" in neo4j_ddl()
    assert not any("standing" in s for s in neo4j_ddl())  # not declared indexed


def test_rdf_export_and_shapes_carry_the_new_property(with_motto):
    rdf = to_rdf(_council_graph(motto="同舟共济", standing="joined"))
    me = iri(COUNCIL)
    assert (me, MOTTO, Literal("同舟共济", lang="zh")) in rdf
    assert (me, STANDING, Literal("joined")) in rdf
    assert MOTTO in mapping().project_terms and (MOTTO, RDF.type, RDF.Property) in vocabulary()

    sh = shapes()
    council_shape = URIRef(AID + "CouncilShape")  # Council's own class is aid:Council
    paths = {sh.value(p, URIRef(SH + "path")): p for p in sh.objects(council_shape, URIRef(SH + "property"))}
    assert sh.value(paths[MOTTO], URIRef(SH + "minCount")) == Literal(1)  # required
    allowed = sh.value(paths[STANDING], URIRef(SH + "in"))
    assert list(sh.items(allowed)) == [Literal("founding"), Literal("joined")]

    conforms, _, text = validate(rdf, shacl_graph=sh, inference="none")
    assert conforms, text
    for wrong in ((me, MOTTO, None), (me, STANDING, None)):
        broken = Graph()
        for t in rdf:
            broken.add(t)
        broken.remove(wrong)
        if wrong[1] == STANDING:
            broken.add((me, STANDING, Literal("visitor")))
        conforms, report, _ = validate(broken, shacl_graph=sh, inference="none")
        assert not conforms
        assert set(report.objects(None, URIRef(SH + "resultPath"))) == {wrong[1]}


def test_api_model_has_the_new_property(with_motto):
    Council = api_model("Council")
    schema = Council.model_json_schema()
    assert "motto" in schema["required"]
    assert schema["properties"]["standing"]["anyOf"][0]["enum"] == ["founding", "joined"]
    ok = Council(label="Council", id=COUNCIL, name="测试协调会", motto="同舟共济", standing="joined")
    assert ok.motto == "同舟共济"
    with pytest.raises(ValidationError):
        Council(label="Council", id=COUNCIL, name="测试协调会", motto="同舟共济", standing="visitor")
    with pytest.raises(ValidationError):
        Council(label="Council", id=COUNCIL, name="测试协调会")


def test_a_new_relationship_property_reaches_the_rdf(monkeypatch):
    """BODY_OF has no properties; given one in the table, the export writes it on a reified statement."""
    body_of = model.REL_TYPES["BODY_OF"]
    since = model.Prop(model.INT, URIRef(AID + "since"), "year it became a body of the council", datatype=model.YEAR)
    monkeypatch.setitem(model.REL_TYPES, "BODY_OF", dataclasses.replace(body_of, props={"since": since}))
    g = _council_graph()
    g.add_node("CouncilBody", "councilbody:t1", name="测试专委会", source="test-1#表1")
    g.add_edge("BODY_OF", "councilbody:t1", COUNCIL, since=2019)
    with pytest.raises(SchemaError, match="'since' must be int"):
        g.add_edge("BODY_OF", "councilbody:t1", COUNCIL, since="2019")
    rdf = to_rdf(g)
    body, council = iri("councilbody:t1"), iri(COUNCIL)
    (st,) = rdf.objects(body, URIRef(AID + "qualifiedBodyOf"))
    assert (st, RDF.subject, body) in rdf and (st, RDF.object, council) in rdf
    assert (st, RDF.predicate, URIRef("http://www.w3.org/ns/org#subOrganizationOf")) in rdf
    year_2019 = Literal("2019", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert (st, URIRef(AID + "since"), year_2019) in rdf


def test_enum_values_of_the_table():
    """The allowed values, as the documents use them."""
    assert model.NODE_TYPES["County"].props["level"].enum == (
        "municipality", "district", "province", "prefecture", "county")
    assert model.NODE_TYPES["Task"].props["kind"].enum == ("task", "safeguard")
    assert model.NODE_TYPES["Unit"].props["kind"].enum == ("unit", "collective", "front-line", "office-outside")
    assert model.NODE_TYPES["Document"].props["kind"].enum == ("guidance", "plan", "work-points", "notice")
    # the labels heading a list of units are data (curated/unit_role_labels.csv), not restated here
    assert model.REL_TYPES["RESPONSIBLE_UNIT"].props["label"].enum is None


def test_one_each_is_enforced_by_the_graph():
    g = CanonicalGraph()
    g.add_node("Municipality", "place:310000", name="上海市", level="municipality", code="310000")
    g.add_node("District", "place:310115", name="浦东新区", level="district", code="310115")
    g.add_node("Unit", "unit:310115:区合作交流办", name="区合作交流办", kind="unit")
    g.add_edge("UNIT_OF", "unit:310115:区合作交流办", "place:310115")
    with pytest.raises(SchemaError, match="UNIT_OF: unit:310115:区合作交流办 has one already"):
        g.add_edge("UNIT_OF", "unit:310115:区合作交流办", "place:310000")
    with pytest.raises(SchemaError, match="'level' is 'city', not one of the allowed values municipality, district"):
        g.add_node("Prefecture", "place:530800", name="普洱市", level="city", code="530800")
    with pytest.raises(SchemaError, match="'kind' is 'bureau', not one of the allowed values unit, collective"):
        g.add_node("Unit", "unit:310115:区人社局", name="区人社局", kind="bureau")


def test_an_out_of_enum_unit_kind_stops_the_load(data_copy):
    path = data_copy / "curated" / "unit_aliases.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cols = list(rows[0])
    (renshe,) = [r for r in rows if r["written"] == "区人社局"]
    renshe["kind"] = "bureau"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(LoadError) as e:
        load_graph(data_copy)
    msg = "\n".join(e.value.problems)
    assert "bureau" in msg and all(k in msg for k in ("unit", "collective", "front-line", "office-outside"))


def test_an_out_of_enum_value_in_rdf_breaks_the_shapes():
    g = CanonicalGraph()
    g.add_node("Document", "doc:test-1", number="测〔2024〕1号", title="测试文件", kind="plan")
    rdf = to_rdf(g)
    assert validate(rdf, shacl_graph=shapes(), inference="none")[0]
    rdf.set((iri("doc:test-1"), URIRef(AID + "kind"), Literal("memo")))
    conforms, report, _ = validate(rdf, shacl_graph=shapes(), inference="none")
    assert not conforms and set(report.objects(None, URIRef(SH + "resultPath"))) == {URIRef(AID + "kind")}
