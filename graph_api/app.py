"""The FastAPI application in the shape of FastAPI's full-stack template: the
routes live in ``routes/`` (one module per resource, and the pages), what they
depend on in ``deps.py``; here only the application is put together.

The store is opened once, before the application (``Runtime``); the lifespan
opens nothing and closes the store at shutdown. Every error answer of the API
is ``application/problem+json`` (RFC 9457, see ``routes.problems``); the HTML
pages answer their errors with a page.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import AidgraphError, BadParameter, BodyTooLarge
from ..queries.service import AidGraph
from ..settings import Settings
from ..viz.network import cjk_font_dir
from . import static_assets
from .routes import ROUTERS
from .routes.api_tags import OPENAPI_TAGS
from .routes.page_render import error_page, invalid_parameters_page, is_page
from .routes.problems import MEDIA_TYPE, HttpProblem, InternalError, InvalidParameters
from .runtime import Runtime, settings_of

log = logging.getLogger("aidgraph")

# What the pages need, and no more: every script, style, font and picture comes from this server
# (vis-network and the API docs from /static, the CJK font from /fonts), data: for the inline pictures
# of vis-network's and Swagger UI's style sheets, blob: for ReDoc's search worker. 'unsafe-inline'
# remains for the network pictures' inline script (its data are written into the page) and the
# style="" attributes of the legends; nothing is ever evaluated from a string, framed, or posted away.
CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
UNCOMPRESSED = ("text/event-stream", "font/woff2", "image/png", "application/pdf", "application/zip",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
WILDCARD_BINDS = {"0.0.0.0", "::", "[::]", ""}


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Request bodies over ``AIDGRAPH_MAX_BODY_BYTES`` are refused with 413 before they are read: at once
    when their Content-Length says so, else as soon as the bytes received pass the limit (a chunked body,
    or one longer than it said), so no route ever holds more than the limit of one body."""

    def __init__(self, app: ASGIApp, limit: Callable[[], int]):
        self.app = app
        self.limit = limit  # read at each request: the served settings as they are now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.strip().isdigit() or int(value) > limit):
                e = BodyTooLarge(limit) if value.strip().isdigit() else BadParameter("Content-Length is not a number")
                response = JSONResponse(status_code=e.status, content=e.problem(scope.get("path")),
                                        media_type=MEDIA_TYPE, headers={"Connection": "close"})
                await response(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)  # answered 413 by the application's error handler
            return message

        await self.app(scope, counted, send)


def allowed_hosts(bound: Iterable[str] = (), settings: Settings | None = None) -> list[str]:
    """The Host headers the server answers: ``AIDGRAPH_ALLOWED_HOSTS`` and the addresses it binds
    (a wildcard address such as 0.0.0.0 names no host; list the names it is reached by in the setting).
    IPv6 literals are matched in brackets, as a Host header carries them; ``*`` allows any host."""
    names = [h.strip().lower() for h in (settings or settings_of()).allowed_hosts.split(",")]
    out: list[str] = []
    for h in [*names, *(b.strip().lower() for b in bound)]:
        if h in WILDCARD_BINDS:
            continue
        if ":" in h and not h.startswith("["):
            h = f"[{h}]"
        if h not in out:
            out.append(h)
    return out


def _answer(request: Request, e: AidgraphError, headers: dict | None = None):
    """One error, as a page for the pages and as a problem document for everything else."""
    if is_page(request):
        if isinstance(e, InvalidParameters):
            return invalid_parameters_page(request, e)
        return error_page(request, e.status, e.title, e.detail, getattr(e, "problems", []), headers)
    return JSONResponse(status_code=e.status, content=e.problem(request.url.path), media_type=MEDIA_TYPE,
                        headers=headers)


def _problem_json_openapi(app: FastAPI):
    """The OpenAPI document, with every error response's body under ``application/problem+json``."""
    def openapi():
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes, tags=app.openapi_tags)
            for path in spec.get("paths", {}).values():
                for op in path.values():
                    for status, resp in op.get("responses", {}).items():
                        content = resp.get("content", {})
                        if status[:1] in "45" and "application/json" in content:
                            content[MEDIA_TYPE] = content.pop("application/json")
            app.openapi_schema = spec
        return app.openapi_schema
    return openapi


def create_app(runtime_or_aid: Runtime | AidGraph, hosts: Iterable[str] = ()) -> FastAPI:
    """The application serving ``runtime_or_aid`` (an ``AidGraph`` is wrapped in a ``Runtime``); it answers
    requests whose Host is in ``allowed_hosts(hosts)`` (``hosts``: the addresses ``serve`` binds)."""
    runtime = runtime_or_aid if isinstance(runtime_or_aid, Runtime) else Runtime(runtime_or_aid)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the store was opened (once) with the runtime; nothing more to open here
        try:
            yield
        finally:
            runtime.close()

    app = FastAPI(title="上海对口帮扶知识图谱 接口", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_tags=OPENAPI_TAGS,
                  description="上海对口帮扶的结对关系：哪个区支援哪个县、属于哪类项目、从哪一年开始，"
                              "每条事实都注明来源文件；还有各区每年工作要点中的任务及其牵头、责任单位。"
                              "所有错误答复均为 `application/problem+json`（RFC 9457）格式。")
    app.state.runtime = runtime

    @app.exception_handler(AidgraphError)
    async def aidgraph_error(request: Request, e: AidgraphError):
        return _answer(request, e, getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, e: RequestValidationError):
        return _answer(request, InvalidParameters.of(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        headers = {k: v for k, v in (e.headers or {}).items()}
        return _answer(request, HttpProblem.of(e, request.method, request.url.path), headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception):
        log.exception("unexpected failure on %s %s", request.method, request.url.path)
        # answered outside the middleware (Starlette's outermost error handler): the headers are set here
        return JSONResponse(status_code=500, content=InternalError().problem(request.url.path), media_type=MEDIA_TYPE,
                            headers=SECURITY_HEADERS)

    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static/fonts", StaticFiles(directory=cjk_font_dir()), name="fonts")
    for prefix, folder in static_assets.mounts().items():  # /static/vis, /static/apidocs, /static
        name = prefix.strip("/").replace("/", "-")
        app.mount(prefix, static_assets.VersionedStaticFiles(directory=folder), name=name)
    app.openapi = _problem_json_openapi(app)  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema
    # inside the Host check: a refused host is refused before its body counts
    app.add_middleware(BodyLimit, limit=lambda: runtime.settings.max_body_bytes)
    # pages, JSON and scripts compressed (a county office's link is slow); files compressed already are not
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6, exclude_content_types=UNCOMPRESSED)
    # against DNS rebinding
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(hosts, runtime.settings))
    app.add_middleware(SecurityHeaders)  # outermost: the Host refusals carry the headers too
    return app
