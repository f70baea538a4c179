"""Who may do what, route by route, on a server (`calfcare serve --server`).

Every route of the app, every method, has a row: the status an anonymous request gets
(``SIGN_IN``: a redirect (303) to the sign-in page; 401: the API's refusal), and the status
a signed-in person gets for the same minimal request (an empty form or ``{}``: a refusal
naming fields, never a sign-in). A route added without a row fails
`test_every_route_has_a_row`, naming it. Routes that address a record by id have a third
column: person B addressing person A's record (`test_b_cannot_reach_a_by_id`). The clinician
column (issue 16) is a clinician's account that person A shares with: on the person's own
routes it acts on its own (empty) records, on the clinician's pages it addresses A (``403``
for anyone who is not a clinician). Reaching B, another clinician's people, or A after A
stopped sharing is `test_a_clinician_reaches_only_who_shares`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Route

from calfcare.services import clinic
from calfcare.web import deps
from tests.conftest import screening_answers
from tests.web.server_helpers import Browser, make_account, make_clinician, server_app, share
from tests.web.test_safety_api import NO

SIGN_IN = "sign-in"
"""A page's refusal of an anonymous request: 303 to ``/sign-in?next=…``."""
OTHER_METHODS = ("CONNECT", "DELETE", "OPTIONS", "PATCH", "PUT", "TRACE")


@dataclass(frozen=True)
class Row:
    anonymous: int | str
    person: int | str
    clinician: int | str | None = None  # issue 16


PUBLIC_PAGE = Row(200, 200, 200)
PRIVATE_PAGE = Row(SIGN_IN, 200, 200)
PRIVATE_FORM = Row(SIGN_IN, 422, 422)  # an empty form: refused, naming its fields
PRIVATE_READ = Row(401, 200, 200)
PRIVATE_WRITE = Row(401, 422, 422)
CLINICIAN_PAGE = Row(SIGN_IN, 403, 200)  # a person is refused in words: not a clinician

