"""/api/sparql: the read-only SPARQL 1.1 protocol over the RDF view of the served graph."""
from __future__ import annotations

from typing import Optional

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import SparqlRefused
from ...queries.service import AidGraph
from ...queries.sparql import rdf_of, run_sparql
from ..deps import Aid
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=["linked data and exports"])

SPARQL_DOC = ("SPARQL 1.1 protocol, read-only: `query` as a GET parameter, a form field or an "
              "application/sparql-query body. Results as application/sparql-results+json (default) or text/csv "
              "(Accept header or `format`). Updates, over-long and over-slow queries are refused with 400 "
              "`sparql-refused`.")
RESPONSES = {200: {"content": {"application/sparql-results+json": {}, "text/csv": {}}},
             **problem_responses(400, 422)}


async def _sparql(aid: AidGraph, query: str | None, accept: str, fmt: str | None, update: str | None):
    if update is not None:
        raise SparqlRefused("updates are refused: this endpoint is read-only")
    if not query:
        raise SparqlRefused("no query given")
    out_fmt = fmt or ("csv" if "text/csv" in accept else "json")
    res = await anyio.to_thread.run_sync(lambda: run_sparql(rdf_of(aid.graph()), query, out_fmt))
    return Response(content=res.body, media_type=res.media_type)


@router.get("/sparql", summary="SPARQL query (GET)", description=SPARQL_DOC, responses=RESPONSES)
async def sparql_get(request: Request, aid: Aid, query: Optional[str] = None, format: Optional[str] = None):
    return await _sparql(aid, query, request.headers.get("accept", ""), format, request.query_params.get("update"))


@router.post("/sparql", summary="SPARQL query (POST)", description=SPARQL_DOC, responses=RESPONSES)
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
