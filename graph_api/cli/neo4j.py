"""``aidgraph neo4j …``: write the graph into Neo4j (``push``), write the bulk-import files
(``export-bulk``), print the DDL (``ddl``)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ...errors import AidgraphError
from .app import JsonOpt, app, settings
from .printing import err, fail, out, print_json

if TYPE_CHECKING:  # imported where used: the command starts without it
    from rich.progress import TaskID

neo4j_app = typer.Typer(no_args_is_help=True, help="Write the graph into Neo4j and inspect the DDL.")
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("push")
def neo4j_push(uri: str | None = typer.Option(None, help="default: NEO4J_URI"),
               user: str | None = typer.Option(None, help="default: NEO4J_USER"),
               password: str | None = typer.Option(None, help="default: NEO4J_PASSWORD", show_default=False),
               database: str | None = typer.Option(None, help="default: NEO4J_DATABASE or neo4j"),
               wipe: bool = typer.Option(False, "--wipe", help="delete the aidgraph graph in the database first"),
               as_json: bool = JsonOpt) -> None:
    """Make the Neo4j database hold exactly the graph of data/ (idempotent; removes facts that left the sources)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ...errors import StoreUnavailable
    from ...queries.neo4j_push import push
    from ..runtime import load_data
    neo = settings().neo4j.with_overrides(uri=uri, user=user, password=password, database=database)
    try:
        graph = load_data(settings().data).graph
    except AidgraphError as e:
        fail(e, as_json)
    bars: dict[tuple, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  disable=as_json, transient=False) as progress:
        def on_step(kind, name, done, total):
            key = (kind, name)
            if key not in bars:
                bars[key] = progress.add_task(f"{kind} {name}", total=total)
            progress.update(bars[key], completed=done)
        try:
            summary = push(graph, neo, wipe_first=wipe, on_step=on_step)
        except StoreUnavailable as e:
            progress.stop()
            fail(e, as_json)
    if as_json:
        return print_json({"database": neo.database, "ddl": summary.ddl, "changes": summary.changes,
                            "by_type": summary.as_dict()})
    if not summary.changes:
        out.print(f"Neo4j database {neo.database!r} already holds this graph: nothing to change.")
        return
    t = Table(title=f"Pushed to {neo.database!r}")
    for col in ("type", "created", "updated", "deleted"):
        t.add_column(col, justify="right" if col != "type" else "left")
    for k, v in summary.as_dict().items():
        t.add_row(k, str(v["created"]), str(v["updated"]), str(v["deleted"]))
    out.print(t)


@neo4j_app.command("export-bulk")
def neo4j_export_bulk(directory: Annotated[Path, typer.Argument(help="folder for the CSV files (created)")],
                      database: str = typer.Option("neo4j", help="the database name the command line imports into"),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """Write node and relationship CSVs for `neo4j-admin database import` (national-scale first loads),
    with import.sh (the command line) and after-import.cypher (constraints and indexes)."""
    from ...queries.neo4j_bulk import export_bulk
    from ..runtime import load_data
    try:
        done = export_bulk(load_data(settings().data).graph, directory, database)
    except AidgraphError as e:
        fail(e, as_json)
    if as_json:
        return print_json(done)
    out.print(f"{done['nodes']} nodes and {done['relationships']} relationships in {len(done['files'])} files "
              f"under {done['directory']}")
    out.print("then, with the Neo4j server stopped:")
    out.print(done["command"], soft_wrap=True, markup=False, highlight=False)
    out.print("and once it is started again: after-import.cypher (constraints and indexes)")


@neo4j_app.command("ddl")
def neo4j_ddl_cmd() -> None:
    """Print the Neo4j 5 constraints and indexes push creates."""
    from ...schema.neo4j import neo4j_ddl
    for stmt in neo4j_ddl():
        sys.stdout.write(stmt + ";\n")
