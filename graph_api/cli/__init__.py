"""The ``aidgraph`` command line (typer + rich): one module per group of commands, each thin over the
graph the composition root (``graph_api.runtime``) opens, as the server's is."""
from __future__ import annotations

# each module registers its commands on `app`, in the order `aidgraph --help` lists them
from . import questions  # noqa: F401  # isort: skip
from . import changes  # noqa: F401  # isort: skip
from . import imports  # noqa: F401  # isort: skip
from . import history  # noqa: F401  # isort: skip
from . import neo4j  # noqa: F401  # isort: skip
from . import export  # noqa: F401  # isort: skip
from . import sparql  # noqa: F401  # isort: skip
from . import serve  # noqa: F401  # isort: skip
from .app import app  # isort: skip


def main() -> None:
    app()


__all__ = ["app", "main"]
