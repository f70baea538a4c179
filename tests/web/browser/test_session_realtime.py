"""The live session page on the real clock (no Playwright clock, no fake timers).

The paused-clock tests in test_session_page.py step time between taps, so every tap there
happens on a fresh frame. In real time a tap lands between frames, after the engine has been
advanced by the beep scheduler: this once threw ``RangeError: time went backwards`` on most
taps. The ``browser_page`` fixture fails the test on any console error or uncaught page error.
Waits are real but generous (the test machine is busy); nothing asserts on timing.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage

QUERY = "/session?tool=ball&legs=left,right&seconds=120&intensity=standard&pace=15"
# Left: get ready 10 s, then passes. The tender spot needs the passes.


def _errors(bp: BrowserPage) -> list[str]:
    return list(bp.console_errors)


def _tap(page: Page, selector: str) -> None:
    page.locator(selector).click()


def test_taps_in_real_time_throw_nothing(own_page: BrowserPage) -> None:
    # Its own server: a safety hold or a pending pain check left on the shared one by another
    # test would (rightly) take Start away or change the plan (issue 11).
    browser_page = own_page
    page = browser_page.page
    page.set_default_timeout(30_000)
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled()
    _tap(page, "#start")
    expect(page.locator("#live")).to_be_visible()
    # The get-ready step ends by itself after 10 s of real time: the passes begin.
    expect(page.locator("#kind")).to_have_text("passes", timeout=40_000)
    page.wait_for_timeout(700)

    _tap(page, "#tender")
    expect(page.locator("#tender-label")).to_have_text("Release")
    page.wait_for_timeout(1_200)
    _tap(page, "#tender")  # release
    expect(page.locator("#tender-label")).to_have_text("Tender spot")
    page.wait_for_timeout(400)
    page.keyboard.press("Space")  # tender spot from the keyboard
    expect(page.locator("#tender-label")).to_have_text("Release")
    page.wait_for_timeout(600)
    page.keyboard.press("Space")
    expect(page.locator("#tender-label")).to_have_text("Tender spot")

    _tap(page, "#pause")
    expect(page.locator("#pause")).to_have_text("Resume")
    page.wait_for_timeout(900)
    _tap(page, "#pause")
    expect(page.locator("#pause")).to_have_text("Pause")
    page.wait_for_timeout(500)
    for _ in range(3):
        before = page.locator("#cue").text_content()
        _tap(page, "#skip")
        expect(page.locator("#cue")).not_to_have_text(before or "")
        page.wait_for_timeout(300)
    assert not _errors(browser_page), _errors(browser_page)

    _tap(page, "#quit")
    _tap(page, "#quit")  # the second tap within 4 s quits
    # Quit after a few seconds: less than half the plan on every calf, and said so.
    expect(page.locator("#done-title")).to_have_text("Session ended, mostly skipped")
    expect(page.locator("#done-why")).to_contain_text("not counted as a session done")
    expect(page.locator("#spots")).to_be_visible()  # two tender-spot holds were made


def test_a_hands_session_paces_the_strokes_and_says_why_tender_spot_is_off(
    own_page: BrowserPage,
) -> None:
    """Under the routine contract a tender spot is held only during passes; hands sessions have
    none, so the button stays off and says so in words. The strokes get a pace guide."""
    browser_page = own_page
    page = browser_page.page
    page.set_default_timeout(30_000)
    page.goto("/session?tool=hands&legs=left&seconds=120&intensity=standard")
    expect(page.locator("#start")).to_be_enabled()
    _tap(page, "#start")
    expect(page.locator("#tender")).to_be_disabled()
    expect(page.locator("#tender-hint")).to_have_text("Not used for this step")
    expect(page.locator("#kind")).to_have_text("strokes", timeout=40_000)
    expect(page.locator("#pace")).to_be_visible()
    expect(page.locator("#tender")).to_be_disabled()
    expect(page.locator("#tender-hint")).to_have_text("Not used for this step")
    page.keyboard.press("Space")  # ignored by the engine, and no error
    page.wait_for_timeout(500)
    assert not _errors(browser_page), _errors(browser_page)
