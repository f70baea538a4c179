"""Issue 15's "Done means", tried as a new user would on a phone through HTTPS: server mode
(`calfcare serve --server --allow-sign-up`, two PostgreSQL-backed instances behind Caddy:
`tests.web.browser.https_stack`), Chromium at 390x844 with touch.

A new person signs up, answers the safety check so that it says go ahead, builds a plan,
starts the live session, goes offline halfway, finishes and saves it (kept on the phone),
comes back online and finds it in the history after a reload. A second person, in a
browser of their own, signs up and finds none of it: an empty history, the first person's
records unreachable by id. Any console error fails the test (`person`); every wait is
bounded (`WAIT`), and the session's five minutes run on Playwright's clock.

Screenshots of each step go to /tmp/calfcare-phone-flow-<step>.png.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, expect

from tests.web.browser.conftest import worker_ready
from tests.web.browser.flows import STUBS, fits, kept_offline, screening, submit, tap
from tests.web.browser.https_stack import (
    WAIT,
    Stack,
    person,
    requests_as,
    sign_up,
)

PASSWORD = "a long enough password"
SHOT = "/tmp/calfcare-phone-flow-{}.png"
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
"""The session page's fake clock starts here: the session ends before the server's now."""


def shot(page: Page, step: str) -> None:
    page.screenshot(path=SHOT.format(step))


def api(driver: Playwright, page: Page, path: str) -> Any:
    """A JSON read with this person's cookies (`requests_as`)."""
    with requests_as(driver, page) as client:
        response = client.get(path, timeout=WAIT)
        assert response.ok, (path, response.status, response.text())
        return response.json()


def run_session_offline(page: Page) -> dict[str, Any]:
    """Start the planned session, go offline two minutes in, run it to its end; the
    session kept on the phone (what the page uploads)."""
    page.clock.pause_at(T0 + timedelta(seconds=5))
    tap(page, "#start")
    page.clock.run_for(120_000)
    expect(page.locator("#live")).to_be_visible(timeout=WAIT)
    page.context.set_offline(True)
    page.clock.run_for(1_000)
    shot(page, "3-offline-mid-session")
    for _ in range(12):  # at most 12 more minutes of session time, a minute at a time
        if page.locator("#done-title").is_visible():
            break
        page.clock.run_for(60_000)
    expect(page.locator("#done-title")).to_have_text("Session complete", timeout=WAIT)
    kept = kept_offline(page)
    shot(page, "4-done-offline")
    page.clock.resume()  # real time again: a paused clock holds the later pages' timers
    assert len(kept) == 1, kept
    return next(iter(kept.values()))


def test_sign_up_screen_plan_session_offline_synced_and_private(
    playwright_driver: Playwright, server_stack_chromium: Browser, server_stack: Stack
) -> None:
    browser, stack = server_stack_chromium, server_stack
    suffix = secrets.token_hex(3)
    with person(browser, stack) as first:
        page = first.page
        sign_up(page, f"ada-{suffix}", PASSWORD)
        worker_ready(page)  # installed: later pages are kept for offline use
        shot(page, "1-home-after-sign-up")
        screening(page)  # every answer no: go ahead
        expect(page.locator("#verdict .level")).to_have_text("OK", timeout=WAIT)
        fits(page)
        submit(page, "Build your routine")
        page.check("#tool-1")  # massage ball
        submit(page, "Show my plan")
        expect(page.get_by_text("This plan follows today's safety check")).to_be_visible()
        fits(page)
        shot(page, "2-plan")
        page.add_init_script(STUBS)
        page.clock.install(time=T0)
        with page.expect_navigation(timeout=WAIT):
            page.get_by_role("link", name="Start this session").click()
        expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
        page.wait_for_function("() => caches.match(location.href).then(Boolean)", timeout=WAIT)
        upload = run_session_offline(page)
        session_id = upload["id"]
        assert session_id not in {r["id"] for r in api(playwright_driver, page, "/api/records")}

        page.context.set_offline(False)  # back: the page sends what it kept
        expect(page.locator("#save")).to_have_text("Saved.", timeout=WAIT)
        shot(page, "5-saved")
        page.goto("/history")
        page.reload()
        records = page.locator("table.records tbody tr")
        expect(records.filter(has_text="session")).to_have_count(1, timeout=WAIT)
        fits(page)
        records.first.scroll_into_view_if_needed()
        shot(page, "6-history")
        mine = api(playwright_driver, page, "/api/records")
        assert [r["id"] for r in mine].count(session_id) == 1, mine
        check = next(r for r in mine if r["kind"] == "screening")
        assert upload["screening_id"] == check["id"]  # the session follows the check

        with person(browser, stack) as second:
            other = second.page
            sign_up(other, f"bea-{suffix}", PASSWORD)
            other.goto("/history")
            expect(other.locator("main")).to_contain_text("Nothing recorded yet", timeout=WAIT)
            shot(other, "7-second-person-history")
            assert api(playwright_driver, other, "/api/records") == []
            with requests_as(playwright_driver, other) as request:
                seen = request.get(f"/checkins/follow-up/{check['id']}", timeout=WAIT)
                assert seen.status == 404
                theirs = request.post("/api/sessions", data=upload, timeout=WAIT)
                assert theirs.status == 422, theirs.text()  # the safety check is not hers
                assert "screening_id" in theirs.text()
                taken = request.post("/api/sessions", data={**upload, "screening_id": None})
                assert taken.status == 409, taken.text()  # someone else's id: no overwrite
            assert api(playwright_driver, other, "/api/records") == []

        assert [r["id"] for r in api(playwright_driver, page, "/api/records")].count(
            session_id
        ) == 1
