"""The clinician's pages on a real app (server mode, SQLite; one test on PostgreSQL too):
the list red flags first, the invitation, a person's page (audited), prescribing through the
one form handler, stopping, the nav, and words, not internal names, on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from calfcare.services import clinic
from calfcare.settings import Settings
from calfcare.web import deps
from calfcare.web.app import create_app
from tests.storage.backends import BACKENDS, database_url
from tests.web.browser.clinic_server import SESSION, URGENT_NEXT_DAY
from tests.web.conftest import BASE_URL, TestClient
from tests.web.forms import post_form
from tests.web.server_helpers import Browser, make_account, make_clinician, server_app, share
from tests.web.test_no_internal_names import internal_tokens, readable

ROUTINE = {
    "calves": "left,right", "tools": "foam-roller", "intensity_cap": "gentle",
    "seconds_per_calf": "150", "sessions_per_week": "3", "weeks": "4", "start_day": "",
    "note": "Slow passes, stop if it hurts.",
}  # fmt: skip


class Clinic:
    """A clinician (``dr``) whom anna and bert share with; carl shares with no one."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.kim = make_clinician(app, "dr.kim")
        self.ids = {name: make_account(app, name) for name in ("anna", "bert", "carl")}
        for name in ("anna", "bert"):
            share(app, self.kim, self.ids[name])
        self.browsers: list[Browser] = []
        self.dr = self.browser("dr.kim")

    def browser(self, login: str) -> Browser:
        opened = Browser(self.app)
        assert opened.sign_in(login).status_code == 303
        self.browsers.append(opened)
        return opened

    def page(self, path: str) -> str:
        got = self.dr.client.get(path, headers={"accept": "text/html"})
        assert got.status_code == 200, (path, got.status_code, got.text[:200])
        return str(got.text)

    def close(self) -> None:
        for opened in self.browsers:
            opened.close()


def make_clinic(app: FastAPI) -> Iterator[Clinic]:
    made = Clinic(app)
    yield made
    made.close()


@pytest.fixture
def kim(tmp_path: Path) -> Iterator[Clinic]:
    yield from make_clinic(server_app(tmp_path))


def text_of(html: str) -> str:
    """What a person reads (an error summary's "field : message" as "field: message")."""
    return readable(html).replace(" : ", ": ")


def prescribe(c: Clinic, name: str, **fields: str) -> Any:
    return c.dr.form(f"/clinic/people/{c.ids[name]}/prescribe", **{**ROUTINE, **fields})


def two_sessions_and_an_urgent_follow_up(anna: Browser) -> None:
    for _ in range(2):
        done = anna.client.post("/api/manual-sessions", json=SESSION)
        assert done.status_code == 201, done.text
    urgent = anna.client.post("/api/checkins/soreness", json=URGENT_NEXT_DAY)
    assert urgent.status_code == 201, urgent.text


def test_the_list_puts_the_red_flag_first_with_adherence(kim: Clinic) -> None:
    for name in ("anna", "bert"):
        assert prescribe(kim, name).status_code == 303
    two_sessions_and_an_urgent_follow_up(kim.browser("bert"))
    text = text_of(kim.page("/clinic"))
    assert text.index("bert") < text.index("anna")  # the red flag first, not by name
    assert "Red flag: Hold on massage: urgent signs reported" in text
    assert "2 of 3 sessions so far" in text and "0 of 3 sessions so far" in text
    assert "carl" not in text  # carl shares with no one
    assert "2 people share their records with you. 1 needs attention first" in text


def test_a_clinicians_home_leads_to_their_people(kim: Clinic) -> None:
    """A clinician signing in lands on the person's home page; its first card is their list
    (the nav's 13 entries are four lines on a phone). A person's home has no such card."""
    assert '<a class="card" href="/clinic" id="your-people">' in kim.page("/")
    assert 'id="your-people"' not in kim.browser("anna").client.get("/").text


def test_the_list_is_a_table_with_flags_in_words(kim: Clinic) -> None:
    html = kim.page("/clinic")
    assert '<table class="data clinic">' in html and 'data-label="Red flags"' in html
    assert "clinic.css" in html
    assert "None" in text_of(html)  # no flag is said, not left blank


