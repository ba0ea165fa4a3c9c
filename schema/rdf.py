"""The RDF view of the schema: standard vocabularies first (W3C ORG, PROV-O,
schema.org, Dublin Core terms, OWL-Time, SKOS), a small project namespace only
for what none of them has. Every node label and relationship type of
``schema.model`` has an entry here (a test checks), and the SHACL shapes are
generated from the same tables, so the stores, the RDF and the shapes cannot
drift apart."""
from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SH, TIME

from .model import NODE_TYPES, PLACE_LABELS, REL_TYPES

SDO = Namespace("https://schema.org/")
AID = Namespace("https://w3id.org/aidgraph/ns#")
BASE = "https://w3id.org/aidgraph/id/"

PREFIXES = {"aid": AID, "sdo": SDO, "org": ORG, "prov": PROV, "dcterms": DCTERMS, "time": TIME, "skos": SKOS,
            "owl": OWL, "rdfs": RDFS, "xsd": XSD, "sh": SH}

# node label -> classes (the first is the main one)
CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Municipality": (SDO.AdministrativeArea, ORG.Organization, SDO.GovernmentOrganization),
    "District": (SDO.AdministrativeArea, ORG.Organization, SDO.GovernmentOrganization),
    "Province": (SDO.AdministrativeArea,),
    "Prefecture": (SDO.AdministrativeArea,),
    "County": (SDO.AdministrativeArea,),
    "Program": (AID.Programme, SKOS.Concept),
    "Pairing": (AID.Pairing, ORG.OrganizationalCollaboration),
    "Document": (SDO.Legislation, PROV.Entity),
    "Agreement": (AID.Agreement, PROV.Entity),
    "Indicator": (AID.Indicator,),
    "AidFunding": (AID.Funding,),
    "Council": (ORG.FormalOrganization,),
    "CouncilBody": (ORG.FormalOrganization, AID.CouncilBody),
    "Task": (AID.Task, PROV.Activity),
    "Unit": (ORG.OrganizationalUnit, SDO.GovernmentOrganization),
    "Duty": (AID.Duty, SKOS.Concept),
}

# node property -> predicate; "zh" marks Chinese text (tagged @zh)
ZH = {"name", "title", "text", "section", "short_names", "names_as_written", "issuer", "place_as_written",
      "meeting"}
PROPERTIES: dict[str, URIRef] = {
    "name": SDO.name, "level": AID.level, "code": SDO.identifier, "former_codes": AID.formerCode,
    "short_names": SDO.alternateName, "source": AID.sourceReference, "name_en": RDFS.label,
    "description": RDFS.comment, "valid_from": AID.validFrom, "valid_to": AID.validTo,
    "period_note": AID.periodNote, "place_as_written": AID.placeAsWritten, "county_count": AID.countyCount,
    "prefecture_count": AID.prefectureCount, "number": AID.number, "title": DCTERMS.title,
    "issuer": DCTERMS.creator, "date": DCTERMS.issued, "kind": AID.kind, "file": AID.sourceFile,
    "origin": DCTERMS.provenance, "no": AID.number, "signed": DCTERMS.date, "target_2025": AID.target2025,
    "target": AID.target, "cumulative": AID.cumulative, "attribute": AID.attribute, "period": AID.period,
    "amount_100m_yuan": AID.amountHundredMillionYuan, "projects": AID.projectCount, "note": RDFS.comment,
    "founded": AID.foundedYear, "section": AID.section, "text": SDO.description, "year": AID.year,
    "names_as_written": AID.nameAsWritten, "longitude": SDO.longitude, "latitude": SDO.latitude,
}
# former_names / former_until become skolem resources (see loaders.rdf); the document number is
# also sdo:legislationIdentifier; the skos labels of a duty are added beside its title/text.

