"""Server mode: a form token is bound to the sign-in session (calfcare.web.csrf), so a token
from one person's session is refused in another's, and signing in or out gives a new one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from calfcare.settings import Settings
from calfcare.web import auth, csrf
from calfcare.web.app import create_app
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.server_helpers import PASSWORD, Browser, app_of_anna_and_bert


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_of_anna_and_bert(tmp_path)


def note(browser: Browser, token: str, text: str = "new shoes") -> Any:
    """A note sent with ``token`` as both the cookie and the form field (a planted pair when
    the token is not this browser's)."""
    browser.client.cookies.set(csrf.COOKIE_NAME, token)
    return browser.client.post(
        "/checkins/note", data={"csrftoken": token, "text": text}, follow_redirects=False
    )


def test_a_token_from_one_persons_session_is_refused_in_anothers(app: FastAPI) -> None:
    anna, bert = Browser(app), Browser(app)
    anna.sign_in("anna")
    bert.sign_in("bert")
    assert anna.token != bert.token
    planted = note(bert, anna.token, "planted")
    assert planted.status_code == 403
    assert "from another sign-in" in planted.text
    assert note(bert, bert.token).status_code == 303  # his own still works
    assert note(anna, anna.token).status_code == 303
    records = bert.client.get("/api/records").json()
    assert "planted" not in str(records) and "new shoes" in str(records)
    anna.close()
    bert.close()


def given_token(response: Any) -> str:
    """The one form token a response sets (a sign-in or sign-out sets it itself)."""
    (cookie,) = [c for c in response.headers.get_list("set-cookie")
                 if c.startswith(f"{csrf.COOKIE_NAME}=")]  # fmt: skip
    value: str = cookie.split(";")[0].split("=", 1)[1]
    return value


def test_signing_in_makes_the_old_token_out_of_date_and_a_new_one_works(app: FastAPI) -> None:
    browser = Browser(app)
    before = browser.token  # the sign-in page's, bound to no session
    signed = browser.sign_in("anna")
    assert signed.status_code == 303
    session = browser.client.cookies[auth.COOKIE]
    assert csrf.is_signed(app.state.signing_secret, given_token(signed), session)
    assert browser.token == given_token(signed) != before  # the next page's is that one
    assert note(browser, before).status_code == 403
    assert note(browser, browser.token).status_code == 303
    browser.close()


def test_signing_out_sets_a_new_token_and_the_next_page_has_it(app: FastAPI) -> None:
    browser = Browser(app)
    browser.sign_in("anna")
    signed_in = browser.token
    out = browser.form("/sign-out")
    assert out.status_code == 303
    given = given_token(out)  # set with the sign-out, bound to no session
    assert given != signed_in and csrf.is_signed(app.state.signing_secret, given)
    # A request already on its way when the sign-out was answered (the service worker's,
    # installing) carries it and gets no token of its own, which, answered after the
    # sign-in page, would replace that page's (tests/web/browser/test_sign_out_race.py).
    assert "set-cookie" not in browser.client.get("/manifest.webmanifest").headers
    fresh = csrf_token(browser.client.get("/sign-in").text)
    assert fresh == given
    browser.token = fresh
    assert browser.sign_in("bert").status_code == 303  # the same device, the next person
    assert note(browser, signed_in).status_code == 403  # Anna's old token, in Bert's session
    browser.close()


def test_personal_mode_tokens_are_bound_to_nothing(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path), secret=b"k" * 32)
    with TestClient(app, base_url=BASE_URL) as client:
        client.cookies.set("calfcare_session", "ignored in personal mode")
        token = csrf_token(client.get("/checkins").text)
        assert csrf.is_signed(b"k" * 32, token)
        sent = client.post("/checkins/note", data={"csrftoken": token, "text": "x"},
                           follow_redirects=False)  # fmt: skip
        assert sent.status_code == 303


def test_a_password_change_keeps_the_session_and_its_token(app: FastAPI) -> None:
    browser = Browser(app)
    browser.sign_in("anna")
    changed = browser.form(
        "/account/password", current_password=PASSWORD,
        new_password="another long password", confirm_password="another long password",
    )  # fmt: skip
    assert changed.status_code == 303
    assert note(browser, browser.token).status_code == 303
    browser.close()


# Whose records a browser kept offline: another person's sign-in clears them first.


def signed_in_as(browser: Browser, login: str) -> Any:
    browser.token = csrf_token(browser.client.get("/sign-in").text)  # the sign-in form's
    response = browser.sign_in(login)
    assert response.status_code == 303
    return response


def test_a_sign_in_after_another_persons_clears_what_the_browser_kept(app: FastAPI) -> None:
    browser = Browser(app)
    first = signed_in_as(browser, "anna")
    assert first.headers["clear-site-data"] == '"cache", "storage"'  # whose before: not known
    again = signed_in_as(browser, "anna")  # her own last sign-in: her kept records stay
    assert "clear-site-data" not in again.headers
    browser.client.cookies.set("calfcare_session", "no session has this token")
    assert "clear-site-data" in signed_in_as(browser, "anna").headers
    other = signed_in_as(browser, "bert")  # Anna never signed out: still cleared for Bert
    assert other.headers["clear-site-data"] == '"cache", "storage"'
    browser.close()


def test_her_own_expired_or_revoked_session_keeps_her_kept_records(app: FastAPI) -> None:
    phone, laptop = Browser(app), Browser(app)
    signed_in_as(phone, "anna")
    signed_in_as(laptop, "anna")
    new = "another long password"
    laptop.form("/account/password", current_password=PASSWORD, new_password=new,
                confirm_password=new)  # fmt: skip
    assert phone.client.get("/api/records").status_code == 401  # the phone's session ended
    phone.token = csrf_token(phone.client.get("/sign-in").text)
    back = phone.sign_in("anna", new)
    assert back.status_code == 303 and "clear-site-data" not in back.headers
    phone.close()
    laptop.close()
