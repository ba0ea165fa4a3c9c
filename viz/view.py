"""A display view: the nodes and edges a page, a picture or an export draws (of a named view, the pages'
network, or a subgraph around a centre), with what its exports need. Views are built by ``viz.views``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class View:
    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    source_line: str = ""
    seats: dict[str, tuple[float, float]] = field(default_factory=dict)  # node id -> (longitude, latitude)
    data_date: str = ""  # the date of the newest source document the view was made from
    programmes: dict[str, tuple[str, str]] = field(default_factory=dict)  # programme id -> (name, edge colour)
    # a named view (viz.views.build_view) also carries what its exports need:
    kind: str = ""             # the view's name (viz.views.VIEWS); "" for a subgraph around a centre
    file_stem: str = ""        # the download's file name without its ending, in words: 闵行区-结对关系-2024
    center: str = ""           # node id of the centre (a programme id for the programme view)
    year: int | None = None    # the year the view shows
    first_year: int | None = None  # the changes view: the year it compares ``year`` with
    rows: list[dict] = field(default_factory=list)     # the pairing table, the view's own rows first
    tasks: list = field(default_factory=list)          # the tasks the handout lists (queries.results.TaskOut)
    sources: list[dict] = field(default_factory=list)  # the documents cited: {id, number, title}
    facts: set[str] = field(default_factory=set)       # canonical ids of the pairings and tasks shown
    note: str = ""             # said in the picture when the view is empty (the sources skip the year)
    tasks_note: str = ""       # said in the handout where a district has no tasks in the view's year
    timeline: Any = None       # a place's or district's pairings over the years (viz.timeline.Timeline)
    front_line: list[dict] = field(default_factory=list)  # a place's supporters' front-line organisations
    # a subgraph's view (viz.graph_views.subgraph_view): ``facts`` holds its canonical nodes; ``whole``: all of them
    whole: bool = False

    def node_ids(self) -> set[str]:
        return {n["id"] for n in self.nodes}



def dedupe_edges(edges: list[dict]) -> list[dict]:
    """``edges`` without repeats of one (from, to, kind), the first kept."""
    seen, out = set(), []
    for e in edges:
        key = (e["from"], e["to"], e["kind"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out
