"""Printable pictures (PNG, SVG, PDF pages) of a display view with matplotlib's Figure API.

A named view (``viz.views``) is drawn in layers — supporter → prefecture → county, task → unit — each
node in its column, each label in a row of its own, so no two labels overlap; labels are at least
8.5 pt on the printed page (A4 landscape; a view too tall for it goes to A3, then into bands side by
side, rather than shrinking its labels); node size follows a measure (counties paired, tasks named);
each programme has its colour (from the graph) and a line style of its own (solid, dashed, dotted,
dash-dot by the programmes' order), so programmes stay apart in greyscale print. The title says what
the picture shows, the footer gives the data's date and the sources as document numbers.

A subgraph around a centre (the experts' hops form) keeps the force layout of before.

Text is Noto Sans SC (``justmytype-intl-cjk``, SIL Open Font License). That package ships a variable
font whose default instance is the thinnest weight, which neither the PDF's embedded font nor the
rasteriser can vary; so each picture gets a static Regular (and Bold) instance of the glyphs it uses,
made with fontTools and cached on disk (``Settings.cache``/fonts). SVG keeps its text as text
(``svg.fonttype = none``: searchable, editable) and carries the subset of the font it uses as a WOFF
``@font-face``; PDF embeds the TrueType subset (``pdf.fonttype = 42``). No clock reaches the files.
"""
from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from .fonts import BASE_TEXT, font_path
from .network import GROUP_ZH, STYLE, View, geo_positions

A4_LANDSCAPE_IN = (11.69, 8.27)
A3_LANDSCAPE_IN = (16.54, 11.69)
A4_PORTRAIT_IN = (8.27, 11.69)
PAPERS = {"A4": A4_LANDSCAPE_IN, "A3": A3_LANDSCAPE_IN}
DPI = 150
MIN_LABEL_PT = 8.5  # the smallest label on the printed page (≥ 8 pt)
MARKERS = {"star": "*", "box": "s", "ellipse": "o", "dot": "o", "square": "s", "triangle": "^", "diamond": "D"}
FAMILY = "Noto Sans SC"

logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

# Pictures are drawn in the server's worker threads: no pyplot (its figure registry is global state) and no
# rcParams changed per call. The settings below have no per-figure option, so they are set here, once, when
# the module is imported (import is serialised by Python's import lock).
matplotlib.rcParams["svg.fonttype"] = "none"      # text stays text; the font travels as @font-face
matplotlib.rcParams["svg.hashsalt"] = "aidgraph"  # fixed SVG ids: the same bytes in every process
matplotlib.rcParams["pdf.fonttype"] = 42          # TrueType embedded (subset), not Type 3
matplotlib.rcParams["pdf.compression"] = 6


# -- fonts ------------------------------------------------------------------------------------------
_FONT_LOCK = threading.Lock()
_FONT_FILES: dict[tuple[int, str], str] = {}


def _font_dir() -> Path:
    from ..settings import get_settings
    path = get_settings().cache / "fonts"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".probe"
        probe.write_bytes(b"")
        probe.unlink()
        return path
    except OSError:  # a read-only home: a folder of this process
        return Path(tempfile.mkdtemp(prefix="aidgraph-fonts-"))