# relationship type -> predicate (start -> end)
RELATIONS: dict[str, URIRef] = {
    "PART_OF": SDO.containedInPlace, "SUPPORTER": AID.supporter, "SUPPORTED": AID.supported,
    "EXCLUDES": AID.excludes, "UNDER": AID.programme, "DERIVED_FROM": PROV.wasDerivedFrom,
    "PARTY": AID.party, "FUNDED": AID.fundedArea, "BODY_OF": ORG.subOrganizationOf, "LED_BY": AID.leadCity,
    "MEMBER_OF": ORG.memberOf, "TASK_OF": AID.taskOf, "UNIT_OF": ORG.unitOf, "LEAD_UNIT": AID.leadUnit,
    "RESPONSIBLE_UNIT": AID.responsibleUnit, "NAMES_PLACE": AID.namesPlace, "DUTY_OF": AID.dutyOf,
}
SUPPORTS = AID.supports  # the direct shortcut supporter -> place beside the reified pairing
ROLE_LEAD, ROLE_RESPONSIBLE = AID.LeadRole, AID.ResponsibleRole
ROLE_SUPPORTER, ROLE_SUPPORTED = AID.SupporterRole, AID.SupportedRole

PROJECT_TERMS = sorted({*(t for t in PROPERTIES.values() if t.startswith(str(AID))),
                        *(t for t in RELATIONS.values() if t.startswith(str(AID))),
                        *(c for cs in CLASSES.values() for c in cs if c.startswith(str(AID))),
                        SUPPORTS, ROLE_LEAD, ROLE_RESPONSIBLE, ROLE_SUPPORTER, ROLE_SUPPORTED,
                        AID.FormerName, AID.formerName, AID.inForceUntil, AID.asWritten, AID.position,
                        AID.listEndsWithEtc, AID.label, AID.sourceLocator})


def vocabulary() -> Graph:
    """The project namespace, declared (labels and domains) for what the export uses."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    g.add((URIRef(str(AID).rstrip("#")), RDF.type, OWL.Ontology))
    for t in PROJECT_TERMS:
        kind = OWL.Class if t.split("#")[-1][:1].isupper() else RDF.Property
        g.add((t, RDF.type, kind))
        g.add((t, RDFS.label, Literal(t.split("#")[-1], lang="en")))
    return g


def shapes() -> Graph:
    """SHACL shapes generated from the schema: every node type's required properties, and
    for every fact (a node type with ``source``) a document it derives from."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    required: dict[URIRef, set[URIRef]] = {}
    derived: set[URIRef] = set()
    for label, nt in sorted(NODE_TYPES.items()):
        cls = CLASSES[label][0]
        required.setdefault(cls, set()).update(PROPERTIES[p] for p in nt.required if p != "id")
        if "source" in nt.props and label not in PLACE_LABELS:  # places come from the code lists
            derived.add(cls)
    for cls, preds in sorted(required.items()):
        shape = shape_of(cls)
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, cls))
        for pred in sorted(preds):
            _min(g, shape, pred)
        if cls in derived:  # a fact without a source document is a violation
            node = _min(g, shape, PROV.wasDerivedFrom)
            g.add((node, SH["class"], SDO.Legislation))
    for label, rel in ONE_EACH:
        assert rel in REL_TYPES and label in REL_TYPES[rel].start
        node = _min(g, shape_of(CLASSES[label][0]), RELATIONS[rel])
        g.add((node, SH.maxCount, Literal(1)))
    return g


ONE_EACH = (("Pairing", "SUPPORTER"), ("Pairing", "SUPPORTED"), ("Pairing", "UNDER"), ("Task", "TASK_OF"),
            ("Unit", "UNIT_OF"))


def shape_of(cls: URIRef) -> URIRef:
    return AID[cls.split("/")[-1].split("#")[-1] + "Shape"]


def _min(g: Graph, shape: URIRef, path: URIRef) -> BNode:
    node = BNode()
    g.add((shape, SH.property, node))
    g.add((node, SH.path, path))
    g.add((node, SH.minCount, Literal(1)))
    return node

