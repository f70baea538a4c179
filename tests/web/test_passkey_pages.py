"""Passkeys on the web (server mode), with a software authenticator: add one on the account
page, see it, sign out, sign in with it (a new session, as a password's), remove it; one
plain answer for a failed sign-in; another person's session cannot use or remove it; on
127.0.0.1 the options are refused in words; personal mode has none of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from calfcare.core.accounts import PASSKEY_BEGINS
from calfcare.core.passkeys import REFUSED
from calfcare.settings import Settings
from calfcare.web.app import create_app
from calfcare.web.passkey_pages import COOKIE, NO_SITE
from tests.storage.soft_authenticator import SoftAuthenticator
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.server_helpers import Browser, app_of_anna_and_bert

HOST = "http://localhost"


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_of_anna_and_bert(tmp_path)


class Person(Browser):
    """A browser on http://localhost, signed in as ``login`` (when given)."""

    def __init__(self, app: FastAPI, login: str | None = None) -> None:
        super().__init__(app, HOST)
        if login is not None:
            assert self.sign_in(login).status_code == 303

    def add(self, phone: SoftAuthenticator, name: str = "My phone") -> Any:
        options = self.form("/account/passkeys/options")
        assert options.status_code == 200, options.text
        made = phone.create(options.text, origin=HOST)
        return self.form("/account/passkeys", credential=made, name=name)

    def passkey_sign_in(self, phone: SoftAuthenticator, **lie: Any) -> Any:
        options = self.form("/sign-in/passkey/options")
        assert options.status_code == 200, options.text
        cookie = next(c for c in options.headers.get_list("set-cookie") if COOKIE in c)
        assert "HttpOnly" in cookie and "Max-Age=300" in cookie and "SameSite=strict" in cookie
        answer = phone.get(options.text, **{"origin": HOST, **lie})
        return self.form("/sign-in/passkey", credential=answer, next="/history")


def test_add_sign_out_and_sign_in_with_the_passkey(app: FastAPI) -> None:
    anna = Person(app, "anna")
    page = anna.client.get("/account").text
    assert "You have no passkeys yet" in page and "/static/passkeys.js" in page
    phone = SoftAuthenticator(origin=HOST)
    added = anna.add(phone)
    assert added.status_code == 303 and added.headers["location"] == "/account?changed=added"
    page = anna.client.get(added.headers["location"]).text
    assert "Your passkey is added" in page and "<strong>My phone</strong>" in page
    assert "not used yet" in page
    old_session = anna.client.cookies.get("calfcare_session")
    anna.token = csrf_token(page)
    assert anna.form("/sign-out").status_code == 303
    assert anna.client.get("/account", follow_redirects=False).status_code == 303
    anna.token = csrf_token(anna.client.get("/sign-in").text)
    signed = anna.passkey_sign_in(phone)
    assert signed.status_code == 303 and signed.headers["location"] == "/history"
    new_session = anna.client.cookies.get("calfcare_session")
    assert new_session and new_session != old_session
    page = anna.client.get("/account").text
    assert "Signed in as <strong>anna</strong>" in page and "last used" in page


def test_a_failed_passkey_sign_in_gets_one_plain_answer(app: FastAPI) -> None:
    anna = Person(app, "anna")
    phone = SoftAuthenticator(origin=HOST)
    assert anna.add(phone).status_code == 303
    stranger = Person(app)
    for lie in ({"verified": False}, {"origin": "http://localhost:9"}, {"count": 0}):
        if lie == {"count": 0}:
            assert stranger.passkey_sign_in(phone).status_code == 303  # counter now 1
            stranger = Person(app)
        refused = stranger.passkey_sign_in(phone, **lie)
        assert refused.status_code == 401
        assert REFUSED in refused.text
        assert "calfcare_session" not in stranger.client.cookies
    unknown = stranger.passkey_sign_in(SoftAuthenticator(origin=HOST))
    assert unknown.status_code == 401 and REFUSED in unknown.text
    empty = stranger.form("/sign-in/passkey", credential="")
    assert empty.status_code == 401 and REFUSED in empty.text


