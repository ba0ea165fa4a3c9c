"""Tables people read and print, and exports that hold what their page shows (issue 21, items 6–8):
the 喀什地区 XLSX and handout list its tasks and front-line organisations as its page does; 淮南市 is
its own prefecture; 终止年 holds years only; tasks in the order of their numbers; a district without
work points says so; each document once per table row; on a phone 闵行区's page is at most four
screens, no name, year or number is broken per character, and a swipe over the picture scrolls."""
import io
import re

import openpyxl
import pytest
from selenium.webdriver.support.ui import WebDriverWait
from test_browser import _browser, _network_drawn, _server, _shot

from aidgraph.viz.formats.pdf import handout_pages, page_words
from aidgraph.viz.views import build_view


def _book(client, **params) -> openpyxl.Workbook:
    r = client.get("/api/export", params={**params, "format": "xlsx"})
    assert r.status_code == 200, r.text
    return openpyxl.load_workbook(io.BytesIO(r.content))


def _rows(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


# -- exports equal pages ----------------------------------------------------------------------------
def test_kashgar_workbook_has_the_tasks_and_front_line_organisations_its_page_shows(client):
    page = client.get("/place/653100", params={"year": 2024}).text
    # the page: 静安 2022 任务9 and 闵行 2024 任务13 name it; 静安 and 闵行 have front-line organisations
    assert "深化产业合作促进就业" in page and "加强旅游消费力度" in page and "前方工作机构" in page
    wb = _book(client, view="supporters", center="喀什地区", year=2024)
    tasks = [(t["区"], t["年度"], t["序号"], t["任务"]) for t in _rows(wb["工作任务"])]
    # by district (静安区 310106 before 闵行区 310112), year and number
    assert tasks == [("静安区", 2022, 9, "深化产业合作促进就业"), ("闵行区", 2024, 13, "加强旅游消费力度")]
    front = {(u["区"], u["单位"], u["原文写法"]) for u in _rows(wb["单位"]) if u["类别"] == "前方工作机构"}
    assert front == {("静安区", "援外前方工作机构", "前方工作机构"), ("闵行区", "援外前方工作机构", "援外机构")}


def test_kashgar_handout_has_the_tasks_and_front_line_organisations(aid):
    view = build_view(aid, "supporters", "喀什地区", year=2024)
    words = [w for f in handout_pages(view).pages[1:] for w in page_words(f)]
    assert "二、前方工作机构（2 个）" in words and "援外前方工作机构" in words and "援外机构" in words
    assert "三、工作要点任务与牵头、责任单位（2 项）" in words
    assert "深化产业合作促进就业" in words and "加强旅游消费力度" in words and "区文旅局" in words


def test_a_prefecture_level_city_is_its_own_prefecture_and_years_are_numbers(client):
    rows = _rows(_book(client, view="pairings", center="闵行区", year=2024)["结对关系"])
    huainan = next(r for r in rows if r["受援地"] == "淮南市")
    assert (huainan["所属地州市"], huainan["所属省份"]) == ("淮南市", "安徽省")
    assert (huainan["起始年"], huainan["终止年"], huainan["至今"]) == (2021, 2030, "否")
    zepu = next(r for r in rows if r["受援地"] == "泽普县")
    assert (zepu["所属地州市"], zepu["终止年"], zepu["至今"]) == ("喀什地区", None, "是")
    whole = _rows(_book(client)["结对关系"])  # the whole graph's workbook too
    assert all(r["终止年"] is None or isinstance(r["终止年"], int) for r in whole)
    assert {r["至今"] for r in whole} == {"是", "否"}
    assert all((r["终止年"] is None) == (r["至今"] == "是") for r in whole)


def test_pairing_rows_by_programme_prefecture_and_place(client):
    rows = _rows(_book(client, view="pairings", center="闵行区", year=2024)["结对关系"])
    # 东西部协作 (保山市 530500 before 昭通市 530600, each county by its code: 盐津县 530623 … 绥江县
    # 530626), then 对口支援, then 皖北
    assert [r["受援地"] for r in rows] == ["隆阳区", "施甸县", "龙陵县", "昌宁县", "盐津县", "大关县", "永善县",
                                          "绥江县", "泽普县", "淮南市"]


def test_tasks_in_the_order_of_their_numbers(client):
    page = client.get("/district/310112", params={"year": 2024}).text
    numbers = [int(n) for n in re.findall(r'<td class="c-no">任务(\d+)', page)]
    assert numbers == list(range(1, 25))  # 任务2 before 任务10
    tasks = _rows(_book(client, view="pairings", center="闵行区", year=2024)["工作任务"])
    assert [t["序号"] for t in tasks] == list(range(1, 25))


def test_a_district_without_work_points_says_so(client, aid):
    for code, name in (("310115", "浦东新区"), ("310113", "宝山区")):
        page = client.get(f"/district/{code}", params={"year": 2024}).text
        assert f"来源文件中没有{name} 2024 年的工作要点" in page
        assert f"来源中没有{name} 2024 年的工作要点" in build_view(aid, "pairings", name, year=2024).tasks_note


def test_each_document_once_in_a_row(client):
    page = client.get("/place/653100", params={"year": 2024}).text
    table = page[page.index('<table class="supporters'):]
    table = table[:table.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 4
    for row in rows:  # 表7, 附录注释2 and 一(一)1 of one plan: the plan once, its three items after it
        assert row.count("沪府合办发〔2021〕14号") == 1
        assert row.count('class="cite loc"') == 3


# -- in the browser: a phone, and the words of a cell ---------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    proc, base = _server(None, tmp_path_factory.mktemp("serve") / "serve.log")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def phone(tmp_path):
    drv = _browser(tmp_path / "downloads")
    yield drv
    drv.quit()


def _open(drv, url: str, width: int) -> None:
    drv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600})
    drv.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": width < 600, "maxTouchPoints": 5})
    drv.get(url)
    wait = WebDriverWait(drv, 30)
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
    if drv.find_elements("css selector", ".aid-network"):
        wait.until(_network_drawn)
    drv.execute_script("return document.fonts.ready")


