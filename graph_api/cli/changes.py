"""``aidgraph changes``: the pairings added, ended and changed between two years (of a district, a
place, a programme or the whole graph), with the documents' totals for both years; the aggregate that
gave way to county pairings said in one line."""
from __future__ import annotations

import typer
from rich.table import Table

from .app import JsonOpt, StoreOpt, app, ask, open_graph
from .printing import out, period, print_json


@app.command()
def changes(first: int = typer.Option(..., "--from", min=1949, max=2100, help="起始年份 (the first year)"),
            second: int = typer.Option(..., "--to", min=1949, max=2100, help="结束年份 (the second year)"),
            district: str | None = typer.Option(None, "--district", help="支援方：上海的区或上海市 (a supporter)"),
            place: str | None = typer.Option(None, "--place", help="受援地：县、地（州、市）或省 (a paired place)"),
            programme: str | None = typer.Option(None, "--programme", help="项目类别：id 或中文名 (a programme)"),
            as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """两个年份之间的结对调整：新增、终止、变更。What changed between two years."""
    aid = open_graph(store, as_json)
    ans = ask(as_json, aid.changes, first, second, district=district, place=place, programme=programme)
    if as_json:
        return print_json(ans.model_dump())
    who = "、".join(x for x in (ans.district.name if ans.district else "", ans.place.name if ans.place else "",
                               aid.programmes[ans.programme].name if ans.programme else "") if x) or "全部结对关系"
    out.print(f"[bold]{who} 结对调整 {ans.from_}—{ans.to}[/bold]（数据截至 {ans.data_date}）", highlight=False,
              soft_wrap=True)
    for note in ans.notes:
        out.print(f"注意：{note}", highlight=False, soft_wrap=True)
    t = ans.totals
    out.print(f"结对县级行政区、地级行政区、省级行政区（按{'、'.join(t.counted)}计）："
              f"{ans.from_} 年 {t.from_.counties}/{t.from_.prefectures}/{t.from_.provinces}，"
              f"{ans.to} 年 {t.to.counties}/{t.to.prefectures}/{t.to.provinces}；"
              f"新增 {t.added} 项，终止 {t.ended} 项，变更 {t.changed} 项", highlight=False, soft_wrap=True)
    for g in ans.regroupings:
        out.print(f"整体结对改为结对到县：{g.note}", highlight=False, soft_wrap=True)
    regrouped = {g.aggregate.pairing_id for g in ans.regroupings}
    # county pairings of several supporters that take over from one aggregate: one row, not one per county
    folded = {g.aggregate.pairing_id: g for g in ans.regroupings if len(g.supporters) > 1}
    for title, items in (("新增", ans.added), ("终止", ans.ended), ("变更", ans.changed)):
        if not items:
            out.print(f"{title}：无", highlight=False)
            continue
        tab = Table(title=f"{title}（{len(items)} 项）")
        for col in ("支援方", "受援地", "项目类别", "时期", "来源", "说明"):
            tab.add_column(col, overflow="fold")
        shown = set()
        for i in items:
            if i.replaces in folded:
                if i.replaces not in shown:
                    shown.add(i.replaces)
                    g = folded[i.replaces]
                    tab.add_row("、".join(g.supporters), f"{g.aggregate.place.name}的 {g.followed_by} 个县",
                                i.programme, period(i), i.source, "接替整体结对（见上；逐项见 --json）")
                continue
            note = i.note or ""
            if i.replaces in regrouped:
                note = "接替整体结对（见上）"
            if title == "变更":
                was = "；".join(f"{b.programme} {period(b)} {b.source}" for b in i.before)
                note = f"原为：{was}" + (f"；{note}" if note else "")
            tab.add_row(i.supporter.name, i.place.name, i.programme, period(i), i.source, note)
        out.print(tab)
