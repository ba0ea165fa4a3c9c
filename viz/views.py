"""The one view builder: every view a page, a picture or an export draws is built here, by name.

``build_view(source, view, center, year=…, program=…, with_tasks=…)`` makes one of the named views
officials take to a meeting (``viz.meeting_views``) —

- ``pairings``   a district's (or the municipality's) pairings in a year: the supporter, the
                 prefectures and the county-level places it is paired with — nothing else;
- ``supporters`` a place's supporters in a year (and, ``with_tasks``, the tasks naming it);
- ``programme``  every pairing of one programme in a year (``center`` a programme id such as
                 ``east-west``; none: every programme);
- ``province``   the pairings into one province in a year;
- ``document``   a document's tasks and their lead and responsible units (a document without tasks:
                 the pairings it is the source of);
- ``changes``    a district's (or a place's) pairings added and ended from year ``first`` to ``year``
                 (``viz.changes_view``);
- ``overview``   the programme view's pairings drawn as flows district → province → prefecture, each as
                 wide as the counties paired (``viz.sankey``; the pictures draw it, the tables list its rows)

— or one of the views built from the graph (``viz.graph_views``), which the export, the command line
and the pages' download links do not offer by name:

- ``network``    the pages' network: the pairing ``records`` given, filtered by programme, ``province``
                 (a division code) and ``district`` (a node id);
- ``subgraph``   the canonical subgraph on ``nodes`` (all: ``None``), pairings drawn as edges.

A view is a ``viz.view.View``: its nodes and edges (what every picture, page and export draws), a
Chinese title that says what it shows (``闵行区 结对关系 2024``), a file stem in words
(``闵行区-结对关系-2024``), the pairing table and the tasks the handout lists, and the documents cited.
The export formats (``viz.formats``) are the sinks that write a view.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadParameter
from ..schema.graph import CanonicalGraph
from .graph_views import network_view, subgraph_view
from .view import View

if TYPE_CHECKING:
    from ..queries.service import AidGraph


@dataclass
class Ask:
    """What a view is asked for with: its source (``AidGraph``; a ``CanonicalGraph`` for a subgraph) and
    the options its kind reads."""
    source: Any
    kind: str
    center: str | None = None
    year: int | None = None
    program: str | None = None
    with_tasks: bool = False
    title: str = ""
    nodes: set[str] | None = None
    records: list = field(default_factory=list)
    province: str | None = None
    district: str | None = None
    first: int | None = None  # the changes view: the year compared with ``year``


@dataclass(frozen=True)
class ViewKind:
    name: str
    zh: str                       # its Chinese name, in messages
    build: Callable[[Ask], View]
    named: bool = True            # offered by name to the export, the command line and the pages' downloads
    needs_center: bool = False


def _meeting(ask: Ask) -> View:
    from .meeting_views import meeting_view
    aid = ask.source
    if KINDS[ask.kind].needs_center and (not ask.center or not ask.center.strip()):
        raise BadParameter(f"the {ask.kind} view needs a centre (center=…) （{KINDS[ask.kind].zh}视图需要指定中心）")
    center = ask.center.strip() if ask.center else None
    if ask.kind == "programme" and center:
        center = programme_id(aid, center)
    prog = programme_id(aid, ask.program) if ask.program else None
    year = aid.now if ask.year is None else ask.year
    return meeting_view(aid, ask.kind, center, year=year, asked_year=ask.year, prog=prog, with_tasks=ask.with_tasks)


def _changes(ask: Ask) -> View:
    from .changes_view import changes_view
    aid = ask.source
    if not ask.center or not ask.center.strip():
        raise BadParameter("the changes view needs a centre (center=…) （结对调整视图需要指定中心：区或受援地）")
    second = aid.now if ask.year is None else ask.year
    first = second - 1 if ask.first is None else ask.first
    prog = programme_id(aid, ask.program) if ask.program else None
    return changes_view(aid, ask.center.strip(), first=first, second=second, prog=prog)


def _overview(ask: Ask) -> View:
    """Every pairing of the year (of one programme, ``program`` or ``center``), drawn as the overview:
    flows district → province → prefecture as wide as the counties paired (``viz.sankey``)."""
    from dataclasses import replace

    from ..schema.text import file_stem
    view = _meeting(replace(ask, kind="programme", center=ask.center or ask.program, program=None))
    view.kind = "overview"
    view.title = view.title.replace("全部结对关系", "结对总览") if "全部结对关系" in view.title else \
        view.title.replace(" ", " 结对总览 ", 1)
    view.file_stem = file_stem(view.title)
    return view


def _network(ask: Ask) -> View:
    prog = programme_id(ask.source, ask.program) if ask.program else None
    return network_view(ask.source, ask.records, title=ask.title, programme=prog, province=ask.province,
                        district=ask.district, year=ask.year)


def _subgraph(ask: Ask) -> View:
    graph = ask.source if isinstance(ask.source, CanonicalGraph) else ask.source.graph()
    view = subgraph_view(graph, ask.nodes if ask.nodes is not None else graph.node_ids(), ask.title)
    view.whole = ask.nodes is None
    return view


KINDS: dict[str, ViewKind] = {k.name: k for k in (
    ViewKind("pairings", "结对关系", _meeting, needs_center=True),
    ViewKind("supporters", "支援方", _meeting, needs_center=True),
    ViewKind("programme", "项目类别", _meeting),
    ViewKind("province", "省份", _meeting, needs_center=True),
    ViewKind("document", "文件", _meeting, needs_center=True),
    ViewKind("changes", "结对调整", _changes, needs_center=True),
    ViewKind("overview", "总览", _overview),
    ViewKind("network", "关系网络", _network, named=False),
    ViewKind("subgraph", "周边", _subgraph, named=False),
)}
VIEWS = tuple(name for name, k in KINDS.items() if k.named)
VIEW_ZH = {name: KINDS[name].zh for name in VIEWS}


def build_view(source: AidGraph | CanonicalGraph, view: str, center: str | None = None, *, year: int | None = None,
               program: str | None = None, with_tasks: bool = False, title: str = "",
               nodes: set[str] | None = None, records: list | None = None, province: str | None = None,
               district: str | None = None, first: int | None = None) -> View:
    """The view ``view`` around ``center`` (any name form or code of a place, a programme id, a document
    id or number). ``year``: default now (``aid.now``); ``program``: a programme id (``east-west``) that
    filters the pairings; ``first``: the changes view's first year (default: the year
    before ``year``). Raises ``BadParameter`` for an unknown view or programme or a missing centre,
    and the name errors (``Unknown``, ``Ambiguous``, ``NotADistrict``, ``NotInGraph``) for a bad centre."""
    kind = KINDS.get(view)
    if kind is None:
        raise BadParameter(f"unknown view {view!r}; choose from {', '.join(VIEWS)} "
                           f"（视图：{'、'.join(f'{k} {v}' for k, v in VIEW_ZH.items())}）")
    return kind.build(Ask(source, view, center, year, program, with_tasks, title, nodes, records or [],
                          province, district, first))


def programme_id(aid: AidGraph, text: str) -> str:
    """``east-west``, ``program:east-west`` or the Chinese name ``东西部协作`` -> ``program:east-west``."""
    t = text.strip()
    for pid, p in aid.programmes.items():
        if t in (pid, pid.removeprefix("program:"), p.name):
            return pid
    choices = "、".join(f"{pid.removeprefix('program:')}（{p.name}）" for pid, p in aid.programmes.items())
    raise BadParameter(f"unknown programme {text!r}; choose from {choices}")


__all__ = ["KINDS", "VIEWS", "VIEW_ZH", "Ask", "ViewKind", "build_view", "programme_id"]
