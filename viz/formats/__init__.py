"""Every way to take the graph or a subgraph away, in one registry (as KGX maps
format names to sinks): each format has exactly one writer, ``write(view, graph,
fmt, geographic) -> bytes``, of a view built by ``viz.views.build_view`` (a named
view, or the view of a subgraph: the whole graph when no nodes are given).

Text formats give the same bytes in every process for the same data (sorted
nodes, edges, attributes and triples; no clock in any file: the dates printed are the data's).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ...errors import BadParameter
from ...schema.graph import CanonicalGraph
from ...schema.text import file_stem
from ..view import View
from . import cypher, graphml, html, nodelink, pdf, picture, rdf, xlsx
from .base import Format, the_graph

REGISTRY: dict[str, Format] = {f.name: f for family in (html, picture, pdf, xlsx, rdf, graphml, nodelink, cypher)
                               for f in family.FORMATS}
FORMATS: tuple[str, ...] = tuple(REGISTRY)  # html, png, svg, pdf, xlsx, ttl, nt, jsonld, graphml, json, cypher


def get(fmt: str) -> Format:
    try:
        return REGISTRY[fmt]
    except KeyError:
        raise BadParameter(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None


def render(graph: CanonicalGraph, nodes: set[str] | None, fmt: str, title: str = "aidgraph",
           geographic: bool = False) -> bytes:
    """The graph (``nodes`` None) or the subgraph on ``nodes`` in format ``fmt``."""
    return get(fmt).write(subgraph(graph, nodes, title), graph, geographic)


def subgraph(graph: CanonicalGraph, nodes: set[str] | None, title: str) -> View:
    """The view of the subgraph on ``nodes`` (None: the whole graph), from the one view builder."""
    from ..views import build_view
    return build_view(graph, "subgraph", nodes=nodes, title=title)


def render_view(graph: CanonicalGraph | None, view, fmt: str) -> bytes:
    """A named view (``viz.views.build_view``) in format ``fmt``: pictures, the handout, the workbook,
    the node-link JSON and GraphML from the view itself (``graph`` may be None); linked data and Cypher
    from its facts in ``graph``."""
    return get(fmt).write(view, graph)


def stream(view: View, graph: CanonicalGraph | None, fmt: str, geographic: bool = False,
           tick: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The view in format ``fmt`` as chunks of bytes: the whole graph in a streaming format
    (``streaming.STREAMS``: JSON, Cypher, N-Triples, Turtle, JSON-LD) is written as it goes, ``tick(n)``
    told of each n nodes and relationships written; any other view is one chunk from its writer."""
    from .streaming import STREAMS
    if view.whole and fmt in STREAMS:
        yield from STREAMS[fmt](the_graph(graph), tick)
    else:
        yield get(fmt).write(view, graph, geographic)


def streams_whole(view: View, fmt: str) -> bool:
    """Whether ``stream`` writes this view in this format as it goes."""
    from .streaming import STREAMS
    return view.whole and fmt in STREAMS


def _write_exclusively(path: Path, data: bytes | Iterable[bytes]) -> None:
    """``data`` (or its chunks, written as they come) into a new file created exclusively beside
    ``path`` (O_EXCL: never a file or link planted there), then renamed over ``path`` (a link at ``path``
    is replaced, not followed)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o644)  # an export is meant to be shared, as a file written plainly would be
            for chunk in ([data] if isinstance(data, bytes) else data):
                f.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(graph: CanonicalGraph | None, nodes: set[str] | None, formats: list[str], out: Path, stem: str,
          title: str = "aidgraph", geographic: bool = False, *, view=None,
          on_step: Callable[[str, int, int], None] | None = None,
          tick: Callable[[int], None] | None = None) -> list[Path]:
    """One file per format, ``out/stem.suffix``, each written beside and then moved into place. With
    ``view``, the named view's files (``nodes`` and ``title`` unused). ``on_step(format, done, total)``
    is called before each format and once at the end; ``tick(n)`` as a streamed format writes n more
    nodes and relationships. ``graph`` may be None for a named view in formats that need no graph
    (``Format.view_needs_graph`` False)."""
    chosen = [get(fmt) for fmt in formats]
    if view is None:  # the whole graph's data formats need no display view of it (only the page does)
        light = nodes is None and all(f.name != "html" for f in chosen)
        view = View(title=title, whole=True) if light else subgraph(the_graph(graph), nodes, title)
    out.mkdir(parents=True, exist_ok=True)
    stem = file_stem(stem)  # a name in the data never steers the path: no '/', no '..', no control character
    paths = []
    for i, f in enumerate(chosen):
        if on_step:
            on_step(f.name, i, len(chosen))
        path = out / f"{stem}{f.suffix}"
        _write_exclusively(path, stream(view, graph, f.name, geographic, tick))
        paths.append(path)
    if on_step:
        on_step("", len(chosen), len(chosen))
    return paths


__all__ = ["FORMATS", "REGISTRY", "Format", "get", "render", "render_view", "stream", "streams_whole", "subgraph",
           "write"]
