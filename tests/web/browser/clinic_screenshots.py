"""Screenshots of the clinician's pages, desktop and phone, into docs/screenshots/.

Run on its own from the repository root (not collected by pytest)::

    .venv/bin/python -m tests.web.browser.clinic_screenshots [--out DIR]

It makes the clinic of `tests.web.browser.clinic_server` (a clinician and four people, one
with an urgent hold) on a real ``calfcare serve --server`` and saves ``clinic-<page>-<desktop|
phone>.png`` as `tests.web.browser.screenshots` does (the whole page on the desktop, the
first screen on the phone, at 2x pixels).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web.browser.clinic_server import clinic_server, make_clinic
from tests.web.browser.screenshots import OUT, shoot
from tests.web.browser.server import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.web.browser.test_clinic_browser import sign_in


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="where to save (docs/screenshots)")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as data, sync_playwright() as driver:
        ids = make_clinic(Path(data))
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with clinic_server(Path(data)) as url:
            for viewport, options in VIEWPORTS.items():
                scale = min(2, options.get("device_scale_factor", 1))
                context = browser.new_context(
                    base_url=url, **{**options, "device_scale_factor": scale}
                )
                page = context.new_page()
                sign_in(page, "dr.kim")
                for name, address in (
                    ("clinic-list", "/clinic"),
                    ("clinic-person", f"/clinic/people/{ids['anna.m']}"),
                    ("clinic-person-trends", f"/clinic/people/{ids['carla.r']}"),
                    ("clinic-prescribe", f"/clinic/people/{ids['bert.k']}/prescribe"),
                ):
                    page.goto(address)
                    saved.append(shoot(page, name, viewport, out))
                page.goto("/clinic/invite")
                page.get_by_role("button", name="Make an invitation").click()
                page.wait_for_selector(".qr svg")
                saved.append(shoot(page, "clinic-invite", viewport, out))
                context.close()
        browser.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
