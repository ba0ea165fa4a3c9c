"""The ``aidgraph`` command line (typer + rich)."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..loaders.curated import LoadError
from ..queries.names import Ambiguous, Unknown
from ..queries.open import STORES, open_aidgraph
from ..queries.service import AidGraph, NotADistrict

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of Shanghai's paired-assistance work.")
out = Console()
err = Console(stderr=True)

EXIT_UNKNOWN, EXIT_AMBIGUOUS, EXIT_LOAD = 1, 2, 3

StoreOpt = typer.Option(None, "--store", help=f"one of {', '.join(STORES)} (default: AIDGRAPH_STORE or embedded)")
JsonOpt = typer.Option(False, "--json", help="print one JSON object (the API's shape)")


def _open(store: str | None) -> AidGraph:
    try:
        return open_aidgraph(store)
    except LoadError as e:
        err.print("[red]The data did not load; nothing is served.[/red]")
        for p in e.problems:
            err.print(f"  {p}", markup=False, highlight=False)
        raise typer.Exit(EXIT_LOAD)
    except (ValueError, RuntimeError) as e:
        err.print(f"[red]{e}[/red]", highlight=False)
        raise typer.Exit(EXIT_LOAD)


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _name_error(aid: AidGraph, e: Ambiguous | Unknown, as_json: bool) -> None:
    cands = [c.model_dump() for c in aid.candidates(e)]
    if isinstance(e, Ambiguous):
        code, key, msg = EXIT_AMBIGUOUS, "candidates", f"{e.text!r} fits several places; say which:"
    else:
        code, key, msg = EXIT_UNKNOWN, "suggestions", f"no place is called {e.text!r}." + (" Did you mean:" if cands else "")
    if as_json:
        _print_json({"error": "ambiguous" if code == EXIT_AMBIGUOUS else "unknown", "query": e.text, key: cands})
    else:
        err.print(msg, highlight=False)
        for c in cands:
            where = " · ".join(x for x in (c["prefecture"], c["province"]) if x)
            err.print(f"  {c['name']} ({c['level']}{', ' + where if where else ''}; {c['code']})", highlight=False)
    raise typer.Exit(code)


def _period(s) -> str:
    a = str(s.valid_from) if s.valid_from else "?"
    b = str(s.valid_to) if s.valid_to else "now"
    return f"{a}–{b}"


@app.command("who-supports")
def who_supports(name: str = typer.Argument(..., help="a county, prefecture or province: any name form or code"),
                 year: Optional[int] = typer.Option(None, "--year", help="answer for this year"),
                 history: bool = typer.Option(False, "--history", help="every period the sources give"),
                 as_json: bool = JsonOpt, store: Optional[str] = StoreOpt) -> None:
    """Who supports a place: district or municipality, programme, period, source."""
    aid = _open(store)
    try:
        ans = aid.who_supports(name, year=year, history=history)
    except (Ambiguous, Unknown) as e:
        _name_error(aid, e, as_json)
    if as_json:
        return _print_json(ans.model_dump())
    m = ans.matched
    where = " · ".join(x for x in (m.prefecture, m.province) if x)
    how = f"matched {m.matched_form!r} ({m.form_kind}" + (f", name until {m.former_until}" if m.former_until else "") + ")"
    out.print(f"[bold]{m.name}[/bold] — {m.level}{', ' + where if where else ''}; code {m.code}; {how}", highlight=False)
    if m.name_then:
        out.print(f"In {ans.year} it was called {m.name_then}.", highlight=False)
    when = f"in {ans.year}" if ans.year else ("in any period" if history else "now")
    if not ans.supporters:
        out.print(f"No pairing {when} in the sources.", highlight=False)
    else:
        t = Table(title=f"Supporters {when}", show_lines=False)
        for col in ("supporter", "programme", "period", "pairing names", "source"):
            t.add_column(col, overflow="fold")
        for s in ans.supporters:
            named = s.place if s.via == "self" else f"{s.place} ({s.via})"
            t.add_row(s.name, s.program, _period(s), named, s.source)
        out.print(t)
    if ans.other_periods:
        out.print("Other periods: " + "; ".join(f"{s.name} {s.program} {_period(s)} ({s.place})" for s in ans.other_periods),
                  highlight=False)


@app.command()
def district(name: str = typer.Argument(..., help="a Shanghai district (浦东, 闵行区, 310112 …) or 上海市"),
             as_json: bool = JsonOpt, store: Optional[str] = StoreOpt) -> None:
    """A district's paired places, by programme and prefecture."""
    aid = _open(store)
    try:
        ans = aid.district(name)
    except (Ambiguous, Unknown) as e:
        _name_error(aid, e, as_json)
    except NotADistrict as e:
        err.print(str(e), highlight=False)
        raise typer.Exit(EXIT_UNKNOWN)
    if as_json:
        return _print_json(ans.model_dump())
    out.print(f"[bold]{ans.district.name}[/bold]: {ans.paired_places} paired county-level places", highlight=False)
    for g in ans.programs:
        out.print(f"  {g.program} ({g.count})", highlight=False)
        for pref, places in g.prefectures.items():
            out.print(f"    {pref}: {'、'.join(places)}", highlight=False)
    out.print("Sources: " + " | ".join(ans.sources), highlight=False)


@app.command()
def stats(as_json: bool = JsonOpt, store: Optional[str] = StoreOpt) -> None:
    """Counts by type and the documents' totals of paired places."""
    aid = _open(store)
    ans = aid.stats()
    if as_json:
        return _print_json(ans.model_dump())
    t = Table(title="Nodes")
    t.add_column("label"), t.add_column("count", justify="right")
    for k, v in ans.nodes.items():
        t.add_row(k, str(v))
    out.print(t)
    r = Table(title="Relationships")
    r.add_column("type"), r.add_column("count", justify="right")
    for k, v in ans.relationships.items():
        r.add_row(k, str(v))
    out.print(r)
    for y, tot in ans.paired.items():
        out.print(f"Paired in {y}: {tot.counties} county-level places, {tot.prefectures} prefectures, "
                  f"{tot.provinces} provinces", highlight=False)


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="address to listen on"),
          port: int = typer.Option(8000, help="port"), store: Optional[str] = StoreOpt) -> None:
    """Serve the JSON API (and its OpenAPI docs at /docs)."""
    import uvicorn

    from .app import create_app
    aid = _open(store)
    out.print(f"Serving aidgraph ({aid.store.name} store) on http://{host}:{port}/  — API docs at /docs", highlight=False)
    uvicorn.run(create_app(aid), host=host, port=port, log_level="warning")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
