"""The interactive network: a display view drawn with pyvis's vis-network, on a page or as one
standalone HTML file.

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
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from ..schema.ids import doc_key
from ..schema.labels import GROUP_ZH, RELATION_ZH
from .citations import chinese_lines
from .fonts import FAMILY as FONT_FAMILY
from .fonts import STACK as FONT_STACK
from .fonts import font_path, inline_font_face
from .geo_layout import geo_positions, spread_positions, trunks
from .styles import RANK, STYLE, vis_dashes
from .view import View
from .web_layout import vis_layered

if TYPE_CHECKING:
    from pyvis.network import Network


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
    fan = trunks(view, pos) if geographic else {}
    names = {n["id"]: n["label"] for n in view.nodes}
    for (sup, kind), (x, y) in fan.items():  # a bundle's fan-out point: a mark, no label, nothing to open
        places = sorted({names[e["to"]] for e in view.edges if e["from"] == sup and e["kind"] == kind})
        colour = view.programmes[kind][1]
        net.add_node(trunk_id(sup, kind), label=" ", title="", shape="dot", size=2, x=x, y=y, physics=False,
                     fixed=True, color=colour, rank=9, trunk=True, chosen=False)
        net.add_edge(sup, trunk_id(sup, kind), color=colour, width=min(2 + 0.4 * len(places), 7),
                     title=f"{names[sup]} → {'、'.join(places)}（{view.programmes[kind][0]}，{len(places)} 个）",
                     arrows={"to": {"enabled": False}})
    for e in view.edges:
        bundled = (e["from"], e["kind"]) in fan
        net.add_edge(trunk_id(e["from"], e["kind"]) if bundled else e["from"], e["to"],
                     title=chinese_lines(e.get("title", "")),
                     color=view.programmes.get(e["kind"], ("", "#95a5a6"))[1], dashes=e.get("dashes", False),
                     width=1 if e.get("dashes") else 2,
                     **({"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.12}} if bundled else {}))
    net.set_options(json.dumps(vis_options(geographic)))
    return net


def trunk_id(supporter: str, kind: str) -> str:
    """The id of a bundle's fan-out point (a drawing aid: no node of the graph)."""
    return f"trunk:{supporter}|{kind}"


def vis_options(geographic: bool, layered: bool = False) -> dict:
    """A stable layout (a fixed seed; physics settles once, then stops), labels by zoom (sized by the
    node's importance and hidden below a readable size, so districts and prefectures stay labelled
    longest), every text in the CJK font, keyboard navigation when the picture has the focus. A layered
    picture (``web_layout``): every node fixed where the layout puts it, no physics, edges as given."""
    if layered:
        return {
            "layout": {"randomSeed": 20211, "improvedLayout": False},
            "physics": {"enabled": False},
            "edges": {"font": {"size": 11, "face": FONT_STACK, "strokeWidth": 3}},
            "nodes": {"font": {"face": FONT_STACK, "color": "#1a1a1a"}, "shape": "box",
                      "scaling": {"label": {"enabled": False, "drawThreshold": 5}}},
            "interaction": {"hover": True, "tooltipDelay": 120, "dragNodes": False,
                            "keyboard": {"enabled": True, "bindToWindow": False}, "multiselect": False},
        }
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


def _layered_data(view: View, offline: bool) -> tuple[dict, float] | None:
    """The nodes and edges of a named view's layered picture (fixed positions), and its height in pixels."""
    laid = None if not view.kind else vis_layered(view)
    if laid is None:
        return None
    nodes, edges, (_w, h) = laid
    by_id = {n["id"]: n for n in view.nodes}
    for n in nodes:
        v = by_id[n["id"]]
        n.update(title=v["title"], href="" if offline else href_of(v), rank=RANK.get(v["group"], 3),
                 name=v["label"])
        n["title"] = chinese_lines(n["title"])
    for e in edges:
        e["title"] = chinese_lines(e["title"])
    return {"nodes": nodes, "edges": edges}, h


