"""``serve --workers N``: gunicorn's pre-fork supervisor over uvicorn workers, sharing one loaded graph.

The graph is loaded once, in the supervising process, before any worker exists (gunicorn's
``preload_app``). Just before each fork the collector is frozen (``gc.freeze()``): the loaded objects
move to the permanent generation, so a worker's collections never write into their pages, and the
forked workers share them copy-on-write instead of each holding its own copy. The workers share the
listening socket and serve with the same protocol and bounds as the one-process server
(``HeadTimeoutProtocol``, the keep-alive and head-size limits); each worker has its own per-process
limits (SPARQL queries and exports at once). The supervisor starts a new worker when one dies, and
stops them all on SIGTERM or SIGINT. SIGHUP rebuilds the graph in the supervisor (the last good one
stays when the data no longer load) and then replaces the workers one generation at a time.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, ClassVar

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from .http_server import HeadTimeoutProtocol

HEAD_MAX_BYTES = 16 * 1024  # h11's limit on a request head, as the one-process server sets it


class AidgraphWorker(UvicornWorker):
    """A uvicorn worker with the one-process server's protocol and head limit."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {"loop": "auto", "http": HeadTimeoutProtocol,
                                     "h11_max_incomplete_event_size": HEAD_MAX_BYTES}


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``bind`` for ``host``: an IPv6 address goes in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class PreforkServer(BaseApplication):
    """gunicorn running ``app`` (already built, over the loaded graph) in ``workers`` forked processes."""

    def __init__(self, app: Any, *, host: str, port: int, workers: int, keep_alive: int, head_timeout: float,
                 on_reload: Callable[[], None]):
        self._app, self._on_reload = app, on_reload
        # the one-process server's head timeout (settings.header_timeout), given to every worker's protocol
        worker = type("AidgraphWorker", (AidgraphWorker,), {"CONFIG_KWARGS": {
            **AidgraphWorker.CONFIG_KWARGS, "http": HeadTimeoutProtocol.bounded(head_timeout)}})
        self._options = {
            "bind": bind_address(host, port), "workers": workers, "worker_class": worker,
            "preload_app": True, "keepalive": keep_alive,
            "timeout": 120,          # a worker whose event loop has not ticked for this long is replaced
            "graceful_timeout": 10,  # SIGTERM: requests under way get this long, then the workers are killed
            "loglevel": "warning", "accesslog": None, "proc_name": "aidgraph",
            "pre_fork": lambda _arbiter, _worker: gc.freeze(),
            "on_reload": lambda _arbiter: self._on_reload(),
        }
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._app
