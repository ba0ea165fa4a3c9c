"""The canonical graph (or a part of it) -> RDF with the vocabulary of ``schema.rdf``.

IRIs are stable, built from the schema's ids (places from their division
codes). Pairings are reified as ``org:OrganizationalCollaboration`` with one
``org:Membership`` per side and its ``org:memberDuring`` interval, beside the
direct ``aid:supports`` shortcut; task units are ``prov:qualifiedAssociation``s
with ``prov:hadRole`` lead or responsible. Resources that would be blank
nodes get skolem IRIs under their owner's, so the output is the same for the
same graph and diffs cleanly.
"""
from __future__ import annotations

from urllib.parse import quote

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, TIME

from ..schema.model import NODE_TYPES, REL_TYPES
from .rdf import (AID, BASE, CLASSES, PREFIXES, PROPERTIES, RELATIONS, ROLE_LEAD, ROLE_RESPONSIBLE,
                          ROLE_SUPPORTED, ROLE_SUPPORTER, SDO, SUPPORTS, ZH)
from .graph import CanonicalGraph

_YEAR_PROPS = {"valid_from", "valid_to", "founded", "year"}


def iri(node_id: str) -> URIRef:
    """``place:530800`` -> ``…/id/place/530800``; other characters percent-encoded."""
    prefix, _, key = node_id.partition(":")
    return URIRef(BASE + prefix + "/" + quote(key, safe=":-_.~"))


def doc_iri(doc_id: str) -> URIRef:
    return iri(f"doc:{doc_id}")


def _literal(prop: str, value) -> Literal:
    if prop in _YEAR_PROPS:
        return Literal(str(value), datatype=XSD.gYear)
    if prop in ("date", "signed"):
        return Literal(value, datatype=XSD.date)
    if isinstance(value, str) and prop in ZH:
        return Literal(value, lang="zh")
    return Literal(value)


def _interval(g: Graph, owner: URIRef, start: int | None, end: int | None) -> URIRef:
    node = URIRef(f"{owner}/period")
    g.add((node, RDF.type, TIME.Interval))
    for pred, year, name in ((TIME.hasBeginning, start, "begin"), (TIME.hasEnd, end, "end")):
        if year is not None:
            inst = URIRef(f"{owner}/period/{name}")
            g.add((node, pred, inst))
            g.add((inst, RDF.type, TIME.Instant))
            g.add((inst, TIME.inXSDgYear, Literal(str(year), datatype=XSD.gYear)))
    return node


