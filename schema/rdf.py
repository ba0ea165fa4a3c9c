"""The RDF view of the schema, generated from the table in ``schema.model``:
standard vocabularies first (W3C ORG, PROV-O, schema.org, Dublin Core terms,
OWL-Time, SKOS), a small project namespace only for what none of them has.

Nothing here is kept by hand beside the table: every class, predicate, language
tag, enum and cardinality comes from the node and relationship types' own
declarations, read at call time (so the views below, the export in
``schema.rdf_graph`` and the SHACL shapes cannot drift from the table). The
views ``CLASSES``, ``PROPERTIES``, ``RELATIONS``, ``ZH``, ``ONE_EACH`` and
``PROJECT_TERMS`` are module attributes computed when read (see ``mapping()``).
"""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG, PROV, SH, TIME

from . import iri as _iri
from . import model as _model
from .model import NODE_TYPES, REL_TYPES, Prop

__all__ = [
    "AID",
    "BASE",
    "PREFIXES",
    "ROLE_LEAD",
    "ROLE_RESPONSIBLE",
    "ROLE_SUPPORTED",
    "ROLE_SUPPORTER",
    "SDO",
    "SUPPORTS",
    "Mapping",
    "mapping",
    "shape_of",
    "shapes",
    "target_class",
    "term",
    "vocabulary",
]

BASE = "https://w3id.org/aidgraph/id/"

# the table's IRIs are plain strings (``schema.iri``): here they become rdflib terms
AID, SDO = Namespace(str(_iri.AID)), Namespace(str(_iri.SDO))
ROLE_LEAD, ROLE_RESPONSIBLE = URIRef(_model.ROLE_LEAD), URIRef(_model.ROLE_RESPONSIBLE)


def term(iri: str) -> URIRef:
    """The rdflib term of an IRI the table names."""
    return URIRef(iri)

PREFIXES = {"aid": AID, "sdo": SDO, "org": ORG, "prov": PROV, "dcterms": DCTERMS, "time": TIME, "skos": SKOS,
            "owl": OWL, "rdfs": RDFS, "xsd": XSD, "sh": SH}

# terms of the pairing's own pattern (schema.rdf_graph): the memberships of its two sides and the
# direct shortcut supporter -> place beside the reified pairing
SUPPORTS = AID.supports
ROLE_SUPPORTER, ROLE_SUPPORTED = AID.SupporterRole, AID.SupportedRole
_PAIRING_TERMS = {"properties": {SUPPORTS: "direct shortcut: a supporter supports a place "
                                           "(beside the reified pairing)"},
                  "roles": {ROLE_SUPPORTER: "the supporting side of a pairing", ROLE_SUPPORTED: "the supported side"}}


@dataclass(frozen=True)
class Mapping:
    """The RDF terms of the schema table, as flat views."""
    classes: dict[str, tuple[URIRef, ...]]           # node label -> classes (the main one first)
    properties: dict[str, dict[str, URIRef]]         # node label or relationship type -> property -> predicate
    relations: dict[str, URIRef]                     # relationship type -> predicate (start -> end)
    zh: frozenset[tuple[str, str]]                   # (label or type, property) of Chinese text (tagged @zh)
    one_each: tuple[tuple[str, str], ...]            # (start label, relationship type): exactly one each
    project_classes: dict[URIRef, str]               # project terms with what they are for
    project_properties: dict[URIRef, str]
    project_individuals: dict[URIRef, str]

    @property
    def project_terms(self) -> list[URIRef]:
        return sorted({*self.project_classes, *self.project_properties, *self.project_individuals})


def _ours(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(AID))


