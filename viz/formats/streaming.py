"""Whole-graph exports written as they go: each streaming format is a generator of byte chunks, so no
whole output is held in memory (issue 20 item 4). Used by ``viz.formats.chunks`` when the view is the
whole graph; a view or a subgraph is small and keeps its one writer.

- node-link JSON and Cypher: the same bytes as their writers (nodes, then relationships, in sorted order);
- N-Triples: the same bytes (sorted lines): the triples are made per node — its own, its skolem
  resources', and those naming it as subject from its relationships — and nodes are visited in the order
  of their IRIs, so a small heap merges them into sorted order;
- Turtle and JSON-LD: the same triples (an isomorphic graph), one subject block at a time in the order
  of the N-Triples, not rdflib's whole-graph layout (which sorts subjects by how often they are named).

``tick(n)`` is told how many nodes and relationships were written since the last call (a progress bar).
"""
from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row

from ...schema.graph import CanonicalGraph
from ...schema.model import REL_TYPES
from ...schema.rdf import PREFIXES, SUPPORTS
from ...schema.rdf_graph import _edge, _node, iri
from . import cypher

CHUNK = 1 << 18  # bytes gathered before a chunk is handed on
Tick = Callable[[int], None] | None


def _chunked(pieces: Iterator[str]) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for p in pieces:
        buf.append(p)
        size += len(p)
        if size >= CHUNK:
            yield "".join(buf).encode("utf-8")
            buf, size = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


def _edges_from(g, s: str) -> list[tuple[str, str]]:
    return sorted((e, k) for e, keys in g.adj[s].items() for k in keys)


# -- node-link JSON (``nodelink.write`` of the whole graph) ----------------------------------------------
def _nested(obj, level: int) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True).replace("\n", "\n" + " " * level)


