"""The layered layout of a named view's picture: each node in its column (supporter → prefecture →
county, task → unit), each label in a row of its own so no two labels overlap, labels at least
``MIN_LABEL_PT`` on the printed page, node size following a measure (counties paired, tasks named).

A view's nodes become panels (the places; the tasks with their units), a panel is cut into bands no
taller than the page allows (runs of its anchor column's groups), and within a band the anchor column
sits at a fixed pitch while the other columns are centred on their neighbours, kept a pitch apart (an
isotonic regression with minimum gaps).

Every node is drawn once: a panel is cut between groups that share no node (the connected parts of
the supporter–prefecture, task–unit graph) wherever they fit; a part too tall for one band is cut
between its groups, and a node its bands share (a district paired in two of them, a unit of tasks in
two) is drawn in the band where most of its links are, the others showing a reference to it —
its name with where it is drawn, ``闵行区（见第1栏）`` — with a hollow marker."""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from .text_measure import clip, text_width
from .view import View

MIN_LABEL_PT = 8.5  # the smallest label on the printed page (≥ 8 pt)
BASE_SIZE = {0: 12.0, 1: 11.0, 2: 10.0, 3: 9.5, 4: 9.5}  # label size by column, before scaling
TASK_LABEL_PT = 200.0  # a task's label: its number and title, cut to 20 characters
MAX_GAP = 190.0     # the widest gap between two columns


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
    ref: str = ""         # a reference to the node of this id, drawn in another band
    name: str = ""        # a reference's name (its label without where the node is drawn)


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


def spaced_isotonic(desired: list[float], gaps: list[float]) -> list[float]:
    """Positions as near ``desired`` as can be (least squares) keeping their order, the i-th and the next
    at least ``gaps[i]`` apart: scipy's isotonic regression (pool adjacent violators) on the positions less
    the sum of the gaps before them, the gaps added back."""
    if not desired:
        return []
    before = np.concatenate(([0.0], np.cumsum(np.asarray(gaps[:len(desired) - 1], dtype=float))))
    from scipy.optimize import isotonic_regression  # scipy costs ~0.5 s to import: only where a layout is spaced
    fitted = isotonic_regression(np.asarray(desired, dtype=float) - before, increasing=True).x
    return [float(v) for v in fitted + before]


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


def ref_label(name: str, column: int, page: int = 0) -> str:
    """A reference's label: the node's name and where it is drawn (a band of this page, or a page)."""
    return f"{name}（见第{page}页）" if page else f"{name}（见第{column}栏）"


def _layout_band(panel: Panel, ids: set[str], scale: float, rank: dict[str, int],
                 refs: set[str] | frozenset[str] = frozenset()) -> Band:
    """Rows and columns of one band: the anchor column at a fixed pitch (a half row between groups),
    the other columns centred on their neighbours and kept a pitch apart. ``refs``: the nodes drawn in
    another band that this one's links lead to, shown here as references (``PNode.ref``)."""
    nodes = {i: replace(n) for i, n in panel.nodes.items() if i in ids}  # a copy: the band places it
    alias = {i: i for i in nodes}
    rank = dict(rank)
    for i in sorted(refs):
        r = alias[i] = f"ref:{i}"
        nodes[r] = replace(panel.nodes[i], id=r, ref=i, name=panel.nodes[i].label, center=False,
                           label=ref_label(panel.nodes[i].label, 0))  # named where it is drawn (``page_plan``)
        rank[r] = rank[i]
    links = [(alias[a], alias[b], k) for a, b, k in panel.links
             if a in alias and b in alias and not (a in refs and b in refs)]
    linked = {i for a, b, _k in links for i in (a, b)}
    nodes = {i: n for i, n in nodes.items() if not n.ref or i in linked}
    cols = sorted({n.col for n in nodes.values()})
    for n in nodes.values():
        n.size = max(MIN_LABEL_PT, (BASE_SIZE[0] if n.center else BASE_SIZE.get(n.col, 9.5)) * scale)
        n.r = _radius(n)
        if n.ref:  # smaller than the node itself
            n.size, n.r = MIN_LABEL_PT, min(n.r, 3.0)
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
        for k, v in enumerate(want):
            if v == float("inf"):
                last += pitch[c]
                want[k] = last
        for n, v in zip(members, spaced_isotonic(want, [gap(a, b) for a, b in pairwise(members)]), strict=True):
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


