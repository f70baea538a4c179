"""The installable app through HTTPS (issue 15), as a person on a phone meets it: two
PostgreSQL-backed instances behind Caddy (`tests.web.browser.https_stack`), Chromium on a
phone viewport. The app installs (manifest, an active service worker, Secure cookies), a
session goes offline halfway and finishes, a check-in is made offline from the kept page,
and once back online both are saved once, and read back through each instance directly.

Needs Debian's caddy (``python3 tasks.py test`` installs it when it can) and
CALFCARE_TEST_POSTGRES_URL; without them the test skips saying why, and in CI (CI=true) it
fails instead. ``python3 tasks.py https`` runs it on its own.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.web.browser.conftest import BrowserPage, worker_ready
from tests.web.browser.flows import QUERY, STUBS, T0, kept_offline, tap
from tests.web.browser.https_stack import (
    WAIT,
    Stack,
    person,
    stack_for_tests,
    trusting_chromium,
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with stack_for_tests(tmp_path_factory.mktemp("https")) as running:
        yield running


@pytest.fixture(scope="module")
def chromium_for_stack(playwright_driver: Playwright, stack: Stack) -> Iterator[Browser]:
    with trusting_chromium(playwright_driver, stack) as browser:
        yield browser


@pytest.fixture
def phone(chromium_for_stack: Browser, stack: Stack) -> Iterator[BrowserPage]:
    with person(chromium_for_stack, stack) as page:
        yield page


def records(instance: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{instance}/api/records", timeout=60) as response:
        rows: list[dict[str, Any]] = json.load(response)
    return rows


def installed(page: Page) -> None:
    """The app is installable: a manifest, and a service worker that controls the page."""
    page.goto("/")
    assert page.evaluate("() => window.isSecureContext && location.protocol") == "https:"
    manifest = page.evaluate(
        "() => fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
    )
    assert manifest["display"] == "standalone" and len(manifest["icons"]) == 3
    worker_ready(page)
    cookies = page.context.cookies()
    assert cookies and all(c["secure"] and c["httpOnly"] for c in cookies), cookies


def test_install_offline_session_and_check_in_sync_through_https(
    phone: BrowserPage, stack: Stack
) -> None:
    page = phone.page
    installed(page)
    # The live session, opened online (its page is kept for offline use), then offline halfway.
    page.add_init_script(STUBS)
    page.clock.install(time=T0)
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled(timeout=WAIT)
    page.wait_for_function("() => caches.match(location.href).then(Boolean)", timeout=WAIT)
    page.clock.pause_at(T0 + timedelta(seconds=5))
    tap(page, "#start")
    page.clock.run_for(120_000)
    assert page.evaluate("() => window.__locks") >= 1  # the wake lock is asked for
    page.context.set_offline(True)
    page.clock.run_for(210_000)
    expect(page.locator("#done-title")).to_have_text("Session complete", timeout=WAIT)
    outbox = list(kept_offline(page))
    assert len(outbox) == 1
    session_id = outbox[0]
    assert all(session_id not in {r["id"] for r in records(i)} for i in stack.instances)
    page.context.set_offline(False)
    expect(page.locator("#save")).to_have_text("Saved.", timeout=WAIT)

    # A note, offline, from the check-in page kept on this device.
    page.context.set_offline(True)
    page.goto("/checkins")
    expect(page.locator(".offline-notice")).to_contain_text("You are offline", timeout=WAIT)
    page.fill("#note-text", "offline note from the phone")
    page.click("form.checkin button[type=submit]")
    expect(page.locator("#kept")).to_contain_text("kept on this device", timeout=WAIT)
    page.context.set_offline(False)
    page.goto("/")
    expect(page.locator("#outbox-status")).to_contain_text("is saved", timeout=WAIT)

    # Saved once each, and read back through either instance at once (one PostgreSQL).
    for instance in stack.instances:
        rows = records(instance)
        assert [r["id"] for r in rows].count(session_id) == 1, rows
        notes = [r for r in rows if r["kind"] == "note"]
        assert len(notes) == 1 and "offline note from the phone" in json.dumps(notes[0]), rows