MATRIX: dict[tuple[str, str], Row] = {
    # public: fixed content, the screening form and its pure check, the browser's files
    ("GET", "/learn"): PUBLIC_PAGE,
    ("GET", "/mobility/knee-to-wall"): PUBLIC_PAGE,
    ("GET", "/screening"): PUBLIC_PAGE,
    ("POST", "/screening/answers.json"): Row(422, 422, 422),
    ("GET", "/favicon.ico"): PUBLIC_PAGE,
    ("GET", "/manifest.webmanifest"): PUBLIC_PAGE,
    ("GET", "/sw.js"): PUBLIC_PAGE,
    ("GET", "/openapi.json"): PUBLIC_PAGE,
    ("HEAD", "/openapi.json"): PUBLIC_PAGE,
    ("GET", "/api/learn"): PUBLIC_PAGE,
    ("GET", "/api/sources"): PUBLIC_PAGE,
    ("GET", "/api/screening/questions"): PUBLIC_PAGE,
    ("POST", "/api/screening"): Row(422, 422, 422),
    ("GET", "/static"): PUBLIC_PAGE,  # the mount (checked with one file)
    # accounts
    ("GET", "/sign-in"): PUBLIC_PAGE,
    ("POST", "/sign-in"): Row(401, 401, 401),  # no such login: the form again, refused
    ("GET", "/sign-up"): PUBLIC_PAGE,
    ("POST", "/sign-up"): Row(422, 422, 422),
    ("GET", "/account"): PRIVATE_PAGE,
    ("POST", "/account/password"): PRIVATE_FORM,
    ("POST", "/account/sign-out-others"): Row(SIGN_IN, 303, 303),  # ends their other sign-ins
    ("POST", "/sign-out"): Row(303, 303, 303),
    # passkeys: on 127.0.0.1 (an address, not a name) the options are refused in words;
    # an empty answer is the one refusal; adding and removing need a name or an id
    ("POST", "/sign-in/passkey/options"): Row(422, 422, 422),
    ("POST", "/sign-in/passkey"): Row(401, 401, 401),
    ("POST", "/account/passkeys/options"): Row(SIGN_IN, 422, 422),
    ("POST", "/account/passkeys"): PRIVATE_FORM,
    ("POST", "/account/passkeys/remove"): PRIVATE_FORM,
    # pages of the person's records
    ("GET", "/"): PRIVATE_PAGE,
    ("POST", "/screening"): PRIVATE_FORM,
    ("GET", "/safety"): PRIVATE_PAGE,
    ("POST", "/safety/clearance"): PRIVATE_FORM,
    ("POST", "/safety/pain-checked"): PRIVATE_FORM,
    ("GET", "/plan"): PRIVATE_PAGE,
    ("POST", "/plan"): PRIVATE_FORM,
    ("POST", "/plan/from-screening"): PRIVATE_FORM,
    ("GET", "/session"): PRIVATE_PAGE,
    ("GET", "/checkins"): PRIVATE_PAGE,
    ("GET", "/checkins/follow-up/{screening_id}"): Row(SIGN_IN, 404, 404),
    ("GET", "/checkins/knee-to-wall"): PRIVATE_PAGE,
    ("POST", "/checkins/knee-to-wall"): PRIVATE_FORM,
    ("GET", "/checkins/next-day"): PRIVATE_PAGE,
    ("POST", "/checkins/next-day"): PRIVATE_FORM,
    ("POST", "/checkins/note"): PRIVATE_FORM,
    ("GET", "/checkins/session"): PRIVATE_PAGE,
    ("POST", "/checkins/session"): PRIVATE_FORM,
    ("GET", "/checkins/soreness"): PRIVATE_PAGE,
    ("POST", "/checkins/soreness"): PRIVATE_FORM,
    ("GET", "/history"): PRIVATE_PAGE,
    ("GET", "/insights"): PRIVATE_PAGE,
    ("GET", "/report"): PRIVATE_PAGE,
    ("GET", "/report/download"): PRIVATE_PAGE,
    ("GET", "/export"): PRIVATE_PAGE,
    ("GET", "/export/download"): PRIVATE_PAGE,
    ("POST", "/import"): PRIVATE_FORM,
    ("GET", "/split-leg"): PRIVATE_PAGE,
    ("POST", "/split-leg"): PRIVATE_FORM,
    ("POST", "/split-leg/before"): PRIVATE_FORM,
    ("POST", "/split-leg/massaged"): PRIVATE_FORM,
    ("POST", "/split-leg/start"): Row(SIGN_IN, 303, 303),  # starts one with the defaults
    ("POST", "/split-leg/stop"): PRIVATE_FORM,
    # the JSON API of the person's records
    ("GET", "/api/safety"): PRIVATE_READ,
    ("POST", "/api/safety/clearances"): PRIVATE_WRITE,
    ("POST", "/api/safety/pain-checks"): PRIVATE_WRITE,
    ("POST", "/api/screenings"): PRIVATE_WRITE,
    ("POST", "/api/plan"): PRIVATE_WRITE,
    ("POST", "/api/sessions"): PRIVATE_WRITE,
    ("POST", "/api/manual-sessions"): PRIVATE_WRITE,
    ("POST", "/api/checkins/soreness"): PRIVATE_WRITE,
    ("POST", "/api/checkins/mobility"): PRIVATE_WRITE,
    ("POST", "/api/notes"): PRIVATE_WRITE,
    ("GET", "/api/records"): PRIVATE_READ,
    ("GET", "/api/stats"): PRIVATE_READ,
    ("GET", "/api/insights"): PRIVATE_READ,
    ("GET", "/api/export"): PRIVATE_READ,
    ("POST", "/api/import"): PRIVATE_WRITE,
    ("GET", "/api/split-leg"): PRIVATE_READ,
    ("GET", "/api/split-leg/days"): PRIVATE_READ,
    ("POST", "/api/split-leg/days"): PRIVATE_WRITE,
    ("POST", "/api/split-leg/experiments"): Row(401, 201, 201),  # {} starts one with defaults
    ("POST", "/api/split-leg/massaged"): PRIVATE_WRITE,
    ("POST", "/api/split-leg/stop"): Row(401, 200, 200),
    # the clinician's pages ({person_id}: person A, who shares with the clinician)
    ("GET", "/clinic"): CLINICIAN_PAGE,
    ("GET", "/clinic/invite"): CLINICIAN_PAGE,
    ("POST", "/clinic/invite"): Row(SIGN_IN, 403, 303),  # a new invitation, shown after 303
    ("POST", "/clinic/invite/revoke"): Row(SIGN_IN, 403, 303),
    ("GET", "/clinic/people/{person_id}"): CLINICIAN_PAGE,
    ("GET", "/clinic/people/{person_id}/prescribe"): CLINICIAN_PAGE,
    ("POST", "/clinic/people/{person_id}/prescribe"): Row(SIGN_IN, 403, 422),
    ("POST", "/clinic/people/{person_id}/stop"): Row(SIGN_IN, 403, 303),  # (last: ends A's share)
}
# -- issue 16, the person's side: invitations, sharing, calendar links ----------------------
# A clinician acts on their own records here, as any person. An unknown code or token: 404.
MATRIX.update({
    ("GET", "/invite"): PUBLIC_PAGE,
    ("GET", "/invite/{code}"): Row(404, 404, 404),
    ("POST", "/invite/{code}/accept"): Row(SIGN_IN, 404, 404),
    ("POST", "/invite/{code}/new-account"): Row(404, 404, 404),
    ("GET", "/sharing"): PRIVATE_PAGE,
    ("POST", "/sharing/stop"): PRIVATE_FORM,
    ("POST", "/sharing/calendar"): PRIVATE_FORM,  # nothing prescribed: refused, in words
    ("POST", "/sharing/calendar/off"): Row(SIGN_IN, 303, 303),
    ("GET", "/sharing/calendar.ics"): Row(SIGN_IN, 404, 404),  # nothing prescribed
    ("GET", "/calendar/{token}.ics"): Row(404, 404, 404),
})  # fmt: skip
# -- end of issue 16, the person's side -----------------------------------------------------
for _method in OTHER_METHODS:  # the split-leg days' catch-all: "not that method"
    MATRIX[(_method, "/api/split-leg/days")] = Row(401, 405, 405)


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app answers, through FastAPI's included routers."""
    found: set[tuple[str, str]] = set()
    pending: list[Any] = list(app.routes)
    while pending:
        route = pending.pop()
        if hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
        elif isinstance(route, Route):
            found |= {(m, route.path) for m in route.methods or ()}
        else:
            found.add(("GET", route.path))  # a mount (the static files)
    return found - {("HEAD", p) for _, p in found if p != "/openapi.json"}


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return server_app(tmp_path, allow_sign_up=True)


