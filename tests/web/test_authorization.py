"""Who may do what, route by route, on a server (`calfcare serve --server`).

Every route of the app, every method, has a row: the status an anonymous request gets
(``SIGN_IN``: a redirect (303) to the sign-in page; 401: the API's refusal), and the status
a signed-in person gets for the same minimal request (an empty form or ``{}``: a refusal
naming fields, never a sign-in). A route added without a row fails
`test_every_route_has_a_row`, naming it. Routes that address a record by id have a third
column: person B addressing person A's record (`test_b_cannot_reach_a_by_id`). A clinician
column comes with the clinician side (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Route

from tests.conftest import screening_answers
from tests.web.server_helpers import Browser, make_account, server_app
from tests.web.test_safety_api import NO

SIGN_IN = "sign-in"
"""A page's refusal of an anonymous request: 303 to ``/sign-in?next=…``."""
OTHER_METHODS = ("CONNECT", "DELETE", "OPTIONS", "PATCH", "PUT", "TRACE")


@dataclass(frozen=True)
class Row:
    anonymous: int | str
    person: int | str
    clinician: int | str | None = None  # issue 16


PUBLIC_PAGE = Row(200, 200)
PRIVATE_PAGE = Row(SIGN_IN, 200)
PRIVATE_FORM = Row(SIGN_IN, 422)  # an empty form: refused, naming its fields
PRIVATE_READ = Row(401, 200)
PRIVATE_WRITE = Row(401, 422)

MATRIX: dict[tuple[str, str], Row] = {
    # public: fixed content, the screening form and its pure check, the browser's files
    ("GET", "/learn"): PUBLIC_PAGE,
    ("GET", "/mobility/knee-to-wall"): PUBLIC_PAGE,
    ("GET", "/screening"): PUBLIC_PAGE,
    ("POST", "/screening/answers.json"): Row(422, 422),
    ("GET", "/favicon.ico"): PUBLIC_PAGE,
    ("GET", "/manifest.webmanifest"): PUBLIC_PAGE,
    ("GET", "/sw.js"): PUBLIC_PAGE,
    ("GET", "/openapi.json"): PUBLIC_PAGE,
    ("HEAD", "/openapi.json"): PUBLIC_PAGE,
    ("GET", "/api/learn"): PUBLIC_PAGE,
    ("GET", "/api/sources"): PUBLIC_PAGE,
    ("GET", "/api/screening/questions"): PUBLIC_PAGE,
    ("POST", "/api/screening"): Row(422, 422),
    ("GET", "/static"): PUBLIC_PAGE,  # the mount (checked with one file)
    # accounts
    ("GET", "/sign-in"): PUBLIC_PAGE,
    ("POST", "/sign-in"): Row(401, 401),  # no such login: the form again, refused
    ("GET", "/sign-up"): PUBLIC_PAGE,
    ("POST", "/sign-up"): Row(422, 422),
    ("GET", "/account"): PRIVATE_PAGE,
    ("POST", "/account/password"): PRIVATE_FORM,
    ("POST", "/sign-out"): Row(303, 303),
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
    ("GET", "/checkins/follow-up/{screening_id}"): Row(SIGN_IN, 404),
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
    ("POST", "/split-leg/start"): Row(SIGN_IN, 303),  # starts one with the defaults
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
    ("POST", "/api/split-leg/experiments"): Row(401, 201),  # {} starts one with defaults
    ("POST", "/api/split-leg/massaged"): PRIVATE_WRITE,
    ("POST", "/api/split-leg/stop"): Row(401, 200),
}
# -- issue 16, the person's side: invitations, sharing, calendar links ----------------------
# (the clinician column is filled with the clinician's pages). An unknown code or token: 404.
MATRIX.update({
    ("GET", "/invite"): PUBLIC_PAGE,
    ("GET", "/invite/{code}"): Row(404, 404),
    ("POST", "/invite/{code}/accept"): Row(SIGN_IN, 404),
    ("POST", "/invite/{code}/new-account"): Row(404, 404),
    ("GET", "/sharing"): PRIVATE_PAGE,
    ("POST", "/sharing/stop"): PRIVATE_FORM,
    ("POST", "/sharing/calendar"): PRIVATE_FORM,  # nothing prescribed: refused, in words
    ("POST", "/sharing/calendar/off"): Row(SIGN_IN, 303),
    ("GET", "/sharing/calendar.ics"): Row(SIGN_IN, 404),  # nothing prescribed
    ("GET", "/calendar/{token}.ics"): Row(404, 404),
})  # fmt: skip
# -- end of issue 16, the person's side -----------------------------------------------------
for _method in OTHER_METHODS:  # the split-leg days' catch-all: "not that method"
    MATRIX[(_method, "/api/split-leg/days")] = Row(401, 405)


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


def test_every_route_has_a_row(app: FastAPI) -> None:
    missing = sorted(app_routes(app) - set(MATRIX))
    assert not missing, f"routes without a row in MATRIX: {missing}"
    stale = sorted(set(MATRIX) - app_routes(app))
    assert not stale, f"rows for routes that do not exist: {stale}"


def request(browser: Browser, method: str, path: str) -> Any:
    url = path.replace("{screening_id}", "00000000-0000-4000-8000-000000000000")
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


def test_the_matrix(people: tuple[Browser, Browser, Browser]) -> None:
    anonymous, a, _ = people
    wrong = []
    # sign-out last: it ends A's session
    for key in sorted(MATRIX, key=lambda k: (k[1] == "/sign-out", k)):
        row = MATRIX[key]
        for who, browser, expected in (("anonymous", anonymous, row.anonymous),
                                       ("person", a, row.person)):  # fmt: skip
            why = mismatch(request(browser, *key), expected)
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
