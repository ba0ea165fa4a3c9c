"""How long the full aid network takes to load and settle in headless Chromium
(Debian's chromium + chromedriver), for the force layout and the geographic one.
vis-network runs its stabilisation iterations before the first frame, so the
load time includes the layout; the script then checks physics was switched off.

    .venv/bin/python bench/bench_network_page.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_browser import _browser, _server

if __name__ == "__main__":
    import tempfile
    tmp = Path(tempfile.mkdtemp())
    proc, base = _server(None, tmp / "serve.log")
    drv = _browser(tmp)
    try:
        for query in ("", "?geo=true"):
            t = time.perf_counter()
            drv.get(base + "/network" + query)
            loaded = time.perf_counter() - t
            still = drv.execute_script("return window.aidNetworks.network.physics.options.enabled")
            nodes = drv.execute_script("return Object.keys(window.aidNetworks.network.body.nodes).length")
            print(f"/network{query}: {nodes} nodes drawn, page with layout loaded in {loaded:.2f} s; "
                  f"physics {'still running' if still else 'off (settled)'}")
    finally:
        drv.quit()
        proc.terminate()
