"""Whole-graph exports written as they go: each streaming format is a generator of byte chunks, so no
whole output is held in memory (issue 20 item 4). Used by ``viz.formats.chunks`` when the view is the
whole graph; a view or a subgraph is small and keeps its one writer.

- node-link JSON, Cypher and GraphML: the same bytes as their writers (nodes, then relationships, in sorted
  order; GraphML's keys numbered in a first pass over the attributes, as networkx numbers them);
- N-Triples: the same bytes (sorted lines): the triples are made per node, as plain strings
  (``rdf_terms``: no rdflib term per value) — its own, its skolem resources', and those naming it as
  subject from its relationships — and nodes are visited in the order of their IRIs, so a short sorted
  list of waiting lines merges them into sorted order;
- Turtle and JSON-LD: the same triples (an isomorphic graph), one subject block at a time in the order
  of the N-Triples, not rdflib's whole-graph layout (which sorts subjects by how often they are named).

``tick(n)`` is told how many nodes and relationships were written since the last call (a progress bar).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import lru_cache
from json.encoder import encode_basestring as _json_str  # what json.dumps(ensure_ascii=False) writes a string as
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # type: ignore[attr-defined]

from ...schema.graph import CanonicalGraph
from ...schema.rdf import BASE, PREFIXES
from ..view import View
from . import cypher, graphml
from .rdf_terms import TYPE, Lit, Triples, n3

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


# -- GraphML (``graphml.write`` of the whole graph: networkx's writer, element by element) -------------------
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e]")  # what ``str.splitlines`` splits at, in ASCII


def _xml(text: str) -> str:
    """As ElementTree's ``tostring`` gives it: ASCII, every other character a reference; then the
    writer's lines joined with ``\\n`` (``graphml.write`` joins ``generate_graphml``'s lines)."""
    return _BREAKS.sub("\n", text.encode("ascii", "xmlcharrefreplace").decode("ascii"))


def _scalar(v) -> object:
    return " | ".join(map(str, v)) if isinstance(v, list) else v


def graphml_lines(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    """The bytes of ``nx.generate_graphml`` of ``base.ordered(graph, None, scalars=True)``: keys are
    numbered in the order networkx meets each (name, type, scope) — graph, then nodes, then edges, each
    one's attributes sorted — and listed newest first; then the nodes and edges in sorted order."""
    g = graph.networkx()
    if not len(g):
        yield graphml.write(View(title="", whole=True), graph)
        return
    from networkx.readwrite.graphml import GraphMLWriter  # with the first GraphML: the app starts without networkx
    xml_type = GraphMLWriter().get_xml_type
    keys: dict[tuple[str, str, str], str] = {}
    meta = {k: _scalar(v) for k, v in sorted(g.graph.items()) if k not in ("id", "node_default", "edge_default")}

    def key(name: str, value, scope: str) -> str:
        found = keys.get((name, xml_type(type(value)), scope))
        if found is None:
            found = keys[(name, xml_type(type(value)), scope)] = f"d{len(keys)}"
        return found
    for k, v in meta.items():
        key(k, v, "graph")
    nodes = sorted(g)
    for n in nodes:
        for k, v in sorted(g.nodes[n].items()):
            key(k, _scalar(v), "node")
    for s in nodes:
        for e, k in _edges_from(g, s):
            for name, v in sorted(g.edges[s, e, k].items()):
                key(name, _scalar(v), "edge")

    def one(k: str, v, scope: str, indent: str) -> str:
        text = str(v)
        if not text:
            return f'{indent}<data key="{key(k, v, scope)}" />\n'
        return f'{indent}<data key="{key(k, v, scope)}">{_escape_cdata(text)}</data>\n'

    def data(attrs: dict, scope: str, indent: str) -> str:
        return "".join(one(k, _scalar(v), scope, indent) for k, v in sorted(attrs.items()))

    def text() -> Iterator[str]:
        head = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
                '"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        yield head + "".join(f'  <key id="{i}" for="{scope}" attr.name="{_escape_attrib(name)}" attr.type="{kind}" />\n'
                             for (name, kind, scope), i in reversed(keys.items()))
        graph_id = g.graph.get("id")
        yield _xml("  <graph edgedefault=\"directed\"" +
                   (f' id="{_escape_attrib(str(graph_id))}"' if graph_id is not None else "") + ">\n")
        for n in nodes:
            inner = data(g.nodes[n], "node", "      ")
            opened = f'    <node id="{_escape_attrib(str(n))}"'
            yield _xml(opened + (">\n" + inner + "    </node>\n" if inner else " />\n"))
            if tick:
                tick(1)
        for s in nodes:
            edges = _edges_from(g, s)
            for e, k in edges:
                inner = data(g.edges[s, e, k], "edge", "      ")
                opened = (f'    <edge source="{_escape_attrib(str(s))}" target="{_escape_attrib(str(e))}" '
                          f'id="{_escape_attrib(str(k))}"')
                yield _xml(opened + (">\n" + inner + "    </edge>\n" if inner else " />\n"))
            if tick:
                tick(len(edges))
        yield _xml(data(meta, "graph", "    ")) + "  </graph>\n</graphml>"
    yield from _chunked(text())


