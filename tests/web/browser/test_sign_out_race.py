"""Signing out while another request of the same browser is on its way (the service worker's,
while it installs: it fetches the app's files and pages for a few seconds after a first
visit, longer on a slow phone), then signing in again at once, in a real Chromium.

What went wrong (seen on a busy machine through HTTPS): the sign-out deleted the form-token
cookie; the worker's request, sent just then without one, was given a new token of its own,
and its answer, arriving after the sign-in page's, replaced that page's token. The sign-in
was refused ("the form's security token does not match this browser's") and the page stayed
where it was. Now the sign-out sets the next token itself (`account_pages.next_form_token`).

Made deterministic here: between the sign-out's answer (its cookies kept) and the sign-in
page, a request goes out with the cookies the browser has at that moment; the cookie its
answer sets, if any, is kept by the browser after the sign-in page has loaded, as a late
answer's would be.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, Route

from calfcare.web import csrf
from tests.web.browser.conftest import BrowserPage, _page_on
from tests.web.browser.server import running_server
from tests.web.browser.test_passkey_flow import PASSWORD, sign_up

WAIT = 60_000
"""ms: a generous bound on each wait (a busy machine), never a delay."""


@pytest.fixture
def there(chromium: Browser, tmp_path: Path) -> Iterator[BrowserPage]:
    with running_server(tmp_path / "calfcare-data", "--server", "--allow-sign-up") as url:
        yield from _page_on(chromium, url, "desktop")


def test_a_request_answered_after_the_sign_in_page_leaves_its_form_working(
    there: BrowserPage, playwright_driver: Playwright
) -> None:
    page = there.page
    context = page.context
    sign_up(page, "late.answer")
    base = "/".join(page.url.split("/", 3)[:3])
    page.goto("/account")

    late: list[dict[str, str]] = []  # the headers of the answer

    def between(route: Route) -> None:
        """The sign-out is answered and its cookies kept, the sign-in page not asked for
        yet: a request leaves now."""
        signed_out = route.fetch(max_redirects=0)
        state = context.storage_state()
        client = playwright_driver.request.new_context(base_url=base, storage_state=state)
        answer = client.get("/account", max_redirects=0)
        late.append({h["name"]: h["value"] for h in answer.headers_array})
        client.dispose()
        route.fulfill(response=signed_out)

    page.route("**/sign-out", between)
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/sign-in", timeout=WAIT)
    page.wait_for_load_state(timeout=WAIT)
    page.unroute("**/sign-out")
    assert len(late) == 1

    # The late answer reaches the browser now: the browser keeps the cookie it sets, if any.
    given = SimpleCookie(late[0].get("set-cookie", "")).get(csrf.COOKIE_NAME)
    if given is not None:
        context.add_cookies([{"name": given.key, "value": given.value, "url": base,
                              "httpOnly": True, "sameSite": "Strict"}])  # fmt: skip

    page.fill("#login", "late.answer")
    page.fill("#password", PASSWORD)
    with page.expect_navigation(timeout=WAIT):
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.url == f"{base}/", page.inner_text("main")
    page.goto("/account")
    assert "Signed in as late.answer" in page.inner_text("main")
