"""The canonical graph (or a part of it) -> RDF, written from the schema table.

IRIs are stable, built from the schema's ids (places from their division
codes). Every node property is written with the predicate, language tag and
datatype its :class:`~aidgraph.schema.model.Prop` declares; every relationship
with its predicate, and, when it carries properties, a qualified resource that
carries each of them (see :class:`~aidgraph.schema.model.Qualified`: task units
are ``prov:qualifiedAssociation``s with ``prov:hadRole`` lead or responsible,
sources ``prov:qualifiedDerivation``s with their locator, council members
``org:Membership``s, the rest reified ``rdf:Statement``s), so no declared
property drops out. Pairings are reified as ``org:OrganizationalCollaboration``
with one ``org:Membership`` per side and its ``org:memberDuring`` interval,
beside the direct ``aid:supports`` shortcut. Resources that would be blank
nodes get skolem IRIs under their owner's, so the output is the same for the
same graph and diffs cleanly.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, TIME

from .graph import CanonicalGraph
from .model import FLOAT, NODE_TYPES, REL_TYPES, Prop
from .rdf import BASE, PREFIXES, ROLE_SUPPORTED, ROLE_SUPPORTER, SUPPORTS, term
from .sources import split_refs


def iri(node_id: str) -> URIRef:
    """``place:530800`` -> ``…/id/place/530800``; other characters percent-encoded."""
    prefix, _, key = node_id.partition(":")
    return URIRef(BASE + prefix + "/" + quote(key, safe=":-_.~"))


def doc_iri(doc_id: str) -> URIRef:
    return iri(f"doc:{doc_id}")


def literal(prop: Prop, value) -> Literal:
    """One value of a property as the table declares it: datatype, else language, else the type's own."""
    if prop.datatype is not None and term(prop.datatype) == XSD.gYear:
        return Literal(str(value), datatype=XSD.gYear)
    if prop.datatype is not None:
        return Literal(value, datatype=term(prop.datatype))
    if prop.lang and isinstance(value, str):
        return Literal(value, lang=prop.lang)
    if prop.type == FLOAT:
        return Literal(float(value))
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


def _props(g: Graph, me: URIRef, table: dict[str, Prop], data: dict, qualified: bool = False) -> None:
    """Every declared property present in ``data``, on ``me`` (a node, or the ``qualified`` resource of a
    relationship: there a property naming documents also gives ``prov:wasDerivedFrom`` each; a node has
    its ``DERIVED_FROM`` relationships for that)."""
    groups: dict = {}
    intervals: dict[URIRef, dict[str, int]] = {}
    for name, prop in table.items():
        value = data.get(name)
        if value is None:
            continue
        if prop.group is not None:
            groups.setdefault(prop.group, []).append((prop, value))
            continue
        if prop.interval is not None:
            intervals.setdefault(term(prop.rdf), {})[prop.interval] = value
            continue
        for v in (value if prop.many else [value]):
            for pred in (prop.rdf, *prop.also):
                g.add((me, term(pred), literal(prop, v)))
        if prop.documents and qualified:
            for ref in split_refs(str(value)):
                if ref.doc and ref.locator:  # a bare id (gbt2260) is no document of the register
                    g.add((me, PROV.wasDerivedFrom, doc_iri(ref.doc)))
    for group, members in sorted(groups.items(), key=lambda kv: kv[0].segment):
        for i, values in enumerate(zip(*(v for _, v in members), strict=True)):
            res = URIRef(f"{me}/{group.segment}/{i}")
            g.add((me, term(group.link), res))
            g.add((res, RDF.type, term(group.cls)))
            for (prop, _), v in zip(members, values, strict=True):
                g.add((res, term(prop.rdf), literal(prop, v)))
    for link, ends in sorted(intervals.items()):
        g.add((me, link, _interval(g, me, ends.get("begin"), ends.get("end"))))


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
            _edge(g, s, e, data)
    return g


def _node(g: Graph, graph: CanonicalGraph, data: dict) -> None:
    label, nid = data["label"], data["id"]
    nt = NODE_TYPES[label]
    me = iri(nid)
    for cls in nt.classes:
        g.add((me, RDF.type, term(cls)))
    _props(g, me, nt.all_props, data)
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


def qualified_iri(rel: str, start: str, end: str) -> URIRef:
    """The stable IRI of the qualified resource of a relationship: ``<start>/<segment>/<end prefix>/<end key>``."""
    q = REL_TYPES[rel].qualifier
    if q is None:
        raise ValueError(f"a {rel} relationship has no qualified resource")
    return URIRef(f"{iri(start)}/{q.segment}/{str(iri(end))[len(BASE):]}")


def _edge(g: Graph, s: str, e: str, data: dict) -> None:
    rel = data["type"]
    rt = REL_TYPES[rel]
    a, b = iri(s), iri(e)
    for pred in (rt.rdf, *rt.also):
        g.add((a, term(pred), b))
    if rt.inverse is not None:
        g.add((b, term(rt.inverse), a))
    q = rt.qualifier
    if q is None:
        return
    me = qualified_iri(rel, s, e)
    g.add((a, term(q.from_start), me))
    for cls in q.classes:
        g.add((me, RDF.type, term(cls)))
    if q.to_start is not None:
        g.add((me, term(q.to_start), a))
    g.add((me, term(q.to_end), b))
    for pred, obj in q.constants:
        g.add((me, term(pred), term(obj)))
    _props(g, me, rt.props, data, qualified=True)


def _canonical_jsonld(node):
    """rdflib writes JSON-LD nodes and values in hash order: sort ``@graph`` by ``@id`` and every
    value array by its JSON text (``@list`` arrays keep their order), so the bytes never vary."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            value = _canonical_jsonld(value) if key != "@list" else [_canonical_jsonld(v) for v in value]
            if isinstance(value, list) and key != "@list":
                value = sorted(value, key=lambda v: (v.get("@id", "") if isinstance(v, dict) else "",
                                                     json.dumps(v, ensure_ascii=False, sort_keys=True)))
            out[key] = value
        return out
    if isinstance(node, list):
        return [_canonical_jsonld(v) for v in node]
    return node


def serialise(g: Graph, fmt: str) -> bytes:
    """Deterministic, diff-friendly text: sorted long Turtle, sorted N-Triples, JSON-LD."""
    if fmt == "ttl":
        return g.serialize(format="longturtle").encode("utf-8")
    if fmt == "nt":
        lines = sorted(set(g.serialize(format="nt").splitlines()) - {""})
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "jsonld":
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        doc = json.loads(g.serialize(format="json-ld", context=context, sort_keys=True))
        return (json.dumps(_canonical_jsonld(doc), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    raise ValueError(f"unknown RDF format {fmt!r} (ttl, nt, jsonld)")
