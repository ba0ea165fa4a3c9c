"""Every way to take the graph or a subgraph away, in one registry (as KGX maps
format names to sinks): a format family's module exposes one ``render(graph,
nodes, *, fmt, title, geographic) -> bytes`` and its ``Format`` records.

Text formats give the same bytes in every process for the same data (sorted
nodes, edges, attributes and triples; no clock in the files except the
picture footer's and the HTML page's date)."""
from __future__ import annotations

from pathlib import Path

from ...errors import BadParameter
from ...schema.graph import CanonicalGraph
from . import cypher, graphml, html, nodelink, picture, rdf, xlsx
from .base import Format

REGISTRY: dict[str, Format] = {f.name: f for family in (html, picture, xlsx, rdf, graphml, nodelink, cypher)
                               for f in family.FORMATS}
FORMATS: tuple[str, ...] = tuple(REGISTRY)  # html, png, svg, xlsx, ttl, nt, jsonld, graphml, json, cypher


def get(fmt: str) -> Format:
    try:
        return REGISTRY[fmt]
    except KeyError:
        raise BadParameter(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None


def render(graph: CanonicalGraph, nodes: set[str] | None, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    """The graph (``nodes`` None) or the subgraph on ``nodes`` in format ``fmt``."""
    return get(fmt).render(graph, nodes, title=title, geographic=geographic)


def write(graph: CanonicalGraph, nodes: set[str] | None, formats: list[str], out: Path, stem: str,
          title: str = "aidgraph", geographic: bool = False) -> list[Path]:
    """One file per format, ``out/stem.suffix``, each written beside and then moved into place."""
    chosen = [get(fmt) for fmt in formats]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in chosen:
        path = out / f"{stem}{f.suffix}"
        tmp = path.with_name("." + path.name + ".tmp")
        tmp.write_bytes(f.render(graph, nodes, title=title, geographic=geographic))
        tmp.replace(path)
        paths.append(path)
    return paths


__all__ = ["FORMATS", "REGISTRY", "Format", "get", "render", "write"]
