"""Pictures people can read at A4: for every district's pairings (and a few places' supporters and the
larger views) the SVG's text boxes do not overlap, every text is at least 8 pt on the printed page, the
title says what it shows with the year, the footer gives the sources as document numbers; the PNG and
the PDF handout are A4, the PDF embeds its Chinese font, and programmes differ by line style too.

The boxes are computed here from the SVG alone (svg.fonttype none keeps text as text): the baseline
point, the anchor, the font size, and a width that no CJK font exceeds (a CJK or other non-ASCII
character 1 em, an ASCII capital 0.95 em, other ASCII 0.62 em); height from 0.9 em above the baseline
to 0.25 em below."""
from __future__ import annotations

import io
import re
import struct
import warnings
import xml.etree.ElementTree as ET

import pytest

from aidgraph.viz.formats import render_view
from aidgraph.viz.views import build_view

SVG = "{http://www.w3.org/2000/svg}"
# the 16 districts of Shanghai (GB/T 2260), each with pairings in 表7
DISTRICTS = ("黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区")
A4 = (841.68, 595.44)   # landscape, points, as matplotlib writes 11.69 × 8.27 in
A3 = (1190.88, 841.68)


def em(ch: str) -> float:
    if not ch.isascii():
        return 1.0
    return 0.95 if ch.isupper() else 0.62