def legend_of(view: View) -> list[tuple[str, str, str]]:
    """(colour, dash pattern for an SVG ``stroke-dasharray`` or "" for a node kind's swatch, text)."""
    groups = sorted({n["group"] for n in view.nodes}, key=lambda g: list(STYLE).index(g) if g in STYLE else 99)
    legend = [(STYLE.get(g, STYLE["Other"])[0], "", GROUP_ZH.get(g, g)) for g in groups]
    kinds = [k for k in view.programmes if any(e["kind"] == k for e in view.edges)]
    for k in kinds:
        dash = vis_dashes(view, k)
        pattern = ",".join(map(str, dash)) if isinstance(dash, list) else "none"
        legend.append((view.programmes[k][1], pattern, view.programmes[k][0]))
    return legend


def network_fragment(view: View, *, geographic: bool = False, height: str = "640px",
                     element_id: str = "network", offline: bool = False) -> dict:
    """What a page needs to draw the view: the data, options and legend (for the `network.html` macro),
    the prefecture outlines, and the table of the same nodes. A named view (not geographic) is drawn
    in the printed picture's layered layout, each node fixed; ``offline`` (the standalone file): no
    links to the site's pages, a click shows the node's details in the page."""
    layered = None if geographic else _layered_data(view, offline)
    if layered is not None:
        data, h = layered
        # a picture as tall as its layout needs, so every label reads at its own size; a tall one scrolls
        # with the page (the mouse wheel scrolls, the keyboard's + and - still zoom)
        height = f"{max(int(h) + 90, 220)}px"
        options = vis_options(False, layered=True)
        if h + 90 > 900:
            options["interaction"].update(zoomView=False, dragView=False)
        count = len(view.nodes)
        aria = (f"网络图：{view.title}，{count} 个节点、{len(data['edges'])} 条连线，按层排布"
                "（支援方 → 地州市 → 县；任务 → 单位）。聚焦此图后可用方向键平移、加号减号缩放；节点列表见图下的表格。")
        rows = _rows(view)
        if offline:
            for r in rows:
                r["href"] = ""
        return {"data": data, "options": options, "title": view.title,
                "legend": legend_of(view), "height": height, "element_id": element_id, "count": count,
                "credit": "", "hulls": [], "rows": rows, "aria": aria, "font_family": FONT_FAMILY,
                "layered": True, "offline": offline}
    net = to_pyvis(view, geographic=geographic, height=height)
    groups = sorted({n["group"] for n in view.nodes}, key=lambda g: list(STYLE).index(g) if g in STYLE else 99)
    legend = [(STYLE.get(g, STYLE["Other"])[0], "", GROUP_ZH.get(g, g)) for g in groups]
    kinds = sorted({e["kind"] for e in view.edges if e["kind"] in view.programmes})
    legend += [(view.programmes[k][1], "none", view.programmes[k][0]) for k in kinds]
    if offline:
        for n in net.nodes:
            n["href"] = ""
    # plain objects: the template writes them with Jinja's ``tojson`` (HTML-safe JSON for a <script>)
    data = {"nodes": net.nodes, "edges": net.edges}
    count = len(view.nodes)
    aria = (f"网络图：{view.title}，{count} 个节点、{len(view.edges)} 条连线。"
            "聚焦此图后可用方向键平移、加号减号缩放，回车打开所选节点的页面；节点列表见图下的表格。")
    return {"data": data, "options": vis_options(geographic), "title": view.title,
            "legend": legend, "height": height, "element_id": element_id, "count": count,
            "credit": SEAT_CREDIT_ZH if geographic else "", "hulls": _hull_groups(view) if geographic else [],
            "rows": _rows(view) if not offline else [{**r, "href": ""} for r in _rows(view)],
            "aria": aria, "font_family": FONT_FAMILY, "layered": False, "offline": offline}


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
    frag = network_fragment(view, geographic=geographic, height="80vh", offline=True)
    today = view.data_date
    template = _ENV.get_template("standalone.html")
    page_text = template.render(view=view, frag=frag, assets={"js": "", "css": ""}, today=today, font_face="")
    return template.render(view=view, frag=frag, assets=vis_assets(), today=today,
                           font_face=inline_font_face(view_text(view), page_text))
