"""One headless Chromium per test module, with the JavaScript session engine loaded in a page.

The static folder (``src/calfcare/web/static``) is served by a tiny ``http.server`` on a free
127.0.0.1 port, because an ES module needs a URL; the page imports ``/session/engine.js`` into
``window.engine``. Tests call `JsEngine.call` with a JavaScript function and one argument.

Playwright's sync API runs an event loop in the thread that started it, and refuses to start
a second one there; the browser tests (tests/web/browser) keep theirs open for the whole
pytest session. So this browser lives in its own worker thread, and every call goes there.
The thread is a daemon and every call has a time limit, so an engine bug that loops forever
fails the test instead of hanging pytest.

Without /usr/bin/chromium the tests are skipped, except in CI (``CI`` set to true), where a
missing browser is a failure: the JavaScript engine must never go unproven there.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "src" / "calfcare" / "web" / "static"
ENGINE_JS = STATIC / "session" / "engine.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CALL_TIMEOUT = 30.0
"""Seconds one call into the page may take (the biggest batch takes well under one)."""
T = TypeVar("T")


class _QuietHandler(SimpleHTTPRequestHandler):
    """The static folder, plus a blank page at ``/`` (no icon request, so no 404)."""

    BLANK = b'<!doctype html><title>engine.js</title><link rel="icon" href="data:,">'

    def do_GET(self) -> None:
        if self.path != "/":
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.BLANK)))
        self.end_headers()
        self.wfile.write(self.BLANK)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Worker:
    """One daemon thread that runs the jobs given to it, in order.

    After a job overran its time limit the thread is stuck in it, so every later job fails
    at once instead of waiting behind it.
    """

    def __init__(self) -> None:
        self.stuck = False
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        threading.Thread(target=self._loop, name="session-js", daemon=True).start()

    def _loop(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            try:
                future.set_result(job())
            except BaseException as error:  # handed to the caller
                future.set_exception(error)

    def run(self, job: Callable[[], T], timeout: float = CALL_TIMEOUT) -> T:
        if self.stuck:
            raise AssertionError("the page is stuck in an earlier call")
        future: Future[T] = Future()
        self._jobs.put((job, future))
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            self.stuck = True
            raise AssertionError(
                f"the page did not answer within {timeout} s (an endless loop in engine.js?)"
            ) from None

    def stop(self) -> None:
        self._jobs.put(None)


class JsEngine:
    """The page with ``window.engine`` (engine.js's exports), driven from its own thread."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.console_errors: list[str] = []
        self._worker = _Worker()
        self._driver: Playwright | None = None
        self._browser: Browser | None = None
        self._page: Page | None = None
        self._worker.run(self._start)

    def _start(self) -> None:
        self._driver = sync_playwright().start()
        self._browser = self._driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = self._browser.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.goto(f"{self.base_url}/")
        page.evaluate("async url => { window.engine = await import(url); }", self.module_url)
        self._page = page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    @property
    def module_url(self) -> str:
        return f"{self.base_url}/session/engine.js"

    def call(self, function: str, arg: Any = None) -> Any:
        """Evaluate ``function`` (JavaScript, one argument) in the page; JSON in, JSON out.

        The result travels as JSON text made by ``JSON.stringify``, so every number comes
        back as the exact double JavaScript had, and object keys keep their order.
        """
        source = f"arg => JSON.stringify(({function})(arg))"

        def run() -> Any:
            assert self._page is not None
            return self._page.evaluate(source, arg)

        text = self._worker.run(run)
        return json.loads(text)

    def close(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._driver is not None:
                self._driver.stop()

        if self._worker.stuck:  # the daemon thread and its browser go with the process
            return
        try:
            self._worker.run(stop)
        finally:
            self._worker.stop()


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"the JavaScript engine tests need {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{reason}; in CI they must run, not be skipped")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    """The static folder over HTTP on a free loopback port."""
    handler = partial(_QuietHandler, directory=str(STATIC))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def js(static_url: str) -> Iterator[JsEngine]:
    """One Chromium for the module, its page holding engine.js as ``window.engine``."""
    _require_chromium()
    engine = JsEngine(static_url)
    try:
        yield engine
    finally:
        engine.close()
    assert not engine.console_errors, engine.console_errors
