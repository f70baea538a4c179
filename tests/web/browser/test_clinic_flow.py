"""Issue 16 as a new clinician and a new person would try it, in two browser contexts on
`calfcare serve --server`: the clinician on a desktop window, the person on a phone window.

invite → accept on the phone → prescribe → the person logs two sessions and an urgent
next-day check-in → the clinician's list shows the red flag first and 2 of 3 sessions →
the person stops sharing → the clinician sees nothing more (the list leaves them out, their
page is a 404). No console error, nothing loaded from outside (the fixture checks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from calfcare.core.accounts import Role
from calfcare.services import accounts, clinic
from calfcare.settings import Settings
from calfcare.storage import open_store
from tests.web.browser.conftest import BrowserPage, _page_on
from tests.web.browser.flows import submit
from tests.web.browser.server import running_server
from tests.web.browser.test_clinic_browser import flagged_first, sign_in
from tests.web.server_helpers import PASSWORD


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A server with a clinician (dr-kim) and one person (ann) already sharing with them,
    with nothing wrong: the new person's red flag must put them first, before ann."""
    data = tmp_path / "calfcare-data"
    store = open_store(Settings(data_dir=data, server=True))
    now = datetime.now(UTC)
    physio = accounts.sign_up(store, "dr-kim", PASSWORD, now, role=Role.CLINICIAN)
    ann = accounts.sign_up(store, "ann", PASSWORD, now)
    clinic.accept_invite(store, clinic.invite(store, physio, now).code, ann.person_id, now)
    store.close()
    with running_server(data, "--server") as url:
        yield url


@pytest.fixture
def desk(chromium: Browser, served: str) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, served, "desktop")


@pytest.fixture
def phone(chromium: Browser, served: str) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, served, "phone")


def test_invite_prescribe_red_flag_first_then_stop(desk: BrowserPage, phone: BrowserPage) -> None:
    physio, person = desk.page, phone.page
    sign_in(physio, "dr-kim")
    physio.goto("/clinic/invite")
    submit(physio, "Make an invitation")
    link = physio.locator(".invite-link a").inner_text()

    person.goto(link)  # as if scanned from the QR code
    person.fill("#login", "bea")
    person.fill("#password", PASSWORD)
    person.fill("#confirm_password", PASSWORD)
    person.click("button:has-text('Make my account and share')")
    person.wait_for_url("**/sharing?accepted=1")

    physio.goto("/clinic")
    physio.get_by_role("link", name="bea").click()
    physio.wait_for_url("**/clinic/people/*")
    bea_page = physio.url
    physio.get_by_role("link", name="Prescribe a routine").click()
    submit(physio, "Save the routine")  # the form's defaults: 3 a week, foam roller, gentle
    assert physio.get_by_text("The new routine is saved").is_visible()

    person.goto("/")
    assert "Your physio's routine: 3 times a week" in person.inner_text("#prescription")
    for _ in range(2):
        person.goto("/checkins/session")
        person.check("#tool-0")
        submit(person, "Save the session")
    person.goto("/checkins/next-day")
    person.check("#left-score-4")
    person.check("#right-score-2")
    for leg in ("left", "right"):
        for sign in ("swelling", "redness", "warmth"):
            new = (leg, sign) == ("left", "swelling")
            person.check(f"#followup-{leg}-{sign}-{'yes' if new else 'no'}")
    person.check("#followup-pe_signs-no")
    submit(person, "Save the check-in")
    assert "URGENT" in person.locator("#verdict").inner_text()

    physio.goto("/clinic")
    rows = flagged_first(physio, "bea", 2)
    assert "ann" in rows.nth(1).inner_text()

    person.goto("/sharing")
    person.click("button:has-text('Stop sharing with dr-kim')")
    person.wait_for_url("**/sharing?stopped=1")

    physio.goto("/clinic")
    assert "bea" not in physio.locator("main").inner_text()
    gone = physio.goto(bea_page)
    assert gone is not None and gone.status == 404
