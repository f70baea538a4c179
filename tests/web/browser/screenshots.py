"""Screenshots of the main pages, desktop and phone, into docs/screenshots/.

Run on its own from the repository root (not collected by pytest)::

    .venv/bin/python -m tests.web.browser.screenshots [--only session] [--out DIR]

It starts the real server with a throwaway data dir, walks the screening to each verdict in
headless Chromium, runs a live session (before Start, running, holding a tender spot, the
sharp-pain stop; speech stubbed, the clock driven) and saves ``<page>-<desktop|phone>.png``:
the whole page on the desktop, the first screen on the phone, at 2x pixels (not the tests'
3x) to keep the files small. ``--only session`` redoes the session's four only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

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


def shoot(page: Page, name: str, viewport: str, out: Path = OUT) -> Path:
    """Desktop: the whole page. Phone: the first screen, which is what must be right there."""
    path = out / f"{name}-{viewport}.png"
    page.screenshot(path=str(path), full_page=viewport == "desktop")
    return path


SESSION = "/session?tool=ball&legs=left,right&seconds=150&intensity=standard&pace=15"
SPEECH_STUB = """
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak() {}, cancel() {}, getVoices() { return []; } } });
"""


def session_shots(page: Page, viewport: str, out: Path) -> list[Path]:
    """The live session: before Start, running (passes), holding a tender spot, stopped for
    sharp pain. The clock is Playwright's, paused and moved on, so each shot is the same
    moment every time."""
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    page.add_init_script(SPEECH_STUB)
    page.clock.install(time=t0)
    page.goto(SESSION)
    page.wait_for_function("() => !document.getElementById('start').disabled")
    page.clock.pause_at(t0 + timedelta(seconds=5))
    saved = [shoot(page, "session-start", viewport, out)]
    page.locator("#start").dispatch_event("click")
    page.clock.run_for(14_000)  # past the get-ready step, into the first passes
    saved.append(shoot(page, "session-live", viewport, out))
    page.keyboard.press("Space")
    page.clock.run_for(6_000)
    saved.append(shoot(page, "session-hold", viewport, out))
    page.locator("#sharp").dispatch_event("click")
    page.clock.run_for(500)
    saved.append(shoot(page, "session-sharp-pain", viewport, out))
    return saved


@contextmanager
def _fresh(browser: Browser, settings: dict[str, Any]) -> Iterator[Page]:
    """A page on a new server with an empty data dir."""
    with tempfile.TemporaryDirectory() as data, running_server(Path(data)) as url:
        context = browser.new_context(base_url=url, **settings)
        try:
            yield context.new_page()
        finally:
            context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["session"], help="only the live session's shots")
    parser.add_argument("--out", type=Path, default=OUT, help="where to save (docs/screenshots)")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            scale = min(2, options.get("device_scale_factor", 1))
            settings = {**options, "device_scale_factor": scale}
            # A server of its own for each group: a sharp-pain stop or an urgent verdict
            # leaves a pain check or a hold behind (issue 11), which every later page obeys.
            with _fresh(browser, settings) as page:
                saved += session_shots(page, viewport, out)
            if args.only == "session":
                continue
            with _fresh(browser, settings) as page:
                for name, address in (
                    ("home", "/"),
                    ("learn", "/learn"),
                    ("knee-to-wall", "/mobility/knee-to-wall"),
                    ("screening-start", "/screening"),
                ):
                    page.goto(address)
                    saved.append(shoot(page, name, viewport, out))
                page.goto("/screening")
                page.check("input[name='legs'][value='left,right']")
                _continue(page)
                saved.append(shoot(page, "screening-emergency-question", viewport, out))
                page.check("input[name='general.pe_signs'][value='no']")
                _continue(page)
                page.locator("summary").first.click()
                saved.append(shoot(page, "screening-general", viewport, out))
                _continue(page)
                saved.append(shoot(page, "screening-missing-answers", viewport, out))
                _to_result(page, "left,right", {"general.anticoagulants": "yes"})
                saved.append(shoot(page, "verdict-caution", viewport, out))
                _to_result(page, "left,right", {"left.swelling": "yes"})
                saved.append(shoot(page, "verdict-urgent", viewport, out))
            with _fresh(browser, settings) as page:
                _to_result(page, "left", {"general.pe_signs": "yes"})
                saved.append(shoot(page, "verdict-emergency", viewport, out))
        browser.close()
    for path in saved:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
