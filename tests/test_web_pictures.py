"""The web pictures people read: on every district's page the network is drawn in layers with fixed
positions, and the boxes the browser reports for its labels (vis-network's ``getBoundingBox``) overlap
neither each other nor the page's subject; programmes differ by dash pattern as well as colour. The
/network page opens with the overview (flows district → province → prefecture). The standalone HTML
export opens from the disk: no link that needs the site, every node labelled, a legend, the data's
date, and a click shows the node's details in the page without leaving it."""
from __future__ import annotations

import re
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import _network_drawn, _server, browser  # noqa: F401  (the browser fixture)

from aidgraph.viz.views import build_view


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, base = _server(None, tmp_path_factory.mktemp("serve") / "serve.log")
    yield base
    proc.terminate()
    proc.wait(10)


# the 16 districts of Shanghai and their codes (GB/T 2260)
DISTRICTS = {"黄浦区": "310101", "徐汇区": "310104", "长宁区": "310105", "静安区": "310106", "普陀区": "310107",
             "虹口区": "310109", "杨浦区": "310110", "闵行区": "310112", "宝山区": "310113", "嘉定区": "310114",
             "浦东新区": "310115", "金山区": "310116", "松江区": "310117", "青浦区": "310118", "奉贤区": "310120",
             "崇明区": "310151"}

BOXES = """
var n = window.aidNetworks.network, out = {};
n.body.data.nodes.getIds().forEach(function (id) {
  var b = n.getBoundingBox(id), p = n.getPositions([id])[id];
  out[id] = {box: [b.left, b.top, b.right, b.bottom], x: p.x, y: p.y, label: n.body.nodes[id].options.label,
             fixed: n.body.nodes[id].options.fixed.x && n.body.nodes[id].options.fixed.y};
});
return out;
"""


def _ready(drv):
    """Drawn, and its labels measured in the page's font (``data-font-ready``)."""
    return _network_drawn(drv) and drv.execute_script(
        "return document.getElementById('network').dataset.fontReady === '1'")


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("district", list(DISTRICTS))
def test_district_page_labels_never_overlap_and_the_district_is_not_covered(browser, server, aid,  # noqa: F811
                                                                          district):
    code = DISTRICTS[district]
    wait = WebDriverWait(browser, 30)
    browser.get(f"{server}/district/{code}")
    wait.until(_ready, f"the network of {district} was not drawn")
    got = browser.execute_script(BOXES)
    subject = f"place:{code}"
    assert subject in got and got[subject]["label"] == district
    assert all(n["fixed"] and n["label"] for n in got.values())
    ids = sorted(got)
    bad = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if _overlap(got[a]["box"], got[b]["box"])]
    assert not bad, [(got[a]["label"], got[b]["label"]) for a, b in bad]
    # the subject: nothing drawn over its centre, and it sits in the first column (the supporter's)
    sx = got[subject]["x"]
    assert all(got[i]["x"] > sx for i in ids if i != subject)
    # every place of the district's view is on the page (the same nodes the export draws)
    assert set(ids) == {n["id"] for n in build_view(aid, "pairings", code).nodes}


def test_baoshan_is_not_under_qujing_and_programmes_differ_by_dashes(browser, server):  # noqa: F811
    wait = WebDriverWait(browser, 30)
    browser.get(f"{server}/district/310113")
    wait.until(_ready)
    got = browser.execute_script(BOXES)
    baoshan, qujing = got["place:310113"], got["place:530300"]
    assert not _overlap(baoshan["box"], qujing["box"])
    assert qujing["x"] > baoshan["box"][2]  # 曲靖市 to the right of 宝山区, not on it
    # 宝山区: 东西部协作 (曲靖市's counties) and 对口支援 (日喀则 or 果洛): two dash patterns, one solid
    dashes = browser.execute_script(
        "var n = window.aidNetworks.network; return n.body.data.edges.get().map(function (e) {"
        " return [e.color, JSON.stringify(e.dashes)]; });")
    by_colour = {c: d for c, d in dashes}
    assert len(by_colour) >= 2 and len(set(by_colour.values())) == len(by_colour), by_colour


def test_network_page_opens_with_the_overview(browser, server):  # noqa: F811
    wait = WebDriverWait(browser, 30)
    browser.get(f"{server}/network")
    wait.until(_ready)
    svg = browser.find_element("css selector", ".overview-svg svg")
    text = svg.text
    for name in ("闵行区", "云南省", "新疆维吾尔自治区", "喀什地区", "大理白族自治州"):
        assert name in text, name
    # 闵行区's flows carry its 9 counties in 表7 and 淮南市 of the northern-Anhui programme: 10
    assert re.search(r"闵行区 10\b", text), text[:300]
    assert browser.find_element("css selector", "a[href='#network-h']")


def test_standalone_html_works_from_the_disk(browser, server, tmp_path):  # noqa: F811
    with urllib.request.urlopen(server + "/api/export?view=programme&center=east-west&format=html", timeout=60) as r:
        html = r.read().decode("utf-8")
    rooted = re.findall(r"""(?:href|src)\s*=\s*["']?/(?!/)[^"'\s>]*|url\(\s*["']?/(?!/)[^)]*""", html)
    assert not rooted, rooted[:5]
    data = re.search(r"var data = (\{.*?\});\n", html).group(1)
    import json
    nodes = json.loads(data)["nodes"]
    assert len(nodes) > 88 and all(n["label"].strip() for n in nodes)
    assert "数据截至 2024-05-24" in html and 'class="legend"' in html and "东西部协作" in html
    path = tmp_path / "east-west.html"
    path.write_text(html, encoding="utf-8")
    browser.get(path.as_uri())
    wait = WebDriverWait(browser, 30)
    wait.until(_ready)
    before = browser.current_url
    # click 泸水市 where it is drawn (the picture is as tall as its layout: scrolled to it first)
    x, y = browser.execute_script(
        "var n = window.aidNetworks.network, c = n.canvas.frame.canvas;"
        "var d = n.canvasToDOM(n.getPositions(['place:533301'])['place:533301']);"
        "var r = c.getBoundingClientRect(); window.scrollBy(0, r.top + d.y - window.innerHeight / 2);"
        "r = c.getBoundingClientRect(); return [r.left + d.x, r.top + d.y];")
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    click = ActionBuilder(browser)
    click.pointer_action.move_to_location(int(x), int(y))
    click.pointer_action.click()
    click.perform()
    details = wait.until(lambda d: d.find_element("id", "network-details").text.strip() or False)
    assert details.splitlines()[0] == "泸水市" and "浦东新区" in details
    assert browser.current_url == before
