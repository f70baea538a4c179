"""The tracking pages in a real browser, desktop and phone: screening → plan → (a session,
logged by hand instead of the live page) → after-session check-in → next-day check-in with a
new sign → the urgent alert → history → insights. axe finds nothing serious or critical on
any page, nothing scrolls sideways, and nothing is loaded from outside (the fixture checks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.browser.conftest import BrowserPage
from tests.web.browser.flows import fits, screening, submit

TRACKING_PAGES = [
    "/plan",
    "/checkins",
    "/checkins/soreness",
    "/checkins/next-day",
    "/checkins/knee-to-wall",
    "/checkins/session",
    "/history",
    "/insights",
    "/split-leg",
    "/export",
]


def test_from_screening_to_insights(own_page: BrowserPage) -> None:
    page = own_page.page  # its urgent next-day check-in puts a hold on: a server of its own
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    screening(page)
    submit(page, "Build your routine")
    assert page.get_by_text("YOUR SAFETY CHECK").is_visible()
    page.check("#tool-1")  # massage ball
    fits(page)
    submit(page, "Show my plan")
    assert page.get_by_role("heading", name="Left calf: 150 s").is_visible()
    assert page.get_by_role("heading", name="Right calf: 150 s").is_visible()
    fits(page)

    page.goto("/checkins/session")
    page.check("#tool-1")
    page.fill("#day", yesterday)
    submit(page, "Save the session")
    assert page.get_by_role("status").inner_text().startswith("Your session is saved")
    fits(page)

    page.goto("/checkins/soreness?moment=after")
    page.check("#left-score-3")
    page.check("#right-score-2")
    page.fill("#day", yesterday)
    fits(page)
    submit(page, "Save")
    assert "Your soreness rating is saved." in page.get_by_role("status").inner_text()

    page.goto("/checkins/next-day")
    page.check("#left-score-4")
    page.check("#right-score-2")
    for leg in ("left", "right"):
        for sign in ("swelling", "redness", "warmth"):
            new = (leg, sign) == ("left", "swelling")
            page.check(f"#followup-{leg}-{sign}-{'yes' if new else 'no'}")
    page.check("#followup-pe_signs-no")
    submit(page, "Save the check-in")
    banner = page.locator("#verdict")
    assert banner.get_attribute("role") == "alert"
    assert "URGENT" in banner.inner_text()
    assert banner.get_by_role("heading").inner_text() == (
        "Do not massage. Get medical attention today"
    )
    first = page.evaluate("() => document.querySelector('main').firstElementChild.id")
    assert first == "verdict", "the alert is the first thing on the page"
    box = banner.bounding_box()
    assert box is not None and box["y"] < 400, "and it is on the first screen"
    fits(page)

    page.goto("/history")
    assert page.locator("svg.chart").count() >= 2
    urgent = "Next-day check: URGENT: get medical help details"
    assert page.get_by_role("cell", name=urgent).count() >= 1
    fits(page)

    page.goto("/insights")
    assert page.get_by_role("link", name="Plan a split-leg experiment").count() == 1
    assert page.get_by_role("heading", name="From your everyday records").count() == 1
    fits(page)


@pytest.mark.parametrize("path", TRACKING_PAGES)
def test_tracking_page_is_accessible_and_fits(browser_page: BrowserPage, path: str) -> None:
    page = browser_page.page
    response = page.goto(path)
    assert response is not None and response.status == 200
    fits(page)


def test_split_leg_plan_rate_draw_then_plan_that_calf(own_page: BrowserPage) -> None:
    # A server of its own: today's recorded safety check governs every plan (issue 11), and
    # another test's check of the right calf only would leave the left calf out.
    page = own_page.page
    page.goto("/split-leg")
    if page.get_by_role("button", name="Plan the experiment").count():
        fits(page)
        submit(page, "Plan the experiment")
    if page.get_by_role("button", name="Save both").count():
        assert not page.get_by_role("button", name="Draw today's coin").count()
        fits(page)
        page.check("#left-score-4")
        page.check("#right-score-3")
        submit(page, "Save both")
    if page.get_by_role("button", name="Draw today's coin").count():
        fits(page)
        submit(page, "Draw today's coin")
    heading = page.locator("#coin h2").inner_text()
    leg = "left" if "left" in heading else "right"
    fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Plan the {leg} calf only").click()
    page.check("#tool-2")
    submit(page, "Show my plan")
    assert page.get_by_role("heading", name=f"{leg.capitalize()} calf: 150 s").is_visible()
    href = page.get_by_role("link", name="Start this session").get_attribute("href") or ""
    assert f"legs={leg}" in href and "split_leg=1" in href


def test_the_history_filter_dates_fit_their_box(browser_page: BrowserPage) -> None:
    """On a phone the "To" date field once ran past the filter box (a grid column's
    min-content width)."""
    page = browser_page.page
    page.goto("/history?since=2026-03-20&until=2026-03-29")
    box = page.evaluate(
        "() => document.querySelector('details.filters').getBoundingClientRect().right"
    )
    until = page.evaluate("() => document.getElementById('until').getBoundingClientRect().right")
    assert until <= box
    fits(page)
