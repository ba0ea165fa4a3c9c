"""The whole network's overview (``viz.sankey``): flows district → province → prefecture as wide as the
county-level places paired, the same string every time, every text escaped; and the ``overview`` view
drawn by the PNG, SVG and PDF exports, its labels apart from each other."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from test_pictures import graph, overlaps, texts  # noqa: F401  (the graph fixture)

from aidgraph.viz.formats import render_view
from aidgraph.viz.sankey import overview_layout, overview_svg
from aidgraph.viz.views import build_view

SVG = "{http://www.w3.org/2000/svg}"


def test_widths_are_the_counties_paired(aid):
    view = build_view(aid, "programme", None, year=2024)
    ov = overview_layout(view)
    value = {b.label: b.value for b in ov.blocks if b.col == 0}
    # 表7: 闵行区 with 4 counties of 保山市, 4 of 昭通市 and 泽普县; the northern-Anhui programme: 淮南市
    assert value["闵行区"] == 10
    prefs = {b.label: b.value for b in ov.blocks if b.col == 2}
    assert prefs["保山市"] >= 4 and prefs["昭通市"] >= 4
    # a band is as tall as its counties: 闵行区's bands together fill its block
    mh = next(b for b in ov.blocks if b.label == "闵行区")
    out = [f for f in ov.flows if f.src == mh.key]
    assert sum(f.value for f in out) == 10
    assert abs(sum(f.value for f in out) * 4.0 - mh.h) < 1e-6


def test_svg_is_deterministic_escaped_and_well_formed(aid):
    view = build_view(aid, "programme", None, year=2024)
    one, two = overview_svg(view, title="总览"), overview_svg(view, title="总览")
    assert one == two
    root = ET.fromstring(one)
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "闵行区 10" in labels and "云南省" in " ".join(labels)
    rows = [{"supporter": "区<script>x</script>", "supporter_code": "310199", "province": "省&", "prefecture": "州\"",
             "place": "县'", "level": "县级", "county_count": None, "programme": "甲", "programme_id": "p"}]
    hostile = overview_svg(rows, title="<b>")
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    root = ET.fromstring(hostile)  # still well-formed XML
    assert {"".join(t.itertext()) for t in root.iter(f"{SVG}text")} >= {"区<script>x</script> 1", "省& 1", "州\" 1"}


def test_the_overview_view_exports_as_pictures_and_a_handout(aid, graph):  # noqa: F811
    view = build_view(aid, "overview", year=2024)
    assert view.kind == "overview" and "结对总览" in view.title and "2024" in view.title
    svg = render_view(graph, view, "svg")
    _size, items = texts(svg)
    shown = {t["text"] for t in items}
    assert "闵行区 10" in shown and view.title in shown
    assert not overlaps(items)
    assert min(t["size"] for t in items) >= 8.0
    assert render_view(graph, view, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert render_view(graph, view, "pdf")[:5] == b"%PDF-"


def test_the_column_heads_are_drawn_with_their_own_glyphs(aid, graph):  # noqa: F811
    """The heads (上海市各区, 省（区）, 地州市) are bold: the bold font carries their glyphs whatever the
    title says, so no character of theirs is drawn as a missing box."""
    import warnings
    view = build_view(aid, "overview", None, year=2024)
    view.title = "总览"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        for fmt in ("png", "pdf"):
            assert render_view(graph, view, fmt)


def test_a_national_overview_keeps_the_largest_and_merges_the_rest():
    """50 supporters pairing 1..50 counties each, every one in its own prefecture of one province: a column
    keeps its 39 largest blocks and merges the 11 smallest (1 + … + 11 = 66 counties) into one "其他" block;
    no county is lost, and the bars together fit the page's height."""
    from aidgraph.viz.sankey import BARS_PT
    rows = [{"supporter": f"支援方{i:02d}", "supporter_code": f"3201{i:02d}", "province": "甲省",
             "prefecture": f"乙{i:02d}市", "place": f"丙{i:02d}县", "level": "县级", "county_count": i + 1,
             "programme": "东西部协作", "programme_id": "program:east-west"} for i in range(50)]
    ov = overview_layout(rows)
    sup = {b.label: b.value for b in ov.blocks if b.col == 0}
    pref = {b.label: b.value for b in ov.blocks if b.col == 2}
    assert len(sup) == 40 and len(pref) == 40
    assert sup["其他 11 个支援方"] == 66 and pref["其他 11 个地州市"] == 66
    assert sup["支援方49"] == 50 and sup["支援方11"] == 12 and "支援方10" not in sup
    assert ov.total == 1275 and sum(sup.values()) == 1275 and sum(pref.values()) == 1275
    assert ov.counts == (50, 1, 50) and ov.merged == (11, 11)
    column = [b for b in ov.blocks if b.col == 0]
    assert sum(b.h for b in column) <= BARS_PT + 1e-6
    assert column[-1].label == "其他 11 个支援方"  # after the districts
