"""Screenshots of the main pages, desktop and phone, into docs/screenshots/.

Run on its own from the repository root (not collected by pytest)::

    .venv/bin/python -m tests.web.browser.screenshots

It starts the real server with a throwaway data dir, walks the screening to each verdict in
headless Chromium, and saves ``<page>-<desktop|phone>.png``: the whole page on the desktop,
the first screen on the phone, at 2x pixels (not the tests' 3x) to keep the files small.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.web.browser.server import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, running_server

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def _answer_all(page: Page, answers: dict[str, str]) -> None:
    names = page.eval_on_selector_all(
        "form.screening input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        page.check(f"input[name='{name}'][value='{answers.get(name, 'no')}']")
    _continue(page)


def _to_result(page: Page, legs: str, answers: dict[str, str]) -> None:
    page.goto("/screening")
    page.check(f"input[name='legs'][value='{legs}']")
    _continue(page)
    while page.locator("form.screening input[type=radio]").count():
        _answer_all(page, answers)


def shoot(page: Page, name: str, viewport: str) -> Path:
    """Desktop: the whole page. Phone: the first screen, which is what must be right there."""
    path = OUT / f"{name}-{viewport}.png"
    page.screenshot(path=str(path), full_page=viewport == "desktop")
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with (
        tempfile.TemporaryDirectory() as data,
        running_server(Path(data)) as url,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            scale = min(2, options.get("device_scale_factor", 1))
            context = browser.new_context(base_url=url, **{**options, "device_scale_factor": scale})
            page = context.new_page()
            for name, address in (
                ("home", "/"),
                ("learn", "/learn"),
                ("knee-to-wall", "/mobility/knee-to-wall"),
                ("screening-start", "/screening"),
            ):
                page.goto(address)
                saved.append(shoot(page, name, viewport))
            page.goto("/screening")
            page.check("input[name='legs'][value='left,right']")
            _continue(page)
            saved.append(shoot(page, "screening-emergency-question", viewport))
            page.check("input[name='general.pe_signs'][value='no']")
            _continue(page)
            page.locator("summary").first.click()
            saved.append(shoot(page, "screening-general", viewport))
            _continue(page)
            saved.append(shoot(page, "screening-missing-answers", viewport))
            _to_result(page, "left,right", {"left.swelling": "yes"})
            saved.append(shoot(page, "verdict-urgent", viewport))
            _to_result(page, "left", {"general.pe_signs": "yes"})
            saved.append(shoot(page, "verdict-emergency", viewport))
            _to_result(page, "left,right", {"general.anticoagulants": "yes"})
            saved.append(shoot(page, "verdict-caution", viewport))
            context.close()
        browser.close()
    for path in saved:
        print(path.relative_to(OUT.parents[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