def cut_bands(panel: Panel, view_nodes: dict, scale: float, cap: float) -> list[Band] | None:
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

    def fits(rows: list[str]) -> bool:
        return _layout_band(panel, reach(rows), scale, rank).height <= cap
    parts = _parts(groups, reach)
    if not panel.tasks:  # a band lists its places' parts one after the other, not interleaved (tasks: by number)
        part_of = {m: k for k, part in enumerate(parts) for g in part for m in reach(g)}
        rank = {i: part_of.get(i, len(parts)) * len(rank) + r for i, r in rank.items()}
    bands: list[set[str]] = []
    current: list[str] = []
    for part in parts:
        whole = [i for g in part for i in g]
        if fits(current + whole):  # a part that fits is never cut
            current += whole
            continue
        if current and fits(whole):
            bands.append(reach(current))
            current = whole
            continue
        for g in part:  # too tall for one band: cut between its groups
            if fits(current + g):
                current = current + g
                continue
            if not current or not fits(g):
                return None
            bands.append(reach(current))
            current = g
    if current:
        bands.append(reach(current))
    leftover = set(panel.nodes) - set().union(*bands) if bands else set(panel.nodes)
    if leftover:  # nodes linked to no anchor row (a supporter with no pairing that year)
        if bands:
            bands[0] |= leftover
        else:
            bands.append(leftover)
    refs = _once(panel, bands)
    out = [_layout_band(panel, ids, scale, rank, r) for ids, r in zip(bands, refs, strict=True)]
    return out if all(b.height <= cap for b in out) else None


def _parts(groups: list[list[str]], reach) -> list[list[list[str]]]:
    """The groups in parts that share no node (the connected parts of what they reach), each part in
    the order of its first group, its groups in their order."""
    root = list(range(len(groups)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i
    owner: dict[str, int] = {}
    for k, g in enumerate(groups):
        for m in sorted(reach(g)):
            if m in owner:
                root[find(k)] = find(owner[m])
            else:
                owner[m] = k
    parts: dict[int, list[list[str]]] = {}
    for k, g in enumerate(groups):
        parts.setdefault(find(k), []).append(g)
    return sorted(parts.values(), key=lambda p: groups.index(p[0]))


def _once(panel: Panel, bands: list[set[str]]) -> list[set[str]]:
    """Each node kept in one band, the one holding most of its links (the first of those tied); taken out
    of the others (in place), where it becomes a reference. The references of each band."""
    refs: list[set[str]] = [set() for _ in bands]
    seen: dict[str, list[int]] = {}
    for k, ids in enumerate(bands):
        for i in ids:
            seen.setdefault(i, []).append(k)
    for i, ks in seen.items():
        if len(ks) < 2:
            continue
        ends = [b if a == i else a for a, b, _k in panel.links if i in (a, b)]
        home = max(ks, key=lambda k: (sum(1 for m in ends if m in bands[k]), -k))
        for k in ks:
            if k != home:
                refs[k].add(i)
    for k, r in enumerate(refs):
        bands[k] -= r
    return refs


def least_width(b: Band) -> float:
    return b.width + b.gaps * b.min_gap


def all_bands(ps: list[Panel], view_nodes: dict, scale: float, cap: float) -> list[Band] | None:
    """Every panel's bands at ``scale``, none taller than ``cap`` (None when a group alone is too tall)."""
    out = []
    for p in ps:
        b = cut_bands(p, view_nodes, scale, cap)
        if b is None:
            return None
        out += b
    return out