def to_rdf(graph: CanonicalGraph, node_ids: set[str] | None = None) -> Graph:
    """RDF of the whole graph, or of the nodes in ``node_ids`` and the relationships among them."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    keep = (lambda n: True) if node_ids is None else (lambda n: n in node_ids)
    for data in graph.nodes():
        if not keep(data["id"]):
            continue
        _node(g, graph, data)
    for s, e, data in graph.edges():
        if keep(s) and keep(e):
            _edge(g, graph, s, e, data)
    return g


def _node(g: Graph, graph: CanonicalGraph, data: dict) -> None:
    label, nid = data["label"], data["id"]
    me = iri(nid)
    for cls in CLASSES[label]:
        g.add((me, RDF.type, cls))
    g.add((me, DCTERMS.identifier, Literal(nid)))
    for prop, value in data.items():
        if prop in ("label", "id", "former_names", "former_until"):
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            g.add((me, PROPERTIES[prop], _literal(prop, v)))
    if label == "Document":
        g.add((me, SDO.legislationIdentifier, Literal(data["number"])))
    if label == "Duty":
        g.add((me, SKOS.prefLabel, Literal(data["title"], lang="zh")))
        g.add((me, SKOS.definition, Literal(data["text"], lang="zh")))
    for i, (name, until) in enumerate(zip(data.get("former_names", []), data.get("former_until", []))):
        former = URIRef(f"{me}/former/{i}")
        g.add((me, AID.formerName, former))
        g.add((former, RDF.type, AID.FormerName))
        g.add((former, SDO.name, Literal(name, lang="zh")))
        g.add((former, AID.inForceUntil, Literal(str(until), datatype=XSD.gYear)))
    if label == "Pairing":
        period = _interval(g, me, data.get("valid_from"), data.get("valid_to"))
        for side, role in (("SUPPORTER", ROLE_SUPPORTER), ("SUPPORTED", ROLE_SUPPORTED)):
            member = graph.out(nid, side)[0]
            ms = URIRef(f"{me}/membership/{side.lower()}")
            g.add((ms, RDF.type, ORG.Membership))
            g.add((ms, ORG.member, iri(member)))
            g.add((ms, ORG.organization, me))
            g.add((ms, ORG.role, role))
            g.add((ms, ORG.memberDuring, period))
        g.add((iri(graph.out(nid, "SUPPORTER")[0]), SUPPORTS, iri(graph.out(nid, "SUPPORTED")[0])))


def _edge(g: Graph, graph: CanonicalGraph, s: str, e: str, data: dict) -> None:
    rel = data["type"]
    a, b = iri(s), iri(e)
    g.add((a, RELATIONS[rel], b))
    if rel == "DERIVED_FROM":
        g.add((a, PROV.hadPrimarySource, b))
        if data.get("locator"):
            g.add((a, AID.sourceLocator, Literal(data["locator"], lang="zh")))
    elif rel in ("LEAD_UNIT", "RESPONSIBLE_UNIT"):
        role = ROLE_LEAD if rel == "LEAD_UNIT" else ROLE_RESPONSIBLE
        assoc = URIRef(f"{a}/association/{'lead' if rel == 'LEAD_UNIT' else 'responsible'}/{data['position']}")
        g.add((a, PROV.qualifiedAssociation, assoc))
        g.add((assoc, RDF.type, PROV.Association))
        g.add((assoc, PROV.agent, b))
        g.add((assoc, PROV.hadRole, role))
        g.add((assoc, AID.asWritten, Literal(data["as_written"], lang="zh")))
        g.add((assoc, AID.position, Literal(data["position"])))
        if data.get("etc"):
            g.add((assoc, AID.listEndsWithEtc, Literal(True)))
        if data.get("label"):
            g.add((assoc, AID.label, Literal(data["label"], lang="zh")))
    elif rel == "DUTY_OF":
        g.add((b, ORG.purpose, a))
    elif rel == "MEMBER_OF":
        ms = URIRef(f"{a}/membership/{quote(e.partition(':')[2])}")
        g.add((ms, RDF.type, ORG.Membership))
        g.add((ms, ORG.member, a))
        g.add((ms, ORG.organization, b))
        g.add((ms, ORG.memberDuring, _interval(g, ms, data.get("joined"), None)))
        g.add((ms, PROV.wasDerivedFrom, doc_iri(data["source"].split("#")[0])))
        if data.get("meeting"):
            g.add((ms, RDF.value, Literal(data["meeting"], lang="zh")))
    elif rel == "NAMES_PLACE" and data.get("as_written"):
        g.add((a, AID.placeAsWritten, Literal(data["as_written"], lang="zh")))


def serialise(g: Graph, fmt: str) -> bytes:
    """Deterministic, diff-friendly text: sorted long Turtle, sorted N-Triples, JSON-LD."""
    if fmt == "ttl":
        return g.serialize(format="longturtle").encode("utf-8")
    if fmt == "nt":
        lines = sorted(set(g.serialize(format="nt").splitlines()) - {""})
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        return g.serialize(format="json-ld", context=context, sort_keys=True, indent=1).encode("utf-8")
    raise ValueError(f"unknown RDF format {fmt!r} (ttl, nt, jsonld)")


def check_mapping() -> list[str]:
    """Labels, properties and relationship types of the schema without an RDF term."""
    missing = [f"label {l}" for l in NODE_TYPES if l not in CLASSES]
    missing += [f"property {p}" for nt in NODE_TYPES.values() for p in nt.props
                if p not in PROPERTIES and p not in ("former_names", "former_until")]
    missing += [f"relationship {r}" for r in REL_TYPES if r not in RELATIONS]
    return sorted(set(missing))
