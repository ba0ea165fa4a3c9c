"""Headless Chromium (Debian's chromium + chromium-driver, installed by `make test`)
against `aidgraph serve`, with every host but 127.0.0.1 unreachable from the page.
Fails, never skips, when the browser is missing."""
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from neo4jserver import free_port
from selenium import webdriver
from selenium.common.exceptions import UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def _server(data_dir: Path | None, log: Path):
    port = free_port()
    env = dict(os.environ)
    if data_dir:
        env["AIDGRAPH_DATA"] = str(data_dir)
    env["AIDGRAPH_STORE"] = "embedded"
    with open(log, "wb") as out:  # the server writes to its own copy of the file descriptor
        proc = subprocess.Popen([sys.executable, "-m", "aidgraph.graph_api.cli", "serve", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=2)
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            pass
        try:  # a moment's wait for the process to exit, the other way this can end
            proc.wait(timeout=0.3)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"aidgraph serve exited:\n{log.read_text(errors='replace')[-2000:]}")
    proc.kill()
    pytest.fail("aidgraph serve did not answer within 60 s")


def _browser(download_dir: Path):
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("Chromium and chromedriver are needed "
                    "(Debian packages chromium, chromium-driver; `make test` installs them)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                # the page may reach 127.0.0.1 only: no name resolves, and any other address goes to a dead proxy
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=http://127.0.0.1:9"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                           "download.prompt_for_download": False})
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    drv.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return drv


@pytest.fixture
def browser(tmp_path):
    drv = _browser(tmp_path / "downloads")
    yield drv
    drv.quit()


def _shot(drv, output_dir, name):
    drv.save_screenshot(str(output_dir / f"{name}.png"))


def _only_local_resources(drv, base):
    urls = drv.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(base) for u in urls), urls


def test_search_place_network_and_xlsx(browser, tmp_path, output_dir, aid):
    proc, base = _server(None, tmp_path / "serve.log")
    try:
        wait = WebDriverWait(browser, 30)
        browser.get(base + "/")
        box = browser.find_element(By.ID, "q")
        box.send_keys("泸水", Keys.ENTER)
        wait.until(EC.text_to_be_present_in_element((By.ID, "place-name"), "泸水市"))
        assert browser.current_url.endswith("/place/533301")
        assert "浦东新区" in browser.find_element(By.CSS_SELECTOR, "table.supporters").text
        _only_local_resources(browser, base)
        _shot(browser, output_dir, "place-lushui")

        browser.get(base + "/network")
        expected = int(browser.find_element(By.ID, "network").get_attribute("data-node-count"))
        from aidgraph.viz.views import build_view  # the page draws the named view: every programme, now
        want = len(build_view(aid, "programme", None).nodes)
        assert expected == want > 100
        drawn = wait.until(lambda d: d.execute_script(
            "var n = window.aidNetworks && window.aidNetworks.network;"
            "return n ? Object.keys(n.body.nodes).length : 0;"))
        assert drawn == want
        positions = browser.execute_script("return Object.keys(window.aidNetworks.network.getPositions()).length")
        assert positions == want
        _only_local_resources(browser, base)
        _shot(browser, output_dir, "network")

        browser.get(base + "/place/533301")
        browser.find_element(By.CSS_SELECTOR, "a.download[data-format='xlsx']").click()
        downloads = tmp_path / "downloads"
        files = WebDriverWait(browser, 30).until(lambda d: sorted(downloads.glob("*.xlsx")),
                                                 "the XLSX download did not arrive within 30 s")
        import openpyxl
        wb = openpyxl.load_workbook(files[0])
        rows = list(wb["结对关系"].iter_rows(min_row=2, values_only=True))
        assert ("浦东新区", "泸水市") in [(r[0], r[1]) for r in rows]
    finally:
        proc.terminate()
        proc.wait(10)


PAYLOAD_DOC = """徐汇区人民政府办公室文件
徐府办发〔2025〕9号
徐汇区2025年东西部协作和对口支援工作要点
一、工作目标
测试页面安全。
二、工作任务
（一）测试<script>window.__xss=1</script>
1. 支持泽普<img src=x onerror="window.__xss=2">发展。做好<a href="javascript:window.__xss=3">对接</a>工作，\
见<a href=x>href</a>。
牵头单位：区合作交流办<script>window.__xss=4</script>；责任单位：区<img src=x onerror=window.__xss=5>局、援外机构
2025年1月1日
"""


def _network_drawn(drv, element_id="network"):
    """The page's network is drawn with every node and has stopped moving (physics switched off); the
    map's bundles of arcs add their fan-out points, which are no nodes of the graph."""
    return drv.execute_script(
        "var el = document.getElementById(arguments[0]);"
        "var n = window.aidNetworks && window.aidNetworks[arguments[0]];"
        "if (!el || !n) return false;"
        "var drawn = n.body.data.nodes.get({filter: function (x) { return !x.trunk; }}).length;"
        "return drawn == +el.dataset.nodeCount && n.physics.options.enabled === false;",
        element_id)