def mapping() -> Mapping:
    """The RDF views of the table as it is now."""
    classes = {label: tuple(map(term, nt.classes)) for label, nt in NODE_TYPES.items()}
    properties: dict[str, dict[str, URIRef]] = {}
    zh: set[tuple[str, str]] = set()
    pcls: dict[URIRef, str] = {}
    pprop: dict[URIRef, str] = {}
    pind: dict[URIRef, str] = {}

    def note(bucket: dict[URIRef, str], iri: str | None, doc: str) -> None:
        if iri is not None and _ours(term(iri)) and not bucket.get(term(iri)):
            bucket[term(iri)] = doc

    def props(owner: str, table: dict[str, Prop]) -> None:
        properties[owner] = {}
        for name, p in table.items():
            properties[owner][name] = term(p.rdf)
            if p.lang == "zh":
                zh.add((owner, name))
            for t in (p.rdf, *p.also):
                note(pprop, t, p.doc)
            if p.group:
                note(pprop, p.group.link, f"a resource grouping {name} with its parallel properties")
                note(pcls, p.group.cls, f"one entry of {name} with its parallel properties")

    for label, nt in NODE_TYPES.items():
        for c in nt.classes:
            note(pcls, c, nt.doc)
        props(label, nt.all_props)
    for rel, rt in REL_TYPES.items():
        for t in (rt.rdf, *rt.also, rt.inverse):
            note(pprop, t, rt.doc)
        props(rel, rt.props)
        q = rt.qualifier
        if q is not None:
            for c in q.classes:
                note(pcls, c, f"a qualified {rel} relationship")
            for t in (q.from_start, q.to_end, q.to_start):
                note(pprop, t, f"links a qualified {rel} relationship")
            for pred, obj in q.constants:
                note(pprop, pred, f"of a qualified {rel} relationship")
                if _ours(term(obj)) and term(obj) not in pprop:
                    note(pind, obj, f"of a qualified {rel} relationship")
    for pairing_term, doc in _PAIRING_TERMS["properties"].items():
        note(pprop, pairing_term, doc)
    for pairing_term, doc in _PAIRING_TERMS["roles"].items():
        note(pind, pairing_term, doc)
    one_each = tuple((label, rel) for rel, rt in REL_TYPES.items() if rt.one_each for label in rt.start)
    return Mapping(classes, properties, {rel: term(rt.rdf) for rel, rt in REL_TYPES.items()}, frozenset(zh), one_each,
                   pcls, pprop, pind)


def __getattr__(name: str):
    """The flat views, computed from the table when read."""
    views = {"CLASSES": lambda m: m.classes, "PROPERTIES": lambda m: m.properties, "RELATIONS": lambda m: m.relations,
             "ZH": lambda m: m.zh, "ONE_EACH": lambda m: m.one_each, "PROJECT_TERMS": lambda m: m.project_terms}
    if name in views:
        return views[name](mapping())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _bound() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    return g


def vocabulary() -> Graph:
    """The project namespace, declared (kind, label, what it is for) for what the export uses."""
    g = _bound()
    m = mapping()
    g.add((URIRef(str(AID).rstrip("#")), RDF.type, OWL.Ontology))
    for bucket, kind in ((m.project_classes, OWL.Class), (m.project_properties, RDF.Property),
                         (m.project_individuals, PROV.Role)):
        for t, doc in sorted(bucket.items()):
            g.add((t, RDF.type, kind))
            g.add((t, RDFS.label, Literal(t.split("#")[-1], lang="en")))
            if doc:
                g.add((t, RDFS.comment, Literal(doc, lang="en")))
    return g


# -- SHACL ----------------------------------------------------------------------------------------------
def target_class(label: str) -> URIRef:
    """The class a label's shape targets: the first of its classes no other label has, else its main class."""
    others = {c for other, nt in NODE_TYPES.items() if other != label for c in nt.classes}
    classes = NODE_TYPES[label].classes
    return term(next((c for c in classes if c not in others), classes[0]))


def shape_of(cls: URIRef) -> URIRef:
    return AID[cls.split("/")[-1].split("#")[-1] + "Shape"]


class _PropertySpec:
    """Constraints on one path of a shape, gathered from every declaration that reaches it."""

    def __init__(self) -> None:
        self.uses: list[Prop | None] = []   # None: a value of the path not described by a Prop
        self.min = self.max = False
        self.classes: list[URIRef | None] = []  # of the values, from each declaration (None: any)
        self.values: list = []

    def emit(self, g: Graph, shape: URIRef, path: URIRef) -> None:
        node = BNode()
        g.add((shape, SH.property, node))
        g.add((node, SH.path, path))
        if self.min:
            g.add((node, SH.minCount, Literal(1)))
        if self.max:
            g.add((node, SH.maxCount, Literal(1)))
        known = [c for c in self.classes if c is not None]
        if self.classes and len(known) == len(self.classes) and len(set(known)) == 1:
            g.add((node, SH["class"], known[0]))
        if self.values:
            g.add((node, SH["in"], _list(g, self.values)))
        props = [p for p in self.uses if p is not None]
        if not props or len(props) != len(self.uses):
            return
        kinds = {term(p.rdf_datatype) for p in props if not p.interval}
        if len(kinds) == 1 and not any(p.interval for p in props):
            g.add((node, SH.datatype, kinds.pop()))
        langs = {p.lang for p in props}
        if len(langs) == 1 and None not in langs:
            g.add((node, SH.languageIn, _list(g, [Literal(langs.pop())])))
        if all(p.interval for p in props):
            g.add((node, SH["class"], TIME.Interval))
        if all(p.enum for p in props):
            allowed = sorted({(v, p.lang) for p in props for v in p.enum or ()}, key=lambda t: (t[0], t[1] or ""))
            g.add((node, SH["in"], _list(g, [Literal(v, lang=lang) for v, lang in allowed])))


