"""/api/export: a named view, a subgraph around a centre, or the whole graph, as a download."""
from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from ...errors import BadParameter, ExportBusy
from ...queries.slots import Slots
from ...schema.text import file_stem
from ...viz.formats import FORMATS, REGISTRY, render, render_view, stream, streams_whole
from ...viz.view import View
from ...viz.views import VIEWS, build_view
from ..deps import Aid, Served
from .api_tags import LINKED_DATA
from .problems import problem_responses

router = APIRouter(prefix="/api", tags=[LINKED_DATA])
PICTURES = ("png", "svg", "pdf")
WHOLE_TITLE = "上海对口帮扶关系网络"
RETRY_AFTER = 5  # seconds: a picture or a handout takes one or two


def _busy(allowed: int, retry_after: int) -> ExportBusy:
    return ExportBusy(f"{allowed} exports are being made, the most allowed at once; please ask again in "
                      f"{retry_after} s（导出繁忙，请稍后再试）", retry_after=retry_after)


SLOTS = Slots(None, _busy)  # as many as the served settings' AIDGRAPH_EXPORT_CONCURRENCY, given at each hold


def content_disposition(stem: str, suffix: str, ascii_stem: str) -> str:
    """``attachment`` with the name in words (RFC 5987 ``filename*``) and an ASCII name for old clients;
    neither can name a folder (``file_stem``)."""
    stem = file_stem(stem)
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-") or "aidgraph"
    return f"attachment; filename=\"{fallback}{suffix}\"; filename*=UTF-8''{quote(stem + suffix, safe='')}"


def ascii_stem(view) -> str:
    """``aidgraph-pairings-310112-2024``: the view, its centre's code and its year."""
    centre = view.center.split(":", 1)[-1] if view.center else "all"
    years = [str(y) for y in (view.first_year, view.year) if y is not None]
    parts = ["aidgraph", view.kind, centre] + (["-".join(years)] if years else [])
    return "-".join(parts)


def whole_or_view(fmt: str, year: int | None, program: str | None) -> bool:
    """Without a view or centre: a picture, or any download with a year or programme, is the overview
    of the pairings (the programme view); the data formats without filters are the whole graph."""
    return fmt in PICTURES or year is not None or bool(program)


@router.get("/export", summary="下载一个视图、子图或整个图谱（Download a view, a subgraph or the whole graph）",
            description="视图 `view`（pairings 结对关系、supporters 支援方、programme 项目类别、province 省份、"
                        "document 文件、changes 结对调整）与 `center`、`year`、`program`、`with_tasks` "
                        "一起给出页面所示的视图；"
                        "不给 `view` 时，`center` 和 `hops` 给出子图，都不给则是整个图谱。文件以中文命名"
                        "（闵行区-结对关系-2024.png）。未知的 `format` 或 `view` 答 400 `bad-parameter`；"
                        "同时导出过多时答 503 `export-busy` 并带 `Retry-After`。\n\n"
                        "(`view` (pairings, supporters, programme, province, document, changes) with `center` "
                        "(a district, a place, a programme id such as east-west, a province, a document id or "
                        "number), `year` (default: now), `program` (a programme id) and `with_tasks`: the named "
                        "view, as the pages show it; `changes` with `from` and `to` (default: `to` the year, `from` "
                        "the year before): the pairings added and ended, titled 闵行区 结对调整 2020—2021. "
                        "Without `view`: `center` (a place, district, unit or document) and `hops` choose "
                        "a subgraph; without either, the whole graph (pictures: every pairing in force). "
                        f"`format`: {', '.join(FORMATS)}. The file is named in words (闵行区-结对关系-2024.png; "
                        "RFC 5987 `filename*` with an ASCII `filename`). An unknown `format` or `view` is refused "
                        "with 400 `bad-parameter`. At most `AIDGRAPH_EXPORT_CONCURRENCY` exports are made at "
                        "once; one more is answered 503 `export-busy` with `Retry-After`.)",
            responses=problem_responses(400, 404, 409, 422, 503))
def export(aid: Aid, runtime: Served,
           format: str = Query("ttl", description=f"文件格式（the file's format）：{', '.join(FORMATS)}"),
           view: str | None = Query(None, description=f"视图（a named view）：{', '.join(VIEWS)}"),
           center: str | None = Query(None, description="中心：区、地方、项目类别、省份或文件（the view's centre）"),
           year: int | None = Query(None, ge=1949, le=2100, description="年份，默认为当前（the year; default: now）"),
           program: str | None = Query(None, description="只看一个项目类别：east-west（a programme id）"),
           with_tasks: bool = Query(False, description="连同工作任务（with the tasks）"),
           hops: int = Query(2, ge=0, le=4, description="子图：从中心出发的步数（steps from the centre）"),
           geo: bool = Query(False, description="子图按地理位置布局（a subgraph laid out by geography）"),
           first: int | None = Query(None, alias="from", ge=1949, le=2100,
                                     description="结对调整的起始年份，默认为 `to` 的前一年"
                                                 "（the changes view's first year; default: the year before `to`）"),
           to: int | None = Query(None, ge=1949, le=2100,
                                  description="结对调整的结束年份，同 `year`"
                                              "（the changes view's second year, as `year`）")):
    if format not in FORMATS:
        raise BadParameter(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    if (first is not None or to is not None) and view != "changes":
        raise BadParameter("from and to go with view=changes（起止年份仅用于结对调整视图）")
    if to is not None and year is not None and to != year:
        raise BadParameter(f"to={to} and year={year} differ（结束年份与年份不一致）")
    year = to if to is not None else year
    with SLOTS.hold(retry_after=RETRY_AFTER, allowed=runtime.settings.export_concurrency):
        return _export(aid, format, view, center, year, program, with_tasks, hops, geo, first)


def _export(aid, format: str, view: str | None, center: str | None, year: int | None,
            program: str | None, with_tasks: bool, hops: int, geo: bool, first: int | None = None) -> Response:
    fmt = REGISTRY[format]
    graph = aid.graph()
    if view is None and not center and whole_or_view(format, year, program):
        view = "programme"
    if view is not None:
        if view not in VIEWS:
            raise BadParameter(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")
        v = build_view(aid, view, center or (program if view == "programme" else None), year=year,
                       program=program, with_tasks=with_tasks, first=first)
        return Response(content=render_view(graph, v, format), media_type=fmt.media,
                        headers={"Content-Disposition": content_disposition(v.file_stem, fmt.suffix, ascii_stem(v))})
    nodes, stem, title = None, "aidgraph", WHOLE_TITLE
    if center:
        cid = aid.centre(center)
        nodes, stem = aid.neighbourhood(cid, hops), f"aidgraph-{cid.replace(':', '-')}-{hops}hops"
        n = graph.node(cid)
        title = f"{n.get('name') or n.get('title') or cid} 周边 {hops} 跳"
    headers = {"Content-Disposition": content_disposition(stem, fmt.suffix, stem)}
    whole = View(title=title, whole=True) if nodes is None else None
    if whole is not None and streams_whole(whole, format):  # the whole graph: sent as it is written
        return StreamingResponse(stream(whole, graph, format), media_type=fmt.media, headers=headers)
    return Response(content=render(graph, nodes, format, title, geo), media_type=fmt.media, headers=headers)
