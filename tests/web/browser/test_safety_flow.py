"""Safety that persists (issue 11), tried as a new user would in a real browser, desktop and
phone: the safety check's result carries into the routine and the session; an urgent
next-day check-in leads the home page and blocks routines and sessions until a clinician's
all-clear and a new check; breathlessness the next day gives the emergency advice first; a
session stopped for sharp pain makes the next plan ask first.

Each test leaves a hold or a pending check behind, so each runs on a server of its own
(``own_page``). The fixture fails a test on any console error or outside request.
Screenshots of the home page during a hold and of the plan pages go to /tmp."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage
from tests.web.browser.flows import fits, screening, submit

SHOTS = "/tmp/calfcare-safety-{name}-{viewport}.png"
FIRST_SCREEN = "e => { const r = e.getBoundingClientRect(); return r.top < window.innerHeight; }"


def _next_day(page: Page, *, swelling: str = "no", pe_signs: str = "no") -> None:
    """The next-day check-in: ``swelling`` in the left calf, ``pe_signs`` as answered."""
    page.goto("/checkins/next-day")
    page.check("#left-score-3")
    page.check("#right-score-2")
    for leg in ("left", "right"):
        for sign in ("swelling", "redness", "warmth"):
            answer = swelling if (leg, sign) == ("left", "swelling") else "no"
            page.check(f"#followup-{leg}-{sign}-{answer}")
    page.check(f"#followup-pe_signs-{pe_signs}")
    submit(page, "Save the check-in")


def _shot(bp: BrowserPage, name: str) -> None:
    bp.page.screenshot(path=SHOTS.format(name=name, viewport=bp.viewport), full_page=True)


def test_anticoagulants_routine_then_a_gentle_session(own_page: BrowserPage) -> None:
    page = own_page.page
    screening(page, {"general.anticoagulants": "yes"})
    submit(page, "Build your routine")
    expect(page.get_by_text("YOUR SAFETY CHECK")).to_be_visible()
    page.check("#tool-1")  # massage ball
    page.check("#intensity-2")  # deep: the check allows gentle work only
    submit(page, "Show my plan")
    expect(page.locator(".lead")).to_contain_text("Massage ball, gentle")
    expect(page.get_by_text("This plan follows today's safety check")).to_be_visible()
    fits(page)
    _shot(own_page, "plan-gentle")
    with page.expect_navigation():
        page.get_by_role("link", name="Start this session").click()
    expect(page.locator("#setup h1")).to_have_text("Ball session, gentle")
    expect(page.locator(".safety-followed")).to_contain_text("today's safety check")
    assert page.get_by_text("No safety check goes with this session").count() == 0
    expect(page.locator("#start")).to_be_enabled()


def test_an_urgent_next_day_check_holds_until_an_all_clear_and_a_new_check(
    own_page: BrowserPage,
) -> None:
    page = own_page.page
    _next_day(page, swelling="yes")
    expect(page.locator("#verdict")).to_contain_text("URGENT")

    page.goto("/")
    hold = page.locator("#hold")
    expect(hold).to_contain_text("a hold on massage since")
    expect(hold).to_contain_text("Get medical attention today")
    expect(hold).to_contain_text("Your next-day check-in on")
    assert hold.evaluate(FIRST_SCREEN), "the hold is on the first screen"
    first = page.evaluate("() => document.querySelector('main > :not(h1)').id")
    assert first == "hold", "the home page leads with the hold"
    for offer in ("Build your routine", "Start a guided session"):
        assert page.get_by_role("link", name=offer).count() == 0
    expect(page.get_by_text("Next-day check: URGENT")).to_be_visible()
    fits(page)
    _shot(own_page, "home-hold")

    for path in ("/plan", "/session?tool=ball&intensity=deep", "/session"):
        page.goto(path)
        expect(page.locator("#hold")).to_be_visible()
        assert page.locator("#start").count() == 0, path
        assert page.get_by_role("button", name="Show my plan").count() == 0, path
    fits(page)
    page.goto("/plan")
    _shot(own_page, "plan-hold")

    screening(page)  # nothing found: it does not lift the hold
    expect(page.locator("#hold-stays")).to_contain_text("does not lift it")
    assert page.get_by_role("button", name="Build your routine").count() == 0
    page.goto("/session?tool=ball&intensity=deep")
    expect(page.locator("#hold")).to_be_visible()

    page.goto("/")
    expect(page.locator("#clearance-day")).to_have_value(date.today().isoformat())
    submit(page, "A clinician has ruled out a clot")
    expect(page.locator("#needs-screening")).to_contain_text("new safety check")
    assert page.locator("#hold").count() == 0
    assert page.get_by_role("link", name="Build your routine").count() == 0
    for path in ("/plan", "/session?tool=ball&intensity=deep"):
        page.goto(path)
        expect(page.locator("#needs-screening")).to_be_visible()
        assert page.locator("#start").count() == 0, path

    screening(page)
    submit(page, "Build your routine")
    page.check("#tool-1")
    page.check("#intensity-2")
    submit(page, "Show my plan")
    with page.expect_navigation():
        page.get_by_role("link", name="Start this session").click()
    expect(page.locator("#setup h1")).to_have_text("Ball session, deep")
    expect(page.locator("#start")).to_be_enabled()


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_breathlessness_the_next_day_gives_the_emergency_advice_first(
    own_page: BrowserPage, answer: str
) -> None:
    page = own_page.page
    _next_day(page, pe_signs=answer)
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Call your local emergency number now")
    first = page.evaluate("() => document.querySelector('main').firstElementChild.id")
    assert first == "verdict"
    page.goto("/")
    hold = page.locator("#hold")
    expect(hold).to_contain_text("EMERGENCY")
    expect(hold).to_contain_text("Call your local emergency number now")
    assert hold.evaluate(FIRST_SCREEN)
    fits(page)


def test_a_sharp_pain_stop_makes_the_next_plan_ask_first(own_page: BrowserPage) -> None:
    page = own_page.page
    page.goto("/session?tool=ball&legs=left,right")
    page.uncheck("#voice")
    page.locator("#start").click()
    expect(page.locator("#sharp")).to_be_visible()
    page.locator("#sharp").click()
    expect(page.locator("#advice")).to_be_visible()
    expect(page.locator("#save")).to_have_text("Saved.", timeout=60_000)

    page.goto("/")
    check = page.locator("#pain-check-left")
    expect(check).to_contain_text("stopped for sharp pain in your left calf")
    expect(check).to_contain_text("professional advice")

    page.goto("/plan")
    page.check("#tool-1")
    submit(page, "Show my plan")
    expect(page.get_by_role("heading", name="Before this routine")).to_be_visible()
    expect(page.locator("#pain-check-left")).to_contain_text("professional advice")
    assert page.get_by_role("link", name="Start this session").count() == 0
    expect(page.get_by_role("link", name="Plan the right calf only")).to_be_visible()
    fits(page)
    _shot(own_page, "plan-pain-check")
    submit(page, "The pain in my left calf has gone or been checked")
    assert "/plan" in page.url
    submit(page, "Show my plan")
    expect(page.get_by_role("link", name="Start this session")).to_be_visible()
    assert page.locator("#pain-check-left").count() == 0
