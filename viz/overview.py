"""The printed overview of a big named view: when a view has more than ``THRESHOLD`` nodes its picture
(PNG, SVG) is not the layered drawing of every place — unreadable at any size — but an alluvial
overview: (the supporters →) the provinces → the prefectures, each band as wide as the number of
pairings it carries. The picture says it is a summary. The handout (PDF) of a view over several
provinces gives this page, then one compact table per province (``province_table``: each prefecture's
places, pairings and supporters) and the command that prints a province's full handout; a view of one
province gives this page, then its layered picture (``province_views``) and its tables as usual.

Drawn with matplotlib's Figure API from the view's pairing table (``view.rows``), so it needs no
graph. The web pages' Sankey (``viz.sankey``) draws the same flows in the browser; both could share
``flows`` (the weighted (from, to) pairs by column) and keep only their drawing apart."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from .layered_layout import MIN_LABEL_PT
from .page_plan import A3_LANDSCAPE_IN, A4_LANDSCAPE_IN, FOOTER_PT, MARGIN, footer_lines
from .print_fonts import Fonts
from .text_measure import clip, text_width
from .view import View

THRESHOLD = 150       # a view with more nodes than this is summarised
MAX_SUPPORTERS = 30   # up to this many supporters get a column of their own
PITCH = 11.0          # the least height of a bar: one label of MIN_LABEL_PT and its gap
GAP = 2.0             # between two bars of a column
BAR = 9.0             # a bar's width
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf")


def summarised(view: View) -> bool:
    """A named view of pairings too big to draw place by place."""
    return bool(view.kind) and bool(view.rows) and len(view.nodes) > THRESHOLD


def places_in(view: View) -> int:
    return len({r["place_code"] for r in view.rows})


def summary_note(view: View) -> str:
    return f"共 {places_in(view)} 个地方，此图为概览；分省统计见 PDF"


def provinces_of(view: View) -> list[str]:
    """The provinces of the view's places, by code: their names."""
    names = {_province_key(r): r["province"] for r in view.rows}
    return [names[k] for k in sorted(names)]


def province_command(view: View, province: str) -> str:
    """The command that prints one province's part of ``view`` as a full handout, over two lines (a
    shell's continuation ``\\`` after the first: a printed line holds neither whole)."""
    parts = []
    if view.kind in ("programme", "overview") and view.center.startswith("program:"):
        parts += ["--program", view.center.removeprefix("program:")]
    if view.year is not None:
        parts += ["--year", str(view.year)]
    return f"aidgraph export --view province --center {province} \\\n    " + " ".join([*parts, "--format pdf"])


def province_table(view: View) -> dict:
    """The handout's table of a summarised view of several provinces (a section of ``formats.pdf``):
    one group per province, one row per prefecture — its places and pairings, its supporters with
    theirs — and a note naming the command for a province's full handout and the workbook for every row."""
    prefs: dict[str, dict[str, dict]] = {}
    for r in sorted(view.rows, key=lambda r: r["place_code"]):
        fk, fname = _prefecture(r)
        p = prefs.setdefault(_province_key(r), {}).setdefault(fk, {"name": fname, "places": set(), "sups": {}})
        p["places"].add(r["place_code"])
        key = (r["supporter_code"], r["supporter"])
        p["sups"][key] = p["sups"].get(key, 0) + 1
    rows: list[list[str]] = []
    groups: dict[int, str] = {}
    names = {_province_key(r): r["province"] for r in view.rows}
    for pk in sorted(prefs):
        places = sum(len(p["places"]) for p in prefs[pk].values())
        pairs = sum(n for p in prefs[pk].values() for n in p["sups"].values())
        sups = {s for p in prefs[pk].values() for s in p["sups"]}
        groups[len(rows)] = (f"{names[pk]} · {len(prefs[pk])} 个地州市 · 结对地方 {places} 个 · 结对 {pairs} 项 · "
                             f"支援方 {len(sups)} 个")
        for _fk, p in sorted(prefs[pk].items()):
            listed = "、".join(f"{name} {n}" for (_code, name), n in
                              sorted(p["sups"].items(), key=lambda kv: (-kv[1], kv[0])))  # most first, then by code
            count = sum(p["sups"].values())
            places = len(p["places"])
            rows.append([f"{p['name']}  {places}" + (f"（{count} 项）" if count != places else ""), listed])
    first = provinces_of(view)[0]
    note = (f"本视图共 {places_in(view)} 个地方、{len(view.rows)} 项结对，不逐一绘出：前面是概览，下表按省份、"
            "地州市统计结对地方数（结对项数不同时在括号里）和支援方（其后的数字为其结对项数）。\n"
            f"某一省份的完整分层图和结对表（将“{first}”换成所需省份）：\n{province_command(view, first)}\n"
            "全部结对的明细表：同一视图导出 Excel 工作簿（--format xlsx）。")
    return {"heading": f"分省统计（{len(prefs)} 个省份）", "sub": note,
            "cols": [("地州市  结对地方数", 120), ("支援方及其结对项数", 0)], "rows": rows,
            "groups": groups}


