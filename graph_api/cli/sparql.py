"""``aidgraph sparql``: a read-only SPARQL query over the RDF view of the graph."""
from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from .app import app, ask, open_graph
from .printing import out


@app.command()
def sparql(query: str = typer.Argument(..., help="a SPARQL query, or the path of a file holding one"),
           fmt: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
    """Run a read-only SPARQL query over the RDF view of the graph."""
    from ...queries.sparql import run_sparql
    text = query
    if len(query) < 4096 and "\n" not in query and Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    aid = open_graph(None)
    res = ask(False, lambda: run_sparql(aid.graph(), text, "csv" if fmt in ("csv", "table") else "json"))
    if fmt != "table" or res.kind not in ("SELECT",):
        sys.stdout.write(res.body.decode("utf-8"))
        return
    import csv as _csv
    import io
    rows = list(_csv.reader(io.StringIO(res.body.decode("utf-8"))))
    t = Table()
    for col in rows[0]:
        t.add_column(col, overflow="fold")
    for r in rows[1:]:
        t.add_row(*r)
    out.print(t)
    out.print(f"{len(rows) - 1} row(s)")
