"""Meeting exports opened with independent readers, and the pages (no outside assets)."""
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import openpyxl
import pytest

from aidgraph.graph_api.runtime import load_data
from aidgraph.queries.embedded import EmbeddedStore
from aidgraph.queries.subgraph import neighbourhood
from aidgraph.viz.formats import render

CENTRE, HOPS = "place:310112", 2  # 闵行区


@pytest.fixture(scope="module")
def graph():
    return load_data().graph


@pytest.fixture(scope="module")
def sub(graph):
    return neighbourhood(EmbeddedStore(graph), CENTRE, HOPS)


def test_xlsx_has_the_subgraphs_tables(graph, sub):
    wb = openpyxl.load_workbook(io.BytesIO(render(graph, sub, "xlsx")))
    assert wb.sheetnames == ["结对关系", "工作任务", "单位", "合作协议", "来源文件"]
    pairings = [p for p in graph.nodes("Pairing") if p["id"] in sub]
    ws = wb["结对关系"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.max_row - 1 == len(pairings)
    # 9 in Yunnan (表7) + 淮南市
    assert sum(1 for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "闵行区") == 10
    assert {r[1] for r in ws.iter_rows(min_row=2, values_only=True)} == {
        graph.node(graph.out(p["id"], "SUPPORTED")[0])["name"] for p in pairings}
    tasks = wb["工作任务"]
    assert tasks.max_row - 1 == 24
    t14 = next(r for r in tasks.iter_rows(min_row=2, values_only=True) if r[2] == 14)
    assert t14[6] == "区人社局" and t14[9] == "闵府办发〔2024〕20号 任务14"  # sources as document numbers
    assert wb["来源文件"].max_row >= 2
    assert ws.column_dimensions["B"].width >= 8


def test_graphml_opens_in_networkx(graph, sub, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_bytes(render(graph, sub, "graphml"))
    g = nx.read_graphml(path)
    assert set(g.nodes) == sub
    assert g.nodes["place:310112"]["name"] == "闵行区"
    multi = [(n, k, v) for n in sorted(sub) for k, v in graph.g.nodes[n].items() if isinstance(v, list) and len(v) > 1]
    assert multi, "the subgraph has list-valued properties"
    for n, k, v in multi:
        assert g.nodes[n][k] == " | ".join(map(str, v))


def test_node_link_json(graph, sub):
    data = json.loads(render(graph, sub, "json"))
    g = nx.node_link_graph(data, edges="links")
    assert set(g.nodes) == sub and g.number_of_edges() == graph.g.subgraph(sub).number_of_edges()


def test_cypher_script_has_every_node_and_relationship(graph, sub):
    text = render(graph, sub, "cypher").decode()
    assert text.count("\nMERGE (n:") == len(sub)
    assert text.count("\nMATCH (a:") == graph.g.subgraph(sub).number_of_edges()


def _png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_a4_and_decodes(graph, sub):
    import matplotlib.image as mpimg
    data = render(graph, sub, "png", "闵行区 — 2 hops")
    assert _png_size(data) == (1753, 1240)  # A4 landscape at 150 dpi
    img = mpimg.imread(io.BytesIO(data), format="png")
    assert img.shape[:2] == (1240, 1753) and img.std() > 0.01


def test_pictures_drawn_in_threads_are_the_ones_drawn_alone(graph):
    """The server draws pictures in worker threads: no shared pyplot state, so concurrent drawings
    give the same bytes as one alone (and pyplot is never imported)."""
    import ast
    import inspect
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    from aidgraph.viz import picture as picture_module
    from aidgraph.viz.graph_views import subgraph_view
    picture = picture_module.render
    ids = neighbourhood(EmbeddedStore(graph), "place:533301", 1)
    jobs = [(subgraph_view(graph, ids, title), fmt) for title, fmt in
            (("泸水市 甲", "png"), ("泸水市 乙", "svg"), ("泸水市 丙", "png"), ("泸水市 丁", "svg"))]
    alone = [picture(v, fmt, today=date(2025, 1, 2)) for v, fmt in jobs]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda job: picture(job[0], job[1], today=date(2025, 1, 2)), jobs))
    assert together == alone and len(set(alone)) == 4
    tree = ast.parse(inspect.getsource(picture_module))
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    imported |= {f"{node.module}.{a.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 for a in node.names}
    assert not {name for name in imported if "pyplot" in name}, imported


def test_svg_is_valid_xml_with_the_glyphs(graph, sub):
    root = ET.fromstring(render(graph, sub, "svg", "闵行区"))
    assert root.tag.endswith("svg")
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "闵行区" in texts  # text stays text (searchable), its font travels with the file:
    svg_text = ET.tostring(root, encoding="unicode")
    assert "@font-face" in svg_text and "data:font/woff;base64," in svg_text


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "href") and v:
                self.refs.append(v)


