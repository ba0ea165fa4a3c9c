"""The ``aidgraph`` Typer application and what every command shares: the global ``--as-of``, the
``--store`` and ``--json`` options, and the graph, opened through the composition root
(``graph_api.runtime``) as the server opens it."""
from __future__ import annotations

import typer

from ...errors import EXIT_CODES, AidgraphError, BadSetting, NameProblem
from ...queries.service import AidGraph
from ...settings import STORES, Settings, as_of_year
from .. import runtime
from .printing import fail, name_error

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of Shanghai's paired-assistance work. 上海对口帮扶知识图谱。",
                  epilog="退出码 exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()))

StoreOpt = typer.Option(None, "--store", help=f"one of {', '.join(STORES)} (default: AIDGRAPH_STORE or embedded)")
JsonOpt = typer.Option(False, "--json", help="print one JSON object (the API's shape)")

_settings: Settings | None = None  # the environment's, with the command line's --as-of


@app.callback()
def _options(as_of: str | None = typer.Option(
        None, "--as-of", metavar="YEAR|DATE",
        help="answer as of this year or date (2026 or 2026-11-23): what 'now' means; default: today "
             "(or AIDGRAPH_AS_OF)")) -> None:
    global _settings
    if as_of is not None:
        try:
            as_of_year(as_of)
        except ValueError:
            raise typer.BadParameter(f"{as_of!r} is not a year (2026) or a date (2026-11-23)",
                                     param_hint="--as-of") from None
    try:
        _settings = runtime.settings_of(as_of)
    except BadSetting as e:  # an AIDGRAPH_* or NEO4J_* variable that does not fit: named, with what it takes
        fail(e)


def settings() -> Settings:
    """The settings of this command: read once, by the composition root, when the command starts."""
    global _settings
    if _settings is None:
        _settings = runtime.settings_of()
    return _settings


def open_graph(store: str | None, as_json: bool = False) -> AidGraph:
    try:
        return runtime.open_aidgraph(store, settings=settings(), on_disk=True)
    except AidgraphError as e:
        fail(e, as_json)


def ask(as_json: bool, question, *args, **kwargs):
    """Run a named query; its errors become the documented exit codes and messages."""
    try:
        return question(*args, **kwargs)
    except NameProblem as e:
        name_error(e, as_json)
    except AidgraphError as e:
        fail(e, as_json)
