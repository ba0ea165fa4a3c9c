"""The named questions on the command line: who supports a place, a district's pairings, tasks,
units and the graph's counts; each prints a table, or the API's object with --json."""
from __future__ import annotations

import typer
from rich.table import Table

from ...errors import AidgraphError
from .app import JsonOpt, StoreOpt, app, ask, open_graph
from .printing import cites, err, fail, out, period, print_json, print_tasks


@app.command("who-supports")
def who_supports(name: str = typer.Argument(..., help="县、地（州、市）或省：任何名称写法或代码 "
                                                     "(a county, prefecture or province)"),
                 year: int | None = typer.Option(None, "--year", help="按此年份回答 (answer for this year)"),
                 history: bool = typer.Option(False, "--history",
                                              help="来源给出的全部时期 (every period the sources give)"),
                 as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """谁在支援某地：支援方、项目类别、时期、来源。Who supports a place."""
    aid = open_graph(store, as_json)
    ans = ask(as_json, aid.who_supports, name, year=year, history=history)
    if as_json:
        return print_json(ans.model_dump())
    from ...schema.labels import FORM_ZH, LEVEL_ZH
    cite = cites(aid)
    m = ans.matched
    where = " · ".join(x for x in (m.prefecture, m.province) if x)
    how = f"按“{m.matched_form}”（{FORM_ZH.get(m.form_kind, m.form_kind)}" + (
        f"，使用至 {m.former_until} 年" if m.former_until else "") + "）匹配"
    out.print(f"[bold]{m.name}[/bold] — {LEVEL_ZH.get(m.level, m.level)}{' · ' + where if where else ''}；"
              f"代码 {m.code}；{how}", highlight=False)
    if m.name_then:
        out.print(f"{ans.year} 年时名为{m.name_then}。", highlight=False)
    when = f"{ans.year} 年" if ans.year else ("各时期" if history else f"{ans.as_of} 年（数据截至 {aid.data_date}）")
    if ans.note and not history:
        out.print(f"注意：{ans.note}", highlight=False)
    if not ans.supporters:
        out.print(f"来源文件中没有{when}的结对关系。", highlight=False)
    else:
        t = Table(title=f"{when}支援方", show_lines=False)
        for col in ("支援方", "项目类别", "时期", "结对对象", "来源"):
            t.add_column(col, overflow="fold")
        via = {"county": "所辖县", "prefecture": "所在地级行政区", "province": "所在省"}
        for s in ans.supporters:
            named = s.place if s.via == "self" else f"{s.place}（{via.get(s.via, s.via)}）"
            t.add_row(s.name, s.program, period(s), named, cite(s.source))
        out.print(t)
    for nxt in ans.successors:
        who = "、".join(f"{s.name}（{s.program}，{period(s)}）" for s in nxt.supporters) or "资料中无"
        out.print(f"{m.name}已撤销（代码表列至{ans.abolished}年），{nxt.since}年起为{nxt.place.province or ''}"
                  f"{nxt.place.prefecture or ''}{nxt.place.name}；其支援方：{who}", highlight=False)
    if ans.other_periods:
        out.print("其他时期：" + "；".join(f"{s.name} {s.program} {period(s)}（{s.place}）"
                                          for s in ans.other_periods),
                  highlight=False)
    for f in ans.front_line:
        out.print(f"前方工作机构：{f.district} {f.name}（原文写作 {'、'.join(f.names_as_written)}）", highlight=False)
    if ans.tasks:
        out.print(f"涉及它、它所在的地级行政区或所辖县的工作要点任务（{len(ans.tasks)} 项）：", highlight=False)
        print_tasks(ans.tasks, cite)


@app.command()
def district(name: str = typer.Argument(..., help="上海的区（浦东、闵行区、310112 …）或上海市 (a Shanghai district)"),
             as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """某区的结对地方，按项目类别和地州列出。A district's paired places."""
    from ...errors import NotADistrict
    aid = open_graph(store, as_json)
    try:
        ans = aid.district(name)
    except NotADistrict as e:
        if as_json:
            fail(e, as_json)
        from ..not_a_district import not_a_district_text
        text, page = not_a_district_text(aid, e)
        err.print(f"{text} 查看：aidgraph who-supports {e.code}（网页 {page}）", highlight=False, markup=False)
        raise typer.Exit(e.exit_code) from None
    except AidgraphError:
        ans = ask(as_json, aid.district, name)
    if as_json:
        return print_json(ans.model_dump())
    cite = cites(aid)
    out.print(f"[bold]{ans.district.name}[/bold]：{ans.as_of} 年（数据截至 {aid.data_date}）共 {ans.paired_places} "
              "个结对县级行政区", highlight=False)
    if ans.note:
        out.print(f"注意：{ans.note}", highlight=False)
    for g in ans.programs:
        out.print(f"  {g.program}（{g.count}）", highlight=False)
        for pref, places in g.prefectures.items():
            out.print(f"    {pref}：{'、'.join(places)}", highlight=False)
    out.print("来源：" + "；".join(dict.fromkeys(cite(s) for s in ans.sources)), highlight=False)



@app.command()
def tasks(district: str | None = typer.Option(None, "--district", help="a Shanghai district"),
          year: int | None = typer.Option(None, "--year"),
          unit: str | None = typer.Option(None, "--unit", help="a unit, as written or abbreviated (区人社局)"),
          place: str | None = typer.Option(None, "--place", help="tasks naming this place, its prefecture or counties"),
          as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """Work-point tasks with their lead and responsible units."""
    aid = open_graph(store, as_json)
    ans = ask(as_json, aid.tasks, district=district, year=year, unit=unit, place=place)
    if as_json:
        return print_json([x.model_dump() for x in ans])
    if not ans:
        out.print("No task matches.")
        return
    print_tasks(ans)


@app.command()
def unit(name: str = typer.Argument(..., help="a unit as written or abbreviated: 区人社局, 人社局, 援外机构"),
         district: str | None = typer.Option(None, "--district", help="only this district's unit"),
         as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """What a unit leads and answers for (one entry per district that has it)."""
    aid = open_graph(store, as_json)
    ans = ask(as_json, aid.unit, name, district=district)
    if as_json:
        return print_json([x.model_dump() for x in ans])
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


@app.command()
def stats(as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """Counts by type and the documents' totals of paired places."""
    aid = open_graph(store, as_json)
    ans = aid.stats()
    for f, line, msg in aid.load_warnings:  # what the load could read only with a caveat
        err.print(f"warning: {f}" + (f" line {line}" if line else "") + f": {msg}", highlight=False, markup=False)
    if as_json:
        return print_json(ans.model_dump())
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
