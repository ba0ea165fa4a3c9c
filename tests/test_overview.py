"""A view too big to draw place by place (more than 150 nodes) is printed as an overview — provinces
→ prefectures with the number of pairings as widths — that says it is one; the handout follows it
with a compact table per province and the command for a province's full handout (a view of one
province: with that province drawn in full).

The view here is made by hand: 8 supporting districts, 3 provinces of 4 prefectures of 12 counties
(144 pairings, 8 + 12 + 144 = 164 nodes)."""
from __future__ import annotations

from big_views import big_view
from test_pictures import overlaps, texts

from aidgraph.viz.formats.pdf import handout_pages, page_font_sizes, page_inches, page_words
from aidgraph.viz.picture import render


def test_the_picture_of_a_big_view_is_an_overview_that_says_so():
    view = big_view()
    assert len(view.nodes) == 164
    size, items = texts(render(view, "svg"))
    words = [t["text"] for t in items]
    assert words[0] == "测试 全部结对关系 2024（概览）"
    assert any("共 144 个地方，此图为概览；分省统计见 PDF" in w for w in words)
    # provinces with their pairings, prefectures with theirs; no county is drawn
    assert {"贵州省 48", "云南省 48", "西藏自治区 48", "云南第3州 12", "黄浦区 18"} <= set(words)
    assert not any("县" in w and "州" in w for w in words)
    assert overlaps(items) == []
    assert min(t["size"] for t in items) >= 8
    assert all(t["box"][0] >= 0 and t["box"][2] <= size[0] and t["box"][1] >= 0 and t["box"][3] <= size[1]
               for t in items)
    assert render(view, "png").startswith(b"\x89PNG")


def _texts(figs) -> list[list[str]]:
    return [page_words(f) for f in figs]


def _titles(handout) -> list[str]:
    """The pictures' titles (the table pages have none)."""
    return [t.get_text() for f in handout.figures for t in f.axes[0].texts if t.get_gid() == "title"]


def test_the_handout_of_a_big_view_has_the_overview_then_a_table_per_province():
    view = big_view()
    handout = handout_pages(view)
    figs = handout.pages
    titles = _titles(handout)
    assert titles == ["测试 全部结对关系 2024（概览）"]  # one picture page: no province drawn place by place
    assert page_inches(figs[0]) == (11.69, 8.27)  # A4 landscape
    words = [w for page in _texts(figs[1:]) for w in page]
    assert "一、分省统计（3 个省份）" in words
    # one group per province, one row per prefecture: places, pairings, supporters with their pairings
    assert "云南省 · 4 个地州市 · 结对地方 48 个 · 结对 48 项 · 支援方 8 个" in words
    at = words.index("云南第3州  12") + 1  # the supporters' cell: most pairings first, then by code
    assert words[at] == "黄浦区 2、徐汇区 2、长宁区 2、静安区 2、普陀区 1、虹口区 1、杨浦区 1、闵行区 1"
    note = "".join(words)
    # the command for a province's full handout, on two lines the shell reads as one
    at = words.index("aidgraph export --view province --center 贵州省 \\")
    assert words[at + 1].strip() == "--year 2024 --format pdf"
    assert "--format xlsx" in note
    # every pairing row is in the workbook, not in the handout
    assert not any(w.startswith("云南3州7县") for w in words)
    assert len(figs) <= 3
    assert all(size >= 8 for f in figs for size in page_font_sizes(f))


def test_a_big_view_of_one_province_keeps_its_layered_picture():
    view = big_view()
    keep = {n["id"] for n in view.nodes if not n["code"].startswith(("52", "54"))}
    view.nodes = [n for n in view.nodes if n["id"] in keep]
    view.edges = [e for e in view.edges if e["from"] in keep and e["to"] in keep]
    view.rows = [r for r in view.rows if r["province"] == "云南省"]
    view.nodes += [{"id": f"place:5399{c:02d}", "label": f"云南边{c}县", "group": "County", "code": f"5399{c:02d}",
                    "col": 2, "measure": 0} for c in range(95)]
    assert len(view.nodes) > 150
    handout = handout_pages(view)
    figs = handout.pages
    titles = _titles(handout)
    assert titles[0] == "测试 全部结对关系 2024（概览）"
    assert titles[1].startswith("测试 全部结对关系 2024 · 云南省（分省明细）")
    yunnan = [w for page in _texts(figs[1:]) for w in page]
    assert "云南3州7县（杨浦区）" in yunnan and not any(w.startswith("贵州1州1县") for w in yunnan)


def test_a_view_of_150_nodes_is_drawn_in_full():
    view = big_view()
    view.nodes = view.nodes[:150]
    keep = {n["id"] for n in view.nodes}
    view.edges = [e for e in view.edges if e["from"] in keep and e["to"] in keep]
    words = [t["text"] for t in texts(render(view, "svg"))[1]]
    assert words[0] == "测试 全部结对关系 2024" and not any("概览" in w for w in words)


def test_the_handout_embeds_its_fonts_as_truetype_even_first_in_a_process(tmp_path):
    """The big handout draws no place-by-place picture: written first in a fresh process, it must still
    embed TrueType subsets (searchable, small), not Type 3 outlines."""
    import subprocess
    import sys
    from pathlib import Path
    out = tmp_path / "big.pdf"
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from big_views import big_view; "
            "from aidgraph.viz.formats.pdf import write; open(sys.argv[1], 'wb').write(write(big_view()))")
    subprocess.run([sys.executable, "-c", code, str(out), str(Path(__file__).parent)], check=True, timeout=300)
    data = out.read_bytes()
    assert b"/CIDFontType2" in data and b"/Type3" not in data