def _instance(chars: str, weight: int, dest: Path) -> None:
    """A static TrueType instance of Noto Sans SC at ``weight`` holding the glyphs of ``chars``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer
    opts = subset.Options()
    opts.layout_features = []  # matplotlib lays text out glyph by glyph
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "DSIG", "vhea", "vmtx", "VORG", "MVAR"]
    font = TTFont(str(font_path()), lazy=True)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    static = instancer.instantiateVariableFont(font, {"wght": weight})
    static.recalcTimestamp = False  # the font's own date, not the clock: the same bytes in every process
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    static.save(str(tmp))
    os.replace(tmp, dest)


def font_file(text: str, weight: int = 400) -> str:
    """The path of a static Noto Sans SC instance at ``weight`` with every glyph of ``text`` (and of the
    base set: ASCII and the common punctuation), made once and cached by its glyph set."""
    chars = "".join(sorted(set(text) | set(BASE_TEXT)))
    key = (weight, chars)
    with _FONT_LOCK:
        if key in _FONT_FILES:
            return _FONT_FILES[key]
        digest = hashlib.sha256(f"2:{font_path().stat().st_size}:{weight}:{chars}".encode()).hexdigest()[:20]
        dest = _font_dir() / f"NotoSansSC-{weight}-{digest}.ttf"
        if not dest.exists():
            _instance(chars, weight, dest)
        _FONT_FILES[key] = str(dest)
        return str(dest)


_CJK_FAMILY = FAMILY


def cjk_font() -> str:
    """The family name of the CJK font the pictures use."""
    return _CJK_FAMILY


class Fonts:
    """The regular and bold fonts of one picture, at any size."""

    def __init__(self, text: str, bold_text: str = ""):
        self.regular = font_file(text, 400)
        self.bold = font_file(bold_text or text, 700)

    def __call__(self, size: float, bold: bool = False) -> FontProperties:
        return FontProperties(family=[FAMILY], size=size, weight="bold" if bold else "normal",
                              fname=self.bold if bold else self.regular)


# -- text measures (conservative: a label's box on any CJK font) -------------------------------------
def char_em(ch: str) -> float:
    """The width of a character in em, rounded up: CJK and full-width 1, wide Latin 0.95, other 0.62."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isupper() or ch in "mw@%&":
        return 0.95
    return 0.62


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` points, never less than the font's."""
    return size * sum(char_em(c) for c in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (points): breaks at spaces and after CJK punctuation where
    it can, anywhere in a run of CJK characters otherwise."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for ch in para:
            if text_width(line + ch, size) <= width or not line:
                line += ch
                continue
            cut = max(line.rfind(" "), line.rfind("；"), line.rfind("、"), line.rfind("，"), line.rfind("·"))
            if cut >= len(line) // 2 and cut > 0:
                lines.append(line[:cut + 1].rstrip())
                line = line[cut + 1:].lstrip() + ch
            else:
                lines.append(line)
                line = ch
        lines.append(line)
    return lines


def clip(text: str, size: float, width: float) -> str:
    """``text`` cut with … to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


# -- styles -----------------------------------------------------------------------------------------
DASHES = ["-", (0, (6, 3)), (0, (1.2, 2.2)), (0, (7, 2.5, 1.5, 2.5))]  # by programme order
DASH_NAMES = ["实线", "虚线", "点线", "点划线"]
REL_STYLE = {"PART_OF": ("#8c8c8c", 0.8, "-", "隶属"),
             "LEAD_UNIT": ("#3d3d3d", 1.3, "-", "牵头单位"),
             "RESPONSIBLE_UNIT": ("#8c8c8c", 0.9, (0, (4, 2.5)), "责任单位"),
             "NAMES_PLACE": ("#b0b0b0", 0.6, (0, (1, 2)), "涉及地方")}
BASE_SIZE = {0: 12.0, 1: 11.0, 2: 10.0, 3: 9.5, 4: 9.5}  # label size by column, before scaling
NODE_EDGE = "#333333"
TASK_LABEL_PT = 200.0  # a task's label: its number and title, cut to 20 characters


def edge_style(view: View, kind: str) -> tuple[str, float, object, str]:
    """(colour, width, dash pattern, legend text) of an edge kind: a programme or a relation."""
    if kind in view.programmes:
        i = list(view.programmes).index(kind)
        name, colour = view.programmes[kind]
        return colour, 1.7, DASHES[i % len(DASHES)], name
    return REL_STYLE.get(kind, ("#b0b0b0", 0.7, "-", kind))


# -- the layered layout -----------------------------------------------------------------------------
@dataclass
class PNode:
    id: str
    label: str
    group: str
    col: int
    measure: float
    size: float = 10.0
    r: float = 4.0
    x: float = 0.0
    y: float = 0.0
    left: bool = False  # label to the left of the marker
    width: float = 0.0  # label width
    center: bool = False  # the view's centre: labelled as large as a supporter


@dataclass
class Band:
    """A block of columns laid out in its own box (origin top left, points)."""
    nodes: dict[str, PNode]
    links: list[tuple[str, str, str]]
    cols: list[int]
    width: float = 0.0   # the least width
    height: float = 0.0
    gaps: int = 0
    xs: dict[int, float] = field(default_factory=dict)
    min_gap: float = 42.0


@dataclass
class Panel:
    nodes: dict[str, PNode]
    links: list[tuple[str, str, str]]  # (from, to, style kind) from the lower column to the higher
    anchor: int                        # the column whose rows are split between bands
    tasks: bool = False


def _radius(n: PNode) -> float:
    base = {"District": 4.5, "Municipality": 5.5, "Province": 4.0, "Prefecture": 3.5, "County": 3.0,
            "Task": 3.0, "Unit": 2.5}.get(n.group, 3.0)
    return min(base + 1.6 * math.sqrt(max(n.measure, 0)), 13.0)


def _draw_links(view: View, nodes: dict) -> list[tuple[str, str, str]]:
    """The lines to draw: a pairing whose place lies in a prefecture shown runs supporter → prefecture →
    place; other edges as they are, from the lower column to the higher; edges within a column skipped."""
    parent = {e["from"]: e["to"] for e in view.edges if e["kind"] == "PART_OF"
              and e["from"] in nodes and e["to"] in nodes and nodes[e["to"]].col < nodes[e["from"]].col}
    out, covered = [], set()
    for e in view.edges:
        a, b, kind = e["from"], e["to"], e["kind"]
        if a not in nodes or b not in nodes or nodes[a].col == nodes[b].col:
            continue
        if kind in view.programmes and b in parent and nodes[a].col < nodes[parent[b]].col:
            p = parent[b]
            out += [(a, p, kind), (p, b, kind)]
            covered.add((b, p))
            continue
        if nodes[a].col > nodes[b].col:
            a, b = b, a
        out.append((a, b, kind))
    out = [(a, b, k) for a, b, k in out if not (k == "PART_OF" and ((a, b) in covered or (b, a) in covered))]
    return list(dict.fromkeys(out))


def panels(view: View) -> list[Panel]:
    """The view's nodes as layered panels: the places (supporter → prefecture → county), the tasks with their units."""
    areas: dict[str, set[str]] = {}
    for e in view.edges:
        if e["kind"] in view.programmes:
            areas.setdefault(e["to"], set()).add(e["from"])
    nodes: dict[str, PNode] = {}
    for n in view.nodes:
        col = n.get("col", 0)
        label = clip(n["label"], 10, TASK_LABEL_PT) if n["group"] == "Task" else n.get("short") or n["label"]
        nodes[n["id"]] = PNode(n["id"], label, n["group"], col, n.get("measure", 1) or 0, center=n["id"] == view.center)
    links = _draw_links(view, nodes)
    # a county in a prefecture supported by several supporters says who supports it
    kids: dict[str, list[str]] = {}
    for a, b, _k in links:
        if nodes[a].col < nodes[b].col and nodes[a].group in ("Prefecture", "Province"):
            kids.setdefault(a, []).append(b)
    for places in kids.values():
        sups = {s for p in places for s in areas.get(p, ())}
        if len(sups) > 1:
            for p in places:
                names = [nodes[s].label for s in sorted(areas.get(p, ())) if s in nodes]
                nodes[p].label = f"{nodes[p].label}（{'、'.join(names)}）"
    out = []
    for tasks in (False, True):
        sub = {i: n for i, n in nodes.items() if (n.group in ("Task", "Unit")) == tasks}  # the view's order
        ids = set(sub)
        if not ids:
            continue
        cols = sorted({n.col for n in sub.values()})
        anchor = cols[0] if tasks else max(cols, key=lambda c: (sum(1 for n in sub.values() if n.col == c), c))
        out.append(Panel(sub, [lk for lk in links if lk[0] in ids and lk[1] in ids], anchor, tasks))
    return out


def _pava(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions as near ``desired`` as can be (least squares) keeping their order, the i-th and the next
    ``gaps[i]`` apart (pool adjacent violators on the positions less the gaps before them)."""
    before = [0.0]
    for g in gaps[:len(desired) - 1]:
        before.append(before[-1] + g)
    z = [d - before[i] for i, d in enumerate(desired)]
    blocks: list[list[float]] = []  # [mean, count]
    for v in z:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    out = []
    for m, c in blocks:
        out += [m] * int(c)
    return [v + before[i] for i, v in enumerate(out)]


def _sort_key(n: PNode, view_nodes: dict[str, dict]) -> tuple:
    d = view_nodes.get(n.id, {})
    return (d.get("kind", "") != "task", d.get("number") or 0, d.get("code") or "", n.id)


def _order(panel: Panel, view_nodes: dict[str, dict]) -> dict[str, int]:
    """A rank for every node: the first column by its code (tasks by number), the next ones by the mean
    rank of their neighbours in the columns before (so counties follow their prefectures)."""
    cols = sorted({n.col for n in panel.nodes.values()})
    nbrs: dict[str, set[str]] = {i: set() for i in panel.nodes}
    for a, b, _k in panel.links:
        nbrs[a].add(b)
        nbrs[b].add(a)
    rank: dict[str, float] = {}
    for c in cols:
        members = [n for n in panel.nodes.values() if n.col == c]
        def key(n: PNode):
            prev = [rank[m] for m in nbrs[n.id] if m in rank]
            return (sum(prev) / len(prev) if prev else 1e9, _sort_key(n, view_nodes))
        for i, n in enumerate(sorted(members, key=key)):
            rank[n.id] = i
    return {i: int(r) for i, r in rank.items()}


def _layout_band(panel: Panel, ids: set[str], scale: float, rank: dict[str, int]) -> Band:
    """Rows and columns of one band: the anchor column at a fixed pitch (a half row between groups),
    the other columns centred on their neighbours and kept a pitch apart."""
    nodes = {i: replace(n) for i, n in panel.nodes.items() if i in ids}  # a copy: a node may be in several bands
    links = [lk for lk in panel.links if lk[0] in ids and lk[1] in ids]
    cols = sorted({n.col for n in nodes.values()})
    for n in nodes.values():
        n.size = max(MIN_LABEL_PT, (BASE_SIZE[0] if n.center else BASE_SIZE.get(n.col, 9.5)) * scale)
        n.r = _radius(n)
    # rows a label's height apart, and never closer than two markers side by side
    pitch = {c: max(n.size for n in nodes.values() if n.col == c) * 1.55 for c in cols}

    def gap(a: PNode, b: PNode) -> float:
        return max(pitch[a.col], a.r + b.r + 2)
    nbrs: dict[str, list[str]] = {i: [] for i in nodes}
    for a, b, _k in links:
        nbrs[a].append(b)
        nbrs[b].append(a)
    anchor = panel.anchor if panel.anchor in cols else cols[-1]
    y: dict[str, float] = {}
    members = sorted((n for n in nodes.values() if n.col == anchor), key=lambda n: rank[n.id])
    if panel.tasks and len(members) > 1:  # tasks spread over the height their units need
        units = sum(1 for n in nodes.values() if n.col != anchor)
        pitch[anchor] = max(pitch[anchor],
                            min(2.2 * pitch[anchor], max(pitch.values()) * (units - 1) / (len(members) - 1)))
    prev_group, cur, prev = None, 0.0, None
    for n in members:
        group = min((m for m in nbrs[n.id] if nodes[m].col < anchor), key=lambda m: (rank[m], nodes[m].col, m),
                    default=None) \
            if not panel.tasks else None
        if prev is not None:
            cur += gap(prev, n) + (pitch[anchor] * 0.5 if group != prev_group else 0.0)
        y[n.id] = cur
        prev, prev_group = n, group
    order = sorted((c for c in cols if c != anchor), key=lambda c: (abs(c - anchor), c))
    for c in order:
        members = [n for n in nodes.values() if n.col == c]
        def desired(n: PNode) -> float:
            placed = [y[m] for m in nbrs[n.id] if m in y]
            return sum(placed) / len(placed) if placed else float("inf")
        members.sort(key=lambda n: (desired(n), rank[n.id]))
        want = [desired(n) for n in members]
        last = max([v for v in want if v != float("inf")], default=-pitch[c])
        for i, v in enumerate(want):
            if v == float("inf"):
                last += pitch[c]
                want[i] = last
        for n, v in zip(members, _pava(want, [gap(a, b) for a, b in pairwise(members)]), strict=True):
            y[n.id] = v
    top = min(y.values())
    for nid in y:
        nodes[nid].y = y[nid] - top
    height = max(n.y for n in nodes.values())
    # columns: the first one labelled to the left of its markers, the others to the right
    xs, cursor = {}, 0.0
    for j, c in enumerate(cols):
        members = [n for n in nodes.values() if n.col == c]
        rmax = max(n.r for n in members)
        for n in members:
            n.left = j == 0 and len(cols) > 1
            n.width = text_width(n.label, n.size)
        w = max(n.width for n in members)
        if j == 0 and len(cols) > 1:
            xs[c] = cursor + w + 5 + rmax
            cursor = xs[c] + rmax
        else:
            xs[c] = cursor + rmax
            cursor = xs[c] + rmax + 5 + w + 4
    band = Band(nodes, links, cols, width=cursor, height=height, gaps=len(cols) - 1, xs=xs)
    return band


MAX_GAP = 190.0


def _bands(panel: Panel, view_nodes: dict, scale: float, cap: float) -> list[Band] | None:
    """The panel cut into bands no taller than ``cap``: runs of the anchor column's groups, each band
    with the nodes they link to away from the anchor. None when one group alone is too tall."""
    rank = _order(panel, view_nodes)
    anchor = panel.anchor
    up: dict[str, set[str]] = {i: set() for i in panel.nodes}
    parents: set[str] = set()
    for a, b, _k in panel.links:
        lo, hi = (a, b) if panel.nodes[a].col < panel.nodes[b].col else (b, a)
        parents.add(lo)
        if panel.tasks:
            up[lo].add(hi)   # from a task to its units
        else:
            up[hi].add(lo)   # from a county to its prefecture and supporter
    # the rows cut between bands: the anchor column's, and (places) a prefecture paired whole, which has
    # no county below it
    rows = [n for n in panel.nodes.values() if n.col == anchor
            or (not panel.tasks and 0 < n.col < anchor and n.id not in parents)]

    def parent_rank(n: PNode) -> tuple:
        if n.col < anchor:
            return (rank[n.id], 1)
        p = min(up[n.id], key=lambda m: (-panel.nodes[m].col, rank[m], m), default=None)
        return (rank[p], 0) if p is not None and panel.nodes[p].col == anchor - 1 else (rank[n.id], 0)
    members = sorted(rows, key=lambda n: (*((0, 0) if panel.tasks else parent_rank(n)), rank[n.id], n.col))

    beyond: dict[str, set[str]] = {i: set() for i in panel.nodes}  # a place's node past the anchor column
    if not panel.tasks:
        for a, b, _k in panel.links:
            lo, hi = (a, b) if panel.nodes[a].col < panel.nodes[b].col else (b, a)
            if panel.nodes[hi].col > anchor:
                beyond[lo].add(hi)

    def reach(start: list[str]) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            for m in up[todo.pop()]:
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        # and the place the rows lie in (a supporters view's centre), in every band that links to it
        return seen | {m for i in start for m in beyond[i]}

    def group(n: PNode):
        if panel.tasks:
            return n.id
        return min(up[n.id], key=lambda m: (rank[m], panel.nodes[m].col, m), default=n.id)
    groups: list[list[str]] = []
    for n in members:
        g = group(n)
        if groups and group(panel.nodes[groups[-1][-1]]) == g:
            groups[-1].append(n.id)
        else:
            groups.append([n.id])
    bands: list[set[str]] = []
    current: list[str] = []
    for g in groups:
        trial = current + g
        band = _layout_band(panel, reach(trial), scale, rank)
        if band.height <= cap:
            current = trial
            continue
        if not current:
            return None
        bands.append(reach(current))
        current = g
        if _layout_band(panel, reach(current), scale, rank).height > cap:
            return None
    if current:
        bands.append(reach(current))
    leftover = set(panel.nodes) - set().union(*bands) if bands else set(panel.nodes)
    if leftover:  # nodes linked to no anchor row (a supporter with no pairing that year)
        if bands:
            bands[0] |= leftover
        else:
            bands.append(leftover)
    out = [_layout_band(panel, ids, scale, rank) for ids in bands]
    return out if all(b.height <= cap for b in out) else None


# -- pages --------------------------------------------------------------------------------------------
MARGIN = 30.0
LEGEND_PT, FOOTER_PT = 9.0, 8.5


@dataclass
class Page:
    size_in: tuple[float, float]
    bands: list[Band]
    scale: float
    number: int = 1
    of: int = 1
    band_gap: float = 40.0


@dataclass
class Frame:
    """Where a page's parts go (points from the top left)."""
    w: float
    h: float
    legend: list[list[tuple[str, Any, str]]]  # the legend's lines
    footer: list[str]
    top: float = 0.0     # the drawing's box
    height: float = 0.0

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN


def frame(view: View, items: list, size_in: tuple[float, float], page: Page | None = None, mark: str = "") -> Frame:
    w, h = size_in[0] * 72, size_in[1] * 72
    lines: list[list] = [[]]
    x = 0.0
    for item in items:
        kind, _style, text = item
        need = (30 if kind == "line" else 14 if kind == "marker" else 0) + text_width(text, LEGEND_PT) + 16
        if lines[-1] and x + need > w - 2 * MARGIN:
            lines.append([])
            x = 0.0
        lines[-1].append(item)
        x += need
    footer = _footer_lines(view, w - 2 * MARGIN, FOOTER_PT, page, mark)
    f = Frame(w, h, lines if items else [], footer)
    f.top = MARGIN + 62 + 14 * len(f.legend) + 8
    f.height = h - MARGIN - 12 * len(footer) - 20 - f.top
    return f


TRIES = ((1.0, 42.0, 40.0), (0.92, 42.0, 40.0), (0.85, 42.0, 40.0), (0.85, 28.0, 24.0))  # scale, gaps


def plan(view: View, papers: tuple[str, ...] = ("A4", "A3"), *, pages: bool = False) -> list[Page]:
    """The pages of a view's picture: the first paper, label scale and spacing on which every band fits on
    one page; with ``pages`` (the handout: A4 only), the bands at full size over as many pages as they
    need. A view larger than the largest paper gets one page as wide or as tall as it needs."""
    ps = panels(view)
    items = legend_items(view, ps)
    view_nodes = {n["id"]: n for n in view.nodes}
    last = None
    for paper in papers:
        size = PAPERS[paper]
        for scale, gap, band_gap in TRIES:
            f = frame(view, items, size, Page(size, [], scale, 1, 2 if pages else 1))
            bands = _all_bands(ps, view_nodes, scale, f.height)
            if bands is None:
                continue
            for b in bands:
                b.min_gap = gap
            widths = [_least_width(b) for b in bands]
            if sum(widths) + band_gap * (len(bands) - 1) <= f.width:
                return [Page(size, bands, scale, band_gap=band_gap)]
            if pages:
                return _paginate(size, bands, scale, f.width, band_gap)
            last = (size, bands, scale, band_gap)
    if last is None:  # taller than the largest paper: a page as tall as the view needs
        size = PAPERS[papers[-1]]
        scale, gap, band_gap = TRIES[-1]
        bands = _all_bands(ps, view_nodes, scale, 1e9) or []
        for b in bands:
            b.min_gap = gap
        need = max((b.height for b in bands), default=0.0)
        size = (size[0], size[1] + max(0.0, need - frame(view, items, size).height) / 72 + 0.1)
        last = (size, bands, scale, band_gap)
    size, bands, scale, band_gap = last
    total = sum(_least_width(b) for b in bands) + band_gap * (len(bands) - 1)
    if pages:
        return _paginate(size, bands, scale, frame(view, items, size).width, band_gap)
    return [Page((max(size[0], (total + 2 * MARGIN) / 72 + 0.1), size[1]), bands, scale, band_gap=band_gap)]


def _paginate(size, bands: list[Band], scale: float, width: float, band_gap: float) -> list[Page]:
    groups: list[list[Band]] = []
    cur: list[Band] = []
    used = 0.0
    for b in bands:
        bw = _least_width(b)
        if cur and used + band_gap + bw > width:
            groups.append(cur)
            cur, used = [], 0.0
        cur.append(b)
        used += (band_gap if used else 0.0) + bw
    if cur:
        groups.append(cur)
    return [Page(size, g, scale, i + 1, len(groups), band_gap) for i, g in enumerate(groups)]


def _least_width(b: Band) -> float:
    return b.width + b.gaps * b.min_gap


def _all_bands(ps: list[Panel], view_nodes: dict, scale: float, cap: float) -> list[Band] | None:
    out = []
    for p in ps:
        b = _bands(p, view_nodes, scale, cap)
        if b is None:
            return None
        out += b
    return out


def _summary(view: View) -> str:
    """One line under the title: what the picture counts."""
    if view.note and not view.rows and not view.tasks:
        return view.note
    parts = []
    if view.rows:
        by_level: dict[str, int] = {}
        by_prog: dict[str, int] = {}
        for r in view.rows:
            by_level[r["level"]] = by_level.get(r["level"], 0) + 1
            by_prog[r["programme"]] = by_prog.get(r["programme"], 0) + 1
        parts.append("结对地方：" + "、".join(f"{k} {v} 个" for k, v in by_level.items()))
        parts.append("、".join(f"{k} {v}" for k, v in by_prog.items()))
        sups = {r["supporter"] for r in view.rows}
        if len(sups) > 1:
            parts.append(f"支援方 {len(sups)} 个")
    tasks = [n for n in view.nodes if n["group"] == "Task"]
    if tasks:
        units = [n for n in view.nodes if n["group"] == "Unit"]
        parts.append(f"任务 {len(tasks)} 项、单位 {len(units)} 个")
    return " · ".join(parts)


def legend_items(view: View, ps: list[Panel]) -> list[tuple[str, Any, str]]:
    """(kind of sample, style, text) of the legend: the programmes and relations drawn, the node kinds."""
    kinds = list(dict.fromkeys(k for p in ps for _a, _b, k in p.links))
    order = list(view.programmes) + list(REL_STYLE)
    items: list[tuple[str, Any, str]] = []  # the style: (colour, width, dash), (colour, marker) or None
    for k in sorted(kinds, key=lambda k: order.index(k) if k in order else 99):
        colour, lw, dash, text = edge_style(view, k)
        if k in view.programmes:
            i = list(view.programmes).index(k)
            text = f"{text}（{DASH_NAMES[i % len(DASH_NAMES)]}）"
        items.append(("line", (colour, lw, dash), text))
    groups = list(dict.fromkeys(n.group for p in ps for n in p.nodes.values()))
    for g in sorted(groups, key=lambda g: list(STYLE).index(g) if g in STYLE else 99):
        colour, shape, _ = STYLE.get(g, STYLE["Other"])
        items.append(("marker", (colour, MARKERS.get(shape, "o")), GROUP_ZH.get(g, g)))
    if any(n.group in ("District", "Prefecture", "Municipality") for p in ps for n in p.nodes.values()):
        items.append(("note", None, "圆点大小：结对的县级地方数"))
    if any(n.group == "Unit" for p in ps for n in p.nodes.values()):
        items.append(("note", None, "单位符号大小：涉及的任务数"))
    return items


def _footer_lines(view: View, width: float, size: float, page: Page | None = None, mark: str = "") -> list[str]:
    date_text = f"数据截至 {view.data_date}（来源文件中最新的日期）" if view.data_date else ""
    src = view.source_line or ""
    tail = mark or (f"第 {page.number} 页，共 {page.of} 页" if page and page.of > 1 else "")
    text = "  ·  ".join(x for x in (date_text, src, tail, "aidgraph") if x)
    return wrap(text, size, width)


def _curve(x1: float, y1: float, x2: float, y2: float) -> MplPath:
    dx = (x2 - x1) * 0.5
    return MplPath([(x1, y1), (x1 + dx, y1), (x2 - dx, y2), (x2, y2)],
                   [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])


def new_page(size_in: tuple[float, float]):
    """A figure of ``size_in`` inches whose axes cover it in points, y downwards."""
    fig = Figure(figsize=size_in, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    w, h = size_in[0] * 72, size_in[1] * 72
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    return fig, ax, w, h


def put(ax, x: float, y: float, text: str, font: FontProperties, *, ha: str = "left", color: str = "#1a1a1a",
        halo: bool = False, gid: str | None = None, z: int = 4):
    """One line of text with its baseline at ``y`` (points from the top)."""
    t = ax.text(x, y, text, fontproperties=font, ha=ha, va="baseline", color=color, zorder=z, parse_math=False)
    if halo:
        t.set_bbox({"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    if gid:
        t.set_gid(gid)
    return t


def draw_header(ax, view: View, fonts: Fonts, f: Frame, page: Page | None = None) -> None:
    title = view.title + (f"（{page.number}/{page.of}）" if page and page.of > 1 else "")
    put(ax, MARGIN, MARGIN + 17, title, fonts(17, True), gid="title")
    summary = _summary(view)
    if summary:
        put(ax, MARGIN, MARGIN + 38, clip(summary, 9.5, f.width), fonts(9.5), color="#333333", gid="summary")
    y = MARGIN + 62
    for line in f.legend:
        x = MARGIN
        for kind, style, text in line:
            if kind == "line":
                colour, lw, dash = style
                ax.add_line(Line2D([x, x + 24], [y - 3.2, y - 3.2], color=colour, lw=lw, linestyle=dash, zorder=2))
                x += 30
            elif kind == "marker":
                colour, marker = style
                ax.scatter([x + 4], [y - 3.2], s=49, c=colour, marker=marker, edgecolors=NODE_EDGE, linewidths=0.5,
                           zorder=3)
                x += 14
            put(ax, x, y, text, fonts(LEGEND_PT), color="#333333")
            x += text_width(text, LEGEND_PT) + 16
        y += 14


def draw_footer(ax, fonts: Fonts, f: Frame) -> None:
    for i, line in enumerate(reversed(f.footer)):
        put(ax, MARGIN, f.h - MARGIN - i * 12, line, fonts(FOOTER_PT), color="#444444")


def draw_bands(ax, view: View, page: Page, fonts: Fonts, f: Frame) -> None:
    bands = page.bands
    widths = [_least_width(b) for b in bands]
    spare = max(f.width - sum(widths) - page.band_gap * (len(bands) - 1), 0)
    # spare width widens the gaps between columns (up to MAX_GAP), the rest centres the bands
    total_gaps = sum(b.gaps for b in bands)
    per_gap = min(MAX_GAP - max(b.min_gap for b in bands), spare / total_gaps) if total_gaps else 0
    used = sum(widths) + per_gap * total_gaps + page.band_gap * (len(bands) - 1)
    x0 = MARGIN + (f.width - used) / 2
    for b in bands:
        gap = b.min_gap + per_gap
        xs = {c: b.xs[c] + x0 + j * gap for j, c in enumerate(b.cols)}
        # a short view gets roomier rows (up to twice the pitch), centred in the height
        stretch = min(2.0, f.height / b.height) if b.height > 0 else 1.0
        y0 = f.top + (f.height - b.height * stretch) / 2
        pos = {i: (xs[n.col], y0 + n.y * stretch) for i, n in b.nodes.items()}
        out_x = {i: (pos[i][0] + n.r if n.left else pos[i][0] + n.r + 5 + n.width + 3) for i, n in b.nodes.items()}
        for a, c, kind in b.links:
            colour, lw, dash, _t = edge_style(view, kind)
            (_xa, ya), (xc, yc) = pos[a], pos[c]
            ax.add_patch(PathPatch(_curve(out_x[a], ya, xc - b.nodes[c].r - 1, yc), facecolor="none", edgecolor=colour,
                                   lw=lw, linestyle=dash, zorder=1, capstyle="butt"))
        for i, n in b.nodes.items():
            colour, shape, _ = STYLE.get(n.group, STYLE["Other"])
            x, y = pos[i]
            ax.scatter([x], [y], s=(2 * n.r) ** 2, c=colour, marker=MARKERS.get(shape, "o"), zorder=3,
                       edgecolors=NODE_EDGE, linewidths=0.6)
            base = y + 0.36 * n.size
            if n.left:
                put(ax, x - n.r - 5, base, n.label, fonts(n.size), ha="right", halo=True, gid=f"label-{i}")
            else:
                put(ax, x + n.r + 5, base, n.label, fonts(n.size), halo=True, gid=f"label-{i}")
        x0 += b.width + b.gaps * gap + page.band_gap


def page_text(view: View, pages: list[Page]) -> tuple[str, str]:
    """Every character a view's pages draw (regular, bold)."""
    body = [view.note, _summary(view), view.source_line, view.data_date, "数据截至（来源文件中最新的日期）第页共，",
            "aidgraph…", "".join(DASH_NAMES)]
    for p in pages:
        for b in p.bands:
            body += [n.label for n in b.nodes.values()]
    body += [t for _k, _s, t in legend_items(view, panels(view))]
    return "".join(body), view.title + "（）/0123456789"


def view_figures(view: View, *, papers: tuple[str, ...] = ("A4", "A3"), pages: bool = False,
                 fonts: Fonts | None = None, marks: list[str] | None = None) -> tuple[list[Figure], Fonts]:
    """The figures of a named view's picture — one page (PNG, SVG) or A4 pages (the handout) — and the
    fonts they draw with."""
    plan_pages = plan(view, papers, pages=pages)
    text, bold = page_text(view, plan_pages)
    fonts = fonts or Fonts(text, bold)
    items = legend_items(view, panels(view))
    figs = []
    for k, page in enumerate(plan_pages):
        fig, ax, w, _h = new_page(page.size_in)
        f = frame(view, items, page.size_in, page, marks[k] if marks else "")
        draw_header(ax, view, fonts, f, page)
        if view.note and not view.rows and not view.tasks:
            put(ax, w / 2, f.top + f.height / 2 + 40, view.note, fonts(12), ha="center", color="#555555")
        draw_bands(ax, view, page, fonts, f)
        draw_footer(ax, fonts, f)
        figs.append(fig)
    return figs, fonts


# -- saving -------------------------------------------------------------------------------------------
def save(fig: Figure, fmt: str, fonts: Fonts | None = None) -> bytes:
    """A figure as PNG, SVG (with its fonts as @font-face) or one-page PDF; no dates in the files."""
    buf = io.BytesIO()
    meta = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=meta.get(fmt, {}))
    data = buf.getvalue()
    if fmt == "svg" and fonts is not None:
        data = embed_font(data, fonts)
    return data


def embed_font(svg: bytes, fonts: Fonts) -> bytes:
    """The SVG with its fonts (the static Regular and Bold subsets it draws with) as WOFF @font-face
    rules, so it shows the same with no Chinese font installed."""
    import base64
    rules = []
    for weight, path in ((400, fonts.regular), (700, fonts.bold)):
        data = base64.b64encode(_woff(path)).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                     f'src: url("data:font/woff;base64,{data}") format("woff"); }}')
    style = '<style type="text/css">' + " ".join(rules) + "</style>\n"
    text = svg.decode("utf-8")
    head, sep, rest = text.partition("<defs>")
    if sep:
        return (head + sep + "\n" + style + rest).encode("utf-8")
    head, sep, rest = text.partition("<g id=\"figure_1\">")
    return (head + "<defs>\n" + style + "</defs>\n" + sep + rest).encode("utf-8")


_WOFF: dict[str, bytes] = {}


def _woff(path: str) -> bytes:
    """A cached static font file as WOFF (zlib)."""
    with _FONT_LOCK:
        if path not in _WOFF:
            from fontTools.ttLib import TTFont
            font = TTFont(path, recalcTimestamp=False)
            font.flavor = "woff"
            buf = io.BytesIO()
            font.save(buf, reorderTables=True)
            _WOFF[path] = buf.getvalue()
        return _WOFF[path]


def render(view: View, fmt: str = "png", *, geographic: bool = False, today: date | None = None) -> bytes:
    """The view as one picture (png or svg; pdf: one page). A named view (``view.kind``) gets the layered
    layout; a subgraph around a centre the force layout. ``today``: the date printed in the footer
    (default: the date of the data the view was made from)."""
    if view.kind and not geographic:
        figs, fonts = view_figures(view)
        return save(figs[0], fmt, fonts)
    return _render_subgraph(view, fmt, geographic=geographic, today=today)


def _render_subgraph(view: View, fmt: str, *, geographic: bool, today: date | None) -> bytes:
    g: nx.DiGraph = nx.DiGraph()
    for n in view.nodes:
        g.add_node(n["id"])
    for e in view.edges:
        if e["from"] in g and e["to"] in g:
            g.add_edge(e["from"], e["to"])
    pos: dict[str, Any] = geo_positions(view) if geographic else {}
    free = [n for n in g if n not in pos]
    if free:
        layout = nx.spring_layout(g, seed=7, k=1.6 / max(len(g), 1) ** 0.5, iterations=200,
                                  pos=pos or None, fixed=list(pos) or None)
        pos = {**layout, **pos}
    when = (today or (date.fromisoformat(view.data_date) if view.data_date else date.today())).isoformat()
    footer = f"{view.source_line} · aidgraph · 数据截至 {when}"
    labels = [n["label"][:24] for n in view.nodes]
    text = "".join(labels) + view.title + footer + "".join(STYLE[g][2] for g in STYLE) + \
        "".join(name for name, _ in view.programmes.values())
    fonts = Fonts(text, view.title)
    fig = Figure(figsize=A4_LANDSCAPE_IN, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for e in view.edges:
        if e["from"] in pos and e["to"] in pos:
            (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
            ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                        arrowprops={"arrowstyle": "-|>", "color": view.programmes.get(e["kind"], ("", "#b0b0b0"))[1],
                                    "lw": 0.8, "linestyle": "--" if e.get("dashes") else "-",
                                    "shrinkA": 6, "shrinkB": 6})
    label_font = fonts(MIN_LABEL_PT if len(view.nodes) > 80 else 9)
    for n, label in zip(view.nodes, labels, strict=True):
        colour, shape, _ = STYLE.get(n["group"], STYLE["Other"])
        x, y = pos[n["id"]]
        ax.scatter([x], [y], s=60 if len(view.nodes) > 80 else 120, c=colour, marker=MARKERS.get(shape, "o"), zorder=3,
                   edgecolors="white", linewidths=0.5)
        ax.text(x, y, "  " + label, fontproperties=label_font, va="center", zorder=4, parse_math=False)
    groups = [gname for gname in STYLE if any(n["group"] == gname for n in view.nodes)]
    handles = [Line2D([0], [0], marker=MARKERS.get(STYLE[gname][1], "o"), color="w", markerfacecolor=STYLE[gname][0],
                      markersize=8, label=STYLE[gname][2]) for gname in groups]
    handles += [Line2D([0], [0], color=c, label=name) for k, (name, c) in sorted(view.programmes.items())
                if any(e["kind"] == k for e in view.edges)]
    ax.legend(handles=handles, loc="lower left", prop=fonts(8.5), frameon=True)
    ax.set_title(view.title, fontproperties=fonts(14, True))
    fig.text(0.01, 0.01, footer, fontproperties=fonts(8.5), color="#555")
    ax.set_axis_off()
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, fmt, fonts)
