"""calfcare as docs/deployment.md deploys it, on this computer: two instances of
`calfcare serve --workers 2` on PostgreSQL (one new schema, dropped afterwards), behind
Debian's Caddy on an HTTPS port with `tls internal`, configured by ``deploy/Caddyfile``.

Chromium and Caddy's own certificate authority: a service worker is registered only from a
script fetched without a certificate error, and Playwright's ``ignore_https_errors`` does not
reach that fetch. So Chromium is told to accept exactly this stack's certificates, by the
SHA-256 hashes of their public keys (``--ignore-certificate-errors-spki-list``, which the
Web Platform Tests use too): the network service then treats them as valid, for pages and
the worker alike, and any other certificate is still checked. `chromium_args` gives them.

For the tests (`test_https_pwa.py`, `test_server_phone_flow.py`, `test_clinic_flow.py`):
`stack_for_tests` (a skip, or in CI a failure, naming what is missing), `trusting_chromium`,
and for flows of several people through one stack, `person` (a browser context of their own
that fails the test on any console error), `sign_up`, `sign_in` and `requests_as` (HTTP
with a person's cookies); `Stack.database_url` to make accounts through the services.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import APIRequestContext, Browser, Page, Playwright, expect

from tests.storage.backends import database_url
from tests.web.browser.conftest import BrowserPage, _page_on
from tests.web.browser.server import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
CADDY = shutil.which("caddy") or "/usr/bin/caddy"
SITE = "localhost"


@dataclass(frozen=True)
class Stack:
    url: str
    """The HTTPS address Caddy serves (``https://localhost:PORT``)."""
    instances: tuple[str, ...]
    """Each instance's own loopback address (plain HTTP, behind Caddy)."""
    caddy_data: Path
    database_url: str = ""
    """The instances' database (for a test that makes accounts with `calfcare admin` or the
    services)."""

    def chromium_args(self) -> list[str]:
        """Chromium flags that accept this stack's certificates (and only those)."""
        return [f"--ignore-certificate-errors-spki-list={','.join(self.spki_hashes())}"]

    def spki_hashes(self) -> list[str]:
        """Base64 SHA-256 of the public keys of the served certificate and of Caddy's local
        authority (root and intermediate)."""
        pems = [served_certificate(self.url)]
        authority = self.caddy_data / "caddy" / "pki" / "authorities" / "local"
        pems += [(authority / name).read_text() for name in ("root.crt", "intermediate.crt")]
        return [spki_hash(pem) for pem in pems]


def spki_hash(pem: str) -> str:
    """``openssl x509 -pubkey | openssl pkey -pubin -outform der | sha256 | base64``."""
    key = subprocess.run(
        ["openssl", "x509", "-pubkey", "-noout"],
        input=pem.encode(),
        capture_output=True,
        check=True,
    ).stdout
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-outform", "der"], input=key, capture_output=True, check=True
    ).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def served_certificate(url: str) -> str:
    """The certificate the HTTPS address presents for ``localhost`` (PEM)."""
    port = int(url.rsplit(":", 1)[1])
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection(("127.0.0.1", port), timeout=30) as raw,
        context.wrap_socket(raw, server_hostname=SITE) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return ssl.DER_cert_to_PEM_cert(der)


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        child = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield child
        finally:
            child.terminate()
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=30)


