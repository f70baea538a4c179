"""The web app in a real headless Chromium, on a desktop and a phone viewport.

Every test runs twice (``browser_page`` is parametrised); the fixture itself fails a test
whose page requested anything outside 127.0.0.1 or logged a console error (CSP included).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage, axe_violations

CONTENT_PAGES = ["/", "/learn", "/mobility/knee-to-wall", "/screening"]


def _answer_page(page: Page, answers: dict[str, str], default: str = "no") -> list[str]:
    """Tap an answer for every question on the page, then Continue; returns the names."""
    names: list[str] = page.eval_on_selector_all(
        "form.screening input[type=radio]", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        page.check(f"input[name='{name}'][value='{answers.get(name, default)}']")
    # Wait for the next page itself: right after the click the old page is still "loaded",
    # and reading it again would answer the same questions twice.
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    return names


def _walk(
    page: Page, legs: str, answers: dict[str, str], *, check_axe: bool = False
) -> list[list[str]]:
    """The whole screening by tapping; with ``check_axe``, axe-core on every page of it."""
    page.goto("/screening")
    page.check(f"input[name='legs'][value='{legs}']")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    asked = []
    while page.locator("form.screening input[type=radio]").count():
        if check_axe:
            assert axe_violations(page) == [], page.url
        asked.append(_answer_page(page, answers))
    return asked


def _no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def test_walk_to_urgent_shows_the_red_banner_first(own_page: BrowserPage) -> None:
    page = own_page.page  # an urgent verdict puts a hold on: a server of its own
    asked = _walk(page, "left,right", {"left.swelling": "yes"}, check_axe=True)
    assert asked[0] == ["general.pe_signs"]
    banner = page.locator("#verdict")
    assert banner.get_attribute("role") == "alert"
    assert "Get medical attention today" in banner.inner_text()
    box = banner.bounding_box()
    main = page.locator("main").bounding_box()
    assert box is not None and main is not None
    viewport = page.viewport_size
    assert viewport is not None
    assert box["y"] < viewport["height"] / 2, "the verdict is at the top of the first screen"
    assert box["width"] >= main["width"] - 32, "the banner spans the content"
    color = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(176, 0, 32)"
    assert axe_violations(page) == []
    _no_horizontal_scroll(page)


def test_emergency_answer_goes_straight_to_the_emergency_verdict(
    own_page: BrowserPage,
) -> None:
    page = own_page.page  # an emergency verdict puts a hold on: a server of its own
    asked = _walk(page, "left", {"general.pe_signs": "yes"})
    assert asked == [["general.pe_signs"]]
    banner = page.locator("#verdict[role=alert]")
    assert "Call your local emergency number now" in banner.inner_text()
    assert axe_violations(page) == []


def test_pain_follow_up_and_ok_verdict(browser_page: BrowserPage) -> None:
    page = browser_page.page
    answers = {"right.pain": "unsure", "right.pain_after_exercise": "yes"}
    asked = _walk(page, "right", answers)
    assert ["right.pain_after_exercise"] in asked
    assert page.locator("#verdict").get_attribute("role") == "status"
    assert "Save my answers" in page.content()


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_page_is_accessible_and_fits_the_screen(browser_page: BrowserPage, path: str) -> None:
    page = browser_page.page
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert axe_violations(page) == []
    _no_horizontal_scroll(page)


def test_why_we_ask_opens_and_tap_targets_are_large(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto("/screening")
    page.check("input[name='legs'][value='left']")
    page.get_by_role("button", name="Continue").click()
    why = page.locator("details p").first
    assert not why.is_visible()
    page.locator("main summary").first.click()  # the first in the nav is "More"
    assert why.is_visible() and "pulmonary embolism" in why.inner_text()
    for label in page.locator("label.choice").all():
        box = label.bounding_box()
        assert box is not None and box["height"] >= 44
    button = page.get_by_role("button", name="Continue").bounding_box()
    assert button is not None and button["height"] >= 44


def test_missing_answer_is_announced(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto("/screening")
    page.check("input[name='legs'][value='left,right']")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert axe_violations(page) == []


def test_the_nav_is_one_row_on_a_phone_and_the_rest_is_behind_more(
    browser_page: BrowserPage,
) -> None:
    """A phone: the brand and "More", then one row (Home, Session, Check-in, History);
    "More" opens from the keyboard and its links work. A desktop: every link in view."""
    page = browser_page.page
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    insights = nav.get_by_role("link", name="Insights", exact=True)
    header = page.locator("header.site").bounding_box()
    assert header is not None
    if browser_page.viewport == "phone":
        assert header["height"] < 100, "two rows of 44 px, not four"
        assert not insights.is_visible()
        more = nav.locator("summary", has_text="More")
        more.focus()
        page.keyboard.press("Enter")
        expect(insights).to_be_visible()
        assert axe_violations(page) == []
        _no_horizontal_scroll(page)
    else:
        expect(insights).to_be_visible()
    insights.click()
    page.wait_for_url("**/insights")
    if browser_page.viewport == "phone":
        expect(nav.locator("summary.here")).to_have_text("More")
        nav.locator("summary").click()
    expect(nav.get_by_role("link", name="Insights", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
