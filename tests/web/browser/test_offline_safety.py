"""What a page kept offline may offer (docs/pwa.md, "Safety offline"): a live session page
is shown offline only when it was kept today, and a change that may alter the safety state
(a session stopped for sharp pain, any write other than a check-in) throws the kept session
pages away; a check-in page shown offline says it is a kept copy, with a new client id; a
session logged by hand offline is kept, throws the kept session pages away, and is saved
once when back online."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.browser.conftest import BrowserPage, worker_ready
from tests.web.browser.flows import QUERY, open_session, tap

REFUSED = "was not opened on this device today"
SHOT = "/tmp/calfcare-offline-{}.png"

WAIT = 30_000
"""ms: a generous bound on each wait (a busy machine), never a delay."""


def kept(page: Page) -> None:
    worker_ready(page)
    page.wait_for_function("() => caches.match(location.href).then(Boolean)", timeout=WAIT)


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


def test_a_session_logged_by_hand_offline_is_kept_then_saved_once(own_page: BrowserPage) -> None:
    page = own_page.page
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    kept(page)
    live = page.url
    page.wait_for_function("() => caches.match('/checkins/session').then(Boolean)", timeout=WAIT)
    # Kept yesterday, as far as the page knows: its day field must not say yesterday.
    yesterday = page.evaluate(
        """async () => {
          const hit = await caches.match('/checkins/session');
          const html = await hit.text();
          const today = /name="day" max="([0-9-]+)"/.exec(html)[1];
          const d = new Date(today + 'T12:00:00');
          d.setDate(d.getDate() - 1);
          const before = d.toISOString().slice(0, 10);
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            if (await cache.match('/checkins/session')) {
              await cache.put('/checkins/session', new Response(
                html.replaceAll(today, before), { headers: hit.headers }));
            }
          }
          return before;
        }"""
    )
    page.context.set_offline(True)
    page.goto("/checkins/session")
    expect(page.locator(".offline-notice")).to_contain_text("You are offline", timeout=WAIT)
    assert page.input_value("#day") > yesterday  # today, on this device
    page.check("input[name=tool][value=hands]")
    page.check("input[name=legs][value=left]")
    page.fill("#seconds", "60")
    page.get_by_role("button", name="Save the session").click()
    expect(page.locator("#kept")).to_contain_text("kept on this device", timeout=WAIT)
    page.screenshot(path=SHOT.format(f"session-kept-{own_page.viewport}"))
    # Not a check-in: the kept session pages go (the worker does not guess what it changes).
    page.wait_for_function(f"() => caches.match({live!r}).then((hit) => !hit)", timeout=WAIT)
    page.context.set_offline(False)
    page.goto("/checkins")
    expect(page.locator("#outbox-status")).to_contain_text("is saved", timeout=WAIT)
    page.screenshot(path=SHOT.format(f"session-synced-{own_page.viewport}"))
    sessions = page.evaluate(
        "() => fetch('/api/records').then((r) => r.json())"
        ".then((rows) => rows.filter((r) => r.kind === 'session'))"
    )
    assert len(sessions) == 1, sessions
