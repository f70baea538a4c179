"""`calfcare serve --workers N` (issue 15): the workers share one signing key, so a form made
by one is accepted by another; behind a proxy on this computer a request that came over
HTTPS gets a ``Secure`` cookie. A real server in a subprocess; the settings round trip."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.errors import InvalidInput
from calfcare.settings import Settings, environment_of, load_settings
from tests.web.browser.server import free_port, wait_for_port
from tests.web.conftest import TOKEN_RE


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    data = tmp_path_factory.mktemp("workers")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALFCARE_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "calfcare",
            "serve",
            "--no-browser",
            "--workers",
            "2",
            "--port",
            str(port),
        ],
        env={**env, "CALFCARE_DATA_DIR": str(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=60)


def request(
    port: int, method: str, path: str, body: str = "", **headers: str
) -> tuple[int, str, list[str]]:
    """One request on a new connection (so the kernel may hand it to either worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body.encode() or None, headers=headers)
        response = conn.getresponse()
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, response.read().decode(), cookies
    finally:
        conn.close()


def test_a_form_made_by_one_worker_is_accepted_by_every_worker(two_workers: int) -> None:
    status, html, cookies = request(two_workers, "GET", "/checkins")
    assert status == 200
    token = TOKEN_RE.search(html).group(1)  # type: ignore[union-attr]
    cookie = cookies[0].split(";")[0]
    seen = set()
    for _ in range(24):
        # An empty note: past the CSRF check it is refused for its text (422), not 403.
        status, body, _ = request(
            two_workers,
            "POST",
            "/checkins/note",
            f"csrftoken={token}&text=&day=",
            cookie=cookie,
            **{
                "content-type": "application/x-www-form-urlencoded",
                "host": f"127.0.0.1:{two_workers}",
            },
        )
        assert status == 422, body[:300]
        seen.add(status)
    assert seen == {422}


def test_https_through_a_local_proxy_makes_the_cookie_secure(two_workers: int) -> None:
    _, _, plain = request(two_workers, "GET", "/checkins")
    _, _, proxied = request(two_workers, "GET", "/checkins", **{"x-forwarded-proto": "https"})
    assert plain and "Secure" not in plain[0]
    assert proxied and proxied[0].endswith("; Secure")


@given(
    key=st.text(
        alphabet=st.characters(codec="ascii", categories=["L", "N"]), min_size=32, max_size=64
    ),
    hosts=st.lists(st.sampled_from(["calf.example.org", "192.168.1.20", "phone.lan"]), unique=True),
    debug=st.booleans(),
    url=st.sampled_from([None, "postgresql+psycopg://calfcare@127.0.0.1/calfcare"]),
)
def test_the_settings_survive_the_trip_to_the_workers(
    key: str, hosts: list[str], debug: bool, url: str | None
) -> None:
    settings = Settings(
        data_dir=Path("/srv/calfcare"),
        database_url=url,
        host="127.0.0.1",
        port=8001,
        debug=debug,
        allowed_hosts=tuple(hosts),
        secret_key=key,
    )
    assert load_settings(environment_of(settings)) == settings


def test_a_short_secret_key_is_refused_naming_the_variable() -> None:
    with pytest.raises(InvalidInput) as caught:
        load_settings({"CALFCARE_SECRET_KEY": "short"})
    assert caught.value.problems[0].field == "CALFCARE_SECRET_KEY"
    assert "at least 32" in caught.value.problems[0].message