# -- RDF (the triples of ``rdf_terms``: plain strings, no rdflib term per value) --------------------------
def _sorted_lines(graph: CanonicalGraph, tick: Tick) -> Iterator[str]:
    """Every N-Triples line once, in sorted order: a node's lines all start with ``<iri`` and nodes come
    in IRI order, so a line can go once it sorts before the next node's ``<iri`` (no later line can sort
    before it); the rest wait, sorted, for the next node."""
    waiting: list[str] = []
    last = None
    for key, triples in Triples(graph).groups(tick):
        cut = bisect_left(waiting, "<" + key)
        for line in waiting[:cut]:
            if line != last:
                yield line
                last = line
        waiting = waiting[cut:]
        waiting.extend(f"<{s}> <{p}> {n3(o)} .\n" for s, p, o in triples)
        waiting.sort()
    for line in waiting:
        if line != last:
            yield line
            last = line


def ntriples(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    return _chunked(_sorted_lines(graph, tick))


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")
_NAMESPACES = [(str(ns), p) for p, ns in PREFIXES.items()]
_ANY_UNDER_BASE = any(ns.startswith(BASE) or BASE.startswith(ns) for ns, _ in _NAMESPACES)


@lru_cache(maxsize=4096)
def _prefixed(text: str) -> str:
    for ns, p in _NAMESPACES:
        if text.startswith(ns) and _LOCAL.match(text[len(ns):]):
            return f"{p}:{text[len(ns):]}"
    return "<" + text + ">"


def _qname(term: str | Lit) -> str:
    """A term as Turtle writes it: an IRI with its prefix where one fits, a literal as N-Triples does."""
    if isinstance(term, Lit):
        return n3(term)
    if term.startswith(BASE) and not _ANY_UNDER_BASE:  # a node's IRI: no prefix names it
        return "<" + term + ">"
    return _prefixed(term)


def _by_subject(triples: list) -> dict[str, dict[str, set]]:
    out: dict[str, dict[str, set]] = {}
    for s, p, o in triples:
        out.setdefault(s, {}).setdefault(p, set()).add(o)
    return out


def turtle(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    def text() -> Iterator[str]:
        for p, ns in sorted(PREFIXES.items()):
            yield f"@prefix {p}: <{ns}> .\n"
        for _key, triples in Triples(graph).groups(tick):
            by_subject = _by_subject(triples)
            for s in sorted(by_subject):
                preds = sorted(by_subject[s], key=lambda p: (p != TYPE, p))
                parts = [("a" if p == TYPE else _qname(p)) + " " +
                         " ,\n        ".join(sorted(_qname(o) for o in by_subject[s][p])) for p in preds]
                yield "\n" + _qname(s) + "\n    " + " ;\n    ".join(parts) + " .\n"
    return _chunked(text())


def _jsonld_value(o: str | Lit) -> list[tuple[str, str]]:
    """A value object's members, in key order: ``@id``, or ``@language``/``@type`` and ``@value``."""
    if not isinstance(o, Lit):
        return [("@id", o)]
    if o.lang:
        return [("@language", o.lang), ("@value", o.text)]
    if o.datatype is not None:
        return [("@type", o.datatype), ("@value", o.text)]
    return [("@value", o.text)]


def _jsonld_node(s: str, props: dict[str, list]) -> str:
    """One node of ``@graph`` as ``json.dumps(node, ensure_ascii=False, indent=1, sort_keys=True)`` writes it
    two levels in, its values sorted by their compact JSON text, written directly (``json``'s indented
    encoder is pure Python: most of the time at national scale)."""
    members = ['   "@id": ' + _json_str(s)]
    for key in sorted(props):
        if key == "@type":
            items = sorted(_json_str(o) for o in props[key])
            members.append('   "@type": [\n    ' + ",\n    ".join(items) + "\n   ]")
            continue
        values = []
        for o in props[key]:
            pairs = [(_json_str(k), _json_str(v)) for k, v in _jsonld_value(o)]
            compact = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
            values.append((compact, "    {\n" + ",\n".join(f"     {k}: {v}" for k, v in pairs) + "\n    }"))
        values.sort()
        members.append("   " + _json_str(key) + ": [\n" + ",\n".join(v for _c, v in values) + "\n   ]")
    return "{\n" + ",\n".join(members) + "\n  }"


def jsonld(graph: CanonicalGraph, tick: Tick = None) -> Iterator[bytes]:
    def text() -> Iterator[str]:
        context = {p: str(ns) for p, ns in PREFIXES.items()}
        yield "{\n \"@context\": " + _nested(context, 1) + ",\n \"@graph\": ["
        first = True
        for _key, triples in Triples(graph).groups(tick):
            by_subject: dict[str, dict[str, list]] = {}
            for s, p, o in set(triples):
                by_subject.setdefault(s, {}).setdefault("@type" if p == TYPE else p, []).append(o)
            for s in sorted(by_subject):
                yield ("\n  " if first else ",\n  ") + _jsonld_node(s, by_subject[s])
                first = False
        yield "\n ]\n}\n"
    return _chunked(text())


STREAMS: dict[str, Callable[[CanonicalGraph, Tick], Iterator[bytes]]] = {
    "json": nodelink, "cypher": cypher_script, "nt": ntriples, "ttl": turtle, "jsonld": jsonld,
    "graphml": graphml_lines}
