"""The pages' font: a subset of Noto Sans SC holding only the glyphs the pages can show (the data's,
the documents' texts, the interface's own words), made once per served graph and served as
``/fonts/aidgraph-cjk-{version}.woff2``, kept a year by the browser (its address changes with its glyphs)."""
from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...queries.service import AidGraph
from ...viz import fonts
from .. import not_a_district
from ..deps import Aid, get_runtime
from .page_render import TEMPLATES, PageRoute

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def _template_text() -> str:
    """Every template's text and the interface's own words (this package's modules): the glyphs the
    pages may show besides the data's."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*.html"))]
    viz_templates = files("aidgraph.viz").joinpath("templates")
    parts += [viz_templates.joinpath(n).read_text(encoding="utf-8") for n in ("network.html", "standalone.html")]
    for mod in (Path(__file__).parent.glob("*.py")):
        parts.append(mod.read_text(encoding="utf-8"))
    parts.append(Path(fonts.__file__).parent.joinpath("network.py").read_text(encoding="utf-8"))
    parts.append(Path(not_a_district.__file__).read_text(encoding="utf-8"))
    parts.append(Path(__file__).parents[2].joinpath("errors.py").read_text(encoding="utf-8"))
    parts += [Path(__file__).parents[2].joinpath("queries", n).read_text(encoding="utf-8")  # the answers' notes
              for n in ("changes.py", "coverage.py")]
    return "".join(parts)


def _graph_text(aid: AidGraph) -> str:
    """The graph's distinct texts (asked of the store, which on Neo4j sends each distinct value once,
    not the graph) and the search suggestions'."""
    out = sorted(aid.texts())
    from ...queries.search_index import suggestion_index
    out += [f"{s.label}{s.context}" for s in suggestion_index(aid)]
    return "".join(out)


@dataclass(frozen=True)
class PageFont:
    version: str
    text: str


_FONTS: dict[int, tuple[AidGraph, PageFont]] = {}


def page_font(request: Request, aid: AidGraph) -> PageFont:
    """The pages' font subset for this graph: the glyphs of the data, the documents' texts and the
    interface; computed once per served graph."""
    hit = _FONTS.get(id(aid))
    if hit and hit[0] is aid:
        return hit[1]
    runtime = get_runtime(request)
    texts = [_template_text(), _graph_text(aid)]
    try:  # the API documentation's own text (its titles are Chinese first)
        import json
        texts.append(json.dumps(request.app.openapi(), ensure_ascii=False))
    except Exception:  # noqa: BLE001 - the pages' glyphs do not depend on it
        pass
    for n in aid.document_nodes():
        texts.append(runtime.document_text(n.get("file")) or "")
    chars = fonts.glyphs_of(*texts)
    font = PageFont(fonts.font_version(chars), chars)
    _FONTS.clear()  # one served graph at a time (a reload replaces it)
    _FONTS[id(aid)] = (aid, font)
    return font


@router.get("/fonts/aidgraph-cjk-{version}.woff2")
def font(request: Request, aid: Aid, version: str):
    f = page_font(request, aid)
    body = fonts.subset_woff2(f.text)
    cache = "public, max-age=31536000, immutable" if version == f.version else "no-cache"
    return Response(body, media_type="font/woff2", headers={"Cache-Control": cache})
