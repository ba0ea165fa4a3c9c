"""The names users read for the schema's values are the same in every output: 静合组办〔2022〕1号's three
safeguard items are 保障措施 in the handout's table, in the workbook's task sheet, in the picture's
tooltips and in the subgraph's tooltips (the handout once wrote 保障); 上海市's level reads 直辖市 in a
named view and in a subgraph's tooltip alike (the pages' network once wrote 市)."""
from __future__ import annotations

import io

import openpyxl

from aidgraph.queries.subgraph import neighbourhood
from aidgraph.viz.formats import render_view
from aidgraph.viz.graph_views import subgraph_view
from aidgraph.viz.views import build_view

DOC = "静合组办〔2022〕1号"
SAFEGUARDS = ["保障措施1", "保障措施2", "保障措施3"]  # the three items of its 保障措施 part, numbered


def test_safeguards_are_named_alike_in_the_handout_workbook_and_tooltips(aid):
    from aidgraph.viz.formats.pdf import handout_pages, page_inches, page_words
    view = build_view(aid, "document", DOC)
    tables = [f for f in handout_pages(view).pages if page_inches(f)[0] < page_inches(f)[1]]  # portrait
    words = [w for f in tables for w in page_words(f)]
    assert [w for w in words if w.startswith("保障")] == ["保障措施", *SAFEGUARDS]  # the group row, then the items
    wb = openpyxl.load_workbook(io.BytesIO(render_view(aid.graph(), view, "xlsx")))
    kinds = [row[3] for row in wb["工作任务"].iter_rows(min_row=2, values_only=True)]
    assert kinds.count("保障措施") == 3 and set(kinds) == {"任务", "保障措施"}
    tips = [n["title"] for n in view.nodes if n["group"] == "Task" and n["kind"] == "safeguard"]
    assert sorted(t.split("：")[0] for t in tips) == [f"2022 年{s}" for s in SAFEGUARDS]
    graph = aid.graph()
    safeguards = [n["id"] for n in graph.nodes("Task") if n["kind"] == "safeguard"]
    sub = subgraph_view(graph, set(safeguards), "保障")
    assert sorted(n["label"].split(" ")[1][:5] for n in sub.nodes) == SAFEGUARDS
    assert all("类别：保障措施" in n["title"] for n in sub.nodes)


def test_the_municipality_is_a_directly_governed_city_everywhere(aid):
    graph = aid.graph()
    sub = subgraph_view(graph, neighbourhood(aid.store, "place:310000", 0), "上海市")
    assert [n["title"].split("\n")[1] for n in sub.nodes] == ["级别：直辖市"]
    view = build_view(aid, "pairings", "上海市", year=2024)
    assert [n["level"] for n in view.nodes if n["id"] == "place:310000"] == ["直辖市"]
