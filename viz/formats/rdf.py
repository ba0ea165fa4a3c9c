"""Linked data: Turtle, N-Triples and JSON-LD of ``schema.rdf_graph.to_rdf``."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ...schema.rdf_graph import serialise, to_rdf
from .base import Format


def render(graph: CanonicalGraph, nodes: set[str] | None, *, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    return serialise(to_rdf(graph, nodes), fmt)


FORMATS = (
    Format("ttl", ".ttl", "text/turtle", "RDF Turtle(关联数据)· RDF as Turtle", False, render),
    Format("nt", ".nt", "application/n-triples", "RDF N-Triples(每行一个三元组)· RDF as N-Triples", False, render),
    Format("jsonld", ".jsonld", "application/ld+json", "RDF JSON-LD · RDF as JSON-LD", False, render),
)
