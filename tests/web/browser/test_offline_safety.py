"""What a page kept offline may offer (docs/pwa.md, "Safety offline"): a live session page
is shown offline only when it was kept today, and a change that may alter the safety state
(a session stopped for sharp pain, any write other than a check-in) throws the kept session
pages away; a check-in page shown offline says it is a kept copy, with a new client id."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage
from tests.web.browser.test_session_page import QUERY, open_session, tap

REFUSED = "was not opened on this device today"

WAIT = 30_000
"""ms: a generous bound on each wait (a busy machine), never a delay."""


def kept(page: Page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => caches.match(location.href).then(Boolean)")


def offline_reload_is_refused(page: Page) -> None:
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("main")).to_contain_text(REFUSED, timeout=WAIT)
    assert page.locator("#start").count() == 0
    page.context.set_offline(False)


def test_a_session_page_kept_on_an_earlier_day_is_not_offered_offline(
    browser_page: BrowserPage,
) -> None:
    page = browser_page.page
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    kept(page)
    page.evaluate(
        """async () => {
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            const hit = await cache.match(location.href);
            if (!hit) continue;
            const headers = new Headers(hit.headers);
            headers.set('x-calfcare-saved-at', String(Date.now() - 36 * 3600 * 1000));
            await cache.put(location.href, new Response(await hit.text(), { headers }));
          }
        }"""
    )
    offline_reload_is_refused(page)


def test_a_session_kept_today_is_offered_offline_and_says_so(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    kept(page)
    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".offline-notice")).to_contain_text(
        "follows the safety state", timeout=WAIT
    )
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    page.context.set_offline(False)


def test_a_write_forgets_the_kept_session_pages(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    kept(page)
    # A form sent elsewhere (here refused for its missing token: the worker cannot know
    # what a write changes, so any write but a check-in counts).
    status = page.evaluate(
        "() => fetch('/screening', { method: 'POST', body: new URLSearchParams('a=1') })"
        ".then((r) => r.status)"
    )
    assert status == 403
    browser_page.failed_resources.remove(f"403 {page.url.split('/session')[0]}/screening")
    page.wait_for_function("() => caches.match(location.href).then((hit) => !hit)")
    offline_reload_is_refused(page)


def test_a_session_stopped_for_sharp_pain_offline_forgets_the_kept_pages(
    own_page: BrowserPage,
) -> None:
    page = open_session(own_page)
    kept(page)
    page.context.set_offline(True)
    tap(page, "#start")
    page.clock.run_for(20_000)
    tap(page, "#sharp")
    expect(page.locator("#advice")).to_be_visible(timeout=WAIT)
    page.wait_for_function("() => caches.match(location.href).then((hit) => !hit)")
    page.reload()
    expect(page.locator("main")).to_contain_text(REFUSED, timeout=WAIT)


def test_a_check_in_page_shown_offline_gets_new_client_ids(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.goto("/checkins")
    online_id = page.input_value("input[name=client_id]")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => caches.match('/checkins').then(Boolean)")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".offline-notice")).to_contain_text("You are offline", timeout=WAIT)
    first = page.input_value("input[name=client_id]")
    page.reload()
    second = page.input_value("input[name=client_id]")
    assert len({online_id, first, second}) == 3
    page.context.set_offline(False)