def test_a_persons_page_shows_their_history_routine_and_the_override(kim: Clinic) -> None:
    assert prescribe(kim, "anna").status_code == 303
    anna = kim.browser("anna")
    two_sessions_and_an_urgent_follow_up(anna)
    html = kim.page(f"/clinic/people/{kim.ids['anna']}")
    text = text_of(html)
    assert "Red flag: Hold on massage: urgent signs reported" in text
    assert "3 times a week, foam roller, gentle; both calves, 2:30 per calf, for 4 weeks." in text
    assert "Your note: Slow passes, stop if it hurts." in text
    assert "Week 1: 2 of 3 sessions so far (left 5:00, right 5:00)" in text
    assert "THE SAFETY CHECK OVERRIDES THIS ROUTINE TODAY" in text and "No massage today." in text
    # the history as anna sees it: the same rows and charts as her own history page
    own = anna.client.get("/history").text
    for chart in re.findall(r'<figcaption id="([\w-]+)-caption">', own):
        assert f'id="{chart}-caption"' in html
    row = r"<tr role=\"row\"><th scope=\"row\" role=\"rowheader\">[^<]+</th><td role=\"cell\">[^<]+"
    records = [re.findall(row, page.split("<h2>Records</h2>")[1]) for page in (own, html)]
    assert records[0] == records[1] and len(records[0]) == 4
    assert "/checkins/follow-up/" not in html  # her own pages' links are not the clinician's
    every = kim.page(f"/clinic/people/{kim.ids['anna']}?limit=4&charts=all")
    assert "4 of 4 records" in text_of(every)
    # opening it is in anna's audit log
    log = clinic.audit_log(deps.base_store(kim.app), kim.ids["anna"])
    assert [(e.what, e.clinician_login) for e in log][:1] == [("history", "dr.kim")]


def test_a_person_without_a_routine(kim: Clinic) -> None:
    text = text_of(kim.page(f"/clinic/people/{kim.ids['bert']}"))
    assert "No red flags today." in text
    assert "You have not prescribed a routine for bert." in text
    assert "Nothing recorded yet." in text and "check-in" not in text


def test_every_record_on_a_long_history(kim: Clinic) -> None:
    carl = kim.browser("carl")
    for day in range(1, 61):
        when = (date.today() - timedelta(days=day)).isoformat()
        saved = carl.client.post("/api/notes", json={"text": f"note {day}", "day": when})
        assert saved.status_code == 201, saved.text
    share(kim.app, kim.kim, kim.ids["carl"])
    page = kim.page(f"/clinic/people/{kim.ids['carl']}")
    assert "50 of 60 records" in text_of(page)
    link = f'href="/clinic/people/{kim.ids["carl"]}?limit=60"'
    assert link in page
    assert "60 of 60 records" in text_of(kim.page(f"/clinic/people/{kim.ids['carl']}?limit=60"))


def test_the_persons_own_filters_on_the_clinicians_page(kim: Clinic) -> None:
    carl = kim.browser("carl")
    for day in range(1, 11):
        when = (date.today() - timedelta(days=day)).isoformat()
        assert carl.client.post("/api/notes", json={"text": f"note {day}", "day": when}).is_success
    after = {"moment": "after", "left": 3}
    assert carl.client.post("/api/checkins/soreness", json=after).is_success
    share(kim.app, kim.kim, kim.ids["carl"])
    here = f"/clinic/people/{kim.ids['carl']}"
    since = (date.today() - timedelta(days=3)).isoformat()
    queries = {f"kind=note&since={since}": "3 of 3 records", "kind=note&limit=2": "2 of 10 records",
               "leg=left&kind=soreness": "1 of 1 record,"}  # fmt: skip
    for query, total in queries.items():
        assert total in text_of(carl.client.get(f"/history?{query}").text), query
        mine = kim.page(f"{here}?{query}")
        assert total in text_of(mine), query  # what their own history page gives them
        assert f'<form method="get" action="{here}"' in mine and "Clear the filters" in mine
    bad = kim.dr.client.get(f"{here}?since=yesterday&kind=bogus&limit=0&leg=middle")
    assert bad.status_code == 422
    for words in ("From", "Kinds of record", "Rows", "Calf"):  # linked to the form's fields
        assert f">{words}</a>" in bad.text, words
    log = clinic.audit_log(deps.base_store(kim.app), kim.ids["carl"])
    assert [e.what for e in log].count("history") == 4  # every view is in carl's log