@pytest.fixture
def people(app: FastAPI) -> Iterator[tuple[Browser, Browser, Browser]]:
    """An anonymous browser, and persons A and B signed in, each in their own browser."""
    make_account(app, "anna")
    make_account(app, "bert")
    anonymous, a, b = Browser(app), Browser(app), Browser(app)
    assert a.sign_in("anna").status_code == 303
    assert b.sign_in("bert").status_code == 303
    yield anonymous, a, b
    for browser in (anonymous, a, b):
        browser.close()


@dataclass
class Clinic:
    """A clinician (``dr``) whom person A (``a_id``) shares with; B does not share."""

    dr: Browser
    a_id: int
    b_id: int


@pytest.fixture
def clinic_of_a(app: FastAPI, people: tuple[Browser, Browser, Browser]) -> Iterator[Clinic]:
    kim = make_clinician(app, "dr.kim")
    ids = {s.person_id for s in clinic.people_of(deps.base_store(app), kim)}
    assert ids == set()
    a_id = make_person_id(app, "anna")
    share(app, kim, a_id)
    dr = Browser(app)
    assert dr.sign_in("dr.kim").status_code == 303
    yield Clinic(dr, a_id, make_person_id(app, "bert"))
    dr.close()


def make_person_id(app: FastAPI, login: str) -> int:
    return clinic.account_named(deps.base_store(app), login).person_id


