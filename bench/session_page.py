"""The live session page on a phone: bytes, requests, external requests, time to interactive.

    .venv/bin/python bench/session_page.py [--runs 9]

Starts ``calfcare serve`` on a temporary data dir and loads
``/session?tool=ball&legs=left,right`` cold (a fresh browser context each run: empty cache,
no service worker) in headless Chromium (/usr/bin/chromium, Playwright) at 390x844, 3x,
touch. Counted over the DevTools protocol: every request of the page, its encoded bytes on
the wire (headers included), requests leaving 127.0.0.1, and the time from navigation start
until the Start button is enabled (the page's JavaScript is ready). The reference measured
in the same run is a cold load of the bare stylesheet URL (/static/calfcare.css): what any
navigation costs on this machine. Medians of ``--runs``. Also printed: the page's first
contentful paint (the Start button is only of use once it is seen, too). The machine's load
moves every figure (2 cores shared with other work): compare the ratio, and rerun when the
reference itself is far from its usual 50-90 ms.

Targets (docs/performance.md): under 100 KB in total and zero external requests; the peer
goals of /work/shared/PEERS.md (< 50 KB, <= 8 requests, ready < 120 ms) are printed too.
If the page is not there yet (404 or no Start button), it says so and exits 2.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.web.browser.server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORTS,
    running_server,
)

PATH = "/session?tool=ball&legs=left,right"
READY_JS = """() => { const b = document.getElementById('start');
  return b !== null && !b.disabled; }"""
MARK_READY = """
new MutationObserver(() => {
  const b = document.getElementById('start');
  if (b && !b.disabled && window.__ready === undefined) window.__ready = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
PAINTED = """() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime
  ?? null"""


def cold_load(browser: Any, base: str, path: str, wait_ready: bool) -> dict[str, Any]:
    context = browser.new_context(base_url=base, **VIEWPORTS["phone"])
    page = context.new_page()
    page.add_init_script(MARK_READY)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    wire: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: wire.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    all_urls: list[str] = []
    context.on("request", lambda r: all_urls.append(r.url))
    response = page.goto(path, wait_until="load")
    status = response.status if response else 0
    ready = None
    if wait_ready and status == 200:
        try:
            page.wait_for_function(READY_JS, timeout=10_000)
            ready = page.evaluate("() => window.__ready ?? performance.now()")
        except Exception:
            ready = None
    else:
        ready = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    page.wait_for_timeout(1000)  # late requests: service worker, manifest, icons
    paint = page.evaluate(PAINTED) if wait_ready else None
    context.close()
    outside = [u for u in all_urls if urlsplit(u).hostname not in ("127.0.0.1", None)]
    return {
        "status": status,
        "ready_ms": ready,
        "paint_ms": paint,
        "bytes": sum(wire.values()),
        "requests": len(urls),
        "all_requests": len(all_urls),
        "external": outside,
        "urls": sorted(set(urls.values())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"session_page: needs {CHROMIUM} (apt-get install chromium)")
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp)) as base,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        probe = cold_load(browser, base, PATH, wait_ready=True)
        if probe["status"] != 200 or probe["ready_ms"] is None:
            print(
                f"session_page: NOT MEASURED: GET {PATH} answered {probe['status']} and the "
                "Start button never became enabled: the live session page is not there yet"
            )
            sys.exit(2)
        runs = [cold_load(browser, base, PATH, wait_ready=True) for _ in range(args.runs)]
        refs = [cold_load(browser, base, "/static/calfcare.css", False) for _ in range(args.runs)]
        browser.close()
    ready = statistics.median(r["ready_ms"] for r in runs)
    painted = [r["paint_ms"] for r in runs if r["paint_ms"] is not None]
    paint = f"{statistics.median(painted):.0f} ms" if painted else "not seen"
    ref = statistics.median(r["ready_ms"] for r in refs)
    size = statistics.median(r["bytes"] for r in runs)
    requests = max(r["requests"] for r in runs)
    external = sorted({u for r in runs for u in r["external"]})
    for url in runs[0]["urls"]:
        print(f"  {url}")
    ok = size < 100 * 1024 and not external
    print(
        f"session_page: {size / 1024:.1f} KB on the wire (target < 100 KB; peer goal < 50), "
        f"{requests} requests (peer goal <= 8), {len(external)} external (target 0), "
        f"Start ready {ready:.0f} ms = {ready / ref:.1f}x a bare static load ({ref:.0f} ms; "
        f"peer goal < 120 ms), first paint {paint}; {'PASS' if ok else 'MISS'}"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