def _settled(drv, wait):
    """The page has loaded, its network (if any) is drawn, and an image with a missing source added
    last has failed: a document image (parsed as HTML) would have had its onerror by then."""
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete", "the page did not load")
    if drv.find_elements(By.CSS_SELECTOR, ".aid-network"):
        wait.until(_network_drawn, f"the network on {drv.current_url} was not drawn (a script error?)")
    drv.execute_script("window.__sentinel = false; var i = new Image();"
                       "i.onerror = function () { window.__sentinel = true; };"
                       "i.src = 'missing-sentinel-' + Date.now() + '.png';")
    wait.until(lambda d: d.execute_script("return window.__sentinel === true"), "the sentinel image never failed")


def _xss_flag(drv):
    return drv.execute_script("return window.__xss === undefined ? null : window.__xss")


def _hover_tooltip(drv, wait, label):
    """Hover the node labelled ``label`` in the page's network; the text of the tooltip shown."""
    node_id = drv.execute_script(
        "var n = window.aidNetworks.network, want = arguments[0];"
        "var hit = n.body.data.nodes.get().filter(function (x) { return x.label === want; });"
        "if (hit.length !== 1) return null;"
        "n.focus(hit[0].id, {scale: 1.0, animation: false});"  # the node at the middle of the canvas
        "return hit[0].id;", label)
    assert node_id, f"no node labelled {label!r} in the network"
    canvas = drv.find_element(By.CSS_SELECTOR, "#network canvas")
    drv.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)

    def shown(d):
        ActionChains(d).move_to_element_with_offset(canvas, 1, 1).move_to_element(canvas).perform()
        tips = [t for t in d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip") if t.is_displayed()]
        return tips[0].text if tips and tips[0].text.strip() else False
    return wait.until(shown, f"no tooltip appeared over {node_id}")


HOSTILE_UNIT = "区<img src=x onerror=window.__xss=5>局"


def test_text_from_documents_never_runs_as_script(browser, tmp_path, output_dir, cli, data_copy):
    doc = tmp_path / "xss.txt"
    doc.write_text(PAYLOAD_DOC, encoding="utf-8")
    res = cli("import-doc", str(doc))
    assert res.exit_code == 0, res.stderr
    units = [u.name for u in __import__("aidgraph.graph_api.runtime", fromlist=["x"]).open_aidgraph().unit(
        HOSTILE_UNIT)]
    assert units == [HOSTILE_UNIT]
    wait = WebDriverWait(browser, 30)
    proc, base = _server(data_copy, tmp_path / "serve.log")
    try:
        for i, page in enumerate(["/district/310104", "/place/653124", "/network?district=徐汇区"]):
            try:
                browser.get(base + page)
                _settled(browser, wait)
                flag = _xss_flag(browser)
            except UnexpectedAlertPresentException:
                pytest.fail(f"an alert ran on {page}")
            assert flag is None, f"script from the document ran on {page}: {flag}"
            assert not browser.find_elements(By.CSS_SELECTOR,
                                             "main img, body > img, td img, td script, td a[href^='javascript']")
            _shot(browser, output_dir, f"xss-{i}")
        browser.get(base + "/district/310104")
        _settled(browser, wait)
        tasks = browser.find_element(By.CSS_SELECTOR, "table.tasks").text
        assert "<script>window.__xss=4</script>" in tasks and HOSTILE_UNIT in tasks
        # the standalone HTML export, as downloaded, opened from the disk
        with urllib.request.urlopen(base + "/api/export?center=310104&hops=2&format=html", timeout=60) as r:
            export = tmp_path / "export.html"
            export.write_bytes(r.read())
    finally:
        proc.terminate()
        proc.wait(10)
    try:
        browser.get(export.as_uri())
        _settled(browser, wait)
        drawn = browser.execute_script("return Object.keys(window.aidNetworks.network.body.nodes).length")
        assert drawn > 5  # the export's subgraph is on the page, not a blank one
        tip = _hover_tooltip(browser, wait, HOSTILE_UNIT)
        _shot(browser, output_dir, "xss-export")
        flag = _xss_flag(browser)
    except UnexpectedAlertPresentException:
        pytest.fail("an alert ran in the exported HTML file")
    assert flag is None, f"script from the document ran in the exported HTML file: {flag}"
    assert tip.splitlines()[0] == HOSTILE_UNIT  # shown as text, tags and all
    assert browser.execute_script("return document.images.length") == 0
    assert browser.execute_script("return document.scripts.length") == 2  # vis-network and the data block
    # the same text parsed as HTML does run in this page: the check above had something to catch
    browser.execute_script("var d = document.createElement('div'); d.innerHTML = arguments[0];"
                           "document.body.appendChild(d);", HOSTILE_UNIT)
    assert wait.until(lambda d: _xss_flag(d), "the control payload did not run") == 5


# -- the meeting-ready pages: the explorer, its downloads, search, offline fonts, phones ------------------
@pytest.fixture
def server(tmp_path):
    proc, base = _server(None, tmp_path / "serve.log")
    yield base
    proc.terminate()
    proc.wait(10)


def _screen_nodes(drv, element_id="network"):
    return set(drv.execute_script("return window.aidNetworks[arguments[0]].body.data.nodes.getIds();", element_id))


def _download(drv, downloads: Path, fmt: str, suffix: str, timeout: float = 60):
    before = set(downloads.glob(f"*{suffix}")) if downloads.exists() else set()
    drv.find_element(By.CSS_SELECTOR, f"a.download[data-format='{fmt}']").click()
    busy = WebDriverWait(drv, 10).until(lambda d: d.find_element(By.ID, "busy").is_displayed() or
                                        d.find_element(By.ID, "busy-text").text.startswith("已下载"))
    assert busy
    return WebDriverWait(drv, timeout).until(
        lambda d: [p for p in (set(downloads.glob(f"*{suffix}")) - before) if p.stat().st_size > 0],
        f"the {fmt} download did not arrive within {timeout} s")[0]


def test_network_filtered_to_minhang_2024_downloads_what_is_on_screen(browser, server, tmp_path, output_dir):
    from selenium.webdriver.support.ui import Select
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/network")
    wait.until(_network_drawn)
    Select(browser.find_element(By.ID, "f-district")).select_by_visible_text("闵行区")
    Select(browser.find_element(By.ID, "f-year")).select_by_value("2024")
    browser.find_element(By.ID, "f-submit").click()
    wait.until(lambda d: "district=" in d.current_url and "year=2024" in d.current_url)
    wait.until(_network_drawn)
    on_screen = _screen_nodes(browser)
    # 表7: 闵行区 with 施甸县, 昌宁县, 隆阳区, 龙陵县 (保山市), 大关县, 永善县, 盐津县, 绥江县 (昭通市),
    # 泽普县 (喀什地区);
    # the northern-Anhui programme: 淮南市
    for nid in ("place:310112", "place:530521", "place:530524", "place:530502", "place:530523", "place:530624",
                "place:530625", "place:530623", "place:530626", "place:653124", "place:340400"):
        assert nid in on_screen, nid
    table = {r.get_attribute("data-node") for r in browser.find_elements(By.CSS_SELECTOR, "#network-table tbody tr")}
    assert table == on_screen  # the text alternative lists the same nodes
    _shot(browser, output_dir, "network-minhang-2024")
    downloads = tmp_path / "downloads"
    png = _download(browser, downloads, "png", ".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    got = _download(browser, downloads, "json", ".json")
    import json
    data = json.loads(got.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == on_screen


def test_clicking_a_county_node_opens_its_page(browser, server):
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/network?district=闵行区&year=2024")
    wait.until(_network_drawn)
    canvas = browser.find_element(By.CSS_SELECTOR, "#network canvas")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    x, y, w, h = browser.execute_script(
        "var n = window.aidNetworks.network, p = n.getPositions(['place:653124'])['place:653124'];"
        "var d = n.canvasToDOM(p), c = n.canvas.frame.canvas.getBoundingClientRect();"
        "return [d.x, d.y, c.width, c.height];")
    assert 0 < x < w and 0 < y < h
    ActionChains(browser).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()
    wait.until(lambda d: d.current_url.endswith("/place/653124"), "the county's page did not open")
    assert wait.until(EC.text_to_be_present_in_element((By.ID, "place-name"), "泽普县"))


def test_search_suggests_kashi_and_opens_it(browser, server, output_dir):
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("喀什")
    option = wait.until(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#q-list li[role=option]")
                                        if li.is_displayed() and "喀什地区" in li.text), False),
                        "喀什地区 was not suggested")
    assert "地级" in option.text and "新疆维吾尔自治区" in option.text
    _shot(browser, output_dir, "search-kashi")
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.send_keys(Keys.ENTER)
    wait.until(lambda d: d.current_url.endswith("/place/653100"))
    assert wait.until(EC.text_to_be_present_in_element((By.ID, "place-name"), "喀什地区"))


@pytest.mark.parametrize("width", [1440, 390])
def test_suggestions_for_a_pinyin_start_stay_inside_the_screen(browser, server, output_dir, width):
    """lu: the places whose pinyin starts so, each saying how it was found; on a phone the list stays
    within the screen's edges (it used to run off the left one)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": width < 600})
    wait = WebDriverWait(browser, 30)
    browser.get(server + "/")
    browser.find_element(By.ID, "q").send_keys("lu")
    wait.until(lambda d: any("泸水市" in li.text for li in d.find_elements(By.CSS_SELECTOR, "#q-list li[role=option]")
                             if li.is_displayed()), "泸水市 was not suggested for lu")
    _shot(browser, output_dir, f"search-lu-{width}")
    left, right = browser.execute_script(
        "var r = document.getElementById('q-list').getBoundingClientRect(); return [r.left, r.right];")
    assert left >= 0 and right <= width, (left, right)
    first = browser.find_element(By.CSS_SELECTOR, "#q-list li[role=option]")
    assert "按“lu”（拼音开头）匹配" in first.text


FONT_CHECK = """
return document.fonts.ready.then(function () {
  var faces = []; document.fonts.forEach(function (f) { faces.push(f); });
  var ours = faces.filter(function (f) { return f.family.replace(/["']/g, '') === 'AidgraphCJK'; });
  function ink(ch) {
    var c = document.createElement('canvas'); c.width = 48; c.height = 48;
    var x = c.getContext('2d'); x.font = '40px "AidgraphCJK"'; x.fillText(ch, 2, 40);
    return Array.prototype.join.call(x.getImageData(0, 0, 48, 48).data);
  }
  return {loaded: ours.some(function (f) { return f.status === 'loaded'; }),
          check: document.fonts.check('12px "AidgraphCJK"', '闵行'),
          distinct: ink('闵') !== ink('行'),
          family: getComputedStyle(document.querySelector('h1, h2, .swagger-ui, body')).fontFamily};
});
"""


def _shows_chinese(drv):
    got = drv.execute_script(FONT_CHECK)
    assert got["loaded"] and got["check"] and got["distinct"], got
    assert got["family"].replace('"', "").startswith("AidgraphCJK"), got


OFFLINE_PAGES = ["/", "/place/533301", "/district/310112", "/network", "/network?geo=true", "/tasks", "/units",
                 "/documents", "/document/hfhbf-2021-14", "/search?q=红河"]


def test_every_page_docs_and_the_standalone_html_work_offline_with_chinese_glyphs(browser, server, tmp_path,
                                                                                   output_dir):
    """No system CJK font is needed (this machine has none): the glyphs come from the served subset."""
    wait = WebDriverWait(browser, 30)
    for page in OFFLINE_PAGES:
        browser.get(server + page)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        if browser.find_elements(By.CSS_SELECTOR, ".aid-network"):
            wait.until(_network_drawn, f"the network on {page} was not drawn")
        _only_local_resources(browser, server)
        _shows_chinese(browser)
    browser.get(server + "/docs")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .info .title")))
    assert "上海对口帮扶知识图谱" in browser.find_element(By.CSS_SELECTOR, ".swagger-ui .info .title").text
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    _only_local_resources(browser, server)
    _shows_chinese(browser)
    _shot(browser, output_dir, "docs-offline")
    browser.get(server + "/redoc")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "redoc h1")))
    assert "上海对口帮扶知识图谱" in browser.find_element(By.CSS_SELECTOR, "redoc h1").text
    wait.until(lambda d: "谁支援这个地方" in d.find_element(By.TAG_NAME, "redoc").text)
    _only_local_resources(browser, server)  # ReDoc's script, the font, the spec: nothing from another host
    _shows_chinese(browser)
    _shot(browser, output_dir, "redoc-offline")
    with urllib.request.urlopen(server + "/api/export?center=310112&hops=1&format=html", timeout=60) as r:
        export = tmp_path / "standalone.html"
        export.write_bytes(r.read())
    browser.get(export.as_uri())
    wait.until(_network_drawn)
    urls = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(u.startswith(("data:", "file:")) for u in urls), urls
    _shows_chinese(browser)
    _shot(browser, output_dir, "standalone-offline")


PHONE_PAGES = ["/", "/place/533301", "/district/310112", "/network", "/network?district=闵行区", "/tasks", "/units",
               "/documents", "/document/hfhbf-2021-14", "/document/ndrc-2021-wanbei", "/search?q=疗休养"]


def test_pages_fit_a_phone_without_sideways_scrolling(browser, server, output_dir):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    wait = WebDriverWait(browser, 30)
    for i, page in enumerate(PHONE_PAGES):
        browser.get(server + page)
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        if browser.find_elements(By.CSS_SELECTOR, ".aid-network"):
            wait.until(_network_drawn)
            width = browser.execute_script(
                "return document.querySelector('.aid-network').getBoundingClientRect().right")
            assert width <= 390, (page, width)
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= 390, (page, wide)
        _shot(browser, output_dir, f"phone-{i}")
