"""Chinese first on every page: the visible text of each page (tags, scripts and styles stripped; the
network's labels and tooltips, which a script draws, read from its data block; titles, placeholders
and labels for screen readers included) holds no ASCII word outside a short allow-list. English is
allowed only as a secondary label — an element marked lang="en" beside Chinese in the same block —
and a source document's own text (data-verbatim) is the source's, not the interface's.

Also: sources are shown as the document number and title, linking to the document page where every
table or item a source names is anchored; the document list and a cited-but-not-held document."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from aidgraph.graph_api.app import create_app
from aidgraph.graph_api.routes.document_pages import anchored_lines
from aidgraph.graph_api.routes.page_views import years_of
from aidgraph.schema.sources import split_refs

# the words a Chinese page may show in Latin letters: format names, standards and licences, dataset and
# package names credited, the API; codes and numbers are not words (no letters)
ALLOWED = {"API", "PNG", "SVG", "PDF", "XLSX", "JSON", "HTML", "GB", "T", "CC", "BY", "MIT", "adcode", "cpca"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
CJK = re.compile(r"[\u4e00-\u9fff]")
BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "summary", "div", "section", "label", "title",
          "caption", "figcaption", "option", "button", "a"}
SKIP = {"script", "style", "template"}
VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr", "col", "area", "base", "embed", "track"}
SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt", "label")

# every page, with the status it answers
PAGES = {
    "/": 200, "/place/533301": 200, "/place/653124?year=2024": 200, "/place/530800?year=2005": 200,
    "/district/310112": 200, "/district/310112?year=2013": 200, "/district/310000": 200,
    "/network": 200, "/network?district=闵行区&year=2024": 200, "/network?geo=true": 200,
    "/network?district=泸水": 200, "/network?year=2030": 200, "/network?programme=program:east-west&year=2019": 200,
    "/changes": 200, "/changes?from=2020&to=2021&district=闵行区": 200, "/changes?from=2030&to=2031": 200,
    "/tasks": 200, "/tasks?district=闵行区&year=2024": 200, "/units": 200, "/documents": 200,
    "/document/hfhbf-2021-14": 200, "/document/mfbf-2024-20": 200, "/document/ndrc-2021-wanbei": 200,
    "/search?q=红河": 409, "/search?q=xyzq": 404, "/search?q=疗休养": 200,
    "/place/533301?year=abc": 422, "/no-such-page": 404, "/document/no-such-doc": 404,
}


class Visible(HTMLParser):
    """Collects (text, where) of what a reader sees or hears; lang="en" runs are checked against the
    Chinese of their block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.blocks: list[dict] = [{"tag": "body", "zh": "", "en": []}]
        self.texts: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self.in_head_title = False

    def _skipping(self) -> bool:
        return any(t in SKIP or "data-verbatim" in a for t, a in self.stack)

    def _in_en(self) -> bool:
        return any(a.get("lang") == "en" for _, a in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in VOID:
            if not self._skipping():
                for k in SHOWN_ATTRS:
                    if a.get(k):
                        self.texts.append((a[k], f"<{tag} {k}>"))
            return
        self.stack.append((tag, a))
        if tag == "script":
            self.scripts.append("")
        if self._skipping():
            return
        for k in SHOWN_ATTRS:
            if a.get(k):
                self.texts.append((a[k], f"<{tag} {k}>"))
        if tag in BLOCKS:
            self.blocks.append({"tag": tag, "zh": "", "en": []})

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            t, a = self.stack.pop()
            skipping = self._skipping() or t in SKIP or "data-verbatim" in a
            if t in BLOCKS and not skipping and len(self.blocks) > 1:
                self._close_block()
            if t == tag:
                break

    def _close_block(self):
        b = self.blocks.pop()
        for en in b["en"]:
            if not CJK.search(b["zh"]):
                self.texts.append((en, f"<{b['tag']}> English with no Chinese beside it"))
        self.blocks[-1]["zh"] += b["zh"]

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "script":
            self.scripts[-1] += data
            return
        if self._skipping() or not data.strip():
            return
        if self._in_en():
            self.blocks[-1]["en"].append(data)
        else:
            self.blocks[-1]["zh"] += data
            self.texts.append((data, f"<{self.stack[-1][0] if self.stack else 'body'}>"))


def visible_text(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    p = Visible()
    p.feed(html)
    p.close()
    while len(p.blocks) > 1:
        p._close_block()
    return p.texts, p.scripts


def drawn_text(scripts: list[str]) -> list[tuple[str, str]]:
    """The labels and tooltips a network's script draws, from its data block."""
    out = []
    for body in scripts:
        m = re.search(r"var data = (\{.*?\});\n", body, re.S)
        if not m:
            continue
        data = json.loads(m.group(1))
        for n in data["nodes"]:
            out += [(n.get("label", ""), "node label"), (n.get("title", ""), "node tooltip")]
        for e in data["edges"]:
            out += [(e.get("label", "") or "", "edge label"), (e.get("title", "") or "", "edge tooltip")]
    return out


def english_words(html: str, allowed: set[str]) -> list[tuple[str, str, str]]:
    texts, scripts = visible_text(html)
    found = []
    for text, where in texts + drawn_text(scripts):
        for w in WORD.findall(text):
            if w not in allowed:
                found.append((w, where, text.strip()[:80]))
    return found


@pytest.fixture(scope="module")
def allowed(aid):
    ids = {part for d in aid.documents() for part in re.findall(r"[A-Za-z]+", d.id)}
    return ALLOWED | ids


@pytest.mark.parametrize("url,status", list(PAGES.items()))
def test_no_english_only_word_on_any_page(client, allowed, url, status):
    r = client.get(url, headers={"accept": "text/html"})
    assert r.status_code == status, url
    assert r.headers["content-type"].startswith("text/html")
    typed = set(re.findall(r"[A-Za-z]+", url.split("?")[-1] if "?" in url else url.rsplit("/", 1)[-1]))
    found = english_words(r.text, allowed | typed)  # what the user typed is echoed as typed
    assert found == [], f"{url}: English-only words {found[:12]}"
    assert '<html lang="zh-CN">' in r.text


def test_the_scanner_catches_english(allowed):
    """The check has teeth: an English header, tooltip or alone-standing English label is caught; the
    same English beside Chinese, marked as such, passes."""
    page = '<html lang="zh-CN"><body><table><tr><th>Supporters</th></tr></table></body></html>'
    assert [w for w, *_ in english_words(page, allowed)] == ["Supporters"]
    assert english_words('<p title="part of">隶属</p>', allowed)
    assert english_words('<p><span lang="en">now</span></p>', allowed)
    assert english_words('<p>现行 <span lang="en">now</span></p>', allowed) == []
    script = '<script>var data = {"nodes": [{"id": "a", "label": "泸水", "title": "county"}], "edges": []};\n</script>'
    assert [w for w, *_ in english_words(script, allowed)] == ["county"]
    assert english_words('<div data-verbatim>www gov cn</div>', allowed) == []


def test_levels_periods_and_filters_are_chinese(client):
    page = client.get("/place/533301").text
    assert "县级 · 怒江傈僳族自治州 · 云南省" in page and "2021–至今" in page
    net = client.get("/network").text
    assert '<option value="">全部</option>' in net and "年（数据截至 2024-05-24）</option>" in net


def test_sources_show_the_document_number_and_title_and_link_to_the_item(client):
    page = client.get("/place/533301").text
    assert ('<a class="cite" href="/document/hfhbf-2021-14"><span class="docno">沪府合办发〔2021〕14号</span>'
            '《上海对内开放与合作交流“十四五”规划》</a> '
            '<a class="cite loc" href="/document/hfhbf-2021-14#表7">表7') in page
    doc = client.get("/document/hfhbf-2021-14").text
    assert 'id="表7"' in doc and "沪府合办发〔2021〕14号" in doc and "上海市人民政府合作交流办公室" in doc


def test_every_locator_the_sources_name_is_anchored_on_its_document_page(aid, client):
    """Each source's table or item (表7, 一(一)1, 附录注释2, 任务3, 保障措施(二), (三) …) is an anchor of
    its document's page."""
    wanted: dict[str, set[str]] = {}
    for _, data in aid.graph().g.nodes(data=True):
        for doc, loc in split_refs(data.get("source")):
            if loc and doc not in ("gbt2260", "ndrc-2021-wanbei"):
                wanted.setdefault(doc, set()).add(loc.split(" ")[0])
    assert {"表7", "一(一)1", "附录注释2"} <= wanted["hfhbf-2021-14"]
    missing = {}
    for doc, locs in wanted.items():
        page = client.get(f"/document/{doc}").text
        ids = set(re.findall(r' id="([^"]+)"', page))
        gone = sorted(loc for loc in locs if loc not in ids)
        if gone:
            missing[doc] = gone
    assert missing == {}


def test_anchors_follow_the_document_structure():
    lines = anchored_lines("一、总体要求\n\n（一）指导思想\n1. 第一项\n表3 某表\n"
                           "二、工作任务\n（一）组织\n1. 加强\n三、保障措施\n（一）提升\n")
    ids = [i for _, ids, _ in lines for i in ids]
    assert ids == ["一", "一(一)", "(一)", "一(一)1", "表3", "二", "二(一)", "二(一)1", "任务1", "三", "三(一)",
                   "保障措施(一)"]


def test_documents_list_and_a_document_not_held(client):
    page = client.get("/documents").text
    for number in ("沪府合办发〔2021〕14号", "闵府办发〔2024〕20号", "沪府发〔2007〕11号"):
        assert number in page
    assert "/document/ndrc-2021-wanbei" in page
    wanbei = client.get("/document/ndrc-2021-wanbei").text
    assert "沪苏浙城市结对合作帮扶皖北城市实施方案" in wanbei and "国家发展改革委" in wanbei
    assert "未收录全文" in wanbei and "doc-text" not in wanbei


def test_year_controls_say_where_the_sources_are_silent(aid):
    from aidgraph.graph_api.runtime import open_aidgraph
    from aidgraph.settings import Settings
    pinned = open_aidgraph("embedded", settings=Settings(as_of=2026))  # "now" is 2026 for this test
    client = TestClient(create_app(pinned))
    ys = years_of(pinned)
    assert ys.silent == ["2011–2015"]  # 十一五 ends 2010, the 十三五 review starts 2016
    for url in ("/network", "/place/533301", "/district/310112"):
        page = client.get(url).text
        assert "2013（无资料）" in page and "2011–2015 年" in page, url
    page = client.get("/network", params={"year": 2013}).text
    assert "来源文件未涉及 2013 年" in page
    page = client.get("/network", params={"year": 2030}).text  # answered for 2030, as the API would
    assert "2030 年：数据截至 2024-05-24；此后未见调整，按现行结对处理。" in page
    assert "2026（数据截至后）" in page and "2025（数据截至后）" in page


def test_a_name_that_is_not_a_district_says_what_it_is(client):
    page = client.get("/network", params={"district": "泸水"}).text
    assert "泸水市是县级行政区；其支援方为浦东新区（东西部协作）。" in page
    assert 'href="/place/533301"' in page


def test_every_page_has_a_skip_link_a_search_label_and_print_styles(client):
    page = client.get("/").text
    assert '<a class="skip" href="#main">' in page and '<main id="main"' in page
    assert '<label for="q">' in page
    css = client.get("/static/site.css").text
    assert "@media print" in css and "@page" in css and "@media screen and (max-width: 700px)" in css


def test_the_footer_gives_the_datas_date(aid, client):
    newest = max(d.date for d in aid.documents())
    assert f"数据截至 {newest}" in client.get("/").text


def test_api_docs_come_from_the_app(client):
    for url in ("/docs", "/redoc"):
        page = client.get(url).text
        srcs = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert srcs and all(s.startswith("/") for s in srcs), (url, srcs)
        for s in srcs:
            if s.startswith("/static/"):
                assert client.get(s).status_code == 200, s


def test_pages_serve_the_font_subset_they_name(client):
    page = client.get("/district/310112").text
    url = re.search(r'@font-face \{ font-family: "AidgraphCJK"; src: url\("([^"]+)"\)', page).group(1)
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "font/woff2"
    assert r.content[:4] == b"wOF2" and len(r.content) < 250_000  # one weight, brotli: the home's budget
    assert "font-display: swap" in page  # the text shows at once, in a system font until this one arrives
    import io

    from fontTools.ttLib import TTFont
    cmap = TTFont(io.BytesIO(r.content)).getBestCmap()
    for ch in "闵行区泽普县疗休养沪府合办发〔〕":
        assert ord(ch) in cmap, ch


def test_standalone_html_inlines_the_font_subset_it_needs(aid):
    import base64
    import io

    from fontTools.ttLib import TTFont

    from aidgraph.viz.graph_views import network_view
    from aidgraph.viz.network import standalone_html
    view = network_view(aid, aid.pairings(supporter="310112"), title="闵行区 结对关系")
    html = standalone_html(view)
    m = re.search(r'font-family: "AidgraphCJK"; src: url\("data:font/woff2;base64,([^"]+)"\)', html)
    assert m
    cmap = TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap()
    for n in view.nodes:
        assert all(ord(c) in cmap for c in n["label"]), n["label"]
    assert ord("闵") in cmap and ord("鑫") not in cmap  # only the glyphs used


def _contrast(a: str, b: str) -> float:
    def lum(h):
        def f(c):
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b_ = (int(h[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b_)
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_footer_and_district_labels_read_at_4_5_to_1(client, aid):
    """WCAG AA: the footer's grey on white, and a district's name on its box as the page draws it."""
    css = client.get("/static/site.css").text
    footer = re.search(r"^footer \{[^}]*color: (#[0-9a-fA-F]{6})", css, re.M).group(1)
    assert _contrast(footer, "#ffffff") >= 4.5, footer
    page = client.get("/district/310112").text
    data = json.loads(re.search(r"var data = (\{.*?\});\n", page, re.S).group(1))
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))
    ink = options["nodes"]["font"]["color"]
    district = next(n for n in data["nodes"] if n["id"] == "place:310112")
    assert district["shape"] == "box"  # the label is drawn inside, on the box's fill
    assert _contrast(ink, district["color"]["background"]) >= 4.5
    assert district["font"]["size"] > max(n["font"]["size"] for n in data["nodes"] if n["id"].startswith("place:53"))


def test_the_page_not_found_is_chinese_only(client):
    """No English at all on a 404 page, not even as a secondary label (the API's problem keeps both)."""
    for url in ("/no-such-page", "/document/no-such-doc", "/place/xyzq"):
        r = client.get(url, headers={"accept": "text/html"})
        assert r.status_code == 404 and "not found" not in r.text, url
        main = r.text.split('<main id="main" tabindex="-1">')[1].split("</main>")[0]
        typed = set(re.findall(r"[A-Za-z]+", url))  # what the user asked for is echoed as typed
        assert 'lang="en"' not in main and english_words(main, typed) == [], url
        assert CJK.search(main), url


def test_period_notes_are_shown_in_chinese_and_no_internal_path_anywhere(client, aid):
    """The curated period notes are shown in Chinese (the English stays in the table's period_note_en
    column), and no page names a folder of the project's own (shared/seeds, data/sources)."""
    page = client.get("/place/530800?year=2005").text  # 曲靖市 under the 2001-2010 areas
    assert "时期说明：十五时期（2001—2005年）所列地区" in page
    page = client.get("/place/653125?year=2020").text  # 莎车县, paired through the 十三五 period
    assert "时期说明：整个十三五时期（2016—2020年）均有效" in page and "in force through" not in page
    urls = ["/", "/documents", *(f"/document/{d.id}" for d in aid.documents())]
    for url in urls:
        text = client.get(url).text
        assert "shared/seeds" not in text and "data/sources" not in text, url
    assert "公开发布的规划（PDF）的纯文本" in client.get("/document/hfhbf-2021-14").text


def test_api_docs_are_titled_in_chinese_and_ask_no_other_host(client):
    for url in ("/docs", "/redoc"):
        assert "<title>上海对口帮扶知识图谱 接口文档</title>" in client.get(url).text, url
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "上海对口帮扶知识图谱 接口" and CJK.search(spec["info"]["description"])
    assert all(CJK.search(t["description"]) for t in spec["tags"])
    used = {t for path in spec["paths"].values() for op in path.values() for t in op.get("tags", [])}
    assert used and used <= {t["name"] for t in spec["tags"]}  # every group the docs show is described
    redoc = client.get("/redoc").text
    [script] = re.findall(r'<script src="([^"]+)"', redoc)
    js = client.get(script).text
    assert "cdn.redoc.ly" not in js and "redocly logo" in js  # ReDoc itself, its logo without an address
    for url in ("/docs", "/redoc"):  # no address of another host anywhere in the page
        page = client.get(url).text
        assert re.findall(r"(?:https?:)?//[\w.-]+", page) == [], url
    assert "接口文档需要浏览器启用 JavaScript" in redoc  # the page without scripts says so in Chinese
    assert '"validatorUrl": null' in client.get("/docs").text  # Swagger UI asks no outside validator


def test_every_api_operation_is_documented_chinese_first(client):
    """What /docs and /redoc show of each operation — its group, summary, description and each parameter —
    starts in Chinese (the English may follow in brackets)."""
    spec = client.get("/openapi.json").json()
    ops = [(f"{m.upper()} {path}", op) for path, item in spec["paths"].items() for m, op in item.items()]
    assert len(ops) >= 15  # the API: places, districts, tasks, units, changes, documents, imports, agreements, …
    first_cjk = re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff]")  # Chinese before any Latin letter

    def chinese_first(text: str | None) -> bool:
        return bool(text and first_cjk.search(text))
    assert [n for n, op in ops if not chinese_first(op.get("summary"))] == []
    assert [n for n, op in ops if not chinese_first(op.get("description"))] == []
    params = [(n, p["name"]) for n, op in ops for p in op.get("parameters", [])
              if not chinese_first(p.get("description"))]
    assert params == []
    assert all(chinese_first(t["name"]) and chinese_first(t["description"]) for t in spec["tags"]), spec["tags"]
    assert spec["paths"]["/api/places/{name}/supporters"]["get"]["summary"] == "谁支援这个地方（Supporters of a place）"
    assert spec["paths"]["/api/places/{name}/supporters"]["get"]["tags"] == ["地点（places）"]


def test_a_districts_workbook_is_chinese_in_its_tabs_and_notes(client, allowed):
    import io

    from openpyxl import load_workbook
    r = client.get("/api/export", params={"view": "pairings", "center": "310115", "year": 2020, "format": "xlsx"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "结对关系" and "来源文件" in wb.sheetnames  # (no tasks for it in 2020)
    assert set(wb.sheetnames) <= {"结对关系", "工作任务", "单位", "合作协议", "来源文件"}
    ws = wb["结对关系"]
    head = [c.value for c in ws[1]]
    notes = [row[head.index("说明")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ("整个十三五时期（2016—2020年）均有效（见一(一)1和附录注释2；云南省以外的结对2021年起不变）；"
            "更早的起始年份未写明") in notes  # 浦东新区's pairings in Xinjiang, Tibet
    for name in wb.sheetnames:
        for text in [name, *(str(v) for row in wb[name].iter_rows(values_only=True) for v in row if v)]:
            if name == "结对关系" or text in notes:
                assert not [w for w in WORD.findall(text) if w not in allowed], (name, text)
