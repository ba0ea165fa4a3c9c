"""The one error contract of the API: RFC 9457 problem details, media type
``application/problem+json``.

Every error answer has ``type`` (a URI under ``PROBLEM_BASE``), ``title``,
``status``, ``detail`` and ``instance`` (the request path), plus the extension
members its type defines: ``query`` with ``candidates`` (ambiguous name) or
``suggestions`` (unknown name), ``level``/``code`` (not a district), ``errors``
(invalid request parameters), ``problems`` (data did not load), ``allow``
(method not allowed). ``Problem`` documents the shape in OpenAPI.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from ...errors import PROBLEM_BASE, AidgraphError
from ...queries.results import Candidate

MEDIA_TYPE = "application/problem+json"


class InvalidParam(BaseModel):
    """One request parameter that failed validation."""

    model_config = ConfigDict(populate_by_name=True)
    in_: str = Field(alias="in", description="query, path, header, cookie or body")
    name: str = Field(description="the parameter's name (dotted for nested body members)")
    value: Any = Field(None, description="the value received (null when missing)")
    type: str = Field(description="what is wrong, as a short code: int_parsing, missing, greater_than_equal …")
    detail: str = Field(description="what is wrong, in words")


class Problem(BaseModel):
    """RFC 9457 problem details. The members after ``instance`` are extensions; each problem type
    uses only its own (see the description of each response)."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(description=f"URI of the problem type, under {PROBLEM_BASE}",
                      examples=[PROBLEM_BASE + "ambiguous-name"])
    title: str = Field(description="the problem type in a few words, Chinese first")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="this occurrence, in words")
    instance: str | None = Field(None, description="the request path")
    query: str | None = Field(None, description="the name as received (name problems)")
    candidates: list[Candidate] | None = Field(None, description="ambiguous-name: the places the name fits")
    suggestions: list[Candidate] | None = Field(None, description="unknown-name: the nearest places")
    level: str | None = Field(None, description="not-a-district: the level of the place the name resolved to")
    code: str | None = Field(None, description="not-a-district: its division code")
    errors: list[InvalidParam] | None = Field(None, description="invalid-parameters: each bad parameter")
    problems: list[str] | None = Field(None, description="data-did-not-load: file, line and column of each")
    allow: list[str] | None = Field(None, description="method-not-allowed: the methods the path accepts")
    retryAfter: int | None = Field(None, description="sparql-busy, export-busy: seconds to wait (as Retry-After)")
    limit: int | None = Field(None, description="body-too-large: the most bytes a request body may hold")


DESCRIPTIONS = {
    400: "refused: a bad parameter (`bad-parameter`), a refused SPARQL query (`sparql-refused`) or an over-long "
         "name (`name-too-long`)",
    404: "not found: an unknown name (`unknown-name`, with `suggestions`), a name that is not Shanghai or one of "
         "its districts (`not-a-district`), an unknown unit (`unknown-unit`) or a centre with no facts "
         "(`not-in-graph`)",
    409: "ambiguous name (`ambiguous-name`): `candidates` lists the places it fits",
    413: "the request body is over `AIDGRAPH_MAX_BODY_BYTES` (`body-too-large`), refused before it is read",
    422: "invalid request parameters (`invalid-parameters`): `errors` lists each",
    503: "the data did not load (`data-did-not-load`), the Neo4j store is unavailable (`store-unavailable`), or "
         "as many SPARQL queries or exports run as allowed (`sparql-busy`, `export-busy`, with `Retry-After`)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for these error statuses, and 503 (every route reads the store)."""
    return {s: {"model": Problem, "description": DESCRIPTIONS[s]} for s in sorted({*statuses, 503})}


# -- problems raised by the framework, in the same shape as ours ---------------------------
class InvalidParameters(AidgraphError):
    """Parameters FastAPI could not validate (wrong type, out of range, missing)."""

    slug, title, status, exit_code = "invalid-parameters", "请求参数无效 invalid request parameters", 422, 2

    def __init__(self, errors: list[InvalidParam]):
        self.errors = errors
        names = ", ".join(dict.fromkeys(e.name for e in errors)) or "(request)"
        super().__init__(f"参数无效 invalid parameter(s): {names}")

    def extensions(self) -> dict[str, Any]:
        return {"errors": [e.model_dump(by_alias=True) for e in self.errors]}

    @classmethod
    def of(cls, exc: RequestValidationError) -> InvalidParameters:
        items = []
        for e in exc.errors():
            loc = [str(x) for x in e.get("loc", ())]
            where, name = (loc[0], ".".join(loc[1:])) if len(loc) > 1 else ("body", ".".join(loc))
            value = e.get("input")
            items.append(InvalidParam(in_=where, name=name, value=None if e.get("type") == "missing" else _plain(value),
                                      type=e.get("type", "invalid"), detail=e.get("msg", "invalid")))
        return cls(items)


def _plain(value: Any) -> Any:
    try:
        return jsonable_encoder(value)
    except (TypeError, ValueError):
        return repr(value)


class HttpProblem(AidgraphError):
    """A plain HTTP error: no route for the path (404), a method the path does not accept (405), …"""

    def __init__(self, status: int, slug: str, title: str, detail: str, allow: list[str] | None = None):
        self.status, self.slug, self.title, self.allow = status, slug, title, allow  # type: ignore[misc]
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        return {"allow": self.allow} if self.allow else {}

    @classmethod
    def of(cls, exc: HTTPException, method: str, path: str) -> HttpProblem:
        status = exc.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        given = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        if status == 404:
            return cls(404, "not-found", "未找到 not found", given or f"没有这个地址 no such address: {path}")
        if status == 405:
            given_allow = next((v for k, v in (exc.headers or {}).items() if k.lower() == "allow"), "")
            allow = [m.strip() for m in given_allow.split(",") if m.strip()]
            return cls(405, "method-not-allowed", "不允许的请求方法 method not allowed",
                       given or f"{method} is not allowed on {path}" + (f"; use {', '.join(allow)}" if allow else ""),
                       allow)
        return cls(status, phrase.lower().replace(" ", "-").replace("'", ""), phrase, given or phrase)


class InternalError(AidgraphError):
    slug, title, status = "internal-error", "服务器内部错误 internal error", 500

    def __init__(self):
        super().__init__("an unexpected failure (a bug: please report it)")
