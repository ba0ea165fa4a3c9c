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
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from pyvis.network import Network

from ..schema.graph import CanonicalGraph
from ..schema.ids import division_of, place_id
from ..schema.model import LEVEL_LABEL, SEAT_CREDIT as COORD_CREDIT

# label -> (colour, vis shape, legend text), from the node types of the schema table; a programme's edge colour
# is data (programmes.csv), carried by the view
from ..schema.model import NODE_TYPES as _NODE_TYPES, OTHER_STYLE as _OTHER_STYLE  # noqa: E402

STYLE = {**{label: nt.style for label, nt in _NODE_TYPES.items() if nt.style is not None}, "Other": _OTHER_STYLE}
SHOWN_LABELS = set(STYLE) - {"Other"}


@dataclass
class View:
    title: str
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    source_line: str = ""
    seats: dict[str, tuple[float, float]] = field(default_factory=dict)  # node id -> (longitude, latitude)
    data_date: str = ""  # the date of the newest source document the view was made from
    programmes: dict[str, tuple[str, str]] = field(default_factory=dict)  # programme id -> (name, edge colour)

    def node_ids(self) -> set[str]:
        return {n["id"] for n in self.nodes}


def _tip(*lines: str) -> str:
    return "\n".join(x for x in lines if x)


def _period(vf, vt) -> str:
    return f"{vf or '?'}–{vt or 'now'}"


def aid_network(aid, pairings: list, *, title: str,
                programme: str | None = None, province: str | None = None, district: str | None = None,
                year: int | None = None) -> View:
    """The aid network from pairing records (any store): supporters -> places, places -> prefectures.
    ``province`` is a division code, ``district`` a node id. Without ``year``, the pairings in force now."""
    view = View(title=title, source_line="sources: " + "; ".join(sorted({p.source.split("#")[0] for p in pairings})))
    seen: set[str] = set()
    when = year if year is not None else aid.now

    def add_place(nid: str):
        if nid in seen:
            return
        seen.add(nid)
        ref = aid.place_ref(division_of(nid), True)
        where = " · ".join(x for x in (ref.prefecture, ref.province) if x)
        view.nodes.append({"id": nid, "label": ref.name, "group": LEVEL_LABEL[ref.level], "code": ref.code,
                           "title": _tip(ref.name, f"{ref.level} · {where}" if where else ref.level,
                                         f"code {ref.code}", "source: GB/T 2260 code lists")})

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
                               "title": "part of"})
        prog = aid.programmes[p.program]
        view.programmes[p.program] = (prog.name, prog.colour)
        names = f"{aid.place_name(p.supporter)} → {aid.place_name(p.place)}"
        view.edges.append({"from": p.supporter, "to": p.place, "kind": p.program,
                           "label": prog.name, "title": _tip(names,
                                                             f"{prog.name} ({prog.name_en})",
                                                             _period(p.valid_from, p.valid_to),
                                                             p.period_note or "", f"source: {p.source}")})
    view.edges = _dedupe(view.edges)
    view.seats = aid.seats([n["id"] for n in view.nodes])
    return view


def subgraph_view(graph: CanonicalGraph, node_ids: set[str], title: str) -> View:
    """A display view of a canonical subgraph: pairings drawn as edges, other facts as nodes."""
    view = View(title=title)
    g = graph.g
    docs = set()
    for nid in sorted(node_ids):
        data = g.nodes[nid]
        label = data["label"]
        if label == "Pairing":
            sup, place, prog = graph.out(nid, "SUPPORTER"), graph.out(nid, "SUPPORTED"), graph.out(nid, "UNDER")
            if sup and place and sup[0] in node_ids and place[0] in node_ids:
                p = graph.node(prog[0])
                view.programmes[prog[0]] = (p["name"], p["colour"])
                view.edges.append({"from": sup[0], "to": place[0], "kind": prog[0], "label": p["name"],
                                   "title": _tip(f"{g.nodes[sup[0]]['name']} → {g.nodes[place[0]]['name']}", p["name"],
                                                 _period(data.get("valid_from"), data.get("valid_to")),
                                                 f"source: {data['source']}")})
                docs.update(s.split("#")[0] for s in data["source"].split("; ") if "#" in s)
            continue
        if label not in SHOWN_LABELS:
            continue
        name = data.get("name") or data.get("title") or data.get("number") or nid
        if label == "Task":
            name = f"{data['year']} {'任务' if data['kind'] == 'task' else '保障措施'}{data['number']} {data['title']}"
        facts = [f"{k}: {v}" for k, v in data.items() if k in ("level", "code", "number", "date", "kind", "signed")]
        view.nodes.append({"id": nid, "label": name, "group": label, "code": data.get("code"),
                           "title": _tip(name, *facts, f"source: {data.get('source', '')}")})
        if data.get("source") and "#" in data.get("source", ""):
            docs.add(data["source"].split("#")[0])
    shown = view.node_ids()
    for s, e, data in graph.edges():
        if s in shown and e in shown and data["type"] in ("PART_OF", "LEAD_UNIT", "RESPONSIBLE_UNIT", "NAMES_PLACE",
                                                           "UNIT_OF", "TASK_OF", "DERIVED_FROM", "PARTY"):
            view.edges.append({"from": s, "to": e, "kind": data["type"], "dashes": data["type"] == "PART_OF",
                               "title": data["type"] + (f" ({data['as_written']})" if data.get("as_written") else "")})
    view.edges = _dedupe(view.edges)
    view.source_line = "sources: " + "; ".join(sorted(docs)) if docs else "sources: GB/T 2260 code lists"
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


