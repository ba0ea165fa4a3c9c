"""Adding to the data from the command line: a district's work-points document (``import-doc``) and a
pairing-change notice (``import-pairings``), each checked whole before anything is written."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...errors import AidgraphError
from ...queries.results import DocumentOut, ImportReport, ImportWarning
from ...schema.eras import period_text
from ..runtime import aidgraph_of, keep_load
from .app import JsonOpt, app, settings
from .printing import err, fail, out, print_json, print_tasks


@app.command("import-doc")
def import_doc(path: Annotated[Path, typer.Argument(help="a district's work-points document as plain text")],
               dry_run: bool = typer.Option(False, "--dry-run", help="report only; change nothing"),
               force: bool = typer.Option(False, "--force", help="import even when the parse's self-check finds "
                                          "problems (kept as warnings) or the registered copy loses tasks or units; "
                                          "seed documents are never replaced"),
               as_json: bool = JsonOpt) -> None:
    """Parse a work-points document, report what it holds, and (without --dry-run) add it to the data."""
    from ...loaders.importer import diff_text, import_document
    try:
        res = import_document(path, settings().data, dry_run=dry_run, force=force,
                              on_committed=lambda loaded: keep_load(settings().data, loaded))
    except AidgraphError as e:
        fail(e, as_json)
    plan, row, loaded = res.plan, res.row, res.loaded
    for c in res.cleaned:
        err.print(c, highlight=False, markup=False)
    view = aidgraph_of(loaded, settings())
    report = ImportReport(
        document=DocumentOut(id=row["id"], number=row["number"], title=row["title"], issuer=row["issuer"],
                             date=row["date"], district=plan.district, year=plan.year),
        tasks=view.tasks(document=row["id"]),
        warnings=[ImportWarning(line=line, message=msg) for line, msg in res.warnings],
        dry_run=dry_run, replaced=res.replaced, forced=force, diff=res.diff)
    if as_json:
        return print_json(report.model_dump())
    d = report.document
    out.print(f"[bold]{d.title}[/bold] {d.number} ({d.issuer}, {d.date}) → id {d.id}", highlight=False)
    n_tasks = sum(1 for t in report.tasks if t.kind == "task")
    out.print(f"{n_tasks} 项任务、{len(report.tasks) - n_tasks} 项保障措施 {n_tasks} tasks and "
              f"{len(report.tasks) - n_tasks} safeguard items; {sum(len(t.places) for t in report.tasks)} place links",
              highlight=False)
    print_tasks(report.tasks)
    if report.diff:
        out.print("与已登记版本相比 against the registered copy: " + diff_text(report.diff), highlight=False,
                  markup=False)
    for w in report.warnings:
        err.print(f"警告 warning: 第{w.line}行 line {w.line}: {w.message}", highlight=False, markup=False)
    if dry_run:
        out.print("试运行，未作任何修改 Dry run: nothing was changed.")
    else:
        out.print(("已替换此前导入的版本 Replaced the earlier import of this document." if res.replaced
                   else "已加入数据 Added to the data.") + " 下次启动生效 The next start includes it.")


@app.command("import-pairings")
def import_pairings(path: Annotated[Path, typer.Argument(help="a pairing-change notice as a table (.csv UTF-8 or "
                                                                  ".xlsx): the pairing tables' columns or their "
                                                                  "Chinese headings")],
                    name: str = typer.Option(..., "--name", help="the table's name (lower-case letters, digits, _); "
                                             "it is kept as pairings_<name>"),
                    title: str | None = typer.Option(None, "--title", help="the notice's title: register the notice "
                                                        "itself as a source document (kind notice) cited by its rows"),
                    date: str | None = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="the notice's date"),
                    number: str | None = typer.Option(None, "--number", help="its document number (文号), when the "
                                                         "source cells do not give it"),
                    issuer: str | None = typer.Option(None, "--issuer", help="who issued the notice"),
                    new_supporter: Annotated[list[str] | None, typer.Option(
                        "--new-supporter", help="a supporter not in "
                        "the supporter table, written as in the notice (repeatable)")] = None,
                    note: str | None = typer.Option(None, "--note", help="what the table holds (for the register)"),
                    dry_run: bool = typer.Option(False, "--dry-run", help="check and report only; change nothing"),
                    force: bool = typer.Option(False, "--force", help="replace the table even if pairings are dropped "
                                               "or it is a table shipped with the data (the difference is shown)"),
                    as_json: bool = JsonOpt) -> None:
    """Add a pairing-change notice (new pairings, ends, moves, a new period) as a pairing table, checked whole first."""
    from ...loaders.pairing_import import import_pairings as run
    try:
        res = run(path, settings().data, name=name, note=note, dry_run=dry_run, force=force, title=title, date=date,
                  number=number, issuer=issuer, new_supporters=tuple(new_supporter or ()))
    except AidgraphError as e:
        fail(e, as_json)
    for c in res.cleaned:
        err.print(c, highlight=False, markup=False)
    notes = [f"{f}: {m}" for f, _line, m in (res.loaded.warnings if res.loaded else []) if not f.endswith(".txt")]
    report = {"table": res.table, "register": res.register_row, "replaced": res.replaced, "dry_run": dry_run,
              "document": res.document, "supporters_added": res.supporters_added, "cleaned": res.cleaned,
              "warnings": notes,
              "added": res.added, "removed": res.removed, "ended": res.ended,
              "changed": [{"before": a, "after": b} for a, b in res.changed]}
    if as_json:
        return print_json(report)
    out.print(f"{res.table}: 新增 {len(res.added)} 条，终止 {len(res.ended)} 条，删除 {len(res.removed)} 条，"
              f"变更 {len(res.changed)} 条 (added {len(res.added)}, ended {len(res.ended)}, "
              f"removed {len(res.removed)}, changed {len(res.changed)})", highlight=False)
    if res.document:
        d = res.document
        out.print(f"通知已登记 notice registered: {d['number']} {d['title']} → sources/{d['file']} (id {d['id']})",
                  highlight=False, markup=False)
    for s in res.supporters_added:
        out.print(f"新的支援方 new supporter: {s['scope']} ({s['programmes']})", highlight=False, markup=False)
    for r in res.ended:
        out.print(f"  ⊣ {r['supporter']} — {r['place']}  {r['program']}  "
                  f"止于 ends with {r['valid_to']}  [{r['source']}]",
                  highlight=False, markup=False)
    for sign, rows in (("+", res.added), ("-", res.removed)):
        for r in rows:
            out.print(f"  {sign} {r['supporter']} — {r['place']}  {r['program']}  "
                      f"{period_text(r['valid_from'], r['valid_to'])}  [{r['source']}]",
                      highlight=False, markup=False)
    for a, b in res.changed:
        out.print(f"  ~ {b['supporter']} — {b['place']}: " + ", ".join(
            f"{k} {a[k] or '∅'} → {b[k] or '∅'}" for k in b if a.get(k) != b[k]), highlight=False, markup=False)
    for w in notes:
        err.print(f"warning: {w}", highlight=False, markup=False)
    out.print("试运行，未作任何修改 Dry run: nothing was changed." if dry_run else
              "已写入数据，下次启动生效 Written; the next start (or SIGHUP) serves it.", highlight=False)