def _list(g: Graph, items: list) -> BNode:
    head = BNode()
    Collection(g, head, items)
    return head


def _common_class(labels: tuple[str, ...]) -> URIRef | None:
    first = NODE_TYPES[labels[0]].classes
    common = next((c for c in first if all(c in NODE_TYPES[label].classes for label in labels)), None)
    return None if common is None else term(common)


def shapes() -> Graph:
    """SHACL shapes generated from the table: per node type its required properties, the datatype,
    language and allowed values of each property, single values where a property is single; the
    relationships a start node has exactly one of (``one_each``) or at least one of (``min_one``,
    e.g. every fact derives from a document); and the qualified resources of relationships with
    properties, their target and their properties' datatypes and allowed values."""
    g = _bound()
    specs: dict[tuple[URIRef, URIRef], dict[URIRef, _PropertySpec]] = {}  # (target kind, target) -> path -> spec

    def spec(kind: URIRef, target: URIRef, path: URIRef) -> _PropertySpec:
        return specs.setdefault((kind, target), {}).setdefault(path, _PropertySpec())

    # predicates the export writes on nodes besides their properties
    on_nodes = {SUPPORTS} | {term(t) for rt in REL_TYPES.values()
                             for t in (rt.rdf, *rt.also, rt.inverse, rt.qualifier and rt.qualifier.from_start) if t}
    for cls in sorted({target_class(label) for label in NODE_TYPES}):
        reached = tuple(label for label, nt in NODE_TYPES.items() if str(cls) in nt.classes)
        paths: dict[URIRef, list[tuple[str, str, Prop]]] = {}
        for label in reached:
            for name, p in NODE_TYPES[label].all_props.items():
                if p.group is None:
                    for predicate in (p.rdf, *p.also):
                        paths.setdefault(term(predicate), []).append((label, name, p))
        for path, uses in paths.items():
            s = spec(SH.targetClass, cls, path)
            s.uses = [p for _, _, p in uses] + ([None] if path in on_nodes else [])
            s.min = all(any(used == label and n in NODE_TYPES[label].required for used, n, _ in uses)
                        for label in reached)
            s.max = path not in on_nodes and all(
                len([1 for used, _, p in uses if used == label]) <= 1
                and not any(p.many for used, _, p in uses if used == label)
                for label in reached)
        for rt in REL_TYPES.values():
            if (rt.min_one or rt.one_each) and set(reached) <= set(rt.start):
                s = spec(SH.targetClass, cls, term(rt.rdf))
                s.min, s.max = rt.min_one, rt.one_each
                s.classes.append(_common_class(rt.end))
    # parallel lists written as resources of their own (former names)
    for nt in NODE_TYPES.values():
        for p in nt.props.values():
            if p.group is not None:
                s = spec(SH.targetObjectsOf, term(p.group.link), term(p.rdf))
                s.uses, s.min, s.max = [p], True, True
    # qualified relationships
    for rt in REL_TYPES.values():
        q = rt.qualifier
        if q is None:
            continue
        s = spec(SH.targetObjectsOf, term(q.from_start), term(q.to_end))
        s.min = s.max = True
        s.classes.append(_common_class(rt.end))
        if q.to_start is not None:
            s = spec(SH.targetObjectsOf, term(q.from_start), term(q.to_start))
            s.min = s.max = True
            s.classes.append(_common_class(rt.start))
        for pred, obj in q.constants:
            s = spec(SH.targetObjectsOf, term(q.from_start), term(pred))
            s.min = s.max = True
            s.values = sorted({*s.values, term(obj)})
        for p in rt.props.values():
            s = spec(SH.targetObjectsOf, term(q.from_start), term(p.rdf))
            s.uses.append(p)
            s.max = not p.many
    for (kind, target), by_path in sorted(specs.items()):
        shape = shape_of(target)
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, kind, target))
        for path, s in sorted(by_path.items()):
            s.emit(g, shape, path)
    return g
