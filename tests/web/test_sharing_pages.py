"""The person's side of the clinician's issue on the web (server mode, issue 16): accepting
an invitation (new account, existing account), wrong codes and their throttle, what is
shared and stopping it, the audit log, calendar links, and the prescription on the home
page and in the plan builder, always after the safety state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from icalendar import Calendar

from calfcare import services
from calfcare.core.accounts import Role
from calfcare.core.errors import NotAllowed
from calfcare.services import accounts, clinic
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.web import deps
from tests.conftest import screening_answers
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.server_helpers import PASSWORD, Browser, make_account, server_app
from tests.web.test_safety_api import NO


@dataclass
class Clinic:
    app: FastAPI
    clinician: Account

    @property
    def store(self) -> Store:
        return deps.base_store(self.app)

    def invite(self) -> str:
        return clinic.invite(self.store, self.clinician, datetime.now(UTC)).code

    def prescribe(self, person_id: int, **changes: object) -> None:
        fields: dict[str, object] = {
            "calves": ["left", "right"], "tools": ["foam-roller"], "intensity_cap": "gentle",
            "seconds_per_calf": 150, "sessions_per_week": 3, "weeks": 4,
            "start_day": services.today_of(datetime.now().astimezone()), "note": "Slowly.",
        }  # fmt: skip
        fields.update(changes)
        clinic.prescribe(self.store, self.clinician, person_id, now=datetime.now(UTC), **fields)  # type: ignore[arg-type]


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return server_app(tmp_path)  # open sign-up off: an invitation still makes an account


@pytest.fixture
def kim(app: FastAPI) -> Clinic:
    made = accounts.sign_up(deps.base_store(app), "dr-kim", PASSWORD, datetime.now(UTC),
                            role=Role.CLINICIAN)  # fmt: skip
    return Clinic(app, made)


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Browser]:
    opened = Browser(app)
    yield opened
    opened.close()


def anna(app: FastAPI, browser: Browser) -> int:
    person = make_account(app, "anna")
    assert browser.sign_in("anna").status_code == 303
    return person


def test_a_new_person_accepts_by_making_an_account(kim: Clinic, browser: Browser) -> None:
    code = kim.invite()
    page = browser.client.get(f"/invite/{code.lower()[:4]}-{code.lower()[4:]}")
    assert page.status_code == 200
    assert "dr-kim</strong> invites you" in page.text and "read-only" in page.text
    assert "Sign in, then share" in page.text and f"next=%2Finvite%2F{code}" in page.text
    differ = browser.form(f"/invite/{code}/new-account", login="bea", password=PASSWORD,
                          confirm_password="something else")  # fmt: skip
    assert differ.status_code == 422 and "The two passwords differ" in differ.text
    assert PASSWORD not in differ.text and 'value="bea"' in differ.text
    made = browser.form(f"/invite/{code}/new-account", login="bea", password=PASSWORD,
                        confirm_password=PASSWORD)  # fmt: skip
    assert made.status_code == 303 and made.headers["location"] == "/sharing?accepted=1"
    sharing = browser.client.get("/sharing")
    assert "You now share your records" not in sharing.text  # only after the redirect
    assert "Stop sharing with dr-kim" in sharing.text and "Sharing since" in sharing.text
    assert [s.person_login for s in clinic.people_of(kim.store, kim.clinician)] == ["bea"]
    used = Browser(kim.app)
    again = used.client.get(f"/invite/{code}")
    assert again.status_code == 404 and "cannot be used" in again.text
    used.close()


def test_an_existing_account_signs_in_and_comes_back(kim: Clinic, browser: Browser) -> None:
    make_account(kim.app, "anna")
    code = kim.invite()
    anonymous_accept = browser.form(f"/invite/{code}/accept")
    assert anonymous_accept.status_code == 303
    assert anonymous_accept.headers["location"].startswith("/sign-in?next=")
    signed = browser.client.post(
        "/sign-in",
        data={"csrftoken": browser.token, "login": "anna", "password": PASSWORD,
              "next": f"/invite/{code}"},
        follow_redirects=False,
    )  # fmt: skip
    assert signed.headers["location"] == f"/invite/{code}"
    page = browser.client.get(f"/invite/{code}")
    browser.token = csrf_token(page.text)
    assert "Share with dr-kim" in page.text and "Make my account" not in page.text
    shared = browser.form(f"/invite/{code}/accept")
    assert shared.status_code == 303 and shared.headers["location"] == "/sharing?accepted=1"
    assert (
        "You now share your records with your clinician"
        in browser.client.get("/sharing?accepted=1").text
    )
    assert browser.form(f"/invite/{code}/accept").status_code == 404  # used once


def test_a_clinician_account_cannot_accept(kim: Clinic, browser: Browser) -> None:
    code = kim.invite()
    assert browser.sign_in("dr-kim").status_code == 303
    page = browser.client.get(f"/invite/{code}")
    assert "Share with" not in page.text and "a clinician's or an administrator's" in page.text
    refused = browser.form(f"/invite/{code}/accept")
    assert refused.status_code == 403 and "sign in with the person" in refused.text


def test_wrong_codes_say_so_in_words_and_are_throttled(kim: Clinic, browser: Browser) -> None:
    code = kim.invite()
    clinic.clinician_revoke(kim.store, kim.clinician, datetime.now(UTC), code=code)
    for wrong in (code, "ZZZZZZZZ", "<script>", "a" * 300):
        page = browser.client.get(f"/invite/{wrong}")
        assert page.status_code == 404, wrong
        assert "unknown, used, revoked or expired" in page.text and "dr-kim" not in page.text
        assert "<script>" not in page.text
    made = browser.form("/invite/ZZZZZZZZ/new-account", login="eve", password=PASSWORD,
                        confirm_password=PASSWORD)  # fmt: skip
    assert made.status_code == 404
    with kim.store.accounts(read_only=True) as tx:
        assert tx.by_login("eve") is None  # a wrong code makes no account
    for _ in range(20):
        last = browser.client.get("/invite/YYYYYYYY")
    assert last.status_code == 429 and "Too many wrong codes" in last.text
    assert int(last.headers["retry-after"]) > 0
    good = kim.invite()
    assert browser.client.get(f"/invite/{good}").status_code == 429  # even a good one, for now


def test_the_code_form(browser: Browser) -> None:
    assert "Invitation code" in browser.client.get("/invite").text
    typed = browser.client.get("/invite?code=ab12 cd34", follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"] == "/invite/AB12CD34"
    bad = browser.client.get("/invite?code=%3F%3F")
    assert bad.status_code == 422 and "8 letters and digits" in bad.text


def test_stop_sharing_ends_access_at_once_and_the_log_stays(kim: Clinic, browser: Browser) -> None:
    person = anna(kim.app, browser)
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    clinic.open_person(kim.store, kim.clinician, person, "history", datetime.now(UTC))
    page = browser.client.get("/sharing")
    assert "Who opened your records" in page.text
    assert "<td>dr-kim</td><td>your history</td>" in page.text
    assert browser.form("/sharing/stop", clinician="x").status_code == 422
    assert browser.form("/sharing/stop", clinician="999").status_code == 422
    for odd in ("²", "١٢", "\x00"):  # a digit that is no number (int() fails): refused too
        assert browser.form("/sharing/stop", clinician=odd).status_code == 422
    stopped = browser.form("/sharing/stop", clinician=str(kim.clinician.id))
    assert stopped.status_code == 303 and stopped.headers["location"] == "/sharing?stopped=1"
    with pytest.raises(NotAllowed):
        clinic.open_person(kim.store, kim.clinician, person, "history", datetime.now(UTC))
    after = browser.client.get("/sharing?stopped=1").text
    assert "can no longer see any of your records" in after
    assert "You share your records with nobody" in after and "shared from" in after
    assert "<td>dr-kim</td><td>your history</td>" in after  # the log outlives the share


def test_calendar_links_feed_valid_icalendar_until_turned_off(
    kim: Clinic, browser: Browser
) -> None:
    person = anna(kim.app, browser)
    assert browser.form("/sharing/calendar").status_code == 422  # nothing prescribed yet
    assert browser.client.get("/sharing/calendar.ics").status_code == 404
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person)
    posted = browser.form("/sharing/calendar")  # answered with a redirect: a reload is safe
    assert posted.status_code == 303
    assert posted.headers["location"] == "/sharing?calendar=new#calendar"
    assert "httponly" in posted.headers["set-cookie"].lower()
    made = browser.client.get("/sharing?calendar=new")
    assert made.status_code == 200 and "Your private calendar link" in made.text
    assert made.headers["cache-control"] == "no-store"
    again = browser.client.get("/sharing?calendar=new")  # a reload: shown once, in words
    assert "Your private calendar link" not in again.text
    assert "Your calendar link was shown once" in again.text
    link = made.text.split('id="feed-https" readonly value="')[1].split('"')[0]
    assert link.startswith(f"{BASE_URL}/calendar/") and link.endswith(".ics")
    assert f'href="webcal://{link.split("://")[1]}"' in made.text
    path = link.removeprefix(BASE_URL)
    with TestClient(kim.app, base_url=BASE_URL) as stranger:  # a calendar app: no cookie
        feed = stranger.get(path)
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(feed.content).walk("VEVENT")
        assert len(events) == 3 and all(
            e["rrule"].to_ical() == b"FREQ=WEEKLY;COUNT=4" for e in events
        )
        assert "anna" not in feed.text and "dr-kim" not in feed.text
        download = browser.client.get("/sharing/calendar.ics")
        assert (
            download.status_code == 200 and "attachment" in download.headers["content-disposition"]
        )
        assert len(Calendar.from_ical(download.content).walk("VEVENT")) == 3
        off = browser.form("/sharing/calendar/off")
        assert off.status_code == 303 and off.headers["location"] == "/sharing?calendar=off"
        gone = stranger.get(path)
        assert gone.status_code == 404 and "anna" not in gone.text
        assert stranger.get("/calendar/not-a-token.ics").status_code == 404
        assert stranger.get("/sharing/calendar.ics", follow_redirects=False).status_code == 303


def test_home_leads_with_the_prescription_and_this_week(kim: Clinic, browser: Browser) -> None:
    person = anna(kim.app, browser)
    assert "FROM YOUR PHYSIO" not in browser.client.get("/").text
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person)
    assert browser.client.post("/api/screenings", json=screening_answers()).status_code == 201
    logged = browser.client.post(
        "/api/manual-sessions",
        json={"tool": "foam-roller", "legs": ["left", "right"], "seconds": 150},
    )
    assert logged.status_code == 201, logged.text
    home = browser.client.get("/").text
    lead = home.index("Your physio&#39;s routine: 3 times a week, foam roller, gentle")
    assert lead < home.index("What to do next")
    assert "Week 1: 1 of 3 sessions so far" in home and "Paused" not in home


def test_a_hold_comes_first_and_pauses_the_prescription(kim: Clinic, browser: Browser) -> None:
    person = anna(kim.app, browser)
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person, intensity_cap="deep")
    followup = {"left": {**NO, "warmth": "unsure"}, "right": NO, "pe_signs": False}
    held = browser.client.post(
        "/api/checkins/soreness", json={"moment": "next_day", "left": 2, "followup": followup}
    )
    assert held.status_code == 201
    home = browser.client.get("/").text
    hold, routine = home.index('id="hold"'), home.index('id="prescription"')
    assert hold < routine and "PAUSED · FROM YOUR PHYSIO" in home
    assert "Paused today: the safety check comes first." in home
    assert "Plan today&#39;s routine from it" not in home
    assert "<title>No routine today" in browser.client.get("/plan").text  # the hold decides


def test_the_plan_form_starts_from_the_prescription_capped(kim: Clinic, browser: Browser) -> None:
    person = anna(kim.app, browser)
    assert 'value="ball" checked' not in browser.client.get("/plan").text
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person, tools=["ball", "hands"], calves=["right"], seconds_per_calf=170)
    assert browser.client.post("/api/screenings", json=screening_answers()).status_code == 201
    form = browser.client.get("/plan").text
    assert "Your physio&#39;s routine: 3 times a week, ball or hands, gentle" in form
    assert 'value="ball" checked' in form and 'value="right" checked' in form
    assert 'value="170"' in form and 'value="gentle" checked' in form
    built = browser.form("/plan", tool="ball", legs="right", seconds_per_calf="170",
                         intensity="deep")  # fmt: skip
    assert built.status_code == 200, built.text
    assert "Massage ball, gentle" in built.text
    assert "keeps the firmness at gentle or lighter" in built.text


def test_personal_mode_has_none_of_it(tmp_path: Path) -> None:
    from calfcare.settings import Settings
    from calfcare.web.app import create_app

    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as client:
        for path in ("/invite", "/invite/ABCDEFGH", "/sharing", "/calendar/x.ics"):
            assert client.get(path).status_code == 404, path
        assert "Sharing" not in client.get("/").text


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("GET", "/invite", True),
        ("GET", "/invite/AB12CD34", True),
        ("HEAD", "/invite/AB12CD34", True),
        ("POST", "/invite/AB12CD34/new-account", True),
        ("POST", "/invite/AB12CD34/accept", False),
        ("GET", "/invite/AB12CD34/accept", False),
        ("POST", "/invite/AB12CD34", False),
        ("GET", "/invite/a/b/new-account", False),
        ("GET", "/calendar/abc.ics", True),
        ("POST", "/calendar/abc.ics", False),
        ("GET", "/calendar/a/b.ics", False),
        ("GET", "/calendar/abc.ics/x", False),
        ("GET", "/sharing", False),
        ("GET", "/sharing/calendar.ics", False),
    ],
)
def test_only_these_shapes_are_public(method: str, path: str, public: bool) -> None:
    from calfcare.web.auth import is_public

    assert is_public({"type": "http", "method": method, "path": path}) is public


def test_the_pages_speak_in_words(kim: Clinic, browser: Browser) -> None:
    from tests.web.test_no_internal_names import internal_tokens, readable

    invitation = browser.client.get(f"/invite/{kim.invite()}").text
    person = anna(kim.app, browser)
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person)
    for what in ("history", "charts", "insights", "export", "prescription", "records"):
        clinic.open_person(kim.store, kim.clinician, person, what, datetime.now(UTC))
    pages = [invitation, browser.client.get("/invite/WRONG234").text,
             browser.form("/sharing/calendar").text, browser.client.get("/").text,
             browser.client.get("/plan").text]  # fmt: skip
    for html in pages:
        assert not internal_tokens(readable(html)), internal_tokens(readable(html))


def test_the_safety_check_narrows_the_prescription(kim: Clinic, browser: Browser) -> None:
    """A wound on the left calf: the routine says today's check changes it, and the plan
    built from it leaves the left calf out, whatever the prescription says."""
    person = anna(kim.app, browser)
    clinic.accept_invite(kim.store, kim.invite(), person, datetime.now(UTC))
    kim.prescribe(person, intensity_cap="deep")
    wounded = screening_answers()
    wounded["left"]["open_wound"] = True
    assert browser.client.post("/api/screenings", json=wounded).status_code == 201
    home = browser.client.get("/").text
    assert "Today your safety check changes it:" in home and "PAUSED" not in home
    assert 'value="left,right" checked' in browser.client.get("/plan").text
    built = browser.form("/plan", tool="foam-roller", legs="left,right",
                         seconds_per_calf="150", intensity="deep")  # fmt: skip
    assert built.status_code == 200, built.text
    assert "1 calf" in built.text and "keeps the firmness" not in built.text