def to_pyvis(view: View, *, geographic: bool = False, height: str = "720px") -> Network:
    net = Network(height=height, width="100%", directed=True, cdn_resources="remote")
    pos = geo_positions(view) if geographic else {}
    for n in view.nodes:
        colour, shape, _ = STYLE.get(n["group"], STYLE["Other"])
        extra = {}
        if n["id"] in pos:
            lon, lat = pos[n["id"]]
            extra = {"x": (lon - 100) * 40, "y": -(lat - 30) * 40, "physics": False, "fixed": True}
        net.add_node(n["id"], label=n["label"], title=n["title"], color=colour, shape=shape, **extra)
    for e in view.edges:
        net.add_edge(e["from"], e["to"], title=e.get("title", ""), label=e.get("label", ""),
                     color=view.programmes.get(e["kind"], ("", "#95a5a6"))[1], dashes=e.get("dashes", False))
    net.set_options(json.dumps(vis_options(geographic)))
    return net


def vis_options(geographic: bool) -> dict:
    """Physics tuned so the full seed network (≈200 nodes) settles in a second or two, then stops."""
    return {
        "physics": {"enabled": not geographic, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -4000, "springLength": 120, "damping": 0.4},
                    "stabilization": {"enabled": True, "iterations": 250, "fit": True}},
        "edges": {"smooth": False, "font": {"size": 10, "align": "middle"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "nodes": {"font": {"size": 14, "face": "Noto Sans SC, sans-serif"}},
        "interaction": {"hover": True, "tooltipDelay": 120},
    }


_ENV = Environment(loader=PackageLoader("aidgraph.viz", "templates"), autoescape=select_autoescape(["html"]))


def vis_assets() -> dict[str, str]:
    base = files("pyvis").joinpath("lib", "vis-9.1.2")
    return {"js": base.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
            "css": base.joinpath("vis-network.css").read_text(encoding="utf-8")}


def vis_asset_dir() -> Path:
    return Path(str(files("pyvis").joinpath("lib", "vis-9.1.2")))


def cjk_font_dir() -> Path:
    """Noto Sans SC (SIL OFL) from the justmytype-intl-cjk package, served to pages as a web font."""
    return Path(str(files("justmytype_intl_cjk").joinpath("fonts", "ofl", "notosanssc")))


def network_fragment(view: View, *, geographic: bool = False, height: str = "640px", element_id: str = "network") -> dict:
    """What a page needs to draw the view: the data, options and legend (for the `network.html` macro)."""
    net = to_pyvis(view, geographic=geographic, height=height)
    groups = sorted({n["group"] for n in view.nodes}, key=lambda g: list(STYLE).index(g) if g in STYLE else 99)
    legend = [(STYLE.get(g, STYLE["Other"])[0], STYLE.get(g, STYLE["Other"])[2]) for g in groups]
    kinds = sorted({e["kind"] for e in view.edges if e["kind"] in view.programmes})
    legend += [(view.programmes[k][1], "—— " + view.programmes[k][0]) for k in kinds]
    # plain objects: the template writes them with Jinja's ``tojson`` (HTML-safe JSON for a <script>)
    data = {"nodes": net.nodes, "edges": net.edges}
    return {"data": data, "options": vis_options(geographic),
            "legend": legend, "height": height, "element_id": element_id, "count": len(view.nodes),
            "credit": COORD_CREDIT if geographic else ""}


def standalone_html(view: View, *, geographic: bool = False) -> str:
    """One HTML file that works from a USB stick: vis-network inlined, no network access."""
    frag = network_fragment(view, geographic=geographic, height="88vh")
    return _ENV.get_template("standalone.html").render(view=view, frag=frag, assets=vis_assets(),
                                                       today=view.data_date or date.today().isoformat())