def nodelink(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    g = graph.networkx()

    def items(kind: str) -> Iterator[str]:
        first = True
        for s in sorted(g):
            if kind == "nodes":
                item = {**dict(sorted(g.nodes[s].items())), "id": s}
                pieces = [item]
            else:
                pieces = [{**dict(sorted(g.edges[s, e, k].items())), "source": s, "target": e, "key": k}
                          for e, k in _edges_from(g, s)]
            for item in pieces:
                yield ("  " if first else ",\n  ") + _nested(item, 2)
                first = False
            if tick:
                tick(len(pieces))

    def text() -> Iterator[str]:
        yield "{\n \"directed\": true,\n \"graph\": " + _nested(dict(sorted(g.graph.items())), 1) + ",\n"
        yield " \"links\": [\n" if g.number_of_edges() else " \"links\": []"
        if g.number_of_edges():
            yield from items("links")
            yield "\n ]"
        yield ",\n \"multigraph\": true,\n"
        yield " \"nodes\": [\n" if len(g) else " \"nodes\": []"
        if len(g):
            yield from items("nodes")
            yield "\n ]"
        yield "\n}"
    return _chunked(text())


# -- Cypher (``cypher.write`` of the whole graph) --------------------------------------------------------
def cypher_script(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    g = graph.networkx()

    def text() -> Iterator[str]:
        yield cypher.HEADER + "\n"
        for n in sorted(g):
            yield cypher.node_statement(n, g.nodes[n]) + "\n"
            if tick:
                tick(1)
        for s in sorted(g):
            edges = _edges_from(g, s)
            for e, k in edges:
                yield cypher.edge_statement(g, s, e, k) + "\n"
            if tick:
                tick(len(edges))
    return _chunked(text())


# -- RDF -------------------------------------------------------------------------------------------------
class _Triples(list):
    """What ``rdf_graph._node`` and ``_edge`` add to: a plain list instead of an rdflib graph."""
    add = list.append


def subject_groups(graph: CanonicalGraph, tick: Tick = None) -> Iterator[tuple[str, list]]:
    """(IRI, triples) per node in the order of the IRIs: every triple whose subject is the node or one
    of its skolem resources (``<iri>/…``), the same triples ``to_rdf`` makes for the whole graph."""
    g = graph.networkx()
    for key, n in sorted((str(iri(n)), n) for n in g):
        made: Any = _Triples()  # what _node and _edge add to, as if an rdflib graph
        data = g.nodes[n]
        _node(made, graph, data)
        out = [(e, k) for e, keys in g.adj[n].items() for k in keys]
        for e, k in out:
            _edge(made, n, e, g.edges[n, e, k])
        me, under = URIRef(key), key + "/"
        triples = [t for t in made if t[0] == me or str(t[0]).startswith(under)]
        for s, keys in g.pred[n].items():
            for k in keys:
                inverse = REL_TYPES[g.edges[s, n, k]["type"]].inverse
                if inverse is not None:
                    triples.append((me, inverse, iri(s)))
        for p in graph.into(n, "SUPPORTER"):
            triples.append((me, SUPPORTS, iri(graph.out(p, "SUPPORTED")[0])))
        if tick:
            tick(1 + len(out))
        yield key, triples


def _sorted_lines(graph: CanonicalGraph, tick: Tick) -> Iterator[str]:
    """Every N-Triples line once, in sorted order: a group's lines all start with ``<iri`` and groups come
    in IRI order, so a line can go once no later group can sort before it."""
    heap: list[str] = []
    last = None
    for key, triples in subject_groups(graph, tick):
        bound = "<" + key
        while heap and heap[0] < bound:
            line = heapq.heappop(heap)
            if line != last:
                yield line
                last = line
        for t in triples:
            heapq.heappush(heap, _nt_row(t))
    while heap:
        line = heapq.heappop(heap)
        if line != last:
            yield line
            last = line


def ntriples(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    return _chunked(_sorted_lines(graph, tick))


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")


def _qname(term) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        for p, ns in PREFIXES.items():
            if text.startswith(str(ns)) and _LOCAL.match(text[len(str(ns)):]):
                return f"{p}:{text[len(str(ns)):]}"
        return term.n3()
    return _nt_row((URIRef("s"), URIRef("p"), term))[8:-3]  # the object as N-Triples writes it


def turtle(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    def text() -> Iterator[str]:
        for p, ns in sorted(PREFIXES.items()):
            yield f"@prefix {p}: <{ns}> .\n"
        for _key, triples in subject_groups(graph, tick):
            by_subject: dict = {}
            for s, p, o in set(triples):
                by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
            for s in sorted(by_subject, key=str):
                preds = sorted(by_subject[s], key=lambda p: (p != RDF.type, str(p)))
                parts = [("a" if p == RDF.type else _qname(p)) + " " +
                         " ,\n        ".join(sorted(_qname(o) for o in by_subject[s][p])) for p in preds]
                yield "\n" + _qname(s) + "\n    " + " ;\n    ".join(parts) + " .\n"
    return _chunked(text())


def _jsonld_value(o) -> dict:
    if isinstance(o, Literal):
        v: dict = {"@value": str(o)}
        if o.language:
            v["@language"] = o.language
        elif o.datatype is not None:
            v["@type"] = str(o.datatype)
        return v
    return {"@id": str(o)}


def jsonld(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    def text() -> Iterator[str]:
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        yield "{\n \"@context\": " + _nested(context, 1) + ",\n \"@graph\": ["
        first = True
        for _key, triples in subject_groups(graph, tick):
            by_subject: dict = {}
            for s, p, o in set(triples):
                node = by_subject.setdefault(s, {"@id": str(s)})
                key = "@type" if p == RDF.type else str(p)
                node.setdefault(key, []).append(str(o) if key == "@type" else _jsonld_value(o))
            for s in sorted(by_subject, key=str):
                node = {k: (sorted(v, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
                            if isinstance(v, list) else v) for k, v in by_subject[s].items()}
                yield ("\n  " if first else ",\n  ") + _nested(node, 2)
                first = False
        yield "\n ]\n}\n"
    return _chunked(text())


STREAMS: dict[str, Callable[[CanonicalGraph, Tick], Iterator[bytes]]] = {
    "json": nodelink, "cypher": cypher_script, "nt": ntriples, "ttl": turtle, "jsonld": jsonld}
