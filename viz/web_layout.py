"""The web picture of a named view, laid out as the printed picture is: the same layered layout
(``layered_layout``: supporter → prefecture → county, task → unit; each label in a row of its own), its
points scaled to pixels, every node fixed where the layout puts it (no physics). A node is drawn as its
label in a box (vis-network's ``box`` shape) where the printed picture puts the label, so the box the
browser reports for a node is the label it shows, and no two of them overlap.

The links are the printed picture's: a pairing whose county lies in a prefecture shown runs supporter →
prefecture → county, each line with the programme's colour and dash pattern (``styles.VIS_DASHES``)."""
from __future__ import annotations

from dataclasses import dataclass

from .fonts import STACK
from .layered_layout import cut_bands, panels
from .styles import STYLE, edge_style, vis_dashes
from .view import View

PX = 1.4          # pixels per printed point
STRETCH = 1.3     # rows further apart than in print: a label's box (margins, rounded corners) is taller
COL_GAP = 64.0    # points between a column's labels and the next column (the print's least is 42)
PANEL_GAP = 70.0  # points between the places' block and the tasks' block
MARGIN_PX = {"top": 2, "bottom": 2, "left": 4, "right": 4}
RADIUS = 2        # the boxes' rounded corners (vis-network counts them into a node's bounding box)


@dataclass
class WebNode:
    id: str
    label: str
    x: float      # the centre of the node's label box, pixels
    y: float
    font: float   # the label's size, pixels
    center: bool  # the view's centre (its subject)


def _tint(colour: str, keep: float = 0.22) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = lambda c: round(255 - (255 - c) * keep)  # noqa: E731
    return f"#{mix(r):02x}{mix(g):02x}{mix(b):02x}"


def layered_positions(view: View) -> tuple[dict[str, WebNode], list[tuple[str, str, str]]] | None:
    """Each node's label box (centre and font size, pixels) and the links to draw, from the printed
    picture's layout with no height limit (one block per panel, side by side). None for a view that is
    not a named one (a subgraph, the pages' network of records)."""
    if not view.kind or not view.nodes:
        return None
    view_nodes = {n["id"]: n for n in view.nodes}
    out: dict[str, WebNode] = {}
    links: list[tuple[str, str, str]] = []
    x0 = 0.0
    for p in panels(view):
        bands = cut_bands(p, view_nodes, 1.0, 1e12) or []
        for b in bands:
            xs = {c: b.xs[c] + x0 + j * COL_GAP for j, c in enumerate(b.cols)}
            for i, n in b.nodes.items():
                if i in out:  # a node is drawn once
                    continue
                side = -(n.r + 5 + n.width / 2) if n.left else n.r + 5 + n.width / 2
                out[i] = WebNode(i, n.label, (xs[n.col] + side) * PX, n.y * PX * STRETCH, round(n.size * PX, 1),
                                 n.center)
            links += b.links
            x0 += b.width + b.gaps * COL_GAP + PANEL_GAP
    return out, list(dict.fromkeys(links))


def _link_titles(view: View) -> dict[tuple[str, str, str], str]:
    """A tooltip for each drawn link: the view's own edge where it is drawn as it is; a segment of a
    pairing rerouted through its prefecture says which pairings it carries."""
    names = {n["id"]: n["label"] for n in view.nodes}
    parent = {e["from"]: e["to"] for e in view.edges if e["kind"] == "PART_OF"}
    titles: dict[tuple[str, str, str], list[str]] = {}
    for e in view.edges:
        a, b, k = e["from"], e["to"], e["kind"]
        title = e.get("title", "")
        titles.setdefault((a, b, k), []).append(title)
        titles.setdefault((b, a, k), []).append(title)
        if k in view.programmes and b in parent:
            p = parent[b]
            titles.setdefault((p, b, k), []).append(title)
            titles.setdefault((a, p, k), []).append(f"{names.get(a, a)} → {names.get(b, b)}（{view.programmes[k][0]}）")
    return {key: "\n".join(dict.fromkeys(t for t in ts if t)) for key, ts in titles.items()}


def vis_layered(view: View) -> tuple[list[dict], list[dict], tuple[float, float]] | None:
    """vis-network nodes and edges of the layered picture (fixed, no physics) and its size in pixels;
    None where the view is not a named one."""
    laid = layered_positions(view)
    if laid is None:
        return None
    boxes, links = laid
    nodes = []
    for n in view.nodes:
        w = boxes.get(n["id"])
        if w is None:
            continue
        colour = STYLE.get(n["group"], STYLE["Other"])[0]
        nodes.append({"id": n["id"], "x": round(w.x, 1), "y": round(w.y, 1), "label": w.label, "shape": "box",
                      "fixed": True, "physics": False, "margin": MARGIN_PX, "shapeProperties": {"borderRadius": RADIUS},
                      "borderWidth": 3 if w.center else 1,
                      "font": {"size": w.font, "face": STACK, "multi": False, "strokeWidth": 0},
                      "color": {"background": _tint(colour), "border": colour,
                                "highlight": {"background": _tint(colour, 0.45), "border": "#111111"},
                                "hover": {"background": _tint(colour, 0.45), "border": "#111111"}}})
    titles = _link_titles(view)
    edges = []
    for a, b, kind in links:
        colour, lw, _dash, _name = edge_style(view, kind)
        edges.append({"from": a, "to": b, "color": colour, "width": round(lw * PX, 1),
                      "dashes": vis_dashes(view, kind), "title": titles.get((a, b, kind), ""),
                      "arrows": {"to": {"enabled": False}},
                      "smooth": {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                 "roundness": 0.55}})
    xs = [w.x for w in boxes.values()] or [0.0]
    ys = [w.y for w in boxes.values()] or [0.0]
    return nodes, edges, (max(xs) - min(xs), max(ys) - min(ys))
