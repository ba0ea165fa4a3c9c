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
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import AidgraphError
from ..queries.service import AidGraph
from ..viz.network import cjk_font_dir, vis_asset_dir
from .routes import ROUTERS
from .routes.pages import error_page, invalid_parameters_page, is_page
from .routes.problems import MEDIA_TYPE, HttpProblem, InternalError, InvalidParameters
from .runtime import Runtime

log = logging.getLogger("aidgraph")


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


def create_app(runtime_or_aid: Runtime | AidGraph) -> FastAPI:
    """The application serving ``runtime_or_aid`` (an ``AidGraph`` is wrapped in a ``Runtime``)."""
    runtime = runtime_or_aid if isinstance(runtime_or_aid, Runtime) else Runtime(runtime_or_aid)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the store was opened (once) with the runtime; nothing more to open here
        try:
            yield
        finally:
            runtime.close()

    app = FastAPI(title="aidgraph", version=__version__, lifespan=lifespan,
                  description="Shanghai's paired-assistance graph: who supports whom, under which programme, "
                              "since when, and the source of each fact. Every error answer is "
                              "`application/problem+json` (RFC 9457).")
    app.state.runtime = runtime

    @app.exception_handler(AidgraphError)
    async def aidgraph_error(request: Request, e: AidgraphError):
        return _answer(request, e)

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
        return JSONResponse(status_code=500, content=InternalError().problem(request.url.path), media_type=MEDIA_TYPE)

    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static/vis", StaticFiles(directory=vis_asset_dir()), name="vis")
    app.mount("/static/fonts", StaticFiles(directory=cjk_font_dir()), name="fonts")
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.openapi = _problem_json_openapi(app)
    return app
