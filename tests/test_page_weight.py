"""What a page costs a slow link: every byte a first visit moves (the page, its styles, scripts and font,
as compressed on the wire, headers included), weighed by headless Chromium with its cache off, against
the budgets of issue 21: home <= 250 KB, a place's or a district's page <= 500 KB. Timings are not
asserted here (they depend on the machine): bench/bench_page_weight.py measures them, throttled."""
import urllib.parse

import pytest
from test_browser import _browser, _server

BUDGETS = {"/": 250_000, "/place/泸水市": 500_000, "/district/闵行区": 500_000, "/district/浦东新区": 500_000}

# every resource of the page and the page itself, once all have arrived and the font is in use
WEIGH = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  done({page: nav.transferSize, fonts: document.fonts.check('16px AidgraphCJK', '闵'),
        items: res.map(r => [r.name, r.transferSize, r.encodedBodySize, r.decodedBodySize])});
});
"""


def weigh(drv, url: str) -> dict:
    """The bytes a first visit to ``url`` moves: {"total", "page", "items": [(url, transferred, body,
    decoded)], "fonts"} (cache off, so nothing is counted as already held)."""
    drv.execute_cdp_cmd("Network.enable", {})
    drv.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    drv.get(url)
    got = drv.execute_async_script(WEIGH)
    total = got["page"] + sum(i[1] for i in got["items"])
    return {"total": total, **got}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("weight")
    proc, base = _server(None, tmp / "serve.log")
    drv = _browser(tmp / "downloads")
    drv.set_script_timeout(120)  # the first request makes the font subset
    yield drv, base
    drv.quit()
    proc.terminate()
    proc.wait(10)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_a_first_visit_moves_no_more_than_the_budget(served, path):
    drv, base = served
    w = weigh(drv, base + urllib.parse.quote(path))
    assert w["fonts"], "the page's font was not in use"
    names = [urllib.parse.urlsplit(i[0]).path for i in w["items"]]
    assert any(n.endswith(".woff2") for n in names), names  # the font counts in the weight
    assert w["total"] <= BUDGETS[path], (path, w["total"], w["items"])
    # compressed on the wire: the page and each script or style sheet move fewer bytes than they hold
    for name, _sent, body, decoded in w["items"]:
        if name.split("?")[0].endswith((".js", ".css")):
            assert body < decoded, (name, body, decoded)


def test_vis_network_only_where_a_network_is_drawn(served):
    drv, base = served
    home = weigh(drv, base + "/")
    assert not [i[0] for i in home["items"] if "vis-network" in i[0]]
    place = weigh(drv, base + urllib.parse.quote("/place/泸水市"))
    assert [i[0] for i in place["items"] if "vis-network.min.js" in i[0]]


def test_static_files_are_kept_only_by_the_address_of_their_bytes(client, tmp_path):
    """A page names /static/site.css?v=<first 12 hex digits of the file's SHA-256>: that answer may be kept
    a year; the same file asked without it, or by an old hash (a page from before an upgrade), must be
    revalidated (ETag), so a new version is never hidden behind a stale one."""
    import hashlib
    import re
    from pathlib import Path

    import aidgraph.graph_api as api
    page = client.get("/").text
    url = re.search(r'href="(/static/site\.css\?v=[0-9a-f]+)"', page).group(1)
    expected = hashlib.sha256((Path(api.__file__).parent / "static" / "site.css").read_bytes()).hexdigest()[:12]
    assert url == f"/static/site.css?v={expected}"
    kept = client.get(url)
    assert kept.status_code == 200 and kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    for stale in ("/static/site.css", "/static/site.css?v=000000000000", "/static/apidocs/redoc.standalone.js"):
        r = client.get(stale)
        assert r.status_code == 200 and r.headers["cache-control"] == "no-cache", stale
        assert r.headers["etag"]
        again = client.get(stale, headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_pages_and_scripts_go_compressed(client):
    for url in ("/", "/district/310112", "/static/site.js", "/openapi.json"):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("content-encoding") == "gzip", url
    plain = client.get("/static/site.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
