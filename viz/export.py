"""Exports of the graph or a subgraph for other tools: RDF (Turtle, N-Triples,
JSON-LD), GraphML (Gephi, yEd), node-link JSON and a Cypher script that
recreates the subgraph in Neo4j."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..schema.graph import CanonicalGraph
from ..schema.rdf_graph import serialise, to_rdf
from ..schema.model import NODE_TYPES, REL_TYPES

RDF_FORMATS = ("ttl", "nt", "jsonld")
FORMATS = ("html", "png", "svg", "xlsx", *RDF_FORMATS, "graphml", "json", "cypher")
SUFFIX = {"ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "graphml": ".graphml", "json": ".json",
          "cypher": ".cypher", "html": ".html", "png": ".png", "svg": ".svg", "xlsx": ".xlsx"}
MEDIA = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
         "graphml": "application/graphml+xml", "json": "application/json", "cypher": "text/plain; charset=utf-8",
         "html": "text/html; charset=utf-8", "png": "image/png", "svg": "image/svg+xml",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def sub(graph: CanonicalGraph, nodes: set[str] | None) -> nx.MultiDiGraph:
    return graph.g if nodes is None else graph.g.subgraph(nodes)


def graphml(graph: CanonicalGraph, nodes: set[str] | None) -> bytes:
    """GraphML keeps scalar attributes only: lists are joined with ' | ' so the file stays valid."""
    g = nx.MultiDiGraph()
    src = sub(graph, nodes)
    for n, data in src.nodes(data=True):
        g.add_node(n, **{k: (" | ".join(map(str, v)) if isinstance(v, list) else v) for k, v in data.items()})
    for s, e, k, data in src.edges(keys=True, data=True):
        g.add_edge(s, e, key=k, **{k2: (" | ".join(map(str, v)) if isinstance(v, list) else v)
                                   for k2, v in data.items()})
    return "\n".join(nx.generate_graphml(g, encoding="utf-8", prettyprint=True)).encode("utf-8")


def node_link(graph: CanonicalGraph, nodes: set[str] | None) -> bytes:
    data = nx.node_link_data(sub(graph, nodes), edges="links")
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def cypher_script(graph: CanonicalGraph, nodes: set[str] | None) -> bytes:
    """Statements with literal values (a script has no parameters): JSON-quoted strings,
    labels and types from the schema only."""
    src = sub(graph, nodes)
    out = ["// aidgraph subgraph — run in Neo4j 5 (cypher-shell < file)"]
    for n, data in sorted(src.nodes(data=True)):
        label = data["label"]
        assert label in NODE_TYPES
        props = {k: v for k, v in data.items() if k != "label"}
        out.append(f"MERGE (n:{label} {{id: {_lit(n)}}}) SET n = {_map(props)};")
    for s, e, k, data in sorted(src.edges(keys=True, data=True)):
        assert k in REL_TYPES
        sl, el = src.nodes[s]["label"], src.nodes[e]["label"]
        props = {k2: v for k2, v in data.items() if k2 != "type"}
        out.append(f"MATCH (a:{sl} {{id: {_lit(s)}}}), (b:{el} {{id: {_lit(e)}}}) "
                   f"MERGE (a)-[r:{k}]->(b) SET r = {_map(props)};")
    return ("\n".join(out) + "\n").encode("utf-8")


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


def render(graph: CanonicalGraph, nodes: set[str] | None, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    if fmt in ("html", "png", "svg"):
        from .network import standalone_html, subgraph_view
        view = subgraph_view(graph, nodes if nodes is not None else set(graph.g.nodes), title)
        if fmt == "html":
            return standalone_html(view, geographic=geographic).encode("utf-8")
        from .picture import render as picture
        return picture(view, fmt, geographic=geographic)
    if fmt == "xlsx":
        from .workbook import workbook
        return workbook(graph, nodes, title)
    if fmt in RDF_FORMATS:
        return serialise(to_rdf(graph, nodes), fmt)
    if fmt == "graphml":
        return graphml(graph, nodes)
    if fmt == "json":
        return node_link(graph, nodes)
    if fmt == "cypher":
        return cypher_script(graph, nodes)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def write(graph: CanonicalGraph, nodes: set[str] | None, formats: list[str], out: Path, stem: str,
          title: str = "aidgraph", geographic: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out / f"{stem}{SUFFIX[fmt]}"
        tmp = path.with_name("." + path.name + ".tmp")
        tmp.write_bytes(render(graph, nodes, fmt, title, geographic))
        tmp.replace(path)
        paths.append(path)
    return paths