@dataclass
class Item:
    key: str
    label: str
    weight: int = 0
    group: str = ""      # the province it belongs to (its colour)
    y: float = 0.0
    h: float = 0.0
    members: list[str] = field(default_factory=list)  # the keys merged into an "其他" item


def _province_key(row: dict) -> str:
    return row["place_code"][:2]


def _prefecture(row: dict) -> tuple[str, str]:
    """(key, name) of the prefecture a row's place lies in (the place itself when it has none)."""
    code = row["place_code"]
    if row["prefecture"]:
        return code[:4], row["prefecture_short"] or row["prefecture"]
    return code, row["place_short"] or row["place"]


def flows(view: View, max_right: int) -> tuple[list[list[Item]], list[tuple[int, str, str, int]]]:
    """The columns (supporters when few, provinces, prefectures) and the weighted links
    (column of the source, source key, target key, pairings) between neighbouring columns.
    Prefectures beyond ``max_right`` rows are merged, the smallest first within the province that
    has most, into one "其他 n 个" item per province."""
    sups: dict[str, Item] = {}
    provs: dict[str, Item] = {}
    prefs: dict[str, Item] = {}
    links: dict[tuple[int, str, str], int] = {}
    for r in view.rows:
        pk = _province_key(r)
        fk, fname = _prefecture(r)
        sk = r["supporter_code"]
        sups.setdefault(sk, Item(sk, r["supporter"])).weight += 1
        provs.setdefault(pk, Item(pk, r["province"], group=pk)).weight += 1
        prefs.setdefault(fk, Item(fk, fname, group=pk)).weight += 1
        links[(0, sk, pk)] = links.get((0, sk, pk), 0) + 1
        links[(1, pk, fk)] = links.get((1, pk, fk), 0) + 1
    right = sorted(prefs.values(), key=lambda i: i.key)
    while len(right) > max_right:
        by_prov: dict[str, list[Item]] = {}
        for it in right:
            by_prov.setdefault(it.group, []).append(it)
        prov = max(by_prov, key=lambda p: (len(by_prov[p]), p))
        if len(by_prov[prov]) < 2:  # one item per province already
            break
        # the province's "其他" item takes its smallest prefecture (the two smallest make it)
        items = sorted(by_prov[prov], key=lambda i: (not i.key.endswith("~"), i.weight, i.key))
        a, b = (items[0], items[1]) if items[0].key.endswith("~") else \
            sorted(items, key=lambda i: (i.weight, i.key))[:2]
        keep = [i for i in right if i is not a and i is not b]
        merged = Item(f"{prov}~", "", a.weight + b.weight, prov,
                      members=(a.members or [a.key]) + (b.members or [b.key]))
        merged.label = f"其他 {len(merged.members)} 个地州市"
        right = sorted([*keep, merged], key=lambda i: (i.group, i.key.endswith("~"), i.key))
    owner = {m: it.key for it in right for m in (it.members or [it.key])}
    merged_links: dict[tuple[int, str, str], int] = {}
    for (col, src, dst), w in links.items():
        key = (col, src, owner[dst] if col == 1 else dst)
        merged_links[key] = merged_links.get(key, 0) + w
    cols = [sorted(provs.values(), key=lambda i: i.key), right]
    few = len(sups) <= MAX_SUPPORTERS
    if few:
        cols.insert(0, sorted(sups.values(), key=lambda i: i.key))
    out = [(col if few else col - 1, a, b, w) for (col, a, b), w in sorted(merged_links.items())
           if few or col == 1]
    return cols, out


