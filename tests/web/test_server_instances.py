"""Two `calfcare serve --server` instances on one PostgreSQL database (issue 15): a session
made through one is honoured by the other, and a write through one is read back through
the other at once. Real servers in subprocesses; skipped without CALFCARE_TEST_POSTGRES_URL."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from calfcare.services import accounts
from calfcare.storage import open_store
from tests.storage.backends import database_url
from tests.web.browser.https_stack import process
from tests.web.browser.server import free_port, wait_for_port
from tests.web.conftest import TOKEN_RE
from tests.web.server_helpers import PASSWORD


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[int]]:
    workdir = tmp_path_factory.mktemp("instances")
    base = {k: v for k, v in os.environ.items() if not k.startswith("CALFCARE_")}
    with ExitStack() as stack:
        database = stack.enter_context(contextmanager(database_url)("postgresql", workdir))
        with open_store(database) as store:  # migrated here, once, before either starts
            accounts.sign_up(store, "anna", PASSWORD, datetime.now(UTC))
            accounts.sign_up(store, "bert", PASSWORD, datetime.now(UTC))
        env = {
            **base,
            "CALFCARE_DATABASE_URL": database,
            "CALFCARE_DATA_DIR": str(workdir / "data"),
            "CALFCARE_SECRET_KEY": secrets.token_urlsafe(32),
        }
        ports = [free_port(), free_port()]
        for port in ports:
            args = [sys.executable, "-m", "calfcare", "serve", "--server", "--no-browser"]
            child = stack.enter_context(
                process([*args, "--port", str(port)], env, workdir / f"calfcare-{port}.log")
            )
            wait_for_port(port, child)
        yield ports


def call(
    port: int, method: str, path: str, body: bytes = b"", **headers: str
) -> tuple[int, bytes, list[str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, response.read(), cookies
    finally:
        conn.close()


def sign_in(port: int, login: str) -> str:
    """The session cookie (``name=value``) of a sign-in through the instance on ``port``."""
    status, html, cookies = call(port, "GET", "/sign-in")
    assert status == 200
    token = TOKEN_RE.search(html.decode()).group(1)  # type: ignore[union-attr]
    csrf = cookies[0].split(";")[0]
    form = urlencode({"csrftoken": token, "login": login, "password": PASSWORD}).encode()
    status, _, cookies = call(
        port, "POST", "/sign-in", form, cookie=csrf,
        **{"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 303
    return next(c.split(";")[0] for c in cookies if c.startswith("calfcare_session="))


def test_a_write_through_one_instance_is_read_through_the_other(instances: list[int]) -> None:
    first, second = instances
    anna = sign_in(first, "anna")
    bert = sign_in(second, "bert")
    for text in ("one", "two", "three"):
        note = json.dumps({"text": f"note {text}"}).encode()
        status, body, _ = call(
            first, "POST", "/api/notes", note, cookie=anna, **{"content-type": "application/json"}
        )
        assert status == 201, body
        status, body, _ = call(second, "GET", "/api/records", cookie=anna)
        assert status == 200 and f"note {text}".encode() in body  # at once, no wait
    status, body, _ = call(first, "GET", "/api/records", cookie=bert)
    assert status == 200 and json.loads(body) == []
    assert call(second, "GET", "/api/records")[0] == 401


def test_signing_out_through_one_instance_ends_the_session_in_the_other_at_once(
    instances: list[int],
) -> None:
    first, second = instances
    anna = sign_in(first, "anna")
    for port in (second, first, second):  # each instance has seen the session, and serves it
        assert call(port, "GET", "/api/safety", cookie=anna)[0] == 200
    # The form token is bound to the sign-in session: take it from a page anna is signed in on.
    status, html, cookies = call(first, "GET", "/account", cookie=anna)
    assert status == 200
    token = TOKEN_RE.search(html.decode()).group(1)  # type: ignore[union-attr]
    form = urlencode({"csrftoken": token}).encode()
    status, _, _ = call(
        first, "POST", "/sign-out", form, cookie=f"{cookies[0].split(';')[0]}; {anna}",
        **{"content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert status == 303
    for port in (second, first):  # the next request, no wait
        assert call(port, "GET", "/api/safety", cookie=anna)[0] == 401
        assert call(port, "GET", "/", cookie=anna)[0] == 303
