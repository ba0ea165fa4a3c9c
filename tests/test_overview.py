"""A view too big to draw place by place (more than 150 nodes) is printed as an overview — provinces
→ prefectures with the number of pairings as widths — that says it is one, and the handout follows it
with one part per province, each drawn in full.

The view here is made by hand: 8 supporting districts, 3 provinces of 4 prefectures of 12 counties
(144 pairings, 8 + 12 + 144 = 164 nodes)."""
from __future__ import annotations

from test_pictures import overlaps, texts

from aidgraph.viz.formats.pdf import handout_figures
from aidgraph.viz.picture import render
from aidgraph.viz.view import View

PROVINCES = {"52": "贵州省", "53": "云南省", "54": "西藏自治区"}
SUPPORTERS = [("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
              ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区")]


def big_view() -> View:
    v = View(title="测试 全部结对关系 2024", kind="programme", year=2024, data_date="2024-05-24",
             source_line="来源：沪府合办发〔2021〕14号", programmes={"program:east-west": ("东西部协作", "#c0392b")})
    for code, name in SUPPORTERS:
        v.nodes.append({"id": f"place:{code}", "label": name, "group": "District", "code": code, "col": 0,
                        "measure": 18})
    k = 0
    for pk, prov in PROVINCES.items():
        for f in range(1, 5):
            pref = f"{pk}{f:02d}00"
            pname = f"{prov[:2]}第{f}州"
            v.nodes.append({"id": f"place:{pref}", "label": pname, "group": "Prefecture", "code": pref, "col": 1,
                            "measure": 12})
            for c in range(1, 13):
                code, name = f"{pk}{f:02d}{c:02d}", f"{prov[:2]}{f}州{c}县"
                sup_code, sup = SUPPORTERS[k % 8]
                k += 1
                v.nodes.append({"id": f"place:{code}", "label": name, "group": "County", "code": code, "col": 2,
                                "measure": 1})
                v.edges.append({"from": f"place:{sup_code}", "to": f"place:{code}", "kind": "program:east-west"})
                v.edges.append({"from": f"place:{code}", "to": f"place:{pref}", "kind": "PART_OF", "dashes": True})
                v.rows.append({"supporter": sup, "supporter_code": sup_code, "place": name, "place_short": name,
                               "place_code": code, "level": "县级", "prefecture": pname, "prefecture_short": pname,
                               "province": prov, "programme": "东西部协作", "period": "2021–至今",
                               "cite": "沪府合办发〔2021〕14号 表7"})
    return v


def test_the_picture_of_a_big_view_is_an_overview_that_says_so():
    view = big_view()
    assert len(view.nodes) == 164
    size, items = texts(render(view, "svg"))
    words = [t["text"] for t in items]
    assert words[0] == "测试 全部结对关系 2024（概览）"
    assert any("共 144 个地方，此图为概览；分省明细见 PDF" in w for w in words)
    # provinces with their pairings, prefectures with theirs; no county is drawn
    assert {"贵州省 48", "云南省 48", "西藏自治区 48", "云南第3州 12", "黄浦区 18"} <= set(words)
    assert not any("县" in w and "州" in w for w in words)
    assert overlaps(items) == []
    assert min(t["size"] for t in items) >= 8
    assert all(t["box"][0] >= 0 and t["box"][2] <= size[0] and t["box"][1] >= 0 and t["box"][3] <= size[1]
               for t in items)
    assert render(view, "png").startswith(b"\x89PNG")


def test_the_handout_of_a_big_view_has_the_overview_then_each_province():
    view = big_view()
    figs = handout_figures(view)
    titles = [t.get_text() for f in figs for t in f.axes[0].texts if t.get_gid() == "title"]
    assert titles[0] == "测试 全部结对关系 2024（概览）"
    provinces = [t for t in titles[1:] if "分省明细" in t]
    assert [p.split("（")[0].split(" · ")[1] for p in dict.fromkeys(p.split("（")[0] for p in provinces)] == \
        ["贵州省", "云南省", "西藏自治区"]
    # a province's pages draw its own counties and no other province's
    yunnan = [t.get_text() for f in figs for t in f.axes[0].texts if any(
        "云南省（分省明细）" in x.get_text() for x in f.axes[0].texts if x.get_gid() == "title")]
    assert "云南3州7县（杨浦区）" in yunnan and not any(w.startswith("贵州1州1县") for w in yunnan)
    sizes = [tuple(round(x, 2) for x in f.get_size_inches()) for f in figs]
    assert sizes[0] == (11.69, 8.27)  # the overview: A4 landscape
    assert all(t.get_fontsize() >= 8 for f in figs for t in f.axes[0].texts)


def test_a_view_of_150_nodes_is_drawn_in_full():
    view = big_view()
    view.nodes = view.nodes[:150]
    keep = {n["id"] for n in view.nodes}
    view.edges = [e for e in view.edges if e["from"] in keep and e["to"] in keep]
    words = [t["text"] for t in texts(render(view, "svg"))[1]]
    assert words[0] == "测试 全部结对关系 2024" and not any("概览" in w for w in words)
