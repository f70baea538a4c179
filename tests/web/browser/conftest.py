"""Browser fixtures: the real server, one headless Chromium, pages that record requests.

Reusable for any page (the live-session page too):

- ``live_server`` (session): ``calfcare serve --no-browser`` in a subprocess on a free
  loopback port with a temporary data dir; the value is its base URL.
- ``chromium`` (session): Debian's /usr/bin/chromium driven by Playwright (never
  ``playwright install``: it downloads a browser, which cannot work here).
- ``browser_page`` (parametrised ``desktop`` 1280x800 and ``phone`` 390x844 at 3x, touch):
  a `BrowserPage` in a fresh context with ``base_url`` set. It records every request and
  console error and uncaught page error; on teardown it fails the test if a request left
  127.0.0.1 or the page logged or threw an error (a CSP violation shows up as one; an
  exception in a click handler is a page error, not a console message).
- ``axe_violations(page)``: axe-core's serious and critical violations on the current page.
- ``server_stack`` and ``server_stack_chromium`` (module): `https_stack` in server mode
  (sign-up allowed) and a Chromium that trusts it, for the flows of several people through
  HTTPS (`https_stack.person`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.web.browser.server import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, running_server

if TYPE_CHECKING:
    from tests.web.browser.https_stack import Stack

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}  # localhost: the HTTPS test, through Caddy


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real `calfcare serve` on a free loopback port; yields its base URL."""
    with running_server(tmp_path_factory.mktemp("calfcare-data")) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session (starting one costs about a second)."""
    if not Path(CHROMIUM).exists():
        message = f"browser tests need {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":  # in CI a missing browser is a failure, not a skip
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Server mode through HTTPS (`https_stack.stack_for_tests`), one per test module."""
    from tests.web.browser.https_stack import stack_for_tests  # it imports this module

    with stack_for_tests(tmp_path_factory.mktemp("https-server"), server=True) as running:
        yield running


@pytest.fixture(scope="module")
def server_stack_chromium(playwright_driver: Playwright, server_stack: Stack) -> Iterator[Browser]:
    """A Chromium that accepts ``server_stack``'s certificates and only those."""
    from tests.web.browser.https_stack import trusting_chromium

    with trusting_chromium(playwright_driver, server_stack) as browser:
        yield browser


@dataclass
class BrowserPage:
    """A Playwright page plus what it did: every request URL and every console error."""

    page: Page
    viewport: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname not in LOCAL_HOSTS]


@pytest.fixture(params=sorted(VIEWPORTS))
def browser_page(
    request: pytest.FixtureRequest, chromium: Browser, live_server: str
) -> Iterator[BrowserPage]:
    """A fresh page on the live server, once per viewport (desktop and phone)."""
    yield from _page_on(chromium, live_server, request.param)


@pytest.fixture(params=sorted(VIEWPORTS))
def own_page(
    request: pytest.FixtureRequest, chromium: Browser, tmp_path: Path
) -> Iterator[BrowserPage]:
    """As ``browser_page``, on a server of its own with an empty data dir: for a test that
    leaves a safety hold behind (issue 11), which would stop every later test's session on
    the shared server."""
    with running_server(tmp_path / "calfcare-data") as url:
        yield from _page_on(chromium, url, request.param)


def _page_on(chromium: Browser, base_url: str, viewport: str) -> Iterator[BrowserPage]:
    context = chromium.new_context(base_url=base_url, **VIEWPORTS[viewport])
    recorded = BrowserPage(page=context.new_page(), viewport=viewport)
    record(recorded)
    yield recorded
    context.close()
    assert not recorded.outside_requests(), recorded.outside_requests()
    assert not recorded.console_errors, recorded.console_errors
    assert not recorded.failed_resources, recorded.failed_resources


def record(recorded: BrowserPage) -> None:
    """Record the requests, console errors and failed resources of ``recorded.page`` (a test
    that opens another page in the same browser sets it and calls this again)."""
    page = recorded.page
    page.on("request", lambda r: recorded.requests.append(r.url))
    page.on("console", lambda m: _console(recorded, m.type, m.text))
    page.on("pageerror", lambda e: recorded.console_errors.append(f"page error: {e}"))
    page.on("response", lambda r: _response(recorded, r.request.resource_type, r.status, r.url))


def _console(recorded: BrowserPage, kind: str, text: str) -> None:
    # A page answered with 4xx on purpose (e.g. a 422 form) logs "Failed to load resource";
    # sub-resources are checked by status instead. Anything else (CSP refusals) counts.
    if kind == "error" and not text.startswith("Failed to load resource"):
        recorded.console_errors.append(text)


def _response(recorded: BrowserPage, resource_type: str, status: int, url: str) -> None:
    if resource_type != "document" and status >= 400:
        recorded.failed_resources.append(f"{status} {url}")


def worker_ready(page: Page, timeout: int = 30_000) -> None:
    """Until a service worker controls the page, or fail after ``timeout`` ms: never an
    unbounded ``navigator.serviceWorker.ready`` (it waits forever when nothing registers)."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'",
        timeout=timeout,
    )


AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now.

    axe is evaluated through the DevTools protocol rather than ``add_script_tag``: the app's
    CSP rightly blocks the inline ``<script>`` that ``add_script_tag`` would insert, and
    switching CSP off (``bypass_csp``) would hide real violations from these tests.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    result: dict[str, Any] = page.evaluate(f"() => axe.run(document, {options})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