def outside_refs(html: str) -> list[str]:
    p = _Assets()
    p.feed(html)
    css = re.findall(r"url\(\s*['\"]?([^'\")]+)", html) + re.findall(r"@import\s+['\"]([^'\"]+)", html)
    return [r for r in p.refs + css if re.match(r"(https?:)?//", r)]


def test_standalone_html_needs_no_network(graph, sub):
    html = render(graph, sub, "html", "闵行区").decode()
    assert outside_refs(html) == []
    assert "vis.Network" in html and 'data-node-count="' in html


def test_standalone_html_keeps_document_text_out_of_the_markup():
    """Text from a document inside the data block: no tag of it reaches the HTML parser."""
    from aidgraph.viz.network import standalone_html
    from aidgraph.viz.view import View
    hostile = "区</script><script>window.__xss=1</script>局 & <!-- \u2028"
    view = View(title="t", nodes=[{"id": "unit:x", "label": hostile, "group": "Unit", "title": hostile}],
                edges=[{"from": "unit:x", "to": "unit:x", "kind": "LEAD_UNIT", "title": hostile}])
    html = standalone_html(view)

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.bodies, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "script":
                self.inside = True
                self.bodies.append("")

        def handle_endtag(self, tag):
            self.inside = self.inside and tag != "script"

        def handle_data(self, data):
            if self.inside:
                self.bodies[-1] += data

    p = Scripts()
    p.feed(html)
    assert len(p.bodies) == 2  # vis-network inlined, then the data block: nothing of the document's
    data_block = p.bodies[1]
    assert "window.__xss=1</script>" not in html and "<!--" not in data_block and "\u2028" not in data_block
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e" in data_block


# page -> its one right status: 红河 names both a prefecture and a county (409, a choice page);
# xyzq names nothing (404, a not-found page); every other page exists (200)
PAGES = {"/": 200, "/place/533301": 200, "/place/遵义?year=2019": 200, "/district/310112": 200, "/network": 200,
         "/network?programme=program:east-west&year=2019": 200, "/network?geo=true": 200,
         "/search?q=红河": 409, "/search?q=xyzq": 404}


