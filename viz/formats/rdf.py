"""Linked data: Turtle, N-Triples and JSON-LD of ``schema.rdf_graph.to_rdf``: the canonical facts a view
stands for, each with its provenance."""
from __future__ import annotations

from ...schema.graph import CanonicalGraph
from ...schema.rdf_graph import serialise, to_rdf
from ..view import View
from .base import Format, canonical_nodes, the_graph


def write(view: View, graph: CanonicalGraph | None, fmt: str, geographic: bool = False) -> bytes:
    graph = the_graph(graph)
    return serialise(to_rdf(graph, canonical_nodes(view, graph)), fmt)


FORMATS = (
    Format("ttl", ".ttl", "text/turtle", "RDF Turtle(关联数据)· RDF as Turtle", False, write, view_needs_graph=True),
    Format("nt", ".nt", "application/n-triples", "RDF N-Triples(每行一个三元组)· RDF as N-Triples", False, write,
           view_needs_graph=True),
    Format("jsonld", ".jsonld", "application/ld+json", "RDF JSON-LD · RDF as JSON-LD", False, write,
           view_needs_graph=True),
)
