"""Issue 16 as a new clinician and a new person would try it, through HTTPS as deployed:
server mode on two PostgreSQL-backed instances behind Caddy (`tests.web.browser.https_stack`),
in two browser contexts of one Chromium that trusts only that stack's certificates: the
clinician on a desktop window, the person on a phone window.

invite (the link is the https:// one, the proxy's forwarded scheme) → accept on the phone →
prescribe → the person logs two sessions and an urgent next-day check-in → the clinician's
list shows the red flag first and 2 of 3 sessions → the person stops sharing → the
clinician sees nothing more (the list leaves them out, their page is a 404). Any console
error fails the test (`person`); every wait is bounded (`WAIT`).

Screenshots of each step go to /tmp/calfcare-clinic-flow-<step>.png.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Browser, Page, expect

from calfcare.core.accounts import Role
from calfcare.services import accounts, background, clinic
from calfcare.storage import open_store
from tests.web.browser.flows import submit
from tests.web.browser.https_stack import WAIT, Stack, person, sign_in
from tests.web.browser.test_clinic_browser import flagged_first
from tests.web.server_helpers import PASSWORD

SHOT = "/tmp/calfcare-clinic-flow-{}.png"


def seed(database_url: str) -> None:
    """A clinician (dr-kim) and one person (ann) already sharing with them, with nothing
    wrong, made through the services on the stack's database: the new person's red flag
    must put them first, before ann."""
    store = open_store(database_url)
    try:
        now = datetime.now(UTC)
        physio = accounts.sign_up(store, "dr-kim", PASSWORD, now, role=Role.CLINICIAN)
        ann = accounts.sign_up(store, "ann", PASSWORD, now)
        clinic.accept_invite(store, clinic.invite(store, physio, now).code, ann.person_id, now)
        background.wait_idle()  # ann's line, refreshed after the acceptance
    finally:
        store.close()


def shot(page: Page, step: str) -> None:
    page.screenshot(path=SHOT.format(step), full_page=True)


def test_invite_prescribe_red_flag_first_then_stop(
    server_stack_chromium: Browser, server_stack: Stack
) -> None:
    browser, stack = server_stack_chromium, server_stack
    seed(stack.database_url)
    with person(browser, stack, "desktop") as desk, person(browser, stack, "phone") as phone:
        for context in (desk.page.context, phone.page.context):
            context.set_default_timeout(WAIT)  # every wait below, bounded
        flow(desk.page, phone.page, stack.url)


def flow(physio: Page, person: Page, origin: str) -> None:
    """The steps, the clinician on ``physio``, the new person on ``person``."""
    sign_in(physio, "dr-kim", PASSWORD)
    physio.goto("/clinic/invite")
    submit(physio, "Make an invitation")
    link = physio.locator(".invite-link a").inner_text()
    assert link.startswith(f"{origin}/invite/"), link  # https://, as the proxy forwarded
    shot(physio, "1-invitation")

    person.goto(link)  # as if scanned from the QR code
    person.fill("#login", "bea")
    person.fill("#password", PASSWORD)
    person.fill("#confirm_password", PASSWORD)
    person.click("button:has-text('Make my account and share')")
    person.wait_for_url("**/sharing?accepted=1")
    assert person.url.startswith(f"{origin}/")
    shot(person, "2-accepted")

    physio.goto("/clinic")
    physio.get_by_role("link", name="bea").click()
    physio.wait_for_url("**/clinic/people/*")
    bea_page = physio.url
    physio.get_by_role("link", name="Prescribe a routine").click()
    submit(physio, "Save the routine")  # the form's defaults: 3 a week, foam roller, gentle
    expect(physio.get_by_text("The new routine is saved")).to_be_visible(timeout=WAIT)

    person.goto("/")
    expect(person.locator("#prescription")).to_contain_text(
        "Your physio's routine: 3 times a week", timeout=WAIT
    )
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
    expect(person.locator("#verdict")).to_contain_text("URGENT", timeout=WAIT)
    shot(person, "3-urgent")

    physio.goto("/clinic")
    rows = flagged_first(physio, "bea", 2)
    assert "ann" in rows.nth(1).inner_text()
    shot(physio, "4-red-flag-first")

    person.goto("/sharing")
    person.click("button:has-text('Stop sharing with dr-kim')")
    person.wait_for_url("**/sharing?stopped=1")

    physio.goto("/clinic")
    assert "bea" not in physio.locator("main").inner_text()
    gone = physio.goto(bea_page)
    assert gone is not None and gone.status == 404
    shot(physio, "5-gone")