def test_prescribing_through_the_one_form_handler(kim: Clinic) -> None:
    anna = kim.ids["anna"]
    form = kim.page(f"/clinic/people/{anna}/prescribe")
    log = clinic.audit_log(deps.base_store(kim.app), anna)
    assert [e.what for e in log] == ["prescription"]  # opening the form is in her log
    assert 'value="150"' in form and 'id="tools-0"' in form
    refused = kim.dr.form(
        f"/clinic/people/{anna}/prescribe", calves="left", tools="ball", intensity_cap="deep",
        seconds_per_calf="240", sessions_per_week="three", weeks="20", start_day="someday",
        note="Kept as typed",
    )  # fmt: skip
    assert refused.status_code == 422
    text = text_of(refused.text)
    for words in ("Seconds per calf: Give a whole number from 120 to 180.",
                  "Sessions a week: Give a whole number from 1 to 7.",
                  "Weeks: Give a whole number from 1 to 12.", "First day: 'someday'"):  # fmt: skip
        assert words in text, words
    assert ">Kept as typed</textarea>" in refused.text and 'value="240"' in refused.text
    assert re.search(r'value="ball" checked', refused.text)
    assert clinic.prescription_of(deps.base_store(kim.app), anna) is None  # nothing saved
    saved = prescribe(kim, "anna", calves="right", tools="ball", start_day="2026-12-01")
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/clinic/people/{anna}?saved=1"
    found = clinic.prescription_of(deps.base_store(kim.app), anna)
    assert found is not None and found.prescription.start_day == date(2026, 12, 1)
    assert [c.value for c in found.prescription.calves] == ["right"]
    again = kim.page(f"/clinic/people/{anna}/prescribe")
    assert re.search(r'value="right" checked', again)  # the form starts from the one in force


def test_two_tools_in_one_routine(kim: Clinic) -> None:
    fields = [(k, v) for k, v in ROUTINE.items() if k != "tools"]
    page = post_form(
        kim.dr.client,
        f"/clinic/people/{kim.ids['anna']}/prescribe",
        [("csrftoken", kim.dr.token), *fields, ("tools", "ball"), ("tools", "hands")],
        follow_redirects=False,
    )
    assert page.status_code == 303
    found = clinic.prescription_of(deps.base_store(kim.app), kim.ids["anna"])
    assert found is not None and [t.value for t in found.prescription.tools] == ["ball", "hands"]


def test_an_invitation_shows_its_code_link_and_qr_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, server=True, allowed_hosts=("clinic.example",))
    app = create_app(settings)
    kim = make_clinician(app, "dr.kim")
    with TestClient(app, base_url="https://clinic.example") as browser:
        from tests.web.conftest import csrf_token
        from tests.web.server_helpers import PASSWORD

        token = csrf_token(browser.get("/sign-in").text)
        browser.post("/sign-in", data={"csrftoken": token, "login": "dr.kim",
                                       "password": PASSWORD})  # fmt: skip
        token = csrf_token(browser.get("/clinic/invite").text)
        posted = browser.post("/clinic/invite", data={"csrftoken": token}, follow_redirects=False)
        assert posted.status_code == 303  # a reload of what follows does not post again
        assert posted.headers["location"] == "/clinic/invite?made=1"
        assert "httponly" in posted.headers["set-cookie"].lower()
        page = browser.get(posted.headers["location"])
        again = browser.get(posted.headers["location"])  # a reload: shown once, in words
    assert page.headers["cache-control"] == "no-store"
    assert "invite-code" not in again.text and "were shown once" in again.text
    assert page.status_code == 200
    link = re.search(r'<a href="(https://clinic\.example/invite/([A-Z2-9]{8}))">', page.text)
    assert link, "the link is on the request's host"
    code = re.search(r'class="invite-code"[^>]*>([A-Z2-9]{4} [A-Z2-9]{4})<', page.text)
    assert code and code.group(1).replace(" ", "") == link.group(2)
    assert '<div class="qr"><svg' in page.text and "<title>Invitation link</title>" in page.text
    person = make_account(app, "anna")
    clinic.accept_invite(deps.base_store(app), code.group(1), person, datetime.now(UTC))
    assert [s.person_id for s in clinic.people_of(deps.base_store(app), kim)] == [person]