# the lines each cell's words take: a name, a year, a number or a document number is one line
LINES = """
var out = [];
document.querySelectorAll('td.c-no, .ctx, td.c-year, td.c-district, td.period, td.supporter, table a.unit, '
                          + 'table a.name, table .docno').forEach(function (el) {
  if (!el.offsetParent || el.closest('details:not([open]) > :not(summary)')) return;  // shown only
  // a task's number (on a phone its district and year follow on a line of their own)
  var range = document.createRange();
  range.selectNodeContents(el.matches('td.c-no') ? el.firstChild : el);
  var tops = {};
  Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) tops[Math.round(r.top)] = 1; });
  out.push([el.textContent.trim(), Object.keys(tops).length]);
});
return out;
"""


@pytest.mark.parametrize("width", [1440, 390])
def test_no_name_year_or_number_breaks_per_character(phone, served, output_dir, width):
    for path in ("/district/310112?year=2024", "/place/653100?year=2024", "/tasks?district=闵行区"):
        _open(phone, served + path, width)
        cells = phone.execute_script(LINES)
        assert len(cells) > 10, path
        broken = [text for text, lines in cells if lines > 1]
        assert broken == [], (path, width, broken)
        assert phone.execute_script("return document.documentElement.scrollWidth") <= width
    _shot(phone, output_dir, f"tables-{width}")


