"""What the home, a place's and a district's page weigh and how soon they paint on a slow link: headless
Chromium (Debian's chromium + chromedriver) against `aidgraph serve` with the seed data, its network
throttled by DevTools to --mbps down and up and --rtt ms latency per request (issue 21: 1.5 Mbps, 560 ms,
what a county office may have). For each page, a first visit (cache off): bytes moved as compressed on
the wire (headers included), first paint and first contentful paint, when the font arrived, load; then a
repeat visit with the cache on (what the cache headers save).

    .venv/bin/python bench/bench_page_weight.py [--mbps 1.5] [--rtt 560] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_avg, machine
from test_browser import _browser, _server
from test_page_weight import WEIGH

PAGES = ("/", "/place/泸水市", "/district/闵行区", "/district/浦东新区")

TIMES = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime]));
  const font = performance.getEntriesByType('resource').find(r => r.name.includes('.woff2'));
  done({fp: paint['first-paint'], fcp: paint['first-contentful-paint'], load: nav.loadEventEnd,
        font: font ? font.responseEnd : null});
});
"""


def visit(drv, url: str, cache: bool) -> dict:
    drv.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": not cache})
    drv.get(url)
    w = drv.execute_async_script(WEIGH)
    t = drv.execute_async_script(TIMES)
    return {"bytes": w["page"] + sum(i[1] for i in w["items"]), **t}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mbps", type=float, default=1.5)
    ap.add_argument("--rtt", type=float, default=560)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    print(machine())
    print(f"load average at start: {load_avg()}")
    tmp = Path(tempfile.mkdtemp())
    proc, base = _server(None, tmp / "serve.log")
    drv = _browser(tmp / "downloads")
    drv.set_script_timeout(300)
    try:
        drv.get(base + "/")  # the font subset is made by the first page's request: not part of a visit
        drv.execute_async_script(WEIGH)
        drv.execute_cdp_cmd("Network.enable", {})
        rate = a.mbps * 1_000_000 / 8
        drv.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": a.rtt, "downloadThroughput": rate, "uploadThroughput": rate})
        print(f"throttled: {a.mbps} Mbps, {a.rtt:.0f} ms latency; median of {a.runs} first visits (cache off)")
        print(f"{'page':<22}{'KB moved':>10}{'first paint':>13}{'FCP':>8}{'font in':>9}{'load':>8}"
              f"{'repeat KB':>11}{'repeat FCP':>12}")
        for path in PAGES:
            url = base + urllib.parse.quote(path)
            first = [visit(drv, url, cache=False) for _ in range(a.runs)]
            visit(drv, url, cache=True)  # fills the cache
            again = visit(drv, url, cache=True)

            def med(k, runs=first):
                return statistics.median(r[k] for r in runs if r[k] is not None)
            print(f"{path:<22}{med('bytes') / 1000:>10.1f}{med('fp') / 1000:>12.2f}s{med('fcp') / 1000:>7.2f}s"
                  f"{med('font') / 1000:>8.2f}s{med('load') / 1000:>7.2f}s{again['bytes'] / 1000:>11.1f}"
                  f"{(again['fcp'] or again['fp'] or 0) / 1000:>11.2f}s")
    finally:
        drv.quit()
        proc.terminate()
        proc.wait(10)
    print(f"load average at end: {load_avg()}")


if __name__ == "__main__":
    main()
