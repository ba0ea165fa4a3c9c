"""The ``aidgraph`` command line (typer + rich)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ..errors import EXIT_CODES, AidgraphError, Ambiguous, LoadError, NameProblem
from ..queries.results import DocumentOut, ImportReport, ImportWarning
from ..queries.service import AidGraph
from ..schema.eras import period_text
from ..settings import STORES, Settings, as_of_year, get_settings
from .runtime import open_aidgraph

if TYPE_CHECKING:  # imported where used: the command starts without them
    from rich.progress import TaskID

    from ..viz.view import View

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Knowledge graph of Shanghai's paired-assistance work. 上海对口帮扶知识图谱。",
                  epilog="退出码 exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()))
out = Console()
err = Console(stderr=True, soft_wrap=True)  # messages stay on one line, greppable


StoreOpt = typer.Option(None, "--store", help=f"one of {', '.join(STORES)} (default: AIDGRAPH_STORE or embedded)")
JsonOpt = typer.Option(False, "--json", help="print one JSON object (the API's shape)")


def fail(e: AidgraphError, as_json: bool = False) -> NoReturn:
    """Every error a user can act on: one message (or the API's problem object with --json) and its exit code."""
    if as_json:
        _print_json(e.problem())
    elif isinstance(e, LoadError):
        err.print("数据未能加载，未提供任何服务 The data did not load; nothing is served.", highlight=False)
        for p in e.problems:
            err.print(f"  {p}", markup=False, highlight=False)
    else:
        err.print(f"{e.title}: {e.detail}", markup=False, highlight=False)
    raise typer.Exit(e.exit_code)


_settings: Settings | None = None  # the environment's, with the command line's --as-of


@app.callback()
def _options(as_of: str | None = typer.Option(
        None, "--as-of", metavar="YEAR|DATE",
        help="answer as of this year or date (2026 or 2026-11-23): what 'now' means; default: today "
             "(or AIDGRAPH_AS_OF)")) -> None:
    global _settings
    _settings = get_settings()
    if as_of is not None:
        try:
            _settings = _settings.model_copy(update={"as_of": as_of_year(as_of)})
        except ValueError:
            raise typer.BadParameter(f"{as_of!r} is not a year (2026) or a date (2026-11-23)",
                                     param_hint="--as-of") from None


def _open(store: str | None, as_json: bool = False) -> AidGraph:
    try:
        return open_aidgraph(store, settings=_settings)
    except AidgraphError as e:
        fail(e, as_json)


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _name_error(e: NameProblem, as_json: bool) -> None:
    if as_json:
        _print_json(e.problem())
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


def _ask(aid: AidGraph, as_json: bool, question, *args, **kwargs):
    """Run a named query; its errors become the documented exit codes and messages."""
    try:
        return question(*args, **kwargs)
    except NameProblem as e:
        _name_error(e, as_json)
    except AidgraphError as e:
        fail(e, as_json)


def _period(s) -> str:
    return period_text(s.valid_from, s.valid_to)


def _cites(aid: AidGraph):
    """A source cell as officials cite it: document number, title and table or item."""
    from ..viz.citations import cite_text
    docs = {d.id: d for d in aid.documents()}
    return lambda source: cite_text(source, docs)


@app.command("who-supports")
def who_supports(name: str = typer.Argument(..., help="县、地（州、市）或省：任何名称写法或代码 "
                                                     "(a county, prefecture or province)"),
                 year: int | None = typer.Option(None, "--year", help="按此年份回答 (answer for this year)"),
                 history: bool = typer.Option(False, "--history",
                                              help="来源给出的全部时期 (every period the sources give)"),
                 as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """谁在支援某地：支援方、项目类别、时期、来源。Who supports a place."""
    aid = _open(store, as_json)
    ans = _ask(aid, as_json, aid.who_supports, name, year=year, history=history)
    if as_json:
        return _print_json(ans.model_dump())
    from ..schema.labels import LEVEL_ZH
    cites = _cites(aid)
    m = ans.matched
    where = " · ".join(x for x in (m.prefecture, m.province) if x)
    kinds = {"full": "全称", "short": "简称", "former": "旧称", "alias": "别称", "code": "代码",
             "qualified": "限定名称", "traditional": "繁体或异体字", "pinyin": "拼音", "english": "英文名",
             "code-within": "辖区内的代码"}
    how = f"按“{m.matched_form}”（{kinds.get(m.form_kind, m.form_kind)}" + (
        f"，使用至 {m.former_until} 年" if m.former_until else "") + "）匹配"
    out.print(f"[bold]{m.name}[/bold] — {LEVEL_ZH.get(m.level, m.level)}{' · ' + where if where else ''}；"
              f"代码 {m.code}；{how}", highlight=False)
    if m.name_then:
        out.print(f"{ans.year} 年时名为{m.name_then}。", highlight=False)
    when = f"{ans.year} 年" if ans.year else ("各时期" if history else f"现行（{ans.as_of} 年）")
    if not ans.supporters:
        out.print(f"来源文件中没有{when}的结对关系。", highlight=False)
    else:
        t = Table(title=f"{when}支援方", show_lines=False)
        for col in ("支援方", "项目类别", "时期", "结对对象", "来源"):
            t.add_column(col, overflow="fold")
        via = {"county": "所辖县", "prefecture": "所在地级行政区", "province": "所在省"}
        for s in ans.supporters:
            named = s.place if s.via == "self" else f"{s.place}（{via.get(s.via, s.via)}）"
            t.add_row(s.name, s.program, _period(s), named, cites(s.source))
        out.print(t)
    for nxt in ans.successors:
        who = "、".join(f"{s.name}（{s.program}，{_period(s)}）" for s in nxt.supporters) or "资料中无"
        out.print(f"{m.name}已撤销（代码表列至{ans.abolished}年），{nxt.since}年起为{nxt.place.province or ''}"
                  f"{nxt.place.prefecture or ''}{nxt.place.name}；其支援方：{who}", highlight=False)
    if ans.other_periods:
        out.print("其他时期：" + "；".join(f"{s.name} {s.program} {_period(s)}（{s.place}）"
                                          for s in ans.other_periods),
                  highlight=False)
    for f in ans.front_line:
        out.print(f"前方工作机构：{f.district} {f.name}（原文写作 {'、'.join(f.names_as_written)}）", highlight=False)
    if ans.tasks:
        out.print(f"涉及它、它所在的地级行政区或所辖县的工作要点任务（{len(ans.tasks)} 项）：", highlight=False)
        _print_tasks(ans.tasks, cites)


@app.command()
def district(name: str = typer.Argument(..., help="上海的区（浦东、闵行区、310112 …）或上海市 (a Shanghai district)"),
             as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """某区的结对地方，按项目类别和地州列出。A district's paired places."""
    from ..errors import NotADistrict
    aid = _open(store, as_json)
    try:
        ans = aid.district(name)
    except NotADistrict as e:
        if as_json:
            fail(e, as_json)
        from .routes.pages import not_a_district_text
        text, page = not_a_district_text(aid, e)
        err.print(f"{text} 查看：aidgraph who-supports {e.code}（网页 {page}）", highlight=False, markup=False)
        raise typer.Exit(e.exit_code) from None
    except AidgraphError:
        ans = _ask(aid, as_json, aid.district, name)
    if as_json:
        return _print_json(ans.model_dump())
    cites = _cites(aid)
    out.print(f"[bold]{ans.district.name}[/bold]：现行（{ans.as_of} 年）共 {ans.paired_places} 个结对县级行政区",
              highlight=False)
    for g in ans.programs:
        out.print(f"  {g.program}（{g.count}）", highlight=False)
        for pref, places in g.prefectures.items():
            out.print(f"    {pref}：{'、'.join(places)}", highlight=False)
    out.print("来源：" + "；".join(dict.fromkeys(cites(s) for s in ans.sources)), highlight=False)


def _units_text(units) -> str:
    return "、".join(u.name if u.name == u.canonical else f"{u.name}（{u.canonical}）" for u in units) or "—"


def _print_tasks(tasks, cites=None) -> None:
    t = Table(show_lines=True)
    for col in ("区", "年度", "序号", "任务", "牵头单位", "责任单位", "涉及地方", "来源"):
        t.add_column(col, overflow="fold")
    for x in tasks:
        no = f"任务{x.number}" if x.kind == "task" else f"保障措施{x.number}"
        t.add_row(x.district, str(x.year), no, x.title, _units_text(x.lead_units), _units_text(x.responsible_units)
                  + (f"；配合：{_units_text(x.cooperating_units)}" if x.cooperating_units else ""),
                  "、".join(x.places), cites(x.source) if cites else x.source)
    out.print(t)


@app.command()
def tasks(district: str | None = typer.Option(None, "--district", help="a Shanghai district"),
          year: int | None = typer.Option(None, "--year"),
          unit: str | None = typer.Option(None, "--unit", help="a unit, as written or abbreviated (区人社局)"),
          place: str | None = typer.Option(None, "--place", help="tasks naming this place, its prefecture or counties"),
          as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """Work-point tasks with their lead and responsible units."""
    aid = _open(store, as_json)
    ans = _ask(aid, as_json, aid.tasks, district=district, year=year, unit=unit, place=place)
    if as_json:
        return _print_json([x.model_dump() for x in ans])
    if not ans:
        out.print("No task matches.")
        return
    _print_tasks(ans)


@app.command()
def unit(name: str = typer.Argument(..., help="a unit as written or abbreviated: 区人社局, 人社局, 援外机构"),
         district: str | None = typer.Option(None, "--district", help="only this district's unit"),
         as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """What a unit leads and answers for (one entry per district that has it)."""
    aid = _open(store, as_json)
    ans = _ask(aid, as_json, aid.unit, name, district=district)
    if as_json:
        return _print_json([x.model_dump() for x in ans])
    for u in ans:
        out.print(f"[bold]{u.district} {u.name}[/bold] ({u.kind}; written {'、'.join(u.names_as_written)})",
                  highlight=False)
        out.print(f"  leads {len(u.leads)} task(s), responsible for {len(u.responsible_for)}", highlight=False)
        for t in u.leads:
            out.print(f"    牵头 {t.year} {t.number} {t.title}  [{t.source}]", highlight=False)
        for t in u.responsible_for:
            out.print(f"    责任 {t.year} {t.number} {t.title}  [{t.source}]", highlight=False)
        for d in u.duties:
            out.print(f"    duty: {d}", highlight=False)


@app.command("import-doc")
def import_doc(path: Annotated[Path, typer.Argument(help="a district's work-points document as plain text")],
               dry_run: bool = typer.Option(False, "--dry-run", help="report only; change nothing"),
               force: bool = typer.Option(False, "--force", help="import even when the parse's self-check finds "
                                          "problems (kept as warnings) or the registered copy loses tasks or units; "
                                          "seed documents are never replaced"),
               as_json: bool = JsonOpt) -> None:
    """Parse a work-points document, report what it holds, and (without --dry-run) add it to the data."""
    from ..loaders.importer import diff_text, import_document
    from ..queries.embedded import EmbeddedStore
    from ..settings import data_dir
    try:
        res = import_document(path, data_dir(), dry_run=dry_run, force=force)
    except AidgraphError as e:
        fail(e, as_json)
    plan, row, loaded = res.plan, res.row, res.loaded
    for c in res.cleaned:
        err.print(c, highlight=False, markup=False)
    view = AidGraph(EmbeddedStore(loaded.graph), loaded.gazetteer, loaded.unit_names)
    report = ImportReport(
        document=DocumentOut(id=row["id"], number=row["number"], title=row["title"], issuer=row["issuer"],
                             date=row["date"], district=plan.district, year=plan.year),
        tasks=view.tasks(document=row["id"]),
        warnings=[ImportWarning(line=line, message=msg) for line, msg in res.warnings],
        dry_run=dry_run, replaced=res.replaced, forced=force, diff=res.diff)
    if as_json:
        return _print_json(report.model_dump())
    d = report.document
    out.print(f"[bold]{d.title}[/bold] {d.number} ({d.issuer}, {d.date}) → id {d.id}", highlight=False)
    n_tasks = sum(1 for t in report.tasks if t.kind == "task")
    out.print(f"{n_tasks} 项任务、{len(report.tasks) - n_tasks} 项保障措施 {n_tasks} tasks and "
              f"{len(report.tasks) - n_tasks} safeguard items; {sum(len(t.places) for t in report.tasks)} place links",
              highlight=False)
    _print_tasks(report.tasks)
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
    from ..loaders.pairing_import import import_pairings as run
    from ..settings import data_dir
    try:
        res = run(path, data_dir(), name=name, note=note, dry_run=dry_run, force=force, title=title, date=date,
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
        return _print_json(report)
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


@app.command()
def stats(as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """Counts by type and the documents' totals of paired places."""
    aid = _open(store, as_json)
    ans = aid.stats()
    for f, line, msg in aid.load_warnings:  # what the load could read only with a caveat
        err.print(f"warning: {f}" + (f" line {line}" if line else "") + f": {msg}", highlight=False, markup=False)
    if as_json:
        return _print_json(ans.model_dump())
    t = Table(title="Nodes")
    t.add_column("label")
    t.add_column("count", justify="right")
    for k, v in ans.nodes.items():
        t.add_row(k, str(v))
    out.print(t)
    r = Table(title="Relationships")
    r.add_column("type")
    r.add_column("count", justify="right")
    for k, v in ans.relationships.items():
        r.add_row(k, str(v))
    out.print(r)
    for y, tot in ans.paired.items():
        out.print(f"Paired in {y}: {tot.counties} county-level places, {tot.prefectures} prefectures, "
                  f"{tot.provinces} provinces", highlight=False)


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

    from ..errors import StoreUnavailable
    from ..queries.neo4j_push import push
    from ..settings import Neo4jSettings
    from .runtime import load_data
    settings = Neo4jSettings().with_overrides(uri=uri, user=user, password=password, database=database)
    try:
        graph = load_data().graph
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
            summary = push(graph, settings, wipe_first=wipe, on_step=on_step)
        except StoreUnavailable as e:
            progress.stop()
            fail(e, as_json)
    if as_json:
        return _print_json({"database": settings.database, "ddl": summary.ddl, "changes": summary.changes,
                            "by_type": summary.as_dict()})
    if not summary.changes:
        out.print(f"Neo4j database {settings.database!r} already holds this graph: nothing to change.")
        return
    t = Table(title=f"Pushed to {settings.database!r}")
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
    from ..queries.neo4j_bulk import export_bulk
    from .runtime import load_data
    try:
        done = export_bulk(load_data().graph, directory, database)
    except AidgraphError as e:
        fail(e, as_json)
    if as_json:
        return _print_json(done)
    out.print(f"{done['nodes']} nodes and {done['relationships']} relationships in {len(done['files'])} files "
              f"under {done['directory']}")
    out.print("then, with the Neo4j server stopped:")
    out.print(done["command"], soft_wrap=True, markup=False, highlight=False)
    out.print("and once it is started again: after-import.cypher (constraints and indexes)")


@neo4j_app.command("ddl")
def neo4j_ddl_cmd() -> None:
    """Print the Neo4j 5 constraints and indexes push creates."""
    from ..schema.neo4j import neo4j_ddl
    for stmt in neo4j_ddl():
        sys.stdout.write(stmt + ";\n")


@app.command()
def export(formats: str = typer.Option("html,png,xlsx", "--format",
                                      help="逗号分隔 comma-separated: html, png, svg, pdf, xlsx, ttl, nt, jsonld, "
                                           "graphml, json, cypher"),
           view: str | None = typer.Option(None, "--view", help="视图 a named view: pairings (a district's "
                                              "pairings), supporters (a place's), programme, province, document"),
           center: str | None = typer.Option(None, "--center", help="中心 the view's centre (a district, place, "
                                                "programme id, province, document id or number); without --view: "
                                                "a place, district, unit or document; default: the whole graph"),
           year: int | None = typer.Option(None, "--year", min=1949, max=2100,
                                           help="年份 the view's year (default: now)"),
           program: str | None = typer.Option(None, "--program", help="项目类别 only this programme (east-west …)"),
           with_tasks: bool = typer.Option(False, "--with-tasks", help="the view with its tasks and units"),
           hops: int | None = typer.Option(None, "--hops", help="without --view: radius around --center (default 2)"),
           out_dir: Annotated[Path, typer.Option("--out", help="folder to write into")] = Path("export"),
           geographic: bool = typer.Option(False, "--geo", help="pictures: places at their real positions")) -> None:
    """Export a named view (--view), the part within --hops of --center, or the graph, in one or more formats.
    导出视图：aidgraph export --view pairings --center 闵行区 --year 2024 --format png,pdf,xlsx --out 会议材料"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..errors import BadParameter
    from ..queries.subgraph import neighbourhood
    from ..viz.formats import FORMATS, write
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        fail(BadParameter(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}"))
    if out_dir.exists() and not out_dir.is_dir():
        fail(BadParameter(f"--out {out_dir} is a file, not a folder"))
    if view is not None and hops is not None:
        fail(BadParameter("--hops goes with --center alone, not with --view（视图不使用 --hops）"))
    aid = _open(None)
    graph = aid.graph()
    nodes, stem, title, built = None, "aidgraph", "上海对口帮扶关系网络", None
    if view is None and not center and (year is not None or program):
        view = "programme"
    # the whole graph's pictures: every pairing in force (the programme view), not a tangle of all nodes
    overview = [f for f in wanted if f in ("png", "svg", "pdf")] if view is None and not center else []
    jobs: list[tuple[list[str], View | None]] = []
    if view is not None or overview:
        from ..viz.views import build_view
        built = _ask(aid, False, build_view, aid, view or "programme",
                     center or (program if (view or "programme") == "programme" else None),
                     year=year, program=program, with_tasks=with_tasks)
        jobs.append((wanted if view is not None else overview, built))
    if view is None and (center or [f for f in wanted if f not in overview]):
        jobs.append(([f for f in wanted if f not in overview], None))
    if view is None and center:
        hops = 2 if hops is None else hops
        cid = _ask(aid, False, aid.centre, center)
        nodes = _ask(aid, False, neighbourhood, graph, cid, hops)
        stem = f"aidgraph-{cid.replace(':', '-')}-{hops}hops"
        title = f"{_node_name(graph, cid)} 周边 {hops} 跳"
    paths: list[Path] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("导出 export", total=len(wanted))
        try:
            for formats_of_job, job_view in jobs:
                job_stem = job_view.file_stem if job_view is not None else stem
                offset = len(paths)

                def step(fmt: str, done: int, total: int, job_stem=job_stem, offset=offset) -> None:
                    progress.update(task, completed=offset + done,
                                    description=f"导出 {job_stem} · {fmt.upper()}" if fmt else f"导出 {job_stem}")
                paths += write(graph, nodes, formats_of_job, out_dir, job_stem, title, geographic, view=job_view,
                               on_step=step)
        except OSError as e:
            progress.stop()
            fail(BadParameter(f"cannot write into {out_dir}: {e.strerror}"))
        except AidgraphError as e:
            progress.stop()
            fail(e)
    for path in paths:
        out.print(f"已写入 wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)


def _node_name(graph, nid: str) -> str:
    n = graph.node(nid)
    return n.get("name") or n.get("title") or n.get("number") or nid


@app.command()
def sparql(query: str = typer.Argument(..., help="a SPARQL query, or the path of a file holding one"),
           fmt: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
    """Run a read-only SPARQL query over the RDF view of the graph."""
    from ..queries.sparql import run_sparql
    text = query
    if len(query) < 4096 and "\n" not in query and Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    aid = _open(None)
    res = _ask(aid, False, lambda: run_sparql(aid.graph(), text, "csv" if fmt in ("csv", "table") else "json"))
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


@app.command(epilog="重新加载 reload: `kill -HUP <pid>` rebuilds the graph from the data folder (or the store) and "
                    "swaps it in for every new request at once; when the data no longer load, the last good graph "
                    "stays served. Each reload prints whether it swapped.")
def serve(host: str = typer.Option("127.0.0.1", help="address to listen on"),
          port: int = typer.Option(8000, help="port"), store: str | None = StoreOpt) -> None:
    """Serve the pages and the JSON API (OpenAPI docs at /docs). SIGHUP reloads the graph."""
    import signal
    import threading

    import uvicorn

    from .app import create_app
    from .http_server import HeadTimeoutProtocol
    from .runtime import Runtime
    runtime = Runtime(_open(store), store=store, settings=_settings)

    def reload() -> None:
        try:
            swapped = runtime.reload()
        except AidgraphError as e:  # e.g. Neo4j unreachable: Runtime.reload lets store errors through
            runtime.last_problem, swapped = f"{e.title}: {e.detail}", False
        if swapped:
            out.print(f"reloaded: now serving the new graph ({runtime.aid.store.name} store)", highlight=False)
        else:
            err.print(f"reload failed, still serving the last good graph: {runtime.last_problem}",
                      markup=False, highlight=False)

    if hasattr(signal, "SIGHUP"):  # not on Windows; the reload runs beside the server, not in the signal handler
        signal.signal(signal.SIGHUP, lambda *_: threading.Thread(target=reload, name="aidgraph-reload",
                                                                 daemon=True).start())
    out.print(f"Serving aidgraph ({runtime.aid.store.name} store) on http://{host}:{port}/  — API docs at /docs; "
              "SIGHUP reloads the graph", highlight=False)
    # a request's head must arrive within AIDGRAPH_HEADER_TIMEOUT s (HeadTimeoutProtocol), an idle
    # keep-alive connection is closed after as long, and a head is at most 16 KiB (h11's limit)
    uvicorn.run(create_app(runtime, hosts=[host]), host=host, port=port, log_level="warning",
                http=HeadTimeoutProtocol, timeout_keep_alive=max(1, int((_settings or get_settings()).header_timeout)),
                h11_max_incomplete_event_size=16 * 1024)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
