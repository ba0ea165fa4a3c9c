"""Every node of a printed picture is drawn once: a district paired with prefectures in two of the
picture's bands (columns of the page) is not drawn in both. Where a band needs a node drawn in another
one, it shows a reference — the name and where it is drawn, ``闵行区（见第1栏）`` — never the node again.

What is checked is what the SVG holds: each drawn label is a text in a group ``label-<node id>``, each
reference a text in a group ``ref-<node id>``. The band a label lies in is read from the SVG too: the
supporters' labels stand right-aligned at the left of their band, so their right edges fall in one
cluster per band, counted from the left."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from aidgraph.viz.formats import render_view
from aidgraph.viz.views import build_view

SVG = "{http://www.w3.org/2000/svg}"
DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
PROGRAMMES = ("east-west", "paired-support", "paired-cooperation", "wanbei", None)
# the provinces with pairings in 2024 (安徽省: 皖北; 辽宁省, 湖北省: 对口合作, 三峡库区), and 贵州省's of 2020
PROVINCES = (("云南省", 2024), ("西藏自治区", 2024), ("新疆维吾尔自治区", 2024), ("青海省", 2024),
             ("安徽省", 2024), ("辽宁省", 2024), ("湖北省", 2024), ("贵州省", 2020))
VIEWS = ([("pairings", d, 2024) for d in DISTRICTS] + [("programme", p, 2024) for p in PROGRAMMES]
         + [("programme", "east-west", 2021)] + [("province", p, y) for p, y in PROVINCES]
         + [("supporters", "云南省", 2024)])


def drawn(svg: bytes) -> tuple[list[tuple[str, str, float, str]], list[tuple[str, str, float, str]]]:
    """(node id, text, x, anchor) of every label and of every reference the SVG draws."""
    labels, refs = [], []
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        m = re.fullmatch(r"(label|ref)-(.+)", g.get("id") or "")
        if not m:
            continue
        (t,) = list(g.iter(f"{SVG}text"))
        anchor = "end" if "text-anchor: end" in (t.get("style") or "") else "start"
        (labels if m.group(1) == "label" else refs).append((m.group(2), "".join(t.itertext()), float(t.get("x")),
                                                            anchor))
    return labels, refs


def columns(items: list[tuple[str, str, float, str]]) -> dict[str, int]:
    """The band (1, 2, … from the left) of each label: a band's first column is labelled to the left of
    its markers (right-aligned), so the right edges of those labels fall in one cluster per band, and
    everything else a band draws lies to the right of its cluster, left of the next one."""
    starts: list[float] = []
    edges = sorted(x for _i, _t, x, a in items if a == "end")
    for prev, x in zip([-1e9, *edges], edges, strict=False):
        if x - prev > 150:
            starts.append(x)
    return {f"{i}|{t}": sum(1 for s in starts if s <= x) for i, t, x, _a in items}


@pytest.fixture(scope="module")
def graph(aid):
    return aid.graph()


@pytest.mark.parametrize("kind,center,year", VIEWS)
def test_each_node_is_drawn_once(aid, graph, kind, center, year):
    view = build_view(aid, kind, center, year=year)
    labels, refs = drawn(render_view(graph, view, "svg"))
    counts = Counter(i for i, _t, _x, _a in labels)
    assert {i: c for i, c in counts.items() if c != 1} == {}
    assert set(counts) == {n["id"] for n in view.nodes}  # and every node is drawn
    # the supporters' names, by their text: each once as a label (a reference says more than the name)
    texts = Counter(t for _i, t, _x, _a in labels + refs)
    supporters = [n.get("short") or n["label"] for n in view.nodes if n["group"] in ("District", "Municipality")]
    assert {s: texts[s] for s in supporters if texts[s] != 1} == {}
    band = columns(labels + refs)
    for i, text, _x, _a in refs:  # a reference names the node and the band it is drawn in, not its own
        name, where = re.fullmatch(r"(.+)（见第(\d+)栏）", text).groups()
        (home,) = [f"{j}|{t}" for j, t, _x, _a in labels if j == i]
        assert name == home.split("|", 1)[1]
        assert int(where) == band[home] != band[f"{i}|{text}"], (text, band[home])


def test_east_west_2024_draws_its_16_districts_once_with_no_reference(aid, graph):
    """东西部协作 2024: the districts pair with prefectures of 云南省 in parts that share no district (普陀区,
    闵行区, 松江区 with 昆明市, 保山市, 昭通市, 西双版纳州; 杨浦区, 宝山区, 嘉定区 with 丽江市, 迪庆州, 曲靖市,
    楚雄州; 浦东新区, 奉贤区 with 怒江州, 大理州; …): the bands are cut between them, no reference needed."""
    view = build_view(aid, "programme", "east-west", year=2024)
    labels, refs = drawn(render_view(graph, view, "svg"))
    texts = Counter(t for _i, t, _x, _a in labels)
    assert refs == []
    assert {d: texts[d] for d in DISTRICTS} == {d: 1 for d in DISTRICTS}
    band = {key.split("|", 1)[1]: b for key, b in columns(labels).items()}
    for part in [("普陀区", "闵行区", "松江区"), ("杨浦区", "宝山区", "嘉定区"), ("浦东新区", "奉贤区")]:
        assert len({band[d] for d in part}) == 1, part


def test_all_programmes_2024_refer_to_districts_drawn_elsewhere(aid, graph):
    """Every programme of 2024 in one picture: 闵行区 is paired in 云南省, 西藏 and 新疆 as well as 安徽省 —
    one part too tall for one band. 闵行区 is drawn once; the bands that need it refer to it."""
    view = build_view(aid, "programme", None, year=2024)
    labels, refs = drawn(render_view(graph, view, "svg"))
    texts = Counter(t for _i, t, _x, _a in labels)
    assert texts["闵行区"] == 1 and texts["上海市"] == 1
    assert refs and all(re.fullmatch(r".+（见第\d栏）", t) for _i, t, _x, _a in refs)


def test_the_handout_pages_draw_each_node_once(aid):
    """The handout spreads the bands over A4 pages: a node is drawn on one page; elsewhere a reference
    says which band of its page, or which page, holds it."""
    from aidgraph.viz.picture_draw import view_figures
    view = build_view(aid, "programme", None, year=2024)
    figs, _fonts = view_figures(view, papers=("A4",), pages=True)
    assert len(figs) > 1
    gids = [t.get_gid() for f in figs for t in f.axes[0].texts if t.get_gid()]
    counts = Counter(g.removeprefix("label-") for g in gids if g.startswith("label-"))
    assert {i: c for i, c in counts.items() if c != 1} == {}
    assert set(counts) == {n["id"] for n in view.nodes}
    on_page = {g.removeprefix("label-"): k + 1 for k, f in enumerate(figs) for t in f.axes[0].texts
               if (g := t.get_gid() or "").startswith("label-")}
    for k, f in enumerate(figs):
        for t in f.axes[0].texts:
            if (t.get_gid() or "").startswith("ref-"):
                home = on_page[t.get_gid().removeprefix("ref-")]
                m = re.fullmatch(r".+（见第(\d+)(页|栏)）", t.get_text())
                assert m, t.get_text()
                assert (m.group(2) == "页" and int(m.group(1)) == home != k + 1) or \
                    (m.group(2) == "栏" and home == k + 1), (t.get_text(), home, k + 1)
