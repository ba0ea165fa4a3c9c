"""One exception hierarchy for everything a user can cause or act on.

Each kind carries its HTTP status, its exit code and a short Chinese title, so
the API (RFC 9457 ``application/problem+json``) and the command line map every
error the same way, in one place each. Exit codes 1 and 2 belong to the
command-line framework (an unexpected failure, a usage error) and are not used
here.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

PROBLEM_BASE = "https://w3id.org/aidgraph/problems/"

EXIT_LOAD, EXIT_NOT_FOUND, EXIT_AMBIGUOUS, EXIT_REFUSED, EXIT_STORE = 3, 4, 5, 6, 7
EXIT_CODES = {
    0: "成功 done",
    1: "意外错误 unexpected failure (a bug: please report it)",
    2: "用法错误 usage error (an unknown option or a value of the wrong type)",
    EXIT_LOAD: "数据未能加载 the data did not load; nothing is served",
    EXIT_NOT_FOUND: "未找到 no such place, district, unit or document",
    EXIT_AMBIGUOUS: "名称有歧义 the name fits several places; the candidates are listed",
    EXIT_REFUSED: "请求被拒绝 the request was understood and refused (bad file, query or format)",
    EXIT_STORE: "数据库不可用 the Neo4j store is unreachable or refused the request",
}


class AidgraphError(Exception):
    """Base class. ``slug`` names the problem type, ``title`` says it in a few words."""

    slug: ClassVar[str] = "error"
    title: ClassVar[str] = "出错了 error"
    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        """Members added to the problem body beside type, title, status and detail."""
        return {}

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status,
                                "detail": self.detail}
        if instance:
            body["instance"] = instance
        body.update(self.extensions())
        return body


# -- names ---------------------------------------------------------------------------------
class NameProblem(AidgraphError, LookupError):
    """A name that does not lead to exactly one division. ``divisions`` are division ids."""

    def __init__(self, text: str, divisions: list[str], detail: str):
        self.text = text
        self.divisions = divisions
        self.places: list[dict] = []  # filled by the query layer with the places' descriptions
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        return {"query": self.text}


class Ambiguous(NameProblem):
    """``labels``: (code, name with its parents) for each candidate, 普陀区（浙江省舟山市）, in the
    order of ``divisions``; they go into the message and, as ``display``, into each candidate."""

    slug, title, status, exit_code = "ambiguous-name", "名称有歧义 ambiguous name", 409, EXIT_AMBIGUOUS

    def __init__(self, text: str, divisions: list[str], labels: Sequence[tuple[str, str]] = ()):
        self.labels = list(labels)
        which = "：" + "、".join(label for _code, label in self.labels) if self.labels else ""
        super().__init__(text, divisions,
                         f"“{text}”可指多个地方{which}，请从候选中选择 ({len(divisions)} candidates)")

    def extensions(self) -> dict[str, Any]:
        shown = dict(self.labels)
        return {"query": self.text, "candidates": [
            {**c, "display": shown[c["code"]]} if c.get("code") in shown else c for c in self.places]}


class Unknown(NameProblem):
    slug, title, status, exit_code = "unknown-name", "未找到该名称 unknown name", 404, EXIT_NOT_FOUND

    def __init__(self, text: str, divisions: list[str]):
        super().__init__(text, divisions, f"没有名为“{text}”的地方 (no place has this name)")

    def extensions(self) -> dict[str, Any]:
        return {"query": self.text, "suggestions": self.places}


class NameTooLong(Unknown):
    """A name longer than any place's, refused before it is looked up. An unknown name for whoever
    falls back to other lookups (the search box), but answered as refused: 422, exit code 6."""

    slug, title, status, exit_code = "name-too-long", "名称过长 name too long", 422, EXIT_REFUSED

    def __init__(self, text: str, limit: int):
        self.limit = limit
        NameProblem.__init__(self, text, [], f"名称过长：地名最多 {limit} 个字符 "
                                             f"(a place name has at most {limit} characters)")

    def extensions(self) -> dict[str, Any]:
        return {"query": self.text, "limit": self.limit}


class NotADistrict(AidgraphError, LookupError):
    slug, title, status, exit_code = "not-a-district", "不是上海的区 not a district", 404, EXIT_NOT_FOUND

    def __init__(self, name: str, level: str, code: str):
        self.name, self.level, self.code = name, level, code
        super().__init__(f"{name} is not Shanghai or one of its districts")

    def extensions(self) -> dict[str, Any]:
        return {"query": self.name, "level": self.level, "code": self.code}


class UnknownUnit(AidgraphError, LookupError):
    slug, title, status, exit_code = "unknown-unit", "未找到该单位 unknown unit", 404, EXIT_NOT_FOUND

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no unit called {name!r} in the work points")

    def extensions(self) -> dict[str, Any]:
        return {"query": self.name}


class NotInGraph(AidgraphError, LookupError):
    """A centre for a subgraph that exists but holds no facts, or a node id that does not exist."""

    slug, title, status, exit_code = "not-in-graph", "图中没有该对象 not in the graph", 404, EXIT_NOT_FOUND


# -- requests that are understood and refused ----------------------------------------------------
class Refused(AidgraphError, ValueError):
    slug, title, status, exit_code = "refused", "请求被拒绝 refused", 400, EXIT_REFUSED


class BadParameter(Refused):
    slug, title = "bad-parameter", "参数无效 bad parameter"


class SparqlRefused(Refused):
    """The SPARQL request is not run: an update, too long, a syntax error, too slow or too large."""

    slug, title = "sparql-refused", "SPARQL 查询被拒绝 SPARQL query refused"


class BodyTooLarge(Refused):
    """A request body over the limit, refused before more of it is read."""

    slug, title, status = "body-too-large", "请求正文过大 request body too large", 413

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"请求正文超过 {limit:,} 字节 (the request body is over the limit of {limit:,} bytes)")

    def extensions(self) -> dict[str, Any]:
        return {"limit": self.limit}


class Busy(AidgraphError):
    """As many requests of a costly kind as allowed are running; ask again after ``retry_after`` seconds."""

    slug, title, status, exit_code = "busy", "服务繁忙 busy", 503, EXIT_REFUSED

    def __init__(self, detail: str, retry_after: int):
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        return {"retryAfter": self.retry_after}


class BulkExportRefused(Refused):
    """A value ``neo4j export-bulk`` cannot write so that neo4j-admin reads it back the same."""
    slug, title, status = "bulk-export-refused", "批量导出被拒绝 bulk export refused", 422


class SparqlBusy(Busy):
    """As many SPARQL queries as allowed are running."""

    slug, title = "sparql-busy", "SPARQL 查询繁忙 too many SPARQL queries"


class ExportBusy(Busy):
    """As many exports as allowed are being made."""

    slug, title = "export-busy", "导出繁忙 too many exports at once"


class ImportRefused(Refused):
    """An import that would lose or break data; ``details`` (a difference, the problems) go into
    the problem body beside the message."""
    slug, title, status = "import-refused", "文件导入被拒绝 import refused", 422

    def __init__(self, detail: str, **details: Any):
        self.details = details
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        return dict(self.details)


class BadSetting(Refused):
    """An environment variable whose value does not fit its setting (``settings``): the detail names the
    variable and what it takes."""
    slug, title, status = "bad-setting", "环境变量设置无效 bad setting", 500


# -- data and stores ----------------------------------------------------------------------
class LoadError(AidgraphError):
    """The data did not load: every problem names its file, line and column."""

    slug, title, status, exit_code = "data-did-not-load", "数据未能加载 the data did not load", 503, EXIT_LOAD

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the data did not load:\n  " + "\n  ".join(problems))

    def extensions(self) -> dict[str, Any]:
        return {"problems": self.problems}


class StoreUnavailable(AidgraphError, RuntimeError):
    """A Neo4j problem a user can act on, in one line."""

    slug, title, status, exit_code = "store-unavailable", "数据库不可用 store unavailable", 503, EXIT_STORE
