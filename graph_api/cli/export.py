"""``aidgraph export``: a named view, the part around a centre, or the whole graph, written in one or
more formats (the files ``/api/export`` serves)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ...errors import AidgraphError
from .app import app, ask, open_graph
from .printing import err, fail, out

if TYPE_CHECKING:  # imported where used: the command starts without it
    from ...viz.view import View


@app.command()
def export(formats: str = typer.Option("html,png,xlsx", "--format",
                                      help="逗号分隔 comma-separated: html, png, svg, pdf, xlsx, ttl, nt, jsonld, "
                                           "graphml, json, cypher"),
           view: str | None = typer.Option(None, "--view", help="视图 a named view: pairings (a district's "
                                              "pairings), supporters (a place's), programme, province, document, "
                                              "changes (a district's pairings added and ended, --from/--to), "
                                              "overview (flows district → province → prefecture)"),
           center: str | None = typer.Option(None, "--center", help="中心 the view's centre (a district, place, "
                                                "programme id, province, document id or number); without --view: "
                                                "a place, district, unit or document; default: the whole graph"),
           year: int | None = typer.Option(None, "--year", min=1949, max=2100,
                                           help="年份 the view's year (default: now)"),
           first: int | None = typer.Option(None, "--from", min=1949, max=2100,
                                            help="起始年份 the changes view's first year (default: the year before)"),
           second: int | None = typer.Option(None, "--to", min=1949, max=2100,
                                             help="结束年份 the changes view's second year (same as --year)"),
           program: str | None = typer.Option(None, "--program", help="项目类别 only this programme (east-west …)"),
           with_tasks: bool = typer.Option(False, "--with-tasks", help="the view with its tasks and units"),
           hops: int | None = typer.Option(None, "--hops", help="without --view: radius around --center (default 2)"),
           out_dir: Annotated[Path, typer.Option("--out", help="folder to write into")] = Path("export"),
           geographic: bool = typer.Option(False, "--geo", help="pictures: places at their real positions"),
           progress_bar: bool = typer.Option(False, "--progress",
                                             help="进度条 show the progress bar even when stderr is not a terminal")
           ) -> None:
    """Export a named view (--view), the part within --hops of --center, or the graph, in one or more formats.
    导出视图：aidgraph export --view pairings --center 闵行区 --year 2024 --format png,pdf,xlsx --out 会议材料
    结对调整：aidgraph export --view changes --center 闵行区 --from 2020 --to 2021 --format pdf,xlsx,png"""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ...errors import BadParameter
    from ...viz.formats import FORMATS, REGISTRY, write
    from ...viz.formats.streaming import STREAMS
    wanted = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        fail(BadParameter(f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}"))
    if out_dir.exists() and not out_dir.is_dir():
        fail(BadParameter(f"--out {out_dir} is a file, not a folder"))
    if view is not None and hops is not None:
        fail(BadParameter("--hops goes with --center alone, not with --view（视图不使用 --hops）"))
    if (first is not None or second is not None) and view != "changes":
        fail(BadParameter("--from/--to go with --view changes（起止年份仅用于结对调整视图）"))
    if second is not None and year is not None and second != year:
        fail(BadParameter(f"--to {second} and --year {year} differ（结束年份与年份不一致）"))
    year = second if second is not None else year
    aid = open_graph(None)
    nodes, stem, title, built = None, "aidgraph", "上海对口帮扶关系网络", None
    if view is None and not center and (year is not None or program):
        view = "programme"
    # a named view's pictures, handout, workbook and page are drawn from the view alone: the command reads
    # only what the view needs (the store's file on disk), not the whole graph; the linked data and Cypher
    # of a view, the part around a centre and the whole graph are written from the graph
    graph = aid.graph() if view is None or any(REGISTRY[f].view_needs_graph for f in wanted) else None
    # the whole graph's pictures: every pairing in force (the programme view), not a tangle of all nodes
    overview = [f for f in wanted if f in ("png", "svg", "pdf")] if view is None and not center else []
    jobs: list[tuple[list[str], View | None]] = []
    if view is not None or overview:
        from ...viz.views import build_view
        built = ask(False, build_view, aid, view or "programme",
                     center or (program if (view or "programme") == "programme" else None),
                     year=year, program=program, with_tasks=with_tasks, first=first)
        jobs.append((wanted if view is not None else overview, built))
    if view is None and (center or [f for f in wanted if f not in overview]):
        jobs.append(([f for f in wanted if f not in overview], None))
    if view is None and center:
        hops = 2 if hops is None else hops
        cid = ask(False, aid.centre, center)
        nodes = ask(False, aid.neighbourhood, cid, hops)
        stem = f"aidgraph-{cid.replace(':', '-')}-{hops}hops"
        title = f"{_node_name(graph, cid)} 周边 {hops} 跳"
    paths: list[Path] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not (progress_bar or err.is_terminal)) as progress:
        task = progress.add_task("导出 export", total=len(wanted))
        # the whole graph's data formats are written as they go: a bar of its nodes and relationships
        items = progress.add_task("节点与关系 nodes and relationships", total=None, visible=False)

        def tick(n: int) -> None:
            progress.advance(items, n)
        try:
            for formats_of_job, job_view in jobs:
                job_stem = job_view.file_stem if job_view is not None else stem
                offset = len(paths)

                def step(fmt: str, done: int, total: int, job_stem=job_stem, offset=offset,
                         whole=job_view is None and nodes is None) -> None:
                    progress.update(task, completed=offset + done,
                                    description=f"导出 {job_stem} · {fmt.upper()}" if fmt else f"导出 {job_stem}")
                    streamed = whole and fmt in STREAMS and graph is not None
                    progress.update(items, completed=0, visible=streamed,
                                    total=len(graph.networkx()) + graph.networkx().number_of_edges()
                                    if streamed and graph is not None else None)
                paths += write(graph, nodes, formats_of_job, out_dir, job_stem, title, geographic, view=job_view,
                               on_step=step, tick=tick)
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
