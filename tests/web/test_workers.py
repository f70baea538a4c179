"""`calfcare serve --workers N` (issue 15): the workers share one signing key, so a form made
by one is accepted by another; the kernel spreads new connections over the workers (each has
a socket of its own); behind a proxy on this computer a request that came over HTTPS gets a
``Secure`` cookie. A real server in a subprocess; the settings round trip."""

from __future__ import annotations

import http.client
import os
import pickle
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.errors import InvalidInput
from calfcare.settings import Settings, environment_of, load_settings
from calfcare.web.workers import OwnListeners, balances_by_kernel, tcp_rows
from tests.web.browser.server import free_port, wait_for_port
from tests.web.conftest import TOKEN_RE


class Served(NamedTuple):
    port: int
    pid: int
    """The supervisor's process id (the workers are its children)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
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
        wait_for_port(port, process, sockets=2)
        yield Served(port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture
def two_workers(served: Served) -> int:
    return served.port


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


def _worker_of_connections(served: Served, clients: list[socket.socket]) -> list[int]:
    """The worker process holding the server's end of each client connection (Linux /proc:
    a worker's socket inodes, matched to `tcp_rows` by the client's port)."""
    workers = Path(f"/proc/{served.pid}/task/{served.pid}/children").read_text().split()
    owner = {}
    for worker in workers:
        for fd in Path(f"/proc/{worker}/fd").iterdir():
            target = str(fd.readlink())
            if target.startswith("socket:["):
                owner[target[8:-1]] = int(worker)
    by_client_port = {
        row.remote_port: owner[row.inode]
        for row in tcp_rows()
        if row.local_port == served.port and row.inode in owner
    }
    return [by_client_port[client.getsockname()[1]] for client in clients]


@pytest.mark.skipif(not balances_by_kernel(), reason="SO_REUSEPORT spreads connections on Linux")
def test_new_connections_are_spread_over_the_workers(served: Served) -> None:
    """Forty connections opened one after another (as a proxy or a crowd opens them) are
    not all taken by one worker: with one shared socket, one idle worker accepted them all."""
    clients = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(40)]
    try:
        for client in clients:  # each one answered: accepted by its worker
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 ")
        held = _worker_of_connections(served, clients)
    finally:
        for client in clients:
            client.close()
    counts = sorted(held.count(worker) for worker in set(held))
    assert len(counts) == 2 and counts[0] >= 5, counts


@pytest.mark.skipif(not balances_by_kernel(), reason="SO_REUSEPORT spreads connections on Linux")
def test_each_worker_unpickles_a_listening_socket_of_its_own() -> None:
    port = free_port()
    listeners = OwnListeners("127.0.0.1", port, 16)
    assert listeners == []  # the parent listens on nothing
    first, second = pickle.loads(pickle.dumps(listeners)), pickle.loads(pickle.dumps(listeners))
    try:
        assert first[0].fileno() != second[0].fileno()
        assert first[0].getsockname()[1] == second[0].getsockname()[1] == port
        assert first[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        first[0].close()
        second[0].close()


def test_a_worker_that_cannot_listen_stops_with_the_start_up_failure_status() -> None:
    from uvicorn.config import STARTUP_FAILURE

    with socket.create_server(("127.0.0.1", 0)) as taken:  # no SO_REUSEPORT: the port is held
        listeners = OwnListeners("127.0.0.1", taken.getsockname()[1], 16)
        with pytest.raises(SystemExit) as stopped:
            pickle.loads(pickle.dumps(listeners))
    assert stopped.value.code == STARTUP_FAILURE


def test_a_served_app_freezes_what_start_up_made_and_a_test_app_does_not(tmp_path: Path) -> None:
    """`calfcare serve` builds its app with ``serving=True``: once warm, the objects made so
    far leave the garbage collector's passes (bench/multi_person.py: full passes of 33-84 ms
    in one worker before, 11-16 after). An app built for a test freezes nothing."""
    import gc

    from calfcare.web.app import create_app
    from tests.web.conftest import BASE_URL, TestClient

    gc.unfreeze()
    try:
        with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL):
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(Settings(data_dir=tmp_path), serving=True), base_url=BASE_URL):
            assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
