"""The geographic network (/network?geo=true): a district's pairings of one programme run as one trunk
towards their places and fan out there, instead of one straight line each from Shanghai."""
from __future__ import annotations

from aidgraph.viz.network import network_fragment
from aidgraph.viz.views import build_view

MINHANG = "place:310112"
# 闵行区's 东西部协作 counties in 2024 (表7): 保山市's 隆阳区 施甸县 龙陵县 昌宁县, 昭通市's 盐津县 大关县 永善县 绥江县
MINHANG_EAST_WEST = {"隆阳区", "施甸县", "龙陵县", "昌宁县", "盐津县", "大关县", "永善县", "绥江县"}


def test_a_districts_pairings_run_as_one_trunk_then_fan_out(aid):
    view = build_view(aid, "programme", None, year=2024)
    frag = network_fragment(view, geographic=True)
    nodes = {n["id"]: n for n in frag["data"]["nodes"]}
    label = {n["id"]: n["label"] for n in view.nodes}
    fans = [i for i, n in nodes.items() if n.get("trunk")]
    assert fans and {i for i in nodes if i not in fans} == {n["id"] for n in view.nodes}  # the graph's nodes, all
    edges = frag["data"]["edges"]
    [fan] = [e["to"] for e in edges if e["from"] == MINHANG and e["to"] in fans and "东西部协作" in e["title"]]
    assert {label[e["to"]] for e in edges if e["from"] == fan} == MINHANG_EAST_WEST
    assert not [e for e in edges if e["from"] == MINHANG and label.get(e["to"]) in MINHANG_EAST_WEST]
    x = {i: nodes[i]["x"] for i in (MINHANG, fan)}
    counties = [nodes[e["to"]]["x"] for e in edges if e["from"] == fan]
    assert max(counties) < x[fan] < x[MINHANG]  # the trunk runs west from Shanghai, the fan beyond it
    assert "闵行区 → " in next(e["title"] for e in edges if e["from"] == MINHANG and e["to"] == fan)