def _stack(cols: list[list[Item]], top: float, height: float) -> float:
    """Bars as tall as their weight (at least ``PITCH``), one scale for every column, so no two labels
    meet; returns the scale (points per pairing)."""
    lo, hi = 0.0, height
    for _ in range(40):
        s = (lo + hi) / 2
        need = max(sum(max(i.weight * s, PITCH) for i in c) + GAP * (len(c) - 1) for c in cols)
        lo, hi = (s, hi) if need <= height else (lo, s)
    for c in cols:
        used = sum(max(i.weight * lo, PITCH) for i in c) + GAP * (len(c) - 1)
        y = top + (height - used) / 2
        for i in c:
            i.y, i.h = y, max(i.weight * lo, PITCH)
            y += i.h + GAP
    return lo


def _band(x1: float, y1: float, x2: float, y2: float, t: float) -> MplPath:
    dx = (x2 - x1) / 2
    verts = [(x1, y1), (x1 + dx, y1), (x2 - dx, y2), (x2, y2), (x2, y2 + t), (x2 - dx, y2 + t),
             (x1 + dx, y1 + t), (x1, y1 + t), (x1, y1)]
    codes = [MplPath.MOVETO] + [MplPath.CURVE4] * 3 + [MplPath.LINETO] + [MplPath.CURVE4] * 3 + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def overview_text(view: View) -> tuple[str, str]:
    """Every character the overview draws (regular, bold)."""
    rows = "".join({r["supporter"] + r["province"] + "".join(_prefecture(r)) for r in view.rows})  # no county drawn
    fixed = (summary_note(view) + "其他个0123456789 ·（）：，；线宽结对地方数支援方省份地州市"
             "数据截至来源文件中最新的日期第页共aidgraph…")
    return rows + fixed + view.source_line + view.data_date, view.title + "（概览）"


