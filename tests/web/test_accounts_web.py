"""Accounts on the web (server mode): sign up, sign in, sign out, change password, the
cookie, the throttle; and personal mode, which asks for none of it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI

from calfcare.core.accounts import ADDRESS_FAILURES, SIGN_UPS
from calfcare.services import accounts
from calfcare.settings import Settings
from calfcare.web.app import create_app
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.server_helpers import PASSWORD, Browser, make_account, server_app


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return server_app(tmp_path, allow_sign_up=True)


def test_personal_mode_asks_for_no_sign_in(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as client:
        for path in ("/", "/history", "/export", "/safety"):
            assert client.get(path, follow_redirects=False).status_code == 200, path
        assert client.get("/api/records").status_code == 200
        for path in ("/sign-in", "/sign-up", "/account"):
            assert client.get(path).status_code == 404, path
        assert "Account" not in client.get("/").text


def test_the_footer_says_where_the_records_are_in_each_mode(tmp_path: Path, app: FastAPI) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as client:
        assert "It runs on this computer only" in client.get("/learn").text
    with TestClient(app, base_url=BASE_URL) as client:
        page = client.get("/learn").text
        assert "It runs on this computer only" not in page
        assert "kept on this calfcare server for your account only" in page


def test_sign_up_signs_in_and_the_cookie_is_guarded(app: FastAPI) -> None:
    browser = Browser(app)
    page = browser.client.get("/sign-up")
    assert page.status_code == 200 and "Make an account" in page.text
    made = browser.form("/sign-up", login="Anna", password=PASSWORD, confirm_password=PASSWORD)
    assert made.status_code == 303 and made.headers["location"] == "/"
    cookie = next(c for c in made.headers.get_list("set-cookie") if "calfcare_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    account = browser.client.get("/account")
    assert account.status_code == 200 and "Signed in as <strong>anna</strong>" in account.text
    browser.close()


def test_over_https_the_cookie_is_secure_with_the_host_prefix(app: FastAPI) -> None:
    make_account(app, "anna")
    with TestClient(app, base_url="https://127.0.0.1") as client:
        token = csrf_token(client.get("/sign-in").text)
        signed = client.post(
            "/sign-in",
            data={"csrftoken": token, "login": "anna", "password": PASSWORD},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        cookie = next(c for c in signed.headers.get_list("set-cookie") if "session=" in c)
        assert cookie.startswith("__Host-calfcare_session=") and "Secure" in cookie
        assert "Domain" not in cookie and "Path=/" in cookie
        assert client.get("/history", follow_redirects=False).status_code == 200


def test_sign_up_problems_are_named_in_words(app: FastAPI) -> None:
    browser = Browser(app)
    short = browser.form("/sign-up", login="anna", password="short", confirm_password="short")
    assert short.status_code == 422 and 'href="#password">Password</a>' in short.text
    differ = browser.form("/sign-up", login="anna", password=PASSWORD, confirm_password="x")
    assert differ.status_code == 422 and 'href="#confirm_password">' in differ.text
    assert "The two passwords differ" in differ.text
    assert PASSWORD not in differ.text  # a password is never sent back
    make_account(app, "bert")
    taken = browser.form("/sign-up", login="bert", password=PASSWORD, confirm_password=PASSWORD)
    assert taken.status_code == 422 and "That login name is taken" in taken.text
    browser.close()


def test_too_many_sign_ups_from_one_network_wait(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the address's limit (2 here, for speed) the form comes back, 429 with
    ``Retry-After``, saying how long to wait; no account is made."""
    monkeypatch.setattr(accounts, "SIGN_UPS", replace(SIGN_UPS, count=2))
    for login in ("anna", "bert"):  # a new browser each: a sign-up signs it in
        browser = Browser(app)
        made = browser.form("/sign-up", login=login, password=PASSWORD, confirm_password=PASSWORD)
        assert made.status_code == 303
        browser.close()
    browser = Browser(app)
    refused = browser.form("/sign-up", login="cleo", password=PASSWORD, confirm_password=PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 55 * 60
    assert "Too many new accounts from this network: try again in 60 minutes." in refused.text
    assert 'value="cleo"' in refused.text and PASSWORD not in refused.text
    assert Browser(app).sign_in("cleo").status_code == 401
    browser.close()


def test_a_sign_up_from_a_network_the_sign_in_throttle_holds_says_how_long(app: FastAPI) -> None:
    """The account is made; signing it in waits, in words (429), not an internal error."""
    browser = Browser(app)
    for i in range(ADDRESS_FAILURES):
        browser.form("/sign-in", login=f"nobody{i}", password="not the password")
    made = browser.form("/sign-up", login="anna", password=PASSWORD, confirm_password=PASSWORD)
    assert made.status_code == 429 and int(made.headers["retry-after"]) > 0
    assert "Too many failed sign-ins: try again in 15 minutes." in made.text
    assert 'value="anna"' in made.text and PASSWORD not in made.text
    browser.close()


def test_sign_up_is_off_unless_allowed(tmp_path: Path) -> None:
    app = server_app(tmp_path)
    browser = Browser(app)
    assert browser.client.get("/sign-up").status_code == 404
    assert "made by its administrator" in browser.client.get("/sign-in").text
    browser.close()


def test_sign_in_goes_next_with_a_new_token_each_time(app: FastAPI) -> None:
    make_account(app, "anna")
    browser = Browser(app)
    asked = browser.client.get("/history?days=7", follow_redirects=False)
    assert asked.status_code == 303
    form = browser.client.get(asked.headers["location"]).text
    assert 'name="next" value="/history?days=7"' in form
    first = browser.client.post(
        "/sign-in",
        data={"csrftoken": browser.token, "login": "ANNA", "password": PASSWORD,
              "next": "/history?days=7"},
        follow_redirects=False,
    )  # fmt: skip
    assert first.status_code == 303 and first.headers["location"] == "/history?days=7"
    browser.token = csrf_token(browser.client.get("/account").text)  # a new one at sign-in
    elsewhere = browser.form("/sign-in", login="anna", password=PASSWORD, next="//evil.example")
    assert elsewhere.headers["location"] == "/"  # never off this site
    tokens = {
        c.split(";")[0]
        for r in (first, elsewhere)
        for c in r.headers.get_list("set-cookie")
        if "calfcare_session=" in c
    }
    assert len(tokens) == 2
    browser.close()


def test_unknown_login_and_wrong_password_read_the_same_then_wait(app: FastAPI) -> None:
    make_account(app, "anna")
    browser = Browser(app)
    unknown = browser.form("/sign-in", login="nobody", password=PASSWORD)
    wrong = browser.form("/sign-in", login="anna", password="not the password")
    assert unknown.status_code == wrong.status_code == 401
    message = "That login name and password do not match an account."
    assert message in unknown.text and message in wrong.text
    for _ in range(4):  # five failures for one login name in 15 minutes
        browser.form("/sign-in", login="anna", password="not the password")
    throttled = browser.form("/sign-in", login="anna", password=PASSWORD)
    assert throttled.status_code == 429 and "try again in" in throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    browser.close()


def test_sign_out_ends_the_session_and_clears_the_offline_data(app: FastAPI) -> None:
    make_account(app, "anna")
    browser = Browser(app)
    browser.sign_in("anna")
    stolen = browser.client.cookies.get("calfcare_session")
    out = browser.form("/sign-out")
    assert out.status_code == 303 and out.headers["clear-site-data"] == '"cache", "storage"'
    assert browser.client.get("/api/records").status_code == 401
    with TestClient(app, base_url=BASE_URL) as other:  # the old cookie is worth nothing now
        other.cookies.set("calfcare_session", stolen or "")
        assert other.get("/api/records").status_code == 401
    browser.close()


def test_change_password_ends_the_other_sessions(app: FastAPI) -> None:
    make_account(app, "anna")
    phone, laptop = Browser(app), Browser(app)
    phone.sign_in("anna")
    laptop.sign_in("anna")
    new = "a longer new passphrase"
    wrong = phone.form(
        "/account/password", current_password="nope", new_password=new, confirm_password=new
    )
    assert wrong.status_code == 422 and "Current password" in wrong.text
    done = phone.form(
        "/account/password", current_password=PASSWORD, new_password=new, confirm_password=new
    )
    assert done.status_code == 303
    assert "password is changed" in phone.client.get(done.headers["location"]).text
    assert laptop.client.get("/api/records").status_code == 401
    assert phone.client.get("/api/records").status_code == 200
    assert Browser(app).sign_in("anna", new).status_code == 303
    for browser in (phone, laptop):
        browser.close()


def test_signing_out_everywhere_else_keeps_this_browser_signed_in(app: FastAPI) -> None:
    make_account(app, "anna")
    make_account(app, "bert")
    phone, laptop, shared, bert = Browser(app), Browser(app), Browser(app), Browser(app)
    for browser, login in ((phone, "anna"), (laptop, "anna"), (shared, "anna"), (bert, "bert")):
        assert browser.sign_in(login).status_code == 303
    page = phone.client.get("/account").text
    assert "also signed in on 2 other devices or browsers" in page
    assert "Sign out everywhere else" in page
    assert "signed in here only" in bert.client.get("/account").text
    done = phone.form("/account/sign-out-others")
    assert done.status_code == 303
    after = phone.client.get(done.headers["location"]).text
    assert "signed out on every other device" in after and "signed in here only" in after
    for gone in (laptop, shared):
        assert gone.client.get("/api/records").status_code == 401
    for kept in (phone, bert):
        assert kept.client.get("/api/records").status_code == 200
    for browser in (phone, laptop, shared, bert):
        browser.close()


def test_import_and_export_are_the_signed_in_persons(app: FastAPI) -> None:
    make_account(app, "anna")
    make_account(app, "bert")
    a, b = Browser(app), Browser(app)
    a.sign_in("anna")
    b.sign_in("bert")
    assert a.client.post("/api/notes", json={"text": "only mine"}).status_code == 201
    exported = a.client.get("/api/export")
    assert "only mine" in exported.text and "only mine" not in b.client.get("/api/export").text
    # A's records keep their ids: B importing them is refused whole (the ids are taken)
    imported = b.client.post(
        "/api/import", content=exported.content, headers={"content-type": "application/json"}
    )
    assert imported.status_code == 409, imported.text
    assert "only mine" not in b.client.get("/api/export").text
    assert a.client.get("/api/export").text.count("only mine") == 1
    own = a.client.post(
        "/api/import", content=exported.content, headers={"content-type": "application/json"}
    )
    assert own.status_code == 200, own.text  # A's own file again: nothing new, nothing lost
    assert a.client.get("/api/export").text.count("only mine") == 1
    for browser in (a, b):
        browser.close()


def _values(doc: object, key: str) -> set[str]:
    """Every string under ``key`` anywhere in a JSON document."""
    found: set[str] = set()
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.update(v for k, v in item.items() if k == key and isinstance(v, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_each_export_holds_the_signed_in_persons_records_only(app: FastAPI) -> None:
    from datetime import date

    from calfcare.web.deps import base_store
    from tests.core.test_clinic_rules import session
    from tests.month_records import a_month

    month = a_month()
    kinds = ("screenings", "sessions", "soreness", "mobility", "notes")
    annas = {r.id for kind in kinds for r in getattr(month, kind)}
    berts = {"bert-s1", "bert-s2"}
    store = base_store(app)
    with store.for_person(make_account(app, "anna")).transaction() as tx:
        tx.add_all(month)
    with store.for_person(make_account(app, "bert")).transaction() as tx:
        for n, sid in enumerate(sorted(berts)):
            tx.add_session(session(date(2026, 3, 3 + n), sid=sid))
    a, b = Browser(app), Browser(app)
    a.sign_in("anna")
    b.sign_in("bert")
    for fmt, key in (("json", "id"), ("fhir", "value")):
        mine = b.client.get(f"/api/export?format={fmt}")
        theirs = a.client.get(f"/api/export?format={fmt}")
        assert mine.status_code == theirs.status_code == 200
        ids, other = _values(mine.json(), key), _values(theirs.json(), key)
        assert berts <= ids and not ids & annas, fmt  # B's own records, none of A's
        assert len(other & annas) > 50 and not other & berts, fmt
    for browser in (a, b):
        browser.close()
