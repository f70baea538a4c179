"""The clinician's pages in a real browser, desktop and phone, on `calfcare serve --server`:
sign in → the list, the red flag first in words → the person's page (the routine overridden
by the hold, adherence, charts) → a new routine through the form (a refusal first) → an
invitation with its QR code. axe finds nothing serious or critical, nothing scrolls
sideways, and nothing logs an error or loads from outside (the fixture checks)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.browser.clinic_server import clinic_server, make_clinic
from tests.web.browser.conftest import BrowserPage, _page_on
from tests.web.browser.flows import fits, submit
from tests.web.browser.server import VIEWPORTS
from tests.web.server_helpers import PASSWORD


@pytest.fixture(scope="module")
def clinic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("clinic-data")
    make_clinic(data)
    with clinic_server(data) as url:
        yield url


@pytest.fixture(params=sorted(VIEWPORTS))
def clinic_page(
    request: pytest.FixtureRequest, chromium: Browser, clinic_url: str
) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, clinic_url, request.param)


def sign_in(page: Page, login: str) -> None:
    page.goto("/sign-in")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    submit(page, "Sign in")


def flagged_first(page: Page, name: str, people: int) -> Locator:
    """The list's rows: ``people`` of them, ``name`` first, with the urgent hold in words and
    2 of 3 sessions done this week."""
    rows = page.locator("table.clinic tbody tr")
    assert rows.count() == people
    first = rows.nth(0).inner_text()
    assert name in first and "Red flag: Hold on massage: urgent signs reported" in first
    assert "2 of 3 sessions so far" in first
    return rows


def test_the_clinicians_pages(clinic_page: BrowserPage) -> None:
    page = clinic_page.page
    sign_in(page, "dr.kim")
    expect(page.locator("main #your-people")).to_be_visible()  # home's card to the list
    page.get_by_role("navigation").get_by_role("link", name="Your people", exact=True).click()
    page.wait_for_url("**/clinic")
    flagged_first(page, "anna.m", 4)
    fits(page)

    page.get_by_role("link", name="anna.m").click()
    page.wait_for_url("**/clinic/people/*")
    assert page.locator("#overridden").is_visible()
    assert page.get_by_text("Week 1: 2 of 3 sessions so far").is_visible()
    fits(page)

    page.get_by_role("link", name="Change the routine").click()
    page.wait_for_url("**/prescribe")
    page.fill("#seconds_per_calf", "180")
    for tool in range(3):  # no tool at all: the browser lets it through, the core does not
        page.uncheck(f"#tools-{tool}")
    submit(page, "Save the routine")
    summary = page.locator(".error-summary").inner_text()
    assert "Tools: Choose at least one tool" in summary
    assert page.input_value("#seconds_per_calf") == "180"  # what was typed is kept
    fits(page)
    page.check("#tools-1")
    page.fill("#note", "Twice a week is fine too.")
    submit(page, "Save the routine")
    assert page.get_by_text("The new routine is saved").is_visible()
    routine = page.locator("main").inner_text()
    assert "3 times a week, ball, gentle; both calves, 3:00 per calf" in routine

    page.goto("/clinic/invite")
    submit(page, "Make an invitation")
    assert page.locator(".qr svg").is_visible()
    link = page.locator(".invite-link a").inner_text()
    assert link.startswith(clinic_page.page.url.split("/clinic")[0] + "/invite/")
    fits(page)
