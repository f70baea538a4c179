"""Sequences of ordinary actions on a server, hunting internal errors that only show in a state.

`test_api_fuzz.py` and `test_input_classes.py` probe single requests in a fresh state. This is
a Hypothesis state machine over a server-mode app (SQLite) with two people (anna in two
browsers, bert), a clinician (dr.kim) and an anonymous browser that may sign up: it signs in
and out (also with a wrong password, until the throttle holds), ends the other sign-ins,
changes passwords, screens (clear, urgent, emergency), opens every page of the route matrix
and posts any form a page showed (with the token it carried then, once or twice) filled with
valid and hostile values, invites and accepts, exports and imports. After every request: no
status ≥ 500 (the test client raises an app's exception), no traceback in any body, every
JSON error is the one shape ``{"error", "problems"}``, and no person's response holds a
record id of anyone else's. `python3 tasks.py explore` runs it with many more examples.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from calfcare.services import background
from tests.conftest import screening_answers
from tests.web.server_helpers import PASSWORD, Browser, make_account, make_clinician, server_app
from tests.web.test_authorization import MATRIX

PERSONS = ("anna", "bert", "carol")  # carol: who the anonymous browser may sign up as
CLINICIAN = "dr.kim"
RECORD_ID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
INVITE = re.compile(r"/invite/([A-Za-z0-9_-]{6,})")
PAGES = sorted(p for m, p in MATRIX if m == "GET" and "{" not in p and p != "/static")
FORM_ROUTES = sorted(p for m, p in MATRIX if m == "POST" and not p.startswith("/api/"))
FIELDS = ["back", "calves", "client_id", "clinician", "code", "confirm", "confirm_password",
          "credential", "current_password", "day", "days", "document", "intensity",
          "intensity_cap", "kind", "left", "leg", "legs", "login", "name", "new_password", "next",
          "note", "outcome", "pace_per_minute", "passkey", "password", "right", "screening",
          "seconds", "seconds_per_calf", "sessions_per_week", "start_day", "tender", "text",
          "tool", "tools"]  # fmt: skip
QUERIES = ["since", "until", "limit", "format", "added", "skipped", "revoked", "made",
           "stopped", "accepted", "changed", "code", "next", "kind", "days", "leg"]  # fmt: skip
PERSON_PAGES = sorted(p for m, p in MATRIX if m == "GET" and "{person_id}" in p)


def _days() -> list[str]:
    today = date.today()
    first = today.replace(day=1)
    days = (today, today - timedelta(1), today + timedelta(1), first, first - timedelta(1),
            date(2024, 2, 29), date(1, 1, 1), date(9999, 12, 31))  # fmt: skip
    return [str(d) for d in days] + ["2023-02-29", "2026-13-01", "-1-01-01"]


ODD = ["", " ", "0", "-1", "-0", "1", "3", "10", "99", "1.5", "1e309", "NaN", "-inf", "9" * 40,
       "x" * 5000, "\x00", "a\x00b", "\u202eevil\u202c", "🦵🏽‍♀️" * 30, "e\u0301" * 50, "<b>&amp;",
       "=SUM(A1)", "true", "[]", "{}", "%00", "²", "١٢", "\uff11\uff10", "left", "right", "both",
       "hands", "before", *_days()]  # fmt: skip
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=12))
NO_SIGNS = {"swelling": False, "redness": False, "warmth": False}
SCREENINGS = {
    "clear": screening_answers(),
    "urgent": {**screening_answers(), "left": {**screening_answers()["left"], "swelling": True}},
    "emergency": screening_answers(pe_signs=True),
}
URGENT_CHECKIN = {"moment": "next_day", "left": 2,
                  "followup": {"left": {**NO_SIGNS, "warmth": True}, "right": NO_SIGNS,
                               "pe_signs": False}}  # fmt: skip
API_BODIES: list[tuple[str, dict[str, Any]]] = [
    ("/api/checkins/soreness", {"moment": "before", "left": 3, "right": 2}),
    ("/api/checkins/soreness", URGENT_CHECKIN),
    ("/api/checkins/mobility", {"left": 9.5, "right": 10, "moment": "before"}),
    ("/api/notes", {"text": "new shoes"}),
    ("/api/manual-sessions", {"tool": "hands", "legs": "left", "tender_spots": [1]}),
    ("/api/plan", {"tool": "ball", "legs": ["right"], "seconds_per_calf": 160}),
    ("/api/safety/clearances", {}),
    ("/api/safety/pain-checks", {}),
    ("/api/split-leg/experiments", {}),
    ("/api/split-leg/stop", {}),
    ("/api/split-leg/days", {"before": {"left": 3, "right": 3}}),
    ("/api/split-leg/massaged", {}),
]


class _Forms(HTMLParser):
    """Every POST form of a page: its action and its fields (kind, name, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str, str]]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.found.append((a.get("action", ""), []))
            self._open = True
        elif self._open and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", tag) if tag == "input" else tag
            self.found[-1][1].append((kind, a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag != "form"


class Tab:
    """A browser meant for ``login`` and the forms of the last page it was shown."""

    def __init__(self, machine: ServerStates, login: str) -> None:
        self.machine, self.login = machine, login
        self.browser = Browser(machine.app)
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []

    def __repr__(self) -> str:
        return f"Tab({self.login})"

    def call(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self.browser.client.request(method, url, follow_redirects=False, **kwargs)
        self.machine.check(self, response)
        where = response.headers.get("location", "")
        if response.status_code in (302, 303) and where.startswith("/"):
            response = self.browser.client.get(where, follow_redirects=False)
            self.machine.check(self, response)
        if response.status_code == 200 and "text/html" in response.headers["content-type"]:
            parser = _Forms()
            parser.feed(response.text)
            self.forms = parser.found or self.forms
            tokens = [v for _, fields in parser.found for _, n, v in fields if n == "csrftoken"]
            self.browser.token = tokens[0] if tokens else self.browser.token
        return response


class ServerStates(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="calfcare-states-"))
        self.app = server_app(self.folder, allow_sign_up=True)
        self.ids = {"anna": make_account(self.app, "anna"), "bert": make_account(self.app, "bert")}
        make_clinician(self.app, CLINICIAN)
        self.passwords = dict.fromkeys(["anna", "bert", CLINICIAN], PASSWORD)
        self.records: dict[str, set[str]] = {login: set() for login in (*PERSONS, CLINICIAN)}
        self.codes: list[str] = []
        self.tabs = [Tab(self, "anna"), Tab(self, "anna"), Tab(self, "bert"),
                     Tab(self, CLINICIAN), Tab(self, "carol")]  # fmt: skip

    def teardown(self) -> None:
        for tab in self.tabs:
            tab.browser.close()
        background.wait_idle()
        shutil.rmtree(self.folder, ignore_errors=True)

    def check(self, tab: Tab, response: Any) -> None:
        """The invariants, on every response any browser gets."""
        body = response.text
        where = f"{response.request.method} {response.request.url.path}"
        assert response.status_code < 500, f"{where}: {response.status_code} {body[:300]}"
        assert "Traceback" not in body, f"{where}: a traceback shown"
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            assert set(response.json()) == {"error", "problems"}, f"{where}: {body[:300]}"
        if tab.login in PERSONS:
            others = set().union(*(ids for who, ids in self.records.items() if who != tab.login))
            leaked = {i for i in others if i in body}
            assert not leaked, f"{where}: {tab.login} was shown another's records {leaked}"
        if response.status_code == 201:  # what this browser's person saved: theirs only
            self.records[tab.login] |= set(RECORD_ID.findall(body))

    @initialize()
    def everyone_signs_in(self) -> None:
        """Each signed in, with a note and a safety check of their own (ids to look out for)."""
        for tab in self.tabs[:-1]:
            self.check(tab, tab.browser.sign_in(tab.login))
        for tab in self.tabs[1:-1]:
            tab.call("POST", "/api/notes", json={"text": f"{tab.login}'s own"})
            tab.call("POST", "/api/screenings", json=SCREENINGS["clear"])

    @rule(data=st.data(), right=st.booleans(), reopened=st.booleans())
    def sign_in(self, data: st.DataObject, right: bool, reopened: bool) -> None:
        """With the sign-in page opened afresh, or with the token the browser last had."""
        tab = data.draw(st.sampled_from(self.tabs))
        if reopened:
            tab.call("GET", "/sign-in")
        password = self.passwords.get(tab.login, PASSWORD) if right else "not the password"
        response = tab.browser.sign_in(tab.login, password)
        self.check(tab, response)

    @rule(data=st.data())
    def sign_up(self, data: st.DataObject) -> None:
        tab = self.tabs[-1]
        tab.call("GET", "/sign-up")
        login = data.draw(st.sampled_from(["carol", "anna"]) | VALUES)
        fields = {"login": login, "password": PASSWORD, "confirm_password": PASSWORD}
        tab.call("POST", "/sign-up", data={"csrftoken": tab.browser.token, **fields})
        self.passwords.setdefault("carol", PASSWORD)

    @rule(data=st.data(), everywhere_else=st.booleans())
    def sign_out(self, data: st.DataObject, everywhere_else: bool) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        path = "/account/sign-out-others" if everywhere_else else "/sign-out"
        tab.call("POST", path, data={"csrftoken": tab.browser.token})

    @rule(data=st.data(), new=st.sampled_from([PASSWORD, "another horse battery"]) | VALUES)
    def change_password(self, data: st.DataObject, new: str) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        fields = {"current_password": self.passwords.get(tab.login, PASSWORD),
                  "new_password": new, "confirm_password": new, "login": tab.login}  # fmt: skip
        response = tab.call("POST", "/account/password",
                            data={"csrftoken": tab.browser.token, **fields})  # fmt: skip
        if response.history or response.request.url.path == "/account":
            self.passwords[tab.login] = new

    @rule(data=st.data(), path=st.sampled_from(PAGES))
    def open_page(self, data: st.DataObject, path: str) -> None:
        """A page, with a query (a link's, or an edited address) or without."""
        tab = data.draw(st.sampled_from(self.tabs))
        names = data.draw(st.lists(st.sampled_from(QUERIES), max_size=3, unique=True))
        tab.call("GET", path, params={name: data.draw(VALUES) for name in names})

    @rule(data=st.data(), path=st.sampled_from(PERSON_PAGES), who=st.sampled_from(["anna", "bert"]))
    def open_a_persons_page(self, data: st.DataObject, path: str, who: str) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        tab.call("GET", path.replace("{person_id}", str(self.ids[who])))

    @rule(data=st.data(), twice=st.booleans())
    def post_a_form(self, data: st.DataObject, twice: bool) -> None:
        """One of the forms the browser's last page showed, filled (its token as it was)."""
        tab = data.draw(st.sampled_from(self.tabs))
        if not tab.forms:
            return
        action, fields = data.draw(st.sampled_from(tab.forms))
        pairs: list[tuple[str, str]] = []
        for kind, name, value in fields:
            if kind in ("hidden", "radio", "checkbox", "submit"):
                keep = [v for k, n, v in fields if n == name and k == kind]
                drawn = data.draw(st.sampled_from(keep) | VALUES if kind != "hidden" else
                                  st.just(value) | VALUES)  # fmt: skip
            else:
                drawn = data.draw(VALUES)
            if data.draw(st.integers(0, 9)) and name not in dict(pairs):
                pairs.append((name, drawn))
        for _ in range(2 if twice else 1):
            tab.call("POST", action or "/", data=dict(pairs))

    @rule(data=st.data(), path=st.sampled_from(FORM_ROUTES))
    def post_any_form_route(self, data: st.DataObject, path: str) -> None:
        """A form route posted with fields by name (a passkey's id, a clinician's, a code)."""
        tab = data.draw(st.sampled_from(self.tabs))
        names = data.draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True))
        fields = {name: data.draw(VALUES) for name in names}
        odd_code = st.text("aZ09-_.é🦵 %", max_size=40)
        code = data.draw(st.sampled_from(self.codes or ["x"]) | odd_code)
        person = str(self.ids[data.draw(st.sampled_from(["anna", "bert"]))])
        url = path.replace("{code}", code or "x").replace("{person_id}", person)
        tab.call("POST", url, data={"csrftoken": tab.browser.token, **fields})

    @rule(data=st.data(), kind=st.sampled_from(sorted(SCREENINGS)))
    def screen(self, data: st.DataObject, kind: str) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        tab.call("POST", "/api/screenings", json=SCREENINGS[kind])

    @rule(data=st.data(), body=st.sampled_from(API_BODIES), twice=st.booleans())
    def api_write(self, data: st.DataObject, body: tuple[str, dict[str, Any]], twice: bool) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        path, fields = body
        one_odd: bool = data.draw(st.booleans())
        if fields and one_odd:
            odd: str = data.draw(st.sampled_from(sorted(fields)))
            fields = {**fields, odd: data.draw(VALUES)}
        for _ in range(2 if twice else 1):
            tab.call("POST", path, json=fields)

    @rule(data=st.data())
    def read_records(self, data: st.DataObject) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        response = tab.call("GET", "/api/records")
        if response.status_code == 200:
            self.records[tab.login] |= {r["id"] for r in response.json()}

    @rule(data=st.data(), as_form=st.booleans(), twice=st.booleans())
    def export_then_import(self, data: st.DataObject, as_form: bool, twice: bool) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        exported = tab.call("GET", "/api/export")
        if exported.status_code != 200:
            return
        for _ in range(2 if twice else 1):
            if as_form:
                fields = {"csrftoken": tab.browser.token, "document": exported.text}
                tab.call("POST", "/import", data=fields)
            else:
                tab.call("POST", "/api/import", content=exported.content,
                         headers={"content-type": "application/json"})  # fmt: skip

    @precondition(lambda self: len(self.codes) < 3)
    @rule()
    def invite(self) -> None:
        tab = self.tabs[3]
        response = tab.call("POST", "/clinic/invite", data={"csrftoken": tab.browser.token})
        self.codes += INVITE.findall(response.text)

    @precondition(lambda self: self.codes)
    @rule(data=st.data(), accept=st.booleans())
    def use_an_invitation(self, data: st.DataObject, accept: bool) -> None:
        tab = data.draw(st.sampled_from(self.tabs))
        code = data.draw(st.sampled_from(self.codes))
        tab.call("GET", f"/invite/{code}")
        if accept:
            tab.call("POST", f"/invite/{code}/accept", data={"csrftoken": tab.browser.token})


# Small in `tasks.py test` (derandomized); the "explore" profile's own number otherwise.
PROFILE = settings.default
assert PROFILE is not None
ServerStates.TestCase.settings = settings(
    max_examples=25 if PROFILE.derandomize else PROFILE.max_examples,
    stateful_step_count=15,
)
TestServerStates = ServerStates.TestCase
