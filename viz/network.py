"""Network pictures: a display view of (part of) the graph, drawn with pyvis's
vis-network.

pyvis's own page template fetches vis-network and Bootstrap from CDNs even in
``in_line`` mode, and switches a tooltip to raw ``innerHTML`` when its text
contains ``href``. So pyvis builds the nodes, edges and options here, and this
module renders them with its own template: the vis-network files that ship
inside the pyvis package are inlined (or served by the app from
``/static/vis``), the data travel as JSON escaped for a ``<script>`` block (Jinja's ``tojson``),
and tooltips are DOM text nodes, so text from the documents is never parsed
as HTML.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..schema.graph import CanonicalGraph
from ..schema.ids import division_of, doc_key, place_id
from ..schema.model import LEVEL_LABEL

# label -> (colour, vis shape, legend text), from the node types of the schema table; a programme's edge colour
# is data (programmes.csv), carried by the view
from ..schema.model import NODE_TYPES as _NODE_TYPES
from ..schema.model import OTHER_STYLE as _OTHER_STYLE
from .fonts import FAMILY as FONT_FAMILY
from .fonts import STACK as FONT_STACK
from .fonts import font_path, inline_font_face

if TYPE_CHECKING:
    from pyvis.network import Network

STYLE = {**{label: nt.style for label, nt in _NODE_TYPES.items() if nt.style is not None}, "Other": _OTHER_STYLE}
SHOWN_LABELS = set(STYLE) - {"Other"}

LEVEL_ZH = {"municipality": "市", "district": "区", "province": "省级", "prefecture": "地级", "county": "县级"}
GROUP_ZH = {"Municipality": "市", "District": "区（支援方）", "Province": "省级", "Prefecture": "地级（地、州、市）",
            "County": "县级（县、区、市）", "Document": "文件", "Agreement": "协议", "Task": "任务", "Unit": "单位",
            "Other": "其他"}
GAZETTEER_CITE = "国家行政区划代码（GB/T 2260）"
# how important a node is: what stays labelled when the picture is zoomed out (smaller: more important)
FACT_ZH = {"level": "级别", "code": "代码", "number": "文号", "date": "日期", "kind": "类别", "signed": "签署日期"}
KIND_ZH = {"task": "任务", "safeguard": "保障措施", "unit": "单位", "collective": "集合称谓",
           "front-line": "前方工作机构", "office-outside": "驻外办事处", "guidance": "指导意见", "plan": "规划",
           "work-points": "工作要点", "notice": "通知"}
RELATION_ZH = {"PART_OF": "隶属", "LEAD_UNIT": "牵头单位", "RESPONSIBLE_UNIT": "责任单位", "NAMES_PLACE": "涉及地方",
               "UNIT_OF": "所属", "TASK_OF": "所属文件", "DERIVED_FROM": "出处", "PARTY": "协议方"}
RANK = {"Municipality": 0, "District": 0, "Province": 1, "Prefecture": 1, "Document": 1, "County": 2, "Agreement": 2,
        "Task": 3, "Unit": 3}


def split_refs(source: str | None) -> list[tuple[str, str]]:
    """A ``source`` cell (``doc#locator; locator; doc2#…``) as (document id, locator) pairs; a part
    without a document id continues the document before it."""
    out: list[tuple[str, str]] = []
    parts, depth, cur = [], 0, ""
    for ch in source or "":  # a ';' inside brackets belongs to a note, not between references
        depth += (ch in "(（" and 1) or (ch in ")）" and -1) or 0
        if ch == ";" and depth <= 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    for part in parts:
        part = part.strip()
        if not part:
            continue
        doc, sep, loc = part.partition("#")
        if sep or (doc.isascii() and " " not in doc and ("-" in doc or doc == "gbt2260")):
            out.append((doc.strip(), loc.strip()))
        elif out:
            out.append((out[-1][0], part))
        else:
            out.append(("", part))
    return out


_NOTE = re.compile(r"\s*[(（][^()（）\u4e00-\u9fff]*[)）]")
_LATIN_WORDS = re.compile(r"[A-Za-z]{2,}")


def chinese_note(note: str | None) -> str:
    """A period note as a picture may show it: only a note written in Chinese (the curated tables'
    English notes are shown on the place page, marked as English, not in the Chinese pictures)."""
    return note if note and not _LATIN_WORDS.search(note) else ""


def _chinese_lines(tip: str) -> str:
    """A tooltip without the lines of a period note written in English (see ``chinese_note``)."""
    return "\n".join(line for line in (tip or "").split("\n")
                     if not (line.startswith("说明：") and not chinese_note(line[3:])))


def doc_field(doc: Any, key: str) -> Any:
    """``key`` of a document given as a dict or as an object (None when it has no such field)."""
    return doc.get(key) if isinstance(doc, dict) else getattr(doc, key, None)


def cite(source: str | None, docs: dict) -> list[dict]:
    """Each reference of a ``source`` cell as the document number and title officials cite, with the
    address of the document page (anchored at the table or item): {text, href, doc, locator}.
    ``docs``: document id -> an object or dict with ``number`` and ``title``."""
    out = []
    for doc, loc in split_refs(source):
        if doc == "gbt2260":
            out.append({"text": GAZETTEER_CITE, "href": "", "doc": doc, "locator": ""})
            continue
        d = docs.get(doc)
        if d is None:
            out.append({"text": f"{doc} {loc}".strip(), "href": "", "doc": doc, "locator": loc})
            continue
        head = f"{doc_field(d, 'number') or ''}《{doc_field(d, 'title')}》"
        anchor = loc.split(" ")[0] if loc else ""
        loc = _NOTE.sub("", loc).strip()  # a curator's note in brackets (in English) is not part of the citation
        out.append({"text": f"{head}{(' ' + loc) if loc else ''}",
                    "href": f"/document/{doc}" + (f"#{anchor}" if anchor else ""), "doc": doc, "locator": loc})
    return out


def cite_text(source: str | None, docs: dict) -> str:
    return "；".join(c["text"] for c in cite(source, docs))


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
    rows: list[dict] = field(default_factory=list)     # the pairing table, the view's own rows first
    tasks: list = field(default_factory=list)          # the tasks the handout lists (queries.results.TaskOut)
    sources: list[dict] = field(default_factory=list)  # the documents cited: {id, number, title}
    facts: set[str] = field(default_factory=set)       # canonical ids of the pairings and tasks shown
    note: str = ""             # said in the picture when the view is empty (the sources skip the year)
    tasks_note: str = ""       # said in the handout where a district has no tasks in the view's year

    def node_ids(self) -> set[str]:
        return {n["id"] for n in self.nodes}


def _tip(*lines: str) -> str:
    return "\n".join(x for x in lines if x)


def _period(vf, vt) -> str:
    return f"{vf or '?'}–{vt or '至今'}"


def aid_network(aid, pairings: list, *, title: str,
                programme: str | None = None, province: str | None = None, district: str | None = None,
                year: int | None = None) -> View:
    """The aid network from pairing records (any store): supporters -> places, places -> prefectures.
    ``province`` is a division code, ``district`` a node id. Without ``year``, the pairings in force now."""
    docs = {d.id: d for d in aid.documents()}
    view = View(title=title, source_line="来源：" + "；".join(
        cite_text(d, docs) for d in sorted({p.source.split("#")[0] for p in pairings})))
    seen: set[str] = set()
    when = year if year is not None else aid.now

    def add_place(nid: str):
        if nid in seen:
            return
        seen.add(nid)
        ref = aid.place_ref(division_of(nid), True)
        where = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        level = LEVEL_ZH.get(ref.level, ref.level)
        view.nodes.append({"id": nid, "label": ref.name, "group": LEVEL_LABEL[ref.level], "code": ref.code,
                           "title": _tip(ref.name, f"{level} · {where}" if where else level,
                                         f"代码 {ref.code}", f"来源：{GAZETTEER_CITE}")})

    for p in pairings:
        if programme and p.program != programme:
            continue
        if not p.in_force(when):
            continue
        place = division_of(p.place)
        if province and aid.province_of(place) != province and place != province:
            continue
        if district and p.supporter != district:
            continue
        add_place(p.supporter)
        add_place(p.place)
        pref = aid.prefecture_of(place)
        if pref and pref != place:
            add_place(place_id(pref))
            view.edges.append({"from": p.place, "to": place_id(pref), "kind": "PART_OF", "dashes": True,
                               "title": f"{aid.place_name(p.place)} 属于 {aid.place_name(pref)}"})
        prog = aid.programmes[p.program]
        view.programmes[p.program] = (prog.name, prog.colour)
        names = f"{aid.place_name(p.supporter)} → {aid.place_name(p.place)}"
        view.edges.append({"from": p.supporter, "to": p.place, "kind": p.program,
                           "label": prog.name, "title": _tip(names,
                                                             prog.name, _period(p.valid_from, p.valid_to),
                                                             f"说明：{chinese_note(p.period_note)}"
                                                             if chinese_note(p.period_note) else "",
                                                             f"来源：{cite_text(p.source, docs)}")})
    view.edges = _dedupe(view.edges)
    view.seats = aid.seats([n["id"] for n in view.nodes])
    return view


def subgraph_view(graph: CanonicalGraph, node_ids: set[str], title: str) -> View:
    """A display view of a canonical subgraph: pairings drawn as edges, other facts as nodes."""
    view = View(title=title)
    g = graph.g
    docs: set[str] = set()
    register = {doc_key(d["id"]): d for d in graph.nodes("Document")}
    for nid in sorted(node_ids):
        data = g.nodes[nid]
        label = data["label"]
        if label == "Pairing":
            sup, place, prog = graph.out(nid, "SUPPORTER"), graph.out(nid, "SUPPORTED"), graph.out(nid, "UNDER")
            if sup and place and sup[0] in node_ids and place[0] in node_ids:
                p = graph.props(prog[0])
                view.programmes[prog[0]] = (p["name"], p["colour"])
                view.edges.append({"from": sup[0], "to": place[0], "kind": prog[0], "label": p["name"],
                                   "title": _tip(f"{g.nodes[sup[0]]['name']} → {g.nodes[place[0]]['name']}", p["name"],
                                                 _period(data.get("valid_from"), data.get("valid_to")),
                                                 f"来源：{cite_text(data['source'], register)}")})
                docs.update(s.split("#")[0] for s in data["source"].split("; ") if "#" in s)
            continue
        if label not in SHOWN_LABELS:
            continue
        name = data.get("name") or data.get("title") or data.get("number") or nid
        if label == "Task":
            name = f"{data['year']} {'任务' if data['kind'] == 'task' else '保障措施'}{data['number']} {data['title']}"
        facts = [f"{FACT_ZH[k]}：{LEVEL_ZH.get(v, v) if k == 'level' else KIND_ZH.get(v, v) if k == 'kind' else v}"
                 for k, v in data.items() if k in FACT_ZH and v]
        view.nodes.append({"id": nid, "label": name, "group": label, "code": data.get("code"),
                           "title": _tip(name, *facts, f"来源：{cite_text(data.get('source', ''), register)}"
                                         if data.get("source") else "")})
        if data.get("source") and "#" in data.get("source", ""):
            docs.add(data["source"].split("#")[0])
    shown = view.node_ids()
    for s, e, data in graph.edges():
        if s in shown and e in shown and data["type"] in ("PART_OF", "LEAD_UNIT", "RESPONSIBLE_UNIT", "NAMES_PLACE",
                                                           "UNIT_OF", "TASK_OF", "DERIVED_FROM", "PARTY"):
            view.edges.append({"from": s, "to": e, "kind": data["type"], "dashes": data["type"] == "PART_OF",
                               "title": RELATION_ZH.get(data["type"], data["type"])
                               + (f"（原文：{data['as_written']}）" if data.get("as_written") else "")})
    view.edges = _dedupe(view.edges)
    view.source_line = ("来源：" + "；".join(cite_text(d, register) for d in sorted(docs)) if docs
                        else f"来源：{GAZETTEER_CITE}")
    from .workbook import data_date
    view.data_date = data_date(graph).date().isoformat()
    view.seats = {n["id"]: (g.nodes[n["id"]]["longitude"], g.nodes[n["id"]]["latitude"]) for n in view.nodes
                  if "longitude" in g.nodes[n["id"]]}
    return view


def _dedupe(edges: list[dict]) -> list[dict]:
    seen, out = set(), []
    for e in edges:
        key = (e["from"], e["to"], e["kind"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def geo_positions(view: View) -> dict[str, tuple[float, float]]:
    """Places at their seats; Shanghai's districts in a column east of Shanghai, in code order."""
    pos = {}
    districts = sorted(n["id"] for n in view.nodes if n["group"] == "District")
    for i, nid in enumerate(districts):
        pos[nid] = (126.0, 36.0 - i * 1.0)
    for n in view.nodes:
        if n["id"] not in pos and n["id"] in view.seats:
            pos[n["id"]] = view.seats[n["id"]]
    return pos


def href_of(node: dict) -> str:
    """The page a node opens: a place's, a district's, a document's; tasks and units in their lists."""
    group, nid, code = node.get("group"), node["id"], node.get("code")
    if group in ("County", "Prefecture", "Province") and code:
        return f"/place/{code}"
    if group in ("District", "Municipality") and code:
        return f"/district/{code}"
    if group == "Document" and nid.startswith("doc:"):
        return f"/document/{doc_key(nid)}"
    if group == "Task":
        return f"/tasks#{nid}"
    if group == "Unit":
        return f"/units#{nid}"
    return ""


GEO_SCALE = 110.0  # pixels per degree of the geographic layout
GEO_GAP = 44.0    # the least distance between two places there (room for a short label)


def spread_positions(view: View, pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """The geographic layout in pixels: each place starts at its seat and is pushed (deterministically)
    just far enough from its neighbours that no two share a spot, staying near its seat; Shanghai's
    districts keep their column. Same input, same positions, on every load."""
    import numpy as np
    ids = sorted(pos)
    if not ids:
        return {}
    groups = {n["id"]: n["group"] for n in view.nodes}
    def x_of(lon: float) -> float:  # schematic, not a map: the far west and the far east drawn closer in
        if lon < 95.0:
            return (-5.0 + (lon - 95.0) * 0.35) * GEO_SCALE
        if lon > 110.0:
            return (10.0 + (lon - 110.0) * 0.45) * GEO_SCALE
        return (lon - 100.0) * GEO_SCALE
    seat = np.array([(x_of(pos[i][0]), -(pos[i][1] - 30.0) * GEO_SCALE) for i in ids])
    xy = seat.copy()
    free = np.array([groups.get(i) not in ("District", "Municipality") for i in ids], dtype=float)[:, None]
    n = len(ids)
    # places sharing one seat (a county and its prefecture's seat) start apart along the golden angle
    angle = np.arange(n) * 2.399963
    xy += free * np.stack([np.cos(angle), np.sin(angle)], axis=1) * 0.5
    for _ in range(400):
        diff = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((diff ** 2).sum(-1)) + np.eye(n) * 1e9
        close = dist < GEO_GAP
        if not close.any():
            break
        push = np.where(close, (GEO_GAP - dist) / np.maximum(dist, 1e-6), 0.0)[:, :, None] * diff
        xy += free * (0.5 * push.sum(1) + 0.02 * (seat - xy))
    return {i: (round(float(x), 1), round(float(y), 1)) for i, (x, y) in zip(ids, xy, strict=True)}


def _tint(colour: str, keep: float = 0.22) -> str:
    """``colour`` mixed with white: the fill of a shape whose label is drawn inside it (dark text on a
    light fill reads at ≥ 4.5:1; the colour itself stays on the border)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = lambda c: round(255 - (255 - c) * keep)  # noqa: E731
    return f"#{mix(r):02x}{mix(g):02x}{mix(b):02x}"


INSIDE_LABEL = {"box", "ellipse", "circle", "database", "text"}
# label size by importance: zoomed out, a label drawn smaller than the threshold is left out, so the
# counties' labels go first and the districts' last
LABEL_SIZE = {0: 34, 1: 24, 2: 15, 3: 13}


def _value(node: dict, degree: dict[str, int]) -> float:
    """Node size (and label size): a district by the places it is paired with, a prefecture by its
    counties in the view; the most important nodes keep their labels longest when zoomed out."""
    base = {0: 14.0, 1: 8.0, 2: 2.0, 3: 1.0}[RANK.get(node["group"], 3)]
    return base + degree.get(node["id"], 0)


def to_pyvis(view: View, *, geographic: bool = False, height: str = "720px") -> Network:
    from pyvis.network import Network  # here: the command line's answers need none of pyvis
    net = Network(height=height, width="100%", directed=True, cdn_resources="remote")
    pos = spread_positions(view, geo_positions(view)) if geographic else {}
    degree: dict[str, int] = {}
    for e in view.edges:
        if e["kind"] == "PART_OF":
            degree[e["to"]] = degree.get(e["to"], 0) + 1
        else:
            degree[e["from"]] = degree.get(e["from"], 0) + 1
    outlined = {e["to"] for e in view.edges if e["kind"] == "PART_OF"} if geographic else set()
    for n in view.nodes:
        colour, shape, _ = STYLE.get(n["group"], STYLE["Other"])
        if n["id"] in outlined:
            shape = "dot"  # a prefecture drawn as an outline with its name: its node is a mark at its seat
        extra = {}
        if n["id"] in pos:
            x, y = pos[n["id"]]
            extra = {"x": x, "y": y, "physics": False, "fixed": True}
        col = {"background": _tint(colour), "border": colour,
               "highlight": {"background": _tint(colour, 0.4), "border": "#111111"},
               "hover": {"background": _tint(colour, 0.4), "border": "#111111"}} if shape in INSIDE_LABEL else colour
        rank = RANK.get(n["group"], 3) if n["id"] not in outlined else 3
        net.add_node(n["id"], label=n["label"], title=n["title"], color=col, shape=shape,
                     value=_value(n, degree), href=href_of(n), rank=rank, font={"size": LABEL_SIZE[rank]},
                     borderWidth=2 if shape in INSIDE_LABEL else 1, **extra)
    for e in view.edges:
        net.add_edge(e["from"], e["to"], title=_chinese_lines(e.get("title", "")),
                     color=view.programmes.get(e["kind"], ("", "#95a5a6"))[1], dashes=e.get("dashes", False),
                     width=1 if e.get("dashes") else 2)
    net.set_options(json.dumps(vis_options(geographic)))
    return net


def vis_options(geographic: bool) -> dict:
    """A stable layout (a fixed seed; physics settles once, then stops), labels by zoom (sized by the
    node's importance and hidden below a readable size, so districts and prefectures stay labelled
    longest), every text in the CJK font, keyboard navigation when the picture has the focus."""
    return {
        "layout": {"randomSeed": 20211, "improvedLayout": True},
        "physics": {"enabled": not geographic, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 90, "damping": 0.4},
                    "stabilization": {"enabled": True, "iterations": 250, "fit": True}},
        "edges": {"smooth": False, "font": {"size": 11, "face": FONT_STACK, "strokeWidth": 3},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "nodes": {"font": {"size": 14, "face": FONT_STACK, "color": "#1a1a1a", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": 30,
                              "label": {"enabled": False, "maxVisible": 24, "drawThreshold": 9}}},
        "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False},
    }


_ENV = Environment(loader=PackageLoader("aidgraph.viz", "templates"), autoescape=select_autoescape(["html"]))


def vis_assets() -> dict[str, str]:
    base = files("pyvis").joinpath("lib", "vis-9.1.2")
    return {"js": base.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
            "css": base.joinpath("vis-network.css").read_text(encoding="utf-8")}


def vis_asset_dir() -> Path:
    return Path(str(files("pyvis").joinpath("lib", "vis-9.1.2")))


def cjk_font_dir() -> Path:
    """Noto Sans SC (SIL OFL) from the justmytype-intl-cjk package (the source of the served subsets)."""
    return font_path().parent


def _rows(view: View) -> list[dict]:
    """The nodes as table rows (the picture's text alternative): name and page, kind, what it belongs
    to, and what it is linked with (a county's supporters, a district's places)."""
    names = {n["id"]: n["label"] for n in view.nodes}
    parent: dict[str, str] = {}
    links: dict[str, list[str]] = {n["id"]: [] for n in view.nodes}
    for e in view.edges:
        if e["from"] not in names or e["to"] not in names:
            continue
        if e["kind"] == "PART_OF":
            parent[e["from"]] = names[e["to"]]
            continue
        what = view.programmes.get(e["kind"], (RELATION_ZH.get(e["kind"], ""), ""))[0]
        links[e["from"]].append(f"{names[e['to']]}（{what}）" if what else names[e["to"]])
        links[e["to"]].append(f"{names[e['from']]}（{what}）" if what else names[e["from"]])
    rows = [{"id": n["id"], "name": n["label"], "href": href_of(n), "kind": GROUP_ZH.get(n["group"], n["group"]),
             "parent": parent.get(n["id"], ""), "links": "、".join(sorted(set(links[n["id"]]))),
             "rank": RANK.get(n["group"], 3)} for n in view.nodes]
    rows.sort(key=lambda r: (r["rank"], r["parent"], r["name"]))
    return rows


def _hull_groups(view: View) -> list[dict]:
    """Prefectures with the counties of theirs in the view: drawn as labelled outlines around them."""
    names = {n["id"]: n for n in view.nodes}
    members: dict[str, list[str]] = {}
    for e in view.edges:
        if e["kind"] == "PART_OF" and e["to"] in names and e["from"] in names:
            members.setdefault(e["to"], [e["to"]]).append(e["from"])
    groups = [{"label": names[p]["label"], "members": sorted(set(m))} for p, m in sorted(members.items())]
    return sorted(groups, key=lambda g: -len(g["members"]))  # the larger first: their names win a tie


def network_fragment(view: View, *, geographic: bool = False, height: str = "640px",
                     element_id: str = "network") -> dict:
    """What a page needs to draw the view: the data, options and legend (for the `network.html` macro),
    the prefecture outlines, and the table of the same nodes."""
    net = to_pyvis(view, geographic=geographic, height=height)
    groups = sorted({n["group"] for n in view.nodes}, key=lambda g: list(STYLE).index(g) if g in STYLE else 99)
    legend = [(STYLE.get(g, STYLE["Other"])[0], GROUP_ZH.get(g, g)) for g in groups]
    kinds = sorted({e["kind"] for e in view.edges if e["kind"] in view.programmes})
    legend += [(view.programmes[k][1], "—— " + view.programmes[k][0]) for k in kinds]
    # plain objects: the template writes them with Jinja's ``tojson`` (HTML-safe JSON for a <script>)
    data = {"nodes": net.nodes, "edges": net.edges}
    count = len(view.nodes)
    aria = (f"网络图：{view.title}，{count} 个节点、{len(view.edges)} 条连线。"
            "聚焦此图后可用方向键平移、加号减号缩放，回车打开所选节点的页面；节点列表见图下的表格。")
    return {"data": data, "options": vis_options(geographic), "title": view.title,
            "legend": legend, "height": height, "element_id": element_id, "count": count,
            "credit": SEAT_CREDIT_ZH if geographic else "", "hulls": _hull_groups(view) if geographic else [],
            "rows": _rows(view),
            "aria": aria, "font_family": FONT_FAMILY}


SEAT_CREDIT_ZH = "驻地坐标：adcode 数据集（CC BY 4.0），经 cpca 软件包（MIT）"


def view_text(view: View) -> str:
    """Every text a view shows (labels, tooltips, title, sources): the glyphs its font subset needs."""
    parts = [view.title, view.source_line, view.data_date, SEAT_CREDIT_ZH, *GROUP_ZH.values()]
    parts += [f"{n.get('label', '')}{n.get('title', '')}" for n in view.nodes]
    parts += [f"{e.get('label', '')}{e.get('title', '')}" for e in view.edges]
    parts += [name for name, _ in view.programmes.values()]
    return "".join(str(p) for p in parts)


def standalone_html(view: View, *, geographic: bool = False) -> str:
    """One HTML file that works from a USB stick: vis-network and the subset of the CJK font holding the
    glyphs it shows inlined, no network access."""
    frag = network_fragment(view, geographic=geographic, height="80vh")
    today = view.data_date or date.today().isoformat()
    template = _ENV.get_template("standalone.html")
    page_text = template.render(view=view, frag=frag, assets={"js": "", "css": ""}, today=today, font_face="")
    return template.render(view=view, frag=frag, assets=vis_assets(), today=today,
                           font_face=inline_font_face(view_text(view), page_text))
