"""Passkeys in a real Chromium with the DevTools protocol's virtual authenticator (a platform
authenticator that keeps discoverable passkeys and verifies its user), on a server-mode
server reached as http://localhost (a secure context; 127.0.0.1 cannot have passkeys).

A person signs up with a password, writes a note, adds a passkey on the account page, signs
out, signs in with the passkey (no login name typed) and sees their own home and note. A
second person, in a browser of their own, cannot sign in with a copy of the first's passkey
(its counter is behind: a cloned key), gets the one plain answer, and sees none of the
first's records once signed in with their own. Any console error fails the test, and axe
finds no serious violation on the sign-in and account pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from calfcare.core.passkeys import REFUSED
from tests.web.browser.conftest import BrowserPage, _page_on, axe_violations
from tests.web.browser.https_stack import Stack, person
from tests.web.browser.https_stack import sign_up as sign_up_there
from tests.web.browser.server import running_server

PASSWORD = "correct horse battery"
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A server-mode server (sign-up allowed), as http://localhost:PORT."""
    with running_server(tmp_path / "calfcare-data", "--server", "--allow-sign-up") as url:
        yield url.replace("127.0.0.1", "localhost")


@pytest.fixture
def first(chromium: Browser, served: str) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, served, "phone")


@pytest.fixture
def second(chromium: Browser, served: str) -> Iterator[BrowserPage]:
    yield from _page_on(chromium, served, "desktop")


def authenticator(page: Page) -> tuple[Any, str]:
    """A virtual authenticator for the page's browser: the DevTools session and its id."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp, made["authenticatorId"]


def sign_up(page: Page, login: str) -> None:
    page.goto("/sign-up")
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.fill("#confirm_password", PASSWORD)
    page.click("button:has-text('Make the account')")
    page.wait_for_url("**/")


def test_sign_in_with_a_passkey_and_nobody_else_can(
    first: BrowserPage, second: BrowserPage, served: str
) -> None:
    page = first.page
    cdp, first_id = authenticator(page)
    sign_up(page, "anna")
    page.goto("/checkins")
    page.fill("#note-text", "anna's own note")
    page.click("button:has-text('Save the note')")
    page.wait_for_load_state()

    page.goto("/account")
    assert page.is_visible("#passkey-add") and not page.is_visible("[data-passkey-missing]")
    assert axe_violations(page) == []
    page.fill("#passkey_name", "My phone")
    page.click("button:has-text('Add a passkey')")
    page.wait_for_url("**/account?changed=added")
    assert "My phone" in page.inner_text(".passkeys")
    assert "not used yet" in page.inner_text(".passkeys")
    (stored,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": first_id})["credentials"]
    assert stored["isResidentCredential"] and stored["rpId"] == "localhost"

    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/sign-in")
    assert page.is_visible("#passkey-sign-in") and axe_violations(page) == []
    page.click("button:has-text('Sign in with a passkey')")
    page.wait_for_url(f"{served}/")
    assert page.is_visible("main") and "Sign in" not in page.title()
    page.goto("/history")
    assert "anna's own note" in page.inner_text("main")
    page.goto("/account")
    assert "Signed in as anna" in page.inner_text("main")
    assert "last used" in page.inner_text(".passkeys")

    # A second person with a copy of anna's passkey, its counter as it was when copied
    # (behind the server's): refused with the one plain answer, no session.
    other = second.page
    other_cdp, other_id = authenticator(other)
    copied = {**stored, "signCount": 0}
    other_cdp.send("WebAuthn.addCredential", {"authenticatorId": other_id, "credential": copied})
    other.goto("/sign-in")
    other.click("button:has-text('Sign in with a passkey')")
    other.wait_for_url("**/sign-in/passkey")
    assert REFUSED in other.inner_text("#problems")
    other.goto("/history")
    other.wait_for_url("**/sign-in?next=%2Fhistory")

    # With their own account and passkey they reach their own records only.
    other_cdp.send("WebAuthn.clearCredentials", {"authenticatorId": other_id})
    sign_up(other, "bert")
    other.goto("/history")
    assert "anna's own note" not in other.inner_text("main")
    other.goto("/account")
    assert "You have no passkeys yet" in other.inner_text("main")
    other.fill("#passkey_name", "Bert's laptop")
    other.click("button:has-text('Add a passkey')")
    other.wait_for_url("**/account?changed=added")
    other.click("button:has-text('Sign out')")
    other.wait_for_url("**/sign-in")
    other.click("button:has-text('Sign in with a passkey')")
    other.wait_for_url(f"{served}/")
    other.goto("/history")
    assert "anna's own note" not in other.inner_text("main")
    other.goto("/account")
    assert "Signed in as bert" in other.inner_text("main")


def test_a_passkey_through_https_and_two_instances(
    server_stack_chromium: Browser, server_stack: Stack
) -> None:
    """Behind Caddy (HTTPS, two instances on PostgreSQL): the origin is the proxy's https
    one, the ceremony's cookie is ``__Host-`` and Secure, and the challenge made by one
    instance is answered at either."""
    with person(server_stack_chromium, server_stack, "desktop") as there:
        page = there.page
        authenticator(page)
        sign_up_there(page, "passkey.https", PASSWORD)
        page.goto("/account")
        page.fill("#passkey_name", "Laptop")
        with page.expect_response("**/account/passkeys/options") as options:
            page.click("button:has-text('Add a passkey')")
        cookie = options.value.header_value("set-cookie") or ""
        assert cookie.startswith("__Host-calfcare_passkey=") and "Secure" in cookie
        page.wait_for_url("**/account?changed=added")
        for _ in range(3):  # each sign-in's two requests may meet either instance
            page.goto("/account")  # signed out at once: the worker may still be installing
            page.click("button:has-text('Sign out')")
            page.wait_for_url("**/sign-in")
            page.click("button:has-text('Sign in with a passkey')")
            page.wait_for_url(f"{server_stack.url}/")
        page.goto("/account")
        assert "Signed in as passkey.https" in page.inner_text("main")


def test_a_browser_without_passkeys_is_offered_none(first: BrowserPage) -> None:
    page = first.page
    page.add_init_script("delete window.PublicKeyCredential")
    sign_up(page, "no.passkeys")
    page.goto("/account")
    assert not page.is_visible("#passkey-add")
    assert page.is_visible("[data-passkey-missing]")
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/sign-in")
    assert not page.is_visible("#passkey-sign-in")
    assert page.is_visible("button:has-text('Sign in')")
