"""The API's documentation pages, Swagger UI (``/docs``) and ReDoc (``/redoc``), served from the
fastapi-offline package's copies (no CDN), with the pages' CJK font. ReDoc's script names one outside
address, its logo in the sidebar's footer: it is served here with that address replaced by an empty
picture, so the page asks nothing of any other host."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from ...queries.service import AidGraph
from ...viz import fonts
from ..deps import Aid
from .page_render import PageRoute, base_context

router = APIRouter(include_in_schema=False, route_class=PageRoute)


def apidocs_dir() -> Path:
    """Swagger UI and ReDoc as the fastapi-offline package ships them (no CDN)."""
    return Path(str(files("fastapi_offline").joinpath("static")))


REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
# an empty picture: drawn from the page itself, no request
NO_PICTURE = b"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


REDOC_NOSCRIPT = "ReDoc requires Javascript to function. Please enable it to browse the documentation."
NOSCRIPT_ZH = "接口文档需要浏览器启用 JavaScript 才能显示。(ReDoc requires JavaScript.)"


@lru_cache(maxsize=1)
def _redoc_js() -> tuple[bytes, str]:
    """ReDoc's script with its logo's outside address replaced, and the hash of those bytes."""
    body = apidocs_dir().joinpath("redoc.standalone.js").read_bytes().replace(REDOC_LOGO, NO_PICTURE)
    return body, hashlib.sha256(body).hexdigest()[:12]


@router.get("/apidocs/redoc.standalone.js")
def redoc_js(v: str = ""):
    body, version = _redoc_js()
    cache = "public, max-age=31536000, immutable" if v == version else "no-cache"
    return Response(body, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": cache})


def _with_font(request: Request, aid: AidGraph, html: str) -> str:
    """An API documentation page with the CJK subset first in every font (its Chinese shows anywhere)."""
    base = base_context(request, aid)
    if not base["font_url"]:
        return html
    style = (f"<style>{fonts.font_face_css(base['font_url'])}\n"
             "body, .swagger-ui, .swagger-ui *:not(code):not(pre), redoc, redoc * "
             f"{{ font-family: {fonts.STACK} !important; }}"
             "</style>")
    return html.replace("<head>", "<head>" + style, 1).replace("<html>", '<html lang="zh-CN">', 1)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request, aid: Aid):
    html = get_swagger_ui_html(openapi_url="/openapi.json", title="上海对口帮扶知识图谱 接口文档",
                               swagger_js_url="/static/apidocs/swagger-ui-bundle.js",
                               swagger_css_url="/static/apidocs/swagger-ui.css",
                               swagger_favicon_url="/static/apidocs/favicon.png",
                               swagger_ui_parameters={"validatorUrl": None})  # no badge from an outside validator
    return HTMLResponse(_with_font(request, aid, bytes(html.body).decode("utf-8")))


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request, aid: Aid):
    html = get_redoc_html(openapi_url="/openapi.json", title="上海对口帮扶知识图谱 接口文档",
                          redoc_js_url=f"/apidocs/redoc.standalone.js?v={_redoc_js()[1]}",
                          redoc_favicon_url="/static/apidocs/favicon.png", with_google_fonts=False)
    page = bytes(html.body).decode("utf-8").replace(REDOC_NOSCRIPT, NOSCRIPT_ZH, 1)
    return HTMLResponse(_with_font(request, aid, page))
