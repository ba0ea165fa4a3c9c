"""What the command line prints: its two consoles, JSON, errors with their exit codes, and the
tables shared by several commands (tasks, sources, periods)."""
from __future__ import annotations

import json
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ...errors import AidgraphError, Ambiguous, LoadError, NameProblem
from ...queries.service import AidGraph
from ...schema.eras import period_text

out = Console()
err = Console(stderr=True, soft_wrap=True)  # messages stay on one line, greppable


def print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def fail(e: AidgraphError, as_json: bool = False) -> NoReturn:
    """Every error a user can act on: one message (or the API's problem object with --json) and its exit code."""
    if as_json:
        print_json(e.problem())
    elif isinstance(e, LoadError):
        err.print("数据未能加载，未提供任何服务 The data did not load; nothing is served.", highlight=False)
        for p in e.problems:
            err.print(f"  {p}", markup=False, highlight=False)
    else:
        err.print(f"{e.title}: {e.detail}", markup=False, highlight=False)
    raise typer.Exit(e.exit_code)


def name_error(e: NameProblem, as_json: bool) -> NoReturn:
    """An ambiguous or unknown name: the candidates or suggestions, and the name problem's exit code."""
    if as_json:
        print_json(e.problem())
    else:
        if isinstance(e, Ambiguous):
            err.print(f"{e.text!r} fits several places; say which:", highlight=False)
        elif e.slug != "unknown-name":  # refused before any lookup (too long)
            err.print(e.detail, highlight=False)
        else:
            err.print(f"no place is called {e.text!r}." + (" Did you mean:" if e.places else ""), highlight=False)
        for c in e.places:
            where = " · ".join(x for x in (c["prefecture"], c["province"]) if x)
            err.print(f"  {c['name']} ({c['level']}{', ' + where if where else ''}; {c['code']})", highlight=False)
    raise typer.Exit(e.exit_code)


def period(s) -> str:
    return period_text(s.valid_from, s.valid_to)


def cites(aid: AidGraph):
    """A source cell as officials cite it: document number, title and table or item."""
    from ...schema.sources import split_refs
    from ...viz.citations import cite_text
    docs: dict = {}
    asked: set[str] = set()

    def cite(source: str | None) -> str:
        wanted = {r.doc for r in split_refs(source) if r.doc} - asked  # read the documents a cell cites, once
        if wanted:
            asked.update(wanted)
            docs.update({d.id: d for d in aid.documents(wanted)})
        return cite_text(source, docs)
    return cite


def units_text(units) -> str:
    return "、".join(u.name if u.name == u.canonical else f"{u.name}（{u.canonical}）" for u in units) or "—"


def print_tasks(tasks, cite=None) -> None:
    t = Table(show_lines=True)
    for col in ("区", "年度", "序号", "任务", "牵头单位", "责任单位", "涉及地方", "来源"):
        t.add_column(col, overflow="fold")
    for x in tasks:
        no = f"任务{x.number}" if x.kind == "task" else f"保障措施{x.number}"
        t.add_row(x.district, str(x.year), no, x.title, units_text(x.lead_units), units_text(x.responsible_units)
                  + (f"；配合：{units_text(x.cooperating_units)}" if x.cooperating_units else ""),
                  "、".join(x.places), cite(x.source) if cite else x.source)
    out.print(t)