def test_every_route_has_a_row(app: FastAPI) -> None:
    missing = sorted(app_routes(app) - set(MATRIX))
    assert not missing, f"routes without a row in MATRIX: {missing}"
    stale = sorted(set(MATRIX) - app_routes(app))
    assert not stale, f"rows for routes that do not exist: {stale}"


def test_every_row_has_a_clinician_column() -> None:
    missing = sorted(key for key, row in MATRIX.items() if row.clinician is None)
    assert not missing, f"rows without a clinician status: {missing}"


def request(browser: Browser, method: str, path: str, person_id: int = 0) -> Any:
    url = path.replace("{screening_id}", "00000000-0000-4000-8000-000000000000")
    url = url.replace("{person_id}", str(person_id))
    url = "/static/calfcare.css" if url == "/static" else url
    if method in ("GET", "HEAD"):
        return browser.client.request(method, url, follow_redirects=False)
    if url.startswith("/api/") or url == "/openapi.json":
        return browser.client.request(method, url, json={}, follow_redirects=False)
    return browser.client.request(
        method, url, data={"csrftoken": browser.token}, follow_redirects=False
    )


def mismatch(response: Any, expected: int | str) -> str | None:
    """Why ``response`` is not the row's ``expected`` answer, or None."""
    if expected == SIGN_IN:
        where = response.headers.get("location", "")
        if response.status_code != 303 or not where.startswith("/sign-in?next="):
            return f"{response.status_code} {where}, not a redirect to sign in"
        return None
    if response.status_code != expected:
        return f"{response.status_code}, not {expected}: {response.text[:120]}"
    if expected == 401 and response.request.url.path.startswith("/api/"):
        body = response.json()
        if set(body) != {"error", "problems"} or body["problems"]:
            return f"401 but not the one error shape: {body}"
    return None


def last(key: tuple[str, str]) -> tuple[bool, bool, tuple[str, str]]:
    """Sign-out last (it ends each browser's session), and before it the clinician's stop
    (it ends A's share)."""
    return key[1] == "/sign-out", key[1] == "/clinic/people/{person_id}/stop", key


def test_the_matrix(people: tuple[Browser, Browser, Browser], clinic_of_a: Clinic) -> None:
    anonymous, a, _ = people
    wrong = []
    for key in sorted(MATRIX, key=last):
        row = MATRIX[key]
        for who, browser, expected in (("anonymous", anonymous, row.anonymous),
                                       ("person", a, row.person),
                                       ("clinician", clinic_of_a.dr, row.clinician)):  # fmt: skip
            assert expected is not None
            why = mismatch(request(browser, *key, person_id=clinic_of_a.a_id), expected)
            if why:
                wrong.append(f"{who} {key}: {why}")
    assert not wrong, "\n".join(wrong)


def test_b_cannot_reach_a_by_id(people: tuple[Browser, Browser, Browser]) -> None:
    """Person B addressing A's records by id: not found, or refused naming the id; and B's
    reads show nothing of A's."""
    _, a, b = people
    screened = a.client.post("/api/screenings", json=screening_answers())
    assert screened.status_code == 201
    screening_id = screened.json()["screening_id"]
    follow_up = f"/checkins/follow-up/{screening_id}"
    assert b.client.get(follow_up).status_code == 404
    from tests.web.test_session_api import upload

    body = upload(screening_id=screening_id)
    refused = b.client.post("/api/sessions", json=body)
    assert refused.status_code == 422, refused.text
    assert {p["field"] for p in refused.json()["problems"]} == {"screening_id"}
    saved = a.client.post("/api/sessions", json=body)
    assert saved.status_code == 201, saved.text
    theirs = b.client.post("/api/sessions", json={**body, "screening_id": None})
    assert theirs.status_code == 409, theirs.text  # the id is taken: A's session stays
    assert body["id"] in [r["id"] for r in a.client.get("/api/records").json()]
    assert b.client.get("/api/records").json() == []
    for path in ("/api/records", "/api/export"):
        assert screening_id not in b.client.get(path).text
    assert screening_id in a.client.get("/api/export").text


