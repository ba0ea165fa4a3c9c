"""``aidgraph imports``: the graph's history — the initial load and each import (import-doc,
import-pairings) with its date and what it added and ended; ``--last``: what changed since the last one."""
from __future__ import annotations

import typer

from .app import JsonOpt, StoreOpt, app, ask, open_graph
from .printing import out, print_json


@app.command("imports")
def imports(last: bool = typer.Option(False, "--last", "--since-last-import",
                                      help="只看最近一次导入带来的变化 (only what the last import changed)"),
            as_json: bool = JsonOpt, store: str | None = StoreOpt) -> None:
    """图谱的导入记录：每次导入的日期、文件，新增和终止的结对、新增的任务。The graph's import history."""
    aid = open_graph(store, as_json)
    events = ask(as_json, aid.imports, last=last, details=as_json or last)
    if as_json:
        return print_json([e.model_dump() for e in events])
    if last and events and events[0].kind == "initial":
        e = events[0]
        out.print(f"自初始数据（{e.date}，新增结对 {e.added_pairings} 项、任务 {e.added_tasks} 项）以来"
                  "没有导入过文件或通知。", highlight=False)
        return None
    for e in events:
        docs = "；".join(d.number or f"《{d.title}》" for d in e.documents[:3]) + (
            f" 等 {len(e.documents)} 件" if len(e.documents) > 3 else "")
        out.print(f"[bold]{e.order}. {e.date or '日期不详'} {e.kind_zh}[/bold]"
                  f"{'（' + e.file + '）' if e.file else ''}：{docs}", highlight=False)
        out.print(f"   新增结对 {e.added_pairings} 项，终止结对 {e.ended_pairings} 项，新增任务 {e.added_tasks} 项",
                  highlight=False)
        if e.kind == "initial":
            continue
        for p in e.added:
            out.print(f"   + {p.supporter}—{p.place} {p.programme} {p.period}", highlight=False)
        for p in e.ended:
            out.print(f"   – {p.supporter}—{p.place} {p.programme} {p.period}（终止）", highlight=False)
        for t in e.tasks:
            out.print(f"   + {t.district} {t.year} 年任务{t.number}：{t.title}", highlight=False)