def test_minhang_fits_four_phone_screens_and_a_swipe_over_the_picture_scrolls(phone, served, output_dir):
    _open(phone, served + "/district/310112?year=2024", 390)
    height = phone.execute_script("return document.documentElement.scrollHeight")
    assert height <= 4 * 844, height
    _shot(phone, output_dir, "minhang-phone")
    x, y = phone.execute_script("""var el = document.querySelector('.aid-network');
                                   el.scrollIntoView({block: 'center'}); var r = el.getBoundingClientRect();
                                   return [r.left + r.width / 2, r.top + r.height / 2];""")
    before = phone.execute_script("return window.scrollY")

    def touch(kind, at):
        points = [] if kind == "touchEnd" else [{"x": x, "y": at, "id": 1}]
        phone.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
    touch("touchStart", y)
    for k in range(1, 16):  # a finger moving 225 px up over the picture
        touch("touchMove", y - 15 * k)
    touch("touchEnd", y - 225)
    WebDriverWait(phone, 5).until(lambda d: d.execute_script("return window.scrollY") > before + 100,
                                  "a vertical swipe over the picture did not scroll the page")


# -- the network picture's box, on a phone and on paper ----------------------------------------------
# the box of the picture and the top and bottom of what is drawn in it (its nodes), in pixels
PICTURE = """var c = document.querySelector('.aid-network'), n = window.aidNetworks[c.id], lo = 1e9, hi = -1e9;
Object.keys(n.getPositions()).forEach(function (i) {
  var b = n.getBoundingBox(i);
  lo = Math.min(lo, n.canvasToDOM({x: 0, y: b.top}).y);
  hi = Math.max(hi, n.canvasToDOM({x: 0, y: b.bottom}).y);
});
return {width: c.getBoundingClientRect().width, height: c.clientHeight, top: lo, bottom: hi};"""


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("code", ["310112", "310115"])  # 闵行区, 浦东新区
def test_the_pictures_box_fits_its_picture(phone, served, output_dir, width, code):
    """On a phone the layers are drawn smaller: the box shrinks with them, no empty band above or below."""
    _open(phone, served + f"/district/{code}?year=2024", width)
    p = phone.execute_script(PICTURE)
    assert p["top"] >= 0 and p["bottom"] <= p["height"], p  # all of it shows
    assert p["top"] <= 45 and p["height"] - p["bottom"] <= 45, p  # and a margin, no empty band
    _shot(phone, output_dir, f"picture-{code}-{width}")


A4_WIDTH_PX = 703  # A4's 210 mm less the print style sheet's two 12 mm margins, at 96 px per inch


def test_the_district_page_printed(phone, served, output_dir):
    """Printed on A4: no navigation, nothing wider than the paper, the picture drawn again at the paper's
    width and as tall as it then is, the timeline at its own size (9 pt text), no 'click to unfold'."""
    _open(phone, served + "/district/310112?year=2024", 1440)
    screen = phone.execute_script(PICTURE)
    phone.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": A4_WIDTH_PX, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    phone.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    shown = phone.execute_script("""return Array.prototype.filter.call(document.querySelectorAll(
          'header, nav, .search, .downloads, .filters, details.timeline-table, .screen-only'),
        function (el) { return el.getClientRects().length > 0; })
        .map(function (el) { return el.outerHTML.slice(0, 60); });""")
    assert shown == []
    assert phone.execute_script("return document.documentElement.scrollWidth") <= A4_WIDTH_PX
    p = phone.execute_script(PICTURE)
    assert p["width"] <= A4_WIDTH_PX and p["top"] >= 0 and p["bottom"] <= p["height"], p
    assert p["top"] <= 45 and p["height"] - p["bottom"] <= 45, p
    svg = phone.execute_script("var s = document.querySelector('svg.timeline');"
                               "return [s.getBoundingClientRect().width, Number(s.getAttribute('width'))];")
    assert svg[0] == svg[1], svg
    _shot(phone, output_dir, "minhang-print")
    phone.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 1440, "height": 844, "deviceScaleFactor": 1, "mobile": False})
    phone.execute_script("window.dispatchEvent(new Event('afterprint'))")
    assert phone.execute_script(PICTURE)["width"] == screen["width"]  # the screen's picture back