def texts(svg: bytes) -> tuple[tuple[float, float], list[dict]]:
    """The page size and every text element: its string, size and box (x0, y0, x1, y1) in points."""
    root = ET.fromstring(svg)
    size = (float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt")))
    out = []
    for t in root.iter(f"{SVG}text"):
        style = dict(kv.split(":", 1) for kv in (t.get("style") or "").replace(" ", "").split(";") if ":" in kv)
        px = float(style["font-size"].removesuffix("px"))
        if t.get("x") is not None:
            x, y = float(t.get("x")), float(t.get("y"))
        else:
            m = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", t.get("transform", ""))
            x, y = float(m.group(1)), float(m.group(2))
        s = "".join(t.itertext())
        w = px * sum(em(c) for c in s)
        anchor = style.get("text-anchor", "start")
        x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        out.append({"text": s, "size": px, "box": (x0, y - 0.9 * px, x0 + w, y + 0.25 * px),
                    "bold": style.get("font-weight") in ("700", "bold")})
    return size, out


def overlaps(items: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5:
                bad.append((a["text"], b["text"]))
    return bad


def check_svg(svg: bytes, title: str) -> list[dict]:
    size, items = texts(svg)
    assert size in (A4, A3), size
    assert items, "the text is text"
    assert overlaps(items) == []
    assert min(t["size"] for t in items) >= 8, [t for t in items if t["size"] < 8]
    w, h = size
    outside = [t["text"] for t in items if t["box"][0] < 0 or t["box"][2] > w or t["box"][1] < 0 or t["box"][3] > h]
    assert outside == []
    assert next(t["text"] for t in items if t["bold"]) == title
    footer = " ".join(t["text"] for t in items if "来源：" in t["text"] or "数据截至" in t["text"])
    assert "数据截至 2024-05-24" in footer
    assert "#" not in footer and not re.search(r"[a-z]+-\d{4}-\d+", footer), footer  # no internal ids
    assert "@font-face" in svg.decode("utf-8")  # the font goes with the file
    return items


@pytest.fixture(scope="module")
def graph(aid):
    return aid.graph()


@pytest.mark.parametrize("district", DISTRICTS)
def test_every_districts_pairings_as_png_svg_pdf(aid, graph, district):
    view = build_view(aid, "pairings", district, year=2024)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = render_view(graph, view, "svg")
        png = render_view(graph, view, "png")
        pdf = render_view(graph, view, "pdf")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    items = check_svg(svg, f"{district} 结对关系 2024")
    labels = {t["text"] for t in items}
    assert {n["short"] for n in view.nodes if n["group"] != "County"} <= labels  # the district, its prefectures
    footer = " ".join(t["text"] for t in items if "来源：" in t["text"])
    assert "沪府合办发〔2021〕14号" in footer
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1753, 1240)  # A4, 150 dpi
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf and b"/Type3" not in pdf  # TrueType embedded
    assert b"/MediaBox [ 0 0 841.68 595.44 ]" in pdf  # the picture page: A4 landscape


def test_autonomous_places_by_the_tables_short_forms(aid, graph):
    """表7 writes 怒江州, 大理州, 兰坪县: the picture too (the handout's table keeps the full names)."""
    view = build_view(aid, "pairings", "浦东新区", year=2024)
    labels = {t["text"] for t in texts(render_view(graph, view, "svg"))[1]}
    assert {"浦东新区", "大理州", "怒江州", "兰坪县", "贡山县", "巍山县", "泸水市", "喀什地区", "日喀则市"} <= labels
    assert "怒江傈僳族自治州" in {n["label"] for n in view.nodes}


def test_the_minhang_picture_by_hand(aid, graph):
    """闵行区 2024: 3 prefecture-level groups and 淮南市, 9 counties; three programmes, three line styles."""
    view = build_view(aid, "pairings", "闵行区", year=2024)
    svg = render_view(graph, view, "svg")
    _size, items = texts(svg)
    labels = {t["text"] for t in items}
    assert {"闵行区", "保山市", "昭通市", "喀什地区", "淮南市", "隆阳区", "泽普县", "绥江县"} <= labels
    assert {"东西部协作（实线）", "对口支援（点线）", "沪苏浙结对合作帮扶皖北（点划线）"} <= labels  # the legend
    root = ET.fromstring(svg)
    colours = {"#e74c3c": "east-west", "#2980b9": "paired-support", "#8e44ad": "wanbei"}
    dashes: dict[str, set[str]] = {}
    for p in root.iter(f"{SVG}path"):
        style = p.get("style") or ""
        m = re.search(r"stroke: (#[0-9a-f]{6})", style)
        if m and m.group(1) in colours and "fill: none" in style:
            d = re.search(r"stroke-dasharray: ([^;]+)", style)
            dashes.setdefault(colours[m.group(1)], set()).add(d.group(1).strip() if d else "solid")
    assert set(dashes) == set(colours.values())
    assert len({frozenset(v) for v in dashes.values()}) == 3  # distinct in greyscale print


@pytest.mark.parametrize("place", ["泸水", "保山市", "喀什地区", "云南省"])
def test_supporters_pictures(aid, graph, place):
    view = build_view(aid, "supporters", place, year=2024)
    check_svg(render_view(graph, view, "svg"), view.title)
    assert view.title.endswith("支援方 2024")


@pytest.mark.parametrize("kind,center,kwargs", [
    ("programme", "east-west", {"year": 2024}),
    ("programme", None, {"year": 2024}),
    ("province", "云南省", {"year": 2024}),
    ("document", "静合组办〔2022〕1号", {}),
    ("document", "沪府合办发〔2021〕14号", {}),
    ("pairings", "闵行区", {"year": 2024, "with_tasks": True}),
])
def test_larger_views_go_to_a3_not_smaller_labels(aid, graph, kind, center, kwargs):
    view = build_view(aid, kind, center, **kwargs)
    items = check_svg(render_view(graph, view, "svg"), view.title)
    labels = [t for t in items if t["text"] in {n.get("short") or n["label"] for n in view.nodes}]
    assert labels and min(t["size"] for t in labels) >= 8.5


def test_an_empty_year_says_so(aid, graph):
    view = build_view(aid, "pairings", "闵行区", year=2013)
    svg = render_view(graph, view, "svg")
    assert any("没有 2013 年" in t["text"] for t in texts(svg)[1])


def test_the_handout_pages(aid, graph):
    """闵行区 2024: the picture page (A4 landscape), then the tables on A4 portrait."""
    from aidgraph.viz.formats.pdf import handout_pages, page_font_sizes, page_inches, page_words
    view = build_view(aid, "pairings", "闵行区", year=2024)
    figs = handout_pages(view).pages
    sizes = [page_inches(f) for f in figs]
    assert sizes[0] == (11.69, 8.27) and all(s == (8.27, 11.69) for s in sizes[1:]) and len(figs) >= 2
    words = [w for f in figs[1:] for w in page_words(f)]
    assert "一、结对关系（10 项，2024 年在执行）" in words
    assert "二、工作要点任务与牵头、责任单位（24 项）" in words
    assert "三、来源文件（3 件）" in words
    assert {"支援方", "受援地", "级别", "类别", "起止", "牵头单位", "责任单位"} <= set(words)
    assert "2021–至今" in words and "2021–2030" in words and "地级" in words
    assert "闵府办发〔2024〕20号" in words and "组织赴对口帮扶地区职工疗休养" in words
    assert all(size >= 8 for f in figs for size in page_font_sizes(f))


def test_pictures_are_the_same_bytes_twice(aid, graph):
    view = build_view(aid, "pairings", "浦东新区", year=2024)
    for fmt in ("png", "svg", "pdf"):
        assert render_view(graph, view, fmt) == render_view(graph, view, fmt), fmt
    pdf = io.BytesIO(render_view(graph, view, "pdf")).getvalue()
    assert b"CreationDate" not in pdf