def test_the_invitation_link_follows_the_proxy_headers(tmp_path: Path) -> None:
    """Behind the proxy `calfcare serve` trusts (uvicorn's proxy headers), the link has the
    scheme the proxy forwarded, not the one the proxy's request came in with."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    settings = Settings(data_dir=tmp_path, server=True, allowed_hosts=("clinic.example",))
    app = create_app(settings)
    make_clinician(app, "dr.kim")
    proxied: Any = ProxyHeadersMiddleware(app, trusted_hosts="*")  # type: ignore[arg-type]
    forwarded = {"x-forwarded-proto": "http", "x-forwarded-for": "192.0.2.7"}
    with TestClient(proxied, base_url="https://clinic.example", headers=forwarded) as browser:
        from tests.web.conftest import csrf_token
        from tests.web.server_helpers import PASSWORD

        token = csrf_token(browser.get("/sign-in").text)
        signed = browser.post("/sign-in", data={"csrftoken": token, "login": "dr.kim",
                                                "password": PASSWORD})  # fmt: skip
        assert signed.status_code == 200, signed.text[:200]
        token = csrf_token(browser.get("/clinic/invite").text)
        page = browser.post("/clinic/invite", data={"csrftoken": token})
    assert page.status_code == 200
    assert re.search(r'<a href="http://clinic\.example/invite/[A-Z2-9]{8}">', page.text)


def test_cancelling_open_invitations(kim: Clinic) -> None:
    kim.dr.form("/clinic/invite")
    done = kim.dr.form("/clinic/invite/revoke")
    assert done.status_code == 303 and done.headers["location"] == "/clinic/invite?revoked=1"
    assert "1 open invitation cancelled." in text_of(kim.page("/clinic/invite?revoked=1"))
    assert "cancelled" not in text_of(kim.page("/clinic/invite?revoked=²"))  # no number


def test_stop_seeing_a_person(kim: Clinic) -> None:
    anna = kim.ids["anna"]
    stopped = kim.dr.form(f"/clinic/people/{anna}/stop")
    assert stopped.status_code == 303 and stopped.headers["location"] == "/clinic?stopped=1"
    assert "anna" not in text_of(kim.page("/clinic?stopped=1"))
    assert kim.dr.client.get(f"/clinic/people/{anna}").status_code == 404
    shares = clinic.shares_of(deps.base_store(kim.app), anna)
    assert [s.stopped_at is not None for s in shares] == [True]
    no_token = kim.dr.client.post(f"/clinic/people/{kim.ids['bert']}/stop", data={})
    assert no_token.status_code == 403  # CSRF, like every form
    assert "bert" in text_of(kim.page("/clinic"))


def test_a_person_is_refused_in_words(kim: Clinic) -> None:
    anna = kim.browser("anna")
    page = anna.client.get("/clinic", headers={"accept": "text/html"})
    assert page.status_code == 403
    assert "Only a clinician's account can do that." in text_of(page.text)


def test_the_nav_has_your_people_for_a_clinician_only(kim: Clinic) -> None:
    anna = kim.browser("anna")
    for path in ("/learn", "/history", "/learn"):  # /learn is a cached page: it must vary
        assert ">Your people</a>" in kim.page(path)
        assert ">Your people</a>" not in anna.client.get(path).text
    for path in ("/clinic", "/clinic/invite", f"/clinic/people/{kim.ids['anna']}"):
        assert 'aria-current="page">Your people</a>' in kim.page(path)


def test_no_clinician_pages_in_personal_mode(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as personal:
        for path in ("/clinic", "/clinic/invite", "/clinic/people/1"):
            assert personal.get(path).status_code == 404
        assert "Your people" not in personal.get("/learn").text


def test_the_clinicians_pages_show_words_not_internal_names(kim: Clinic) -> None:
    assert prescribe(kim, "anna").status_code == 303
    two_sessions_and_an_urgent_follow_up(kim.browser("anna"))
    anna = kim.ids["anna"]
    shown = {}
    pages = [kim.page(p) for p in ("/clinic", "/clinic/invite", f"/clinic/people/{anna}",
                                   f"/clinic/people/{anna}/prescribe")]  # fmt: skip
    pages.append(kim.dr.form("/clinic/invite").text)
    pages.append(kim.dr.form(f"/clinic/people/{anna}/prescribe", tools="spoon").text)
    for html in pages:
        tokens = internal_tokens(readable(html))
        if tokens:
            shown[html[:80]] = tokens
    assert not shown, shown


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_flow_on_both_databases(tmp_path: Path, backend: str) -> None:
    for url in database_url(backend, tmp_path):
        settings = Settings(data_dir=tmp_path, server=True, database_url=url)
        for c in make_clinic(create_app(settings)):
            assert prescribe(c, "anna").status_code == 303
            two_sessions_and_an_urgent_follow_up(c.browser("anna"))
            assert "2 of 3 sessions so far" in text_of(c.page("/clinic"))
            assert "OVERRIDES" in c.page(f"/clinic/people/{c.ids['anna']}")
            clinic.stop_sharing(deps.base_store(c.app), c.ids["anna"], c.kim.id, datetime.now(UTC))
            assert c.dr.client.get(f"/clinic/people/{c.ids['anna']}").status_code == 404
            deps.close_store(c.app)
