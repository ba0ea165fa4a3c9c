"""The FastAPI application. The store is chosen once, at start-up, and the
``AidGraph`` over it is injected into every route."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from .. import __version__
from ..errors import AidgraphError, SparqlRefused
from ..queries.results import (AgreementOut, Candidate, DistrictProfile, DocumentOut, SearchResult, Stats, TaskOut,
                               UnitProfile, WhoSupports)
from ..queries.service import AidGraph


class NameProblem(BaseModel):
    error: str  # "ambiguous" | "unknown" | "not-a-district"
    query: str
    candidates: list[Candidate] = []
    suggestions: list[Candidate] = []


def get_aid(request: Request) -> AidGraph:
    return request.app.state.aid


Aid = Annotated[AidGraph, Depends(get_aid)]
PROBLEMS = {404: {"model": NameProblem, "description": "unknown name; `suggestions` lists the nearest places"},
            409: {"model": NameProblem, "description": "ambiguous name; `candidates` lists the places it fits"}}

places = APIRouter(prefix="/api/places", tags=["places"])
districts = APIRouter(prefix="/api/districts", tags=["districts"])
meta = APIRouter(prefix="/api", tags=["stats"])


@places.get("/{name}/supporters", response_model=WhoSupports, responses=PROBLEMS)
def supporters(name: str, aid: Aid, year: Optional[int] = Query(None, ge=1980, le=2100),
               history: bool = False) -> WhoSupports:
    """Who supports a place (same object as `aidgraph who-supports --json`)."""
    return aid.who_supports(name, year=year, history=history)


@districts.get("/{name}", response_model=DistrictProfile, responses=PROBLEMS)
def district(name: str, aid: Aid) -> DistrictProfile:
    """A district's paired places by programme and prefecture."""
    return aid.district(name)


tasks_r = APIRouter(prefix="/api", tags=["tasks and units"])


@tasks_r.get("/tasks", response_model=list[TaskOut], responses=PROBLEMS)
def tasks(aid: Aid, district: Optional[str] = None, year: Optional[int] = None, unit: Optional[str] = None,
          place: Optional[str] = None) -> list[TaskOut]:
    """Work-point tasks (same list as `aidgraph tasks --json`)."""
    return aid.tasks(district=district, year=year, unit=unit, place=place)


@tasks_r.get("/units/{name}", response_model=list[UnitProfile], responses=PROBLEMS)
def unit(name: str, aid: Aid, district: Optional[str] = None) -> list[UnitProfile]:
    """What a unit leads and answers for, per district."""
    return aid.unit(name, district=district)


linked = APIRouter(prefix="/api", tags=["linked data and exports"])

SPARQL_DOC = ("SPARQL 1.1 protocol, read-only: `query` as a GET parameter, a form field or an "
              "application/sparql-query body. Results as application/sparql-results+json (default) or text/csv "
              "(Accept header or `format`). Updates, over-long and over-slow queries are refused with 400.")


async def _sparql(aid: AidGraph, query: str | None, accept: str, fmt: str | None, update: str | None):
    from ..queries.sparql import rdf_of, run_sparql
    if update is not None:
        raise SparqlRefused("updates are refused: this endpoint is read-only")
    if not query:
        raise SparqlRefused("no query given")
    out_fmt = fmt or ("csv" if "text/csv" in accept else "json")
    import anyio
    res = await anyio.to_thread.run_sync(lambda: run_sparql(rdf_of(aid.graph()), query, out_fmt))
    return Response(content=res.body, media_type=res.media_type)


@linked.get("/sparql", summary="SPARQL query (GET)", description=SPARQL_DOC,
            responses={200: {"content": {"application/sparql-results+json": {}, "text/csv": {}}}, 400: {}})
async def sparql_get(request: Request, aid: Aid, query: Optional[str] = None, format: Optional[str] = None):
    return await _sparql(aid, query, request.headers.get("accept", ""), format, request.query_params.get("update"))


@linked.post("/sparql", summary="SPARQL query (POST)", description=SPARQL_DOC,
             responses={200: {"content": {"application/sparql-results+json": {}, "text/csv": {}}}, 400: {}})
async def sparql_post(request: Request, aid: Aid, format: Optional[str] = None):
    ctype = request.headers.get("content-type", "")
    query = update = None
    if ctype.startswith("application/sparql-query"):
        query = (await request.body()).decode("utf-8")
    elif ctype.startswith("application/sparql-update"):
        update = (await request.body()).decode("utf-8")
    else:
        form = await request.form()
        query, update = form.get("query"), form.get("update")
    return await _sparql(aid, query, request.headers.get("accept", ""), format, update)


