"""How a page is rendered (Jinja2, autoescaped, Chinese first): the templates, what every page gets
(the data's date, the font, the programmes), and the pages' answer to an error, the same title and
detail as the API's problem."""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from ...errors import AidgraphError
from ...queries.service import AidGraph
from ...viz.citations import cite_grouped
from ..deps import get_aid
from ..static_assets import static_url
from .problems import InvalidParameters

TEMPLATES = Path(__file__).parent.parent / "templates"
_env = Environment(loader=ChoiceLoader([FileSystemLoader(str(TEMPLATES)), PackageLoader("aidgraph.viz", "templates")]),
                   autoescape=select_autoescape(["html"]))
_env.globals["static_url"] = static_url  # /static/x?v=<hash>: kept a year, a new file a new address
templates = Jinja2Templates(env=_env)
PARAM_NAMES = {"year": "年份", "name": "名称", "q": "查询", "programme": "项目类别", "program": "项目类别",
               "province": "省份", "district": "区", "geo": "地理布局", "view": "视图", "center": "中心"}


class PageRoute(APIRoute):
    """A route answering HTML: its errors are answered with an HTML page too (see ``error_page``)."""


def is_page(request: Request) -> bool:
    """Whether an error in this request is answered with a page: the request reached a page route, or it
    reached no route at all outside /api and a browser asked for HTML."""
    route = request.scope.get("route")
    if isinstance(route, PageRoute):
        return True
    return route is None and not request.url.path.startswith("/api") and \
        "text/html" in request.headers.get("accept", "")


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _bilingual(text: str | tuple[str, str]) -> tuple[str, str]:
    """'未找到 not found' -> ('未找到', 'not found'): the Chinese first, the English after it shown as a
    secondary label. A (Chinese, English) pair is taken as it is."""
    if isinstance(text, tuple):
        return text
    for i, c in enumerate(text):
        rest = text[i + 1:]
        if c == " " and _CJK.search(text[:i]) and rest[:1].isascii() and (rest[:1].isalpha() or rest[:1] in "(—-") \
                and not _CJK.search(rest):
            return text[:i].strip(" —-"), rest.strip(" —-")
    return text, ""


def base_context(request: Request, aid: AidGraph | None) -> dict:
    if aid is None:
        return {"today": "", "font_url": "", "programs": {}}
    from .page_font import page_font  # the font's module serves its route as a page route (PageRoute)
    try:
        font = page_font(request, aid)
        font_url = f"/fonts/aidgraph-cjk-{font.version}.woff2"
    except Exception:  # noqa: BLE001 - a page still renders (in a system font) if the subset cannot be made
        font_url = ""
    return {"today": aid.data_date, "font_url": font_url, "programs": aid.programmes}


def error_page(request: Request, status: int, title: str, detail: str,
               items: Sequence[str | tuple[str, str]] = (),
               headers: dict | None = None) -> HTMLResponse:
    """The HTML answer to an error in a page: the same title and detail as the API's problem, the
    Chinese first and any English as a secondary label."""
    try:
        aid = get_aid(request)
        base = base_context(request, aid)
    except AidgraphError:  # the store itself may be what failed: the page still renders, without the font
        base = base_context(request, None)
    zh, en = _bilingual(title)
    dzh, den = _bilingual(detail)
    lines = [_bilingual(i) for i in items]
    if status == 404:  # a page not found is said in Chinese only (the API's problem keeps both)
        en, den, lines = "", "", [(z, "") for z, _ in lines]
    return templates.TemplateResponse(request, "error.html",
                                      {**base, "title": zh, "title_en": en, "detail": dzh, "detail_en": den,
                                       "items": lines, "status": status},
                                      status_code=status, headers=headers)


def invalid_parameters_page(request: Request, e: InvalidParameters) -> HTMLResponse:
    items: list[str | tuple[str, str]] = []
    for p in e.errors:
        zh = PARAM_NAMES.get(p.name, p.name)
        if p.type == "missing":
            items.append((f"缺少{zh}", f"{p.name} is missing"))
        else:
            items.append((f"{zh}：“{p.value}” 无效", f"{p.value!r} is not a valid {p.name} ({p.detail})"))
    return error_page(request, e.status, "请求参数无效", "请修改下列参数后重试 Correct these and try again:", items)


def render_page(request: Request, template: str, aid: AidGraph, status: int = 200, **ctx) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {**base_context(request, aid), **ctx}, status_code=status)


def docs_of(aid: AidGraph) -> dict:
    return {d.id: d for d in aid.documents()}


def sources_of(aid: AidGraph):
    """A cell's sources for a template: each document once, with the tables and items cited in it."""
    docs = docs_of(aid)
    return lambda source: cite_grouped(source, docs)
