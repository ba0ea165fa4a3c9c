"""The files under /static and how long a browser keeps them.

A page names a static file by ``static_url`` (``/static/site.css?v=<hash of its bytes>``): asked with the
hash of the file as it is now, the answer may be kept a year (``immutable``), since a new version of the file
has another address; asked without it or with an old hash (an old page, the API docs' own links), the answer
must be revalidated (``no-cache``: the browser asks again with the ETag and gets 304 while unchanged). So
nothing stale sticks after an upgrade, and a repeat visit over a slow link asks for nothing.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from ..viz.network import vis_asset_dir

KEEP = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def mounts() -> dict[str, Path]:
    """URL prefix -> folder, the longest prefix first (the order they are mounted and looked up in)."""
    from .routes.apidocs import apidocs_dir  # here: the pages' module, which the routes import, names files by this one
    return {"/static/vis": vis_asset_dir(),
            "/static/apidocs": apidocs_dir(),  # /docs, /redoc offline
            "/static": Path(__file__).parent / "static"}


@lru_cache(maxsize=64)
def _hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def file_version(path: Path) -> str:
    """A short hash of the file's bytes (recomputed when its size or time changes)."""
    st = os.stat(path)
    return _hash(str(path), st.st_mtime_ns, st.st_size)


def static_url(url: str) -> str:
    """``/static/x`` with the hash of its file as ``?v=``: the address changes whenever the file does."""
    for prefix, folder in mounts().items():
        if url.startswith(prefix + "/"):
            return f"{url}?v={file_version(folder / url[len(prefix) + 1:])}"
    raise ValueError(f"not a static file: {url}")


class VersionedStaticFiles(StaticFiles):
    """StaticFiles whose answers carry ``Cache-Control``: kept a year when asked by the current hash."""

    def file_response(self, full_path: os.PathLike[str] | str, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = QueryParams(scope.get("query_string", b"").decode("latin-1")).get("v")
        current = _hash(str(full_path), stat_result.st_mtime_ns, stat_result.st_size)
        response.headers["Cache-Control"] = KEEP if asked == current else REVALIDATE
        return response