@linked.get("/export", summary="Download the graph or a subgraph",
            description="`format`: ttl, nt, jsonld, graphml, json or cypher; `center` (a place, district, unit "
                        "or document) and `hops` choose a subgraph; without `center`, the whole graph.")
def export(aid: Aid, format: str = "ttl", center: Optional[str] = None, hops: int = Query(2, ge=0, le=4),
           geo: bool = False):
    from ..errors import BadParameter
    from ..queries.subgraph import neighbourhood
    from ..viz.export import FORMATS, MEDIA, SUFFIX, render
    if format not in FORMATS:
        raise BadParameter(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    graph = aid.graph()
    nodes, stem, title = None, "aidgraph", "上海对口帮扶关系网络 Shanghai paired-assistance network"
    if center:
        cid = aid.centre(center)
        nodes, stem = neighbourhood(graph, cid, hops), f"aidgraph-{cid.replace(':', '-')}-{hops}hops"
        n = graph.node(cid)
        title = f"{n.get('name') or n.get('title') or cid} — {hops} hops"
    from urllib.parse import quote
    filename = quote(stem + SUFFIX[format])
    return Response(content=render(graph, nodes, format, title, geo), media_type=MEDIA[format],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})


documents_r = APIRouter(prefix="/api/documents", tags=["documents"])
agreements_r = APIRouter(prefix="/api/agreements", tags=["agreements"])
search_r = APIRouter(prefix="/api/search", tags=["search"])
subgraph_r = APIRouter(prefix="/api/subgraph", tags=["subgraph"])


@documents_r.get("", response_model=list[DocumentOut])
def documents(aid: Aid) -> list[DocumentOut]:
    """The source documents, each with the id every fact's `source` names."""
    return aid.documents()


@agreements_r.get("", response_model=list[AgreementOut], responses=PROBLEMS)
def agreements(aid: Aid, place: Optional[str] = None) -> list[AgreementOut]:
    """Framework agreements (Table 5), optionally those with a party that is or contains `place`."""
    return aid.agreements(place)


@search_r.get("", response_model=SearchResult, responses=PROBLEMS)
def search(aid: Aid, q: str = Query(..., min_length=1)) -> SearchResult:
    """Resolve any name form to one place (409 with candidates, 404 with suggestions)."""
    ans = aid.who_supports(q)
    kind = "district" if ans.matched.level == "district" else "place"
    return SearchResult(matched=ans.matched, page=f"/{kind}/{ans.matched.code}")


class Subgraph(BaseModel):
    center: str
    hops: int
    nodes: list[dict]
    links: list[dict]


@subgraph_r.get("", response_model=Subgraph, responses={404: {"description": "centre not in the graph"}, **PROBLEMS})
def subgraph(aid: Aid, center: str, hops: int = Query(2, ge=0, le=4)) -> Subgraph | JSONResponse:
    """The nodes and relationships within `hops` of a place, district, unit or document (node-link form)."""
    from ..queries.subgraph import neighbourhood
    graph = aid.graph()
    cid = aid.centre(center)
    ids = neighbourhood(graph, cid, hops)
    g = graph.g.subgraph(ids)
    return Subgraph(center=cid, hops=hops, nodes=[dict(d) for _, d in sorted(g.nodes(data=True))],
                    links=[{"source": s, "target": e, **d} for s, e, d in sorted(g.edges(data=True), key=lambda x: (x[0], x[1], x[2]["type"]))])


@meta.get("/stats", response_model=Stats)
def stats(aid: Aid) -> Stats:
    return aid.stats()


def create_app(aid: AidGraph) -> FastAPI:
    app = FastAPI(title="aidgraph", version=__version__,
                  description="Shanghai's paired-assistance graph: who supports whom, under which programme, "
                              "since when, and the source of each fact.")
    app.state.aid = aid

    @app.exception_handler(AidgraphError)
    async def problem(req: Request, e: AidgraphError):
        return JSONResponse(status_code=e.status, content=e.problem(req.url.path), media_type="application/problem+json")

    for r in (places, districts, tasks_r, documents_r, agreements_r, search_r, subgraph_r, linked, meta):
        app.include_router(r)
    from fastapi.staticfiles import StaticFiles

    from ..viz.network import cjk_font_dir, vis_asset_dir
    from .pages import router as pages_router
    app.mount("/static/vis", StaticFiles(directory=vis_asset_dir()), name="vis")
    app.mount("/static/fonts", StaticFiles(directory=cjk_font_dir()), name="fonts")
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(pages_router)
    return app
