"""/api/sparql: the read-only SPARQL 1.1 protocol over the RDF view of the served graph."""
from __future__ import annotations

from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ...errors import SparqlRefused
from ...queries.service import AidGraph
from ...queries.sparql import run_sparql
from ..deps import Aid
from .api_tags import LINKED_DATA
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=[LINKED_DATA])

SPARQL_DOC = ("只读的 SPARQL 1.1 查询：`query` 可作为 GET 参数、表单字段或 application/sparql-query 请求体；"
              "结果为 application/sparql-results+json（默认）或 text/csv（Accept 头或 `format`）。"
              "更新、过长、过慢、过大的查询，读取别处数据的查询（`SERVICE`、`FROM`、`FROM NAMED`、`LOAD`）"
              "和非 UTF-8 的请求体答 400 `sparql-refused`；"
              "请求体超过 1 MiB 答 413 `body-too-large`；同时查询过多时答 503 `sparql-busy` 并带 `Retry-After`。"
              "CSV 中可能被电子表格当作公式的单元格前加引号。\n\n"
              "(SPARQL 1.1 protocol, read-only: `query` as a GET parameter, a form field or an "
              "application/sparql-query body. Results as application/sparql-results+json (default) or text/csv "
              "(Accept header or `format`). Updates, over-long, over-slow and over-large queries, queries that "
              "would read from elsewhere (`SERVICE`, `FROM`, `FROM NAMED`, `LOAD`) and bodies that are not UTF-8 "
              "are refused with 400 `sparql-refused`, and so are answers over `AIDGRAPH_SPARQL_MAX_BYTES`; a body "
              "over `AIDGRAPH_MAX_BODY_BYTES` (1 MiB) is refused with 413 `body-too-large` before it is read. "
              "When as many queries run as allowed at once, the answer is 503 `sparql-busy` with a "
              "`Retry-After` header. CSV cells that could start a spreadsheet formula (= + - @ tab CR) are "
              "quote-prefixed.)")
FORMAT_DOC = "结果格式：json 或 csv，代替 Accept 头（the results' format: json or csv, instead of the Accept header）"
RESPONSES = {200: {"content": {"application/sparql-results+json": {}, "text/csv": {}}},
             **problem_responses(400, 413, 422, 503)}


NOT_UTF8 = "{} is not UTF-8 text ({}不是 UTF-8 编码)"


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlRefused(NOT_UTF8.format("the request body", "请求正文")) from None


def _fields(urlencoded: str, what: str) -> dict[str, str]:
    """Form or query-string fields, refusing percent-escapes that are not UTF-8 (the framework would
    quietly replace them)."""
    try:
        return dict(parse_qsl(urlencoded, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise SparqlRefused(NOT_UTF8.format(what, "查询参数" if what == "the query string" else "请求正文")) from None


async def _form(request: Request, ctype: str) -> tuple[str | None, str | None]:
    """``query`` and ``update`` of a form; the framework's form parser would quietly replace bytes that are
    not UTF-8 (or read them as Latin-1), so the body is checked first."""
    body = await request.body()
    if ctype.startswith("application/x-www-form-urlencoded") or not ctype:
        values = _fields(_utf8(body), "the request body")
        return values.get("query"), values.get("update")
    _utf8(body)  # multipart: a SPARQL request carries text fields only
    form = await request.form()
    query, update = form.get("query"), form.get("update")
    if not isinstance(query, str | None) or not isinstance(update, str | None):
        raise SparqlRefused("the query must be a form field, not a file")
    return query, update


async def _sparql(aid: AidGraph, query: str | None, accept: str, fmt: str | None, update: str | None):
    if update is not None:
        raise SparqlRefused("updates are refused: this endpoint is read-only")
    if not query:
        raise SparqlRefused("no query given")
    out_fmt = fmt or ("csv" if "text/csv" in accept else "json")
    res = await anyio.to_thread.run_sync(lambda: run_sparql(aid.graph(), query, out_fmt))
    return Response(content=res.body, media_type=res.media_type)


@router.get("/sparql", summary="图谱查询，GET（SPARQL query, GET）", description=SPARQL_DOC, responses=RESPONSES)
async def sparql_get(request: Request, aid: Aid,
                     query: str | None = Query(None, description="查询语句，SPARQL 1.1（the SPARQL query）"),
                     format: str | None = Query(None, description=FORMAT_DOC)):
    _fields(request.scope.get("query_string", b"").decode("latin-1"), "the query string")
    return await _sparql(aid, query, request.headers.get("accept", ""), format, request.query_params.get("update"))


@router.post("/sparql", summary="图谱查询，POST（SPARQL query, POST）", description=SPARQL_DOC, responses=RESPONSES)
async def sparql_post(request: Request, aid: Aid, format: str | None = Query(None, description=FORMAT_DOC)):
    ctype = request.headers.get("content-type", "")
    query = update = None
    if ctype.startswith("application/sparql-query"):
        query = _utf8(await request.body())
    elif ctype.startswith("application/sparql-update"):
        update = _utf8(await request.body())
    else:
        query, update = await _form(request, ctype)
    return await _sparql(aid, query, request.headers.get("accept", ""), format, update)
