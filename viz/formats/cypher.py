"""A Cypher script that recreates the graph or subgraph in Neo4j 5 (``cypher-shell < file``)."""
from __future__ import annotations

import json

from ...schema.graph import CanonicalGraph
from ...schema.model import NODE_TYPES, REL_TYPES
from ..view import View
from .base import Format, canonical_nodes, the_graph


def write(view: View, graph: CanonicalGraph | None, fmt: str = "cypher", geographic: bool = False) -> bytes:
    """The canonical facts a view stands for (``canonical_nodes``) as a script."""
    graph = the_graph(graph)
    return render(graph, canonical_nodes(view, graph))


HEADER = "// aidgraph subgraph — run in Neo4j 5 (cypher-shell < file)"


def render(graph: CanonicalGraph, nodes: set[str] | None) -> bytes:
    """Statements with literal values (a script has no parameters): JSON-quoted strings, labels and
    types from the schema only; nodes, then relationships, in sorted order."""
    src = graph.networkx(nodes)
    out = [HEADER]
    out += [node_statement(n, src.nodes[n]) for n in sorted(src.nodes)]
    out += [edge_statement(src, s, e, k) for s, e, k in sorted(src.edges(keys=True))]
    return ("\n".join(out) + "\n").encode("utf-8")


def node_statement(n: str, data: dict) -> str:
    label = data["label"]
    assert label in NODE_TYPES
    props = {k: v for k, v in data.items() if k != "label"}
    return f"MERGE (n:{label} {{id: {_lit(n)}}}) SET n = {_map(props)};"


def edge_statement(src, s: str, e: str, k: str) -> str:
    assert k in REL_TYPES
    sl, el = src.nodes[s]["label"], src.nodes[e]["label"]
    props = {k2: v for k2, v in src.edges[s, e, k].items() if k2 != "type"}
    return (f"MATCH (a:{sl} {{id: {_lit(s)}}}) MATCH (b:{el} {{id: {_lit(e)}}}) "
            f"MERGE (a)-[r:{k}]->(b) SET r = {_map(props)};")


def _lit(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_lit(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)  # a Cypher string literal: JSON escaping is valid Cypher


def _map(props: dict) -> str:
    return "{" + ", ".join(f"`{k}`: {_lit(v)}" for k, v in sorted(props.items())) + "}"


FORMATS = (Format("cypher", ".cypher", "text/plain; charset=utf-8",
                  "Cypher 脚本(在 Neo4j 5 中重建)· Cypher script that recreates it in Neo4j 5", False, write,
                  view_needs_graph=True),)