def overview_figure(view: View, fonts: Fonts, size_in: tuple[float, float] = A3_LANDSCAPE_IN, mark: str = ""):
    """The overview page of ``view``."""
    from .picture_draw import new_page, put
    fig, ax, w, h = new_page(size_in)
    footer = footer_lines(view, w - 2 * MARGIN, FOOTER_PT, None, mark)
    top = MARGIN + 56
    height = h - MARGIN - 12 * len(footer) - 16 - top
    cols, links = flows(view, max(int(height // (PITCH + GAP)), 4))
    scale = _stack(cols, top, height)
    put(ax, MARGIN, MARGIN + 17, view.title + "（概览）", fonts(17, True), gid="title")
    heads = (["支援方"] if len(cols) == 3 else []) + ["省份", "地州市"]
    line = (f"{summary_note(view)} · 支援方 {len({r['supporter_code'] for r in view.rows})} 个 · "
            f"线宽：结对地方数 · {'→'.join(heads)}")
    put(ax, MARGIN, MARGIN + 38, clip(line, 9.5, w - 2 * MARGIN), fonts(9.5), color="#333333", gid="summary")
    size = MIN_LABEL_PT
    label = [[f"{i.label} {i.weight}" for i in c] for c in cols]
    left_w = max(text_width(t, size) for t in label[0]) + 6
    right_w = max(text_width(t, size) for t in label[-1]) + 6
    x0, x_end = MARGIN + left_w, w - MARGIN - right_w - BAR
    xs = [x0 + k * (x_end - x0) / (len(cols) - 1) for k in range(len(cols))]
    provinces = [i.key for i in cols[-2]]
    colour = {p: PALETTE[k % len(PALETTE)] for k, p in enumerate(provinces)}
    index = [{i.key: i for i in c} for c in cols]
    out_y = {(k, i.key): i.y + (i.h - i.weight * scale) / 2 for k, c in enumerate(cols) for i in c}
    in_y = dict(out_y)
    for col, a, b, wgt in links:
        dst = index[col + 1][b]
        t = wgt * scale
        group = dst.group if col + 1 == len(cols) - 1 else b
        ax.add_patch(PathPatch(_band(xs[col] + BAR, out_y[(col, a)], xs[col + 1], in_y[(col + 1, b)], t),
                               facecolor=colour.get(group, "#999999"), edgecolor="none", alpha=0.45, zorder=1))
        out_y[(col, a)] += t
        in_y[(col + 1, b)] += t
    for k, c in enumerate(cols):
        for n, i in enumerate(c):
            fill = colour.get(i.group or i.key, "#555555") if k else "#555555"
            ax.add_patch(Rectangle((xs[k], i.y), BAR, i.h, facecolor=fill, edgecolor="none", zorder=2))
            base = i.y + i.h / 2 + 0.36 * size
            if k == 0:
                put(ax, xs[k] - 4, base, label[k][n], fonts(size), ha="right", gid=f"ov-{k}-{n}")
            else:
                put(ax, xs[k] + BAR + 4, base, label[k][n], fonts(size), halo=k < len(cols) - 1, gid=f"ov-{k}-{n}")
    for j, text in enumerate(reversed(footer)):
        put(ax, MARGIN, h - MARGIN - j * 12, text, fonts(FOOTER_PT), color="#444444")
    return fig


def render_overview(view: View, fmt: str) -> bytes:
    """The overview as a PNG or SVG (A3 landscape)."""
    from .picture_files import save
    fonts = Fonts(*overview_text(view))
    return save(overview_figure(view, fonts), fmt, fonts)


def province_views(view: View) -> list[View]:
    """One view per province of ``view``'s places: its pairings, their supporters and prefectures, drawn
    in full on the handout's detail pages."""
    by_prov: dict[str, list[dict]] = {}
    for r in view.rows:
        by_prov.setdefault(_province_key(r), []).append(r)
    out = []
    for pk, rows in sorted(by_prov.items()):
        sups = {f"place:{r['supporter_code']}" for r in rows}
        keep = sups | {n["id"] for n in view.nodes if (n.get("code") or "").startswith(pk) and n.get("col", 0) > 0}
        out.append(replace(view, title=f"{view.title} · {rows[0]['province']}（分省明细）",
                           nodes=[n for n in view.nodes if n["id"] in keep],
                           edges=[e for e in view.edges if e["from"] in keep and e["to"] in keep],
                           rows=rows, tasks=[], note="", tasks_note=""))
    return out


class Handout:
    """The handout's picture pages of a summarised view: the overview (A4 landscape), then — for a view
    of one province — its layered picture over as many A4 pages as it needs (a view of several provinces
    has ``province_table`` instead)."""

    def __init__(self, view: View):
        from .page_plan import plan
        self.view = view
        subs = province_views(view)
        self.subs = subs if len(subs) == 1 else []
        self.plans = [plan(s, ("A4",), pages=True) for s in self.subs]

    def page_count(self) -> int:
        return 1 + sum(len(p) for p in self.plans)

    def text(self) -> tuple[str, str]:
        from .picture_draw import page_text
        text, bold = overview_text(self.view)
        for sub, pages in zip(self.subs, self.plans, strict=True):
            t, b = page_text(sub, pages)
            text, bold = text + t, bold + b + sub.title
        return text, bold

    def figures(self, fonts: Fonts, marks: list[str]) -> list:
        from .picture_draw import view_figures
        figs = [overview_figure(self.view, fonts, A4_LANDSCAPE_IN, marks[0])]
        k = 1
        for sub, pages in zip(self.subs, self.plans, strict=True):
            more, _ = view_figures(sub, papers=("A4",), pages=True, fonts=fonts, marks=marks[k:k + len(pages)],
                                   planned=pages)
            figs += more
            k += len(pages)
        return figs