def test_another_person_cannot_use_or_remove_a_passkey(app: FastAPI) -> None:
    anna, bert = Person(app, "anna"), Person(app, "bert")
    phone = SoftAuthenticator(origin=HOST)
    assert anna.add(phone).status_code == 303
    taken = bert.add(phone)  # the same passkey offered for B's account
    assert taken.status_code == 422 and "already added to an account" in taken.text
    annas = anna.client.get("/account").text
    key_id = annas.split('name="passkey" value="')[1].split('"')[0]
    refused = bert.form("/account/passkeys/remove", passkey=key_id)
    assert refused.status_code == 422 and "not one of yours" in refused.text
    assert "<strong>My phone</strong>" in anna.client.get("/account").text
    assert "<strong>My phone</strong>" not in bert.client.get("/account").text
    no_token = anna.client.post("/account/passkeys/remove", data={"passkey": key_id})
    assert no_token.status_code == 403
    removed = anna.form("/account/passkeys/remove", passkey=key_id)
    assert removed.status_code == 303
    assert "That passkey is removed" in anna.client.get(removed.headers["location"]).text
    gone = Person(app).passkey_sign_in(phone)
    assert gone.status_code == 401


def test_a_challenge_is_bound_to_the_session_that_asked(app: FastAPI) -> None:
    anna, bert = Person(app, "anna"), Person(app, "bert")
    options = anna.form("/account/passkeys/options")
    made = SoftAuthenticator(origin=HOST).create(options.text, origin=HOST)
    bert.client.cookies.set(COOKIE, options.cookies[COOKIE])  # A's ceremony key, planted
    planted = bert.form("/account/passkeys", credential=made, name="Phone")
    assert planted.status_code == 422 and "could not be added" in planted.text
    assert "Phone" not in bert.client.get("/account").text
    nameless = anna.form("/account/passkeys", credential=made, name="")
    assert nameless.status_code == 422 and "Give the passkey a name" in nameless.text


def test_too_many_passkey_begins_from_one_network_wait_in_words(app: FastAPI) -> None:
    """The script's request (JSON): past the network's limit (an IPv6 address counts as its
    /64), 429 with ``Retry-After`` and the error in words (the script shows it), and no
    ceremony cookie; another network is not held up."""

    def begin(address: str) -> Any:
        with TestClient(app, base_url=HOST, client=(address, 50000)) as client:
            token = csrf_token(client.get("/sign-in").text)
            return client.post("/sign-in/passkey/options", data={"csrftoken": token},
                               headers={"accept": "application/json"})  # fmt: skip

    for _ in range(PASSKEY_BEGINS.count):
        assert begin("2001:db8:1:2::1").status_code == 200
    refused = begin("2001:db8:1:2::99")  # the same /64
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert refused.json() == {
        "error": "Too many passkey sign-ins from this network: try again in 15 minutes.",
        "problems": [],
    }
    assert COOKIE not in refused.headers.get("set-cookie", "")
    assert begin("2001:db8:9::1").status_code == 200


def test_an_address_is_no_site_for_a_passkey(app: FastAPI) -> None:
    """On 127.0.0.1 (browsers refuse passkeys for an address) no page offers one, and the
    options are refused in words."""
    with TestClient(app, base_url=BASE_URL) as client:
        page = client.get("/sign-in").text
        assert "passkey" not in page.lower()
        refused = client.post("/sign-in/passkey/options", data={"csrftoken": csrf_token(page)})
        assert refused.status_code == 422 and refused.json()["error"] == NO_SITE
    anna = Browser(app)
    assert anna.sign_in("anna").status_code == 303
    page = anna.client.get("/account").text
    assert "open this site by its name" in page and "passkeys.js" not in page
    assert 'id="passkey-add"' not in page
    anna.close()
    with TestClient(app, base_url=HOST) as client:
        assert 'id="passkey-sign-in"' in client.get("/sign-in").text
    with TestClient(app, base_url="http://calf.example") as client:  # not a name it serves
        named = Browser(app, HOST)
        other = client.post("/sign-in/passkey/options", data={"csrftoken": named.token})
        named.close()
        assert other.status_code == 400 and COOKIE not in other.headers.get("set-cookie", "")


def test_personal_mode_has_no_passkeys(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=HOST) as client:
        assert "passkey" not in client.get("/").text.lower()
        token = csrf_token(client.get("/checkins").text)
        for path in ("/sign-in/passkey/options", "/account/passkeys/options"):
            assert client.post(path, data={"csrftoken": token}).status_code == 404
