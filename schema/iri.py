"""The IRIs the schema table names, as plain strings (``IRI``), in the vocabularies it uses.

Every command reads the schema table; were its IRIs rdflib terms, each would import rdflib (≈ 0.1 s of
its start) to answer a question that writes no RDF. The RDF writers make rdflib terms of them where they
write (``schema.rdf.term``); the streamed writers use them as the strings they are."""
from __future__ import annotations


class IRI(str):
    """An IRI named by the schema table."""

    __slots__ = ()


class Namespace:
    """A vocabulary: ``NS.name`` and ``NS["name"]`` are the IRI of ``name`` in it (not a ``str``, so no
    term is mistaken for a string method: ``DCTERMS.title``)."""

    __slots__ = ("base",)

    def __init__(self, base: str):
        self.base = base

    def __getattr__(self, name: str) -> IRI:
        if name.startswith("__"):
            raise AttributeError(name)
        return IRI(self.base + name)

    def __getitem__(self, name: str) -> IRI:
        return IRI(self.base + name)

    def __str__(self) -> str:
        return self.base

    def __repr__(self) -> str:
        return f"Namespace({self.base!r})"


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SDO = Namespace("https://schema.org/")
AID = Namespace("https://w3id.org/aidgraph/ns#")

__all__ = ["AID", "DCTERMS", "IRI", "ORG", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD", "Namespace"]