@pytest.mark.parametrize("url,status", list(PAGES.items()))
def test_pages_reference_no_outside_asset(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    assert outside_refs(r.text) == []
    assert re.search(r'<script src="/static/site\.js\?v=[0-9a-f]{12}" defer>', r.text)
    draws = 'class="aid-network"' in r.text  # vis-network is loaded where a network is drawn, and only there
    assert bool(re.search(r'<script src="/static/vis/vis-network\.min\.js\?v=[0-9a-f]{12}" defer>', r.text)) == draws
    assert draws == (url.startswith(("/place/", "/district/", "/network"))), url


def test_search_lands_on_the_place(client):
    r = client.get("/search", params={"q": "泸水"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/place/533301"
    page = client.get(r.headers["location"]).text
    assert "泸水市" in page and "浦东新区" in page and "东西部协作" in page and "hfhbf-2021-14#表7" in page
    assert client.get("/search", params={"q": "闵行"}, follow_redirects=False).headers["location"] == "/district/310112"


def test_ambiguous_and_unknown_names_get_a_page(client):
    r = client.get("/search", params={"q": "红河"})
    assert r.status_code == 409 and "/place/532529" in r.text and "/place/532500" in r.text
    r = client.get("/place/泸水县城")
    assert r.status_code == 404 and "/place/533301" in r.text and "Traceback" not in r.text


def test_district_page_lists_places_tasks_and_units(client):
    page = client.get("/district/闵行").text
    assert "9 个结对县" in page and "泽普县" in page and "组织赴对口帮扶地区职工疗休养" in page
    assert "区人力资源和社会保障局" in page and "援外前方工作机构" in page


def test_home_suggests_name_forms(client):
    # the search box suggests as one types (/api/search/suggest), one entry per place for any of its forms
    assert '<label for="q">' in client.get("/").text
    for form, name in (("泸水", "泸水市"), ("泸水市", "泸水市"), ("巍山", "巍山彝族回族自治县"),
                       ("浦东新区", "浦东新区")):
        labels = [s["label"] for s in client.get("/api/search/suggest", params={"q": form}).json()]
        assert labels.count(name) == 1 and labels[0] == name, (form, labels)


def test_export_download_from_the_api(client):
    r = client.get("/api/export", params={"center": "泸水", "format": "xlsx", "hops": 1})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [r[0] for r in wb["结对关系"].iter_rows(min_row=2, values_only=True)] == ["浦东新区"]
    assert client.get("/api/export", params={"format": "doc"}).status_code == 400


def test_export_cli_writes_the_meeting_formats(cli, tmp_path):
    res = cli("export", "--center", "闵行区", "--hops", "2", "--format", "html,png,xlsx", "--out", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    names = sorted(p.suffix for p in tmp_path.iterdir())
    assert names == [".html", ".png", ".xlsx"]


def test_api_routers_per_resource(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/places/{name}/supporters", "/api/districts/{name}", "/api/units/{name}", "/api/tasks",
                 "/api/documents", "/api/agreements", "/api/search", "/api/subgraph", "/api/export", "/api/sparql"):
        assert path in spec["paths"], path
    assert {"404", "409"} <= set(spec["paths"]["/api/search"]["get"]["responses"])
    docs = client.get("/api/documents").json()
    assert {d["id"] for d in docs} == {"hfhz-2021-73", "hfhbf-2021-14", "jhzb-2022-1", "mfbf-2024-20", "hff-2007-11",
                                         "ndrc-2021-wanbei"}
    assert [a["no"] for a in client.get("/api/agreements").json()] == list(range(1, 10))
    with_dalian = client.get("/api/agreements", params={"place": "大连"}).json()
    assert [set(a["parties"]) for a in with_dalian] == [{"上海市", "大连市"}]
    r = client.get("/api/search", params={"q": "思茅"})
    assert r.json()["matched"]["name"] == "普洱市" and r.json()["page"] == "/place/530800"
    assert client.get("/api/search", params={"q": "红河"}).status_code == 409
    sub = client.get("/api/subgraph", params={"center": "泸水", "hops": 1}).json()
    assert sub["center"] == "place:533301" and "pairing:310115:533301:2021" in {n["id"] for n in sub["nodes"]}
    assert client.get("/api/subgraph", params={"center": "玉溪"}).status_code == 404


def test_geographic_layout_fixes_places_at_their_seats(aid):
    from aidgraph.viz.geo_layout import geo_positions
    from aidgraph.viz.graph_views import network_view
    from aidgraph.viz.network import to_pyvis
    view = network_view(aid, aid.pairings(), title="geo")
    pos = geo_positions(view)
    places = [n for n in view.nodes if n["group"] != "District"]
    assert all(n["id"] in pos for n in view.nodes)
    lon, lat = pos["place:533301"]
    assert 98 < lon < 99.5 and 25 < lat < 26.5  # 泸水市
    assert all(pos[n["id"]][0] == 126.0 for n in view.nodes if n["group"] == "District")  # east of Shanghai
    net = to_pyvis(view, geographic=True)
    assert all(n.get("fixed") for n in net.nodes) and places
