"""Steps the browser flow tests share: submit a form and wait for the next page, take the
safety check, check a page fits (nothing sideways, nothing axe calls serious), and the live
session's: open it on a paused clock, tap, end a session offline and read what the device
kept, send the kept sessions from another page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage, axe_violations


def submit(page: Page, name: str) -> None:
    """Press the button ``name`` and wait for the next page itself (not the current one,
    which is still "loaded")."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def screening(page: Page, answers: dict[str, str] | None = None) -> None:
    """The safety check for both calves, every question "no" unless ``answers`` says."""
    answers = answers or {}
    page.goto("/screening")
    page.check("input[name='legs'][value='left,right']")
    submit(page, "Continue")
    while page.locator("form.screening input[type=radio]").count():
        names = page.eval_on_selector_all(
            "form.screening input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
        )
        for name in names:
            page.check(f"input[name='{name}'][value='{answers.get(name, 'no')}']")
        submit(page, "Continue")


def fits(page: Page) -> None:
    """Nothing scrolls sideways and axe finds nothing serious or critical."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
    assert axe_violations(page) == [], page.url


# -- the live session ------------------------------------------------------------------------

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)  # the fake clock's start
QUERY = "/session?tool=ball&legs=left,right&seconds=150&intensity=standard&pace=15"
# This plan: left position 0-10 s, passes 10-55, hold 55-100, passes 100-160;
# right switch 160-170, passes 170-215, hold 215-260, passes 260-320.

STUBS = """
window.__spoken = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak(u) { window.__spoken.push(u.text); }, cancel() {}, getVoices() { return []; } } });
window.__locks = 0;
if (navigator.wakeLock) {
  const request = navigator.wakeLock.request.bind(navigator.wakeLock);
  navigator.wakeLock.request = (kind) => { window.__locks += 1; return request(kind); };
}
window.__beeps = [];
const Osc = window.OscillatorNode;
if (Osc) {
  const start = Osc.prototype.start;
  Osc.prototype.start = function (when) {
    window.__beeps.push(when);
    return start.call(this, when);
  };
}
window.__hide = (hidden) => {
  const state = hidden ? 'hidden' : 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
};
"""


def tap(page: Page, selector: str) -> None:
    """A click without Playwright's wait for stable frames (the paused clock holds them)."""
    page.locator(selector).dispatch_event("click")


def open_session(bp: BrowserPage) -> Page:
    page = bp.page
    page.add_init_script(STUBS)
    page.clock.install(time=T0)
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled()
    page.clock.pause_at(
        T0 + timedelta(seconds=5)
    )  # from here, time moves only when the test says so
    return page


OUTBOX = "calfcare.outbox"
"""The localStorage key the finished sessions are kept under on the device, until sent
(static/session/outbox.js)."""
WAIT = 30_000
"""ms: a generous bound on each wait (a busy machine), never a delay."""


def kept_sessions(page: Page) -> dict[str, Any] | None:
    """The sessions kept on this device, by id (None when nothing was ever kept)."""
    kept: dict[str, Any] | None = page.evaluate(
        f"() => JSON.parse(localStorage.getItem('{OUTBOX}'))"
    )
    return kept


def keep_sessions(page: Page, kept: str) -> None:
    """Put ``kept`` (the outbox's JSON text) on this device, as the live page keeps it."""
    page.evaluate(f"() => localStorage.setItem('{OUTBOX}', {kept!r})")


def kept_offline(page: Page, timeout: float = WAIT) -> dict[str, Any]:
    """A session that ended offline: the page says it is kept on this device, and it is;
    what the device keeps, by id."""
    expect(page.locator("#save")).to_contain_text("Kept on this device", timeout=timeout)
    kept = kept_sessions(page)
    assert kept, kept
    return kept


def quit_offline(page: Page) -> dict[str, Any]:
    """Go offline on an open live session (`open_session`), run it 20 s and quit (two taps):
    what the device keeps, by id."""
    page.context.set_offline(True)
    tap(page, "#start")
    page.clock.run_for(20_000)
    tap(page, "#quit")
    tap(page, "#quit")
    return kept_offline(page)


def sent_from(page: Page, path: str) -> None:
    """Open ``path`` (any page): it sends the kept sessions and says they are saved; nothing
    is kept after."""
    page.goto(path)
    expect(page.locator("#sessions-status")).to_contain_text("is saved", timeout=WAIT)
    assert kept_sessions(page) == {}