def wait_for_https(
    port: int, child: subprocess.Popen[bytes], log: Path, timeout: float = 90.0
) -> None:
    """Until Caddy presents a certificate on ``port`` (it makes its authority first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"caddy exited with {child.returncode}:\n{log.read_text()[-2000:]}")
        try:
            served_certificate(f"https://{SITE}:{port}")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"caddy did not serve HTTPS on {port} within {timeout} s:\n{log.read_text()[-2000:]}"
    )


@contextmanager
def https_stack(workdir: Path, workers: int = 2, *, server: bool = False) -> Iterator[Stack]:
    """Two instances behind Caddy, on a new schema of CALFCARE_TEST_POSTGRES_URL's database
    (dropped afterwards); yields the `Stack`. ``server``: in server mode with sign-up
    allowed (`calfcare serve --server --allow-sign-up`), so people make their accounts."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALFCARE_")}
    with ExitStack() as stack:
        database = stack.enter_context(contextmanager(database_url)("postgresql", workdir))
        ports = [free_port(), free_port()]
        app_env = {
            **base,
            "CALFCARE_DATABASE_URL": database,
            "CALFCARE_DATA_DIR": str(workdir / "data"),
            "CALFCARE_SECRET_KEY": secrets.token_urlsafe(32),
        }
        for port in ports:
            args = [sys.executable, "-m", "calfcare", "serve", "--no-browser"]
            args += ["--workers", str(workers), "--port", str(port)]
            args += ["--server", "--allow-sign-up"] if server else []
            child = stack.enter_context(process(args, app_env, workdir / f"calfcare-{port}.log"))
            wait_for_port(port, child)
        https_port = free_port()
        caddy_env = {
            **base,
            "HOME": str(workdir),
            "XDG_DATA_HOME": str(workdir / "caddy-data"),
            "XDG_CONFIG_HOME": str(workdir / "caddy-config"),
            "CALFCARE_CADDY_ADMIN": "off",
            "CALFCARE_HTTP_PORT": str(free_port()),
            "CALFCARE_SITE": f"{SITE}:{https_port}",
            "CALFCARE_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in ports),
        }
        log = workdir / "caddy.log"
        args = [CADDY, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"]
        caddy = stack.enter_context(process(args, caddy_env, log))
        wait_for_https(https_port, caddy, log)
        yield Stack(
            url=f"https://{SITE}:{https_port}",
            instances=tuple(f"http://127.0.0.1:{p}" for p in ports),
            caddy_data=workdir / "caddy-data",
            database_url=database,
        )


# -- for the tests: skips, a trusting Chromium, people with their own browser contexts ------

PG_ENV = "CALFCARE_TEST_POSTGRES_URL"
WAIT = 30_000
"""ms: a generous bound on each wait in the HTTPS tests (a busy machine), never a delay."""


def missing(reason: str) -> None:
    """Skip the test saying why, or in CI (CI=true) fail: there the HTTPS tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the HTTPS test may not be skipped)")
    pytest.skip(reason)


@contextmanager
def stack_for_tests(workdir: Path, *, server: bool = False) -> Iterator[Stack]:
    """`https_stack`, or a skip naming what is missing (caddy, the PostgreSQL URL)."""
    if not Path(CADDY).exists():
        missing("the HTTPS test needs Debian's caddy: python3 tasks.py test installs it as root")
    if not os.environ.get(PG_ENV):
        missing(f"the HTTPS test runs on PostgreSQL: set {PG_ENV}")
    with https_stack(workdir, server=server) as running:
        yield running


@contextmanager
def trusting_chromium(driver: Playwright, stack: Stack) -> Iterator[Browser]:
    """Chromium that accepts this stack's certificates, and only those (no
    ``ignore_https_errors``)."""
    if not Path(CHROMIUM).exists():
        missing(f"browser tests need {CHROMIUM} (apt-get install chromium)")
    browser = driver.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *stack.chromium_args()]
    )
    try:
        yield browser
    finally:
        browser.close()


@contextmanager
def person(browser: Browser, stack: Stack, viewport: str = "phone") -> Iterator[BrowserPage]:
    """One person's own browser context on the stack (cookies, storage, service worker of
    their own), failing the test on any console error, as the ``browser_page`` fixture does.
    Several at once drive several people (or a clinician and a person) through one stack."""
    yield from _page_on(browser, stack.url, viewport)


@contextmanager
def requests_as(driver: Playwright, page: Page) -> Iterator[APIRequestContext]:
    """HTTP requests with the cookies ``page``'s person has now, outside the page: a 404
    asked for on purpose is not a failed resource of the page. Playwright's own client, not
    Chromium, so it is told to accept the stack's certificate (Chromium still checks)."""
    state = page.context.storage_state()
    origin = page.url.split("/", 3)[:3]
    client = driver.request.new_context(
        base_url="/".join(origin), ignore_https_errors=True, storage_state=state
    )
    try:
        yield client
    finally:
        client.dispose()


def sign_up(page: Page, login: str, password: str) -> None:
    """Make an account on the sign-up page; it signs in and goes home."""
    page.goto("/sign-up")
    page.fill("#login", login)
    page.fill("#password", password)
    page.fill("#confirm_password", password)
    with page.expect_navigation(timeout=WAIT):
        page.get_by_role("button", name="Make the account").click()
    expect(page.locator("main")).to_be_visible(timeout=WAIT)
    assert "/sign-up" not in page.url, page.locator("main").inner_text()


def sign_in(page: Page, login: str, password: str) -> None:
    """Sign in on the sign-in page (an account made by sign-up or by the administrator)."""
    page.goto("/sign-in")
    page.fill("#login", login)
    page.fill("#password", password)
    with page.expect_navigation(timeout=WAIT):
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert "/sign-in" not in page.url, page.locator("main").inner_text()
