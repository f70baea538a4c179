"""The person's side of an invitation in a real browser on a phone (server mode, issue 16):
open the link, make an account, see what is shared, add the routine to a calendar (the feed
fetched without a cookie is valid iCalendar), stop sharing; no console error, and axe finds
no serious violation on the invitation and sharing pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Playwright

from calfcare.core.accounts import Role
from calfcare.services import accounts, clinic, today_of
from calfcare.settings import Settings
from calfcare.storage import Store, open_store
from calfcare.storage.accounts import Account
from tests.web.browser.conftest import BrowserPage, _page_on, axe_violations
from tests.web.browser.server import running_server

PASSWORD = "correct horse battery"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Store, Account]]:
    """A server-mode server, its store (opened beside it) and a clinician's account."""
    data = tmp_path / "calfcare-data"
    store = open_store(Settings(data_dir=data, server=True))
    physio = accounts.sign_up(store, "dr-kim", PASSWORD, datetime.now(UTC), role=Role.CLINICIAN)
    with running_server(data, "--server") as url:
        yield url, store, physio
    store.close()


@pytest.fixture
def phone(chromium: Browser, served: tuple[str, Store, Account]) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, served[0], "phone")


def test_accept_share_subscribe_and_stop_on_a_phone(
    phone: BrowserPage, served: tuple[str, Store, Account], playwright_driver: Playwright
) -> None:
    url, store, physio = served
    page = phone.page
    code = clinic.invite(store, physio, datetime.now(UTC)).code
    page.goto(f"/invite/{code}")
    assert "dr-kim invites you" in page.inner_text("h1")
    assert axe_violations(page) == []
    page.fill("#login", "bea")
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("button:has-text('Make my account and share')")
    page.wait_for_url("**/sharing?accepted=1")
    assert "Stop sharing with dr-kim" in page.content()
    (share,) = clinic.people_of(store, physio)
    clinic.prescribe(
        store, physio, share.person_id, calves=["left", "right"], tools=["foam-roller"],
        intensity_cap="gentle", seconds_per_calf=150, sessions_per_week=3, weeks=4,
        start_day=today_of(datetime.now().astimezone()), now=datetime.now(UTC),
    )  # fmt: skip
    page.goto("/")
    assert "Your physio's routine: 3 times a week, foam roller, gentle" in page.inner_text(
        "#prescription"
    )
    page.goto("/sharing")
    page.click("button:has-text('Add to your calendar')")
    link = page.input_value("#feed-https")
    assert axe_violations(page) == []
    calendar_app = playwright_driver.request.new_context()  # no cookie, as a calendar app
    feed = calendar_app.get(link)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(feed.body()).walk("VEVENT")) == 3
    page.click("button:has-text('Stop sharing with dr-kim')")
    page.wait_for_url("**/sharing?stopped=1")
    assert "You share your records with nobody" in page.content()
    assert clinic.people_of(store, physio) == []
    page.click("button:has-text('Turn off calendar links')")
    page.wait_for_url("**/sharing?calendar=off")
    assert calendar_app.get(link).status == 404
    calendar_app.dispose()
    assert url in link