def test_an_urgent_screening_holds_its_person_only(
    people: tuple[Browser, Browser, Browser],
) -> None:
    _, a, b = people
    sign = {**NO, "warmth": "unsure"}
    followup = {"left": sign, "right": NO, "pe_signs": False}
    checkin = a.client.post(
        "/api/checkins/soreness", json={"moment": "next_day", "left": 2, "followup": followup}
    )
    assert checkin.status_code == 201
    assert a.client.get("/api/safety").json()["hold"]["level"] == "urgent"
    assert b.client.get("/api/safety").json()["hold"] is None
    for who in (a, b):  # a safety check today, so that only the hold differs
        assert who.client.post("/api/screenings", json=screening_answers()).status_code == 201
    blocked = "<title>No routine today"
    assert blocked in a.client.get("/plan").text  # the plan page shows A's hold
    assert blocked not in b.client.get("/plan").text


def test_a_clinician_reaches_only_who_shares(
    app: FastAPI, people: tuple[Browser, Browser, Browser], clinic_of_a: Clinic
) -> None:
    """Not B (who never shared), not another clinician's people, not A once A stops sharing:
    each is the same 404 as an address with no page, and the list leaves them out."""
    _, a, b = people
    dr, a_id, b_id = clinic_of_a.dr, clinic_of_a.a_id, clinic_of_a.b_id
    lee = make_clinician(app, "dr.lee")
    share(app, lee, b_id)  # B shares with another clinician
    nobody = dr.client.get("/clinic/people/999999")
    assert nobody.status_code == 404

    def refused(person: int) -> None:
        for method, path in [k for k in MATRIX if "{person_id}" in k[1]]:
            got = request(dr, method, path, person_id=person)
            assert got.status_code == 404, (method, path, got.status_code)
            assert got.text == nobody.text  # nothing said about who it is

    refused(b_id)
    assert "bert" not in dr.client.get("/clinic").text
    assert "anna" in dr.client.get("/clinic").text
    assert dr.client.get(f"/clinic/people/{a_id}").status_code == 200
    # A stops sharing: at once, nothing more
    assert clinic.stop_sharing(
        deps.base_store(app), a_id, make_clinician_id(app), datetime.now(UTC)
    )
    refused(a_id)
    assert "anna" not in dr.client.get("/clinic").text
    # B's clinician still sees B; a person never reaches the clinician's pages
    lee_browser = Browser(app)
    assert lee_browser.sign_in("dr.lee").status_code == 303
    assert lee_browser.client.get(f"/clinic/people/{b_id}").status_code == 200
    assert lee_browser.client.get(f"/clinic/people/{a_id}").status_code == 404
    lee_browser.close()
    assert b.client.get(f"/clinic/people/{b_id}").status_code == 403
    assert a.client.get("/clinic").status_code == 403


def make_clinician_id(app: FastAPI) -> int:
    return clinic.account_named(deps.base_store(app), "dr.kim").id


def test_a_clinician_never_writes_a_persons_checkins(
    people: tuple[Browser, Browser, Browser], clinic_of_a: Clinic
) -> None:
    """What a clinician records lands in their own records; A's stay as A left them, and
    no route writes to a person by id except the prescription and stopping the share."""
    _, a, _ = people
    dr = clinic_of_a.dr
    logged = dr.client.post("/api/checkins/soreness", json={"moment": "before", "left": 3})
    assert logged.status_code == 201
    assert a.client.get("/api/records").json() == []
    assert len(dr.client.get("/api/records").json()) == 1
    writes = sorted(p for m, p in MATRIX if m == "POST" and "{person_id}" in p)
    assert writes == ["/clinic/people/{person_id}/prescribe", "/clinic/people/{person_id}/stop"]
