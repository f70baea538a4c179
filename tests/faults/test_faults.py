"""Faults with the real server and CLI: kill -9 mid-stream, a read-only database, a full
disk, and a burst of concurrent writers.

`tests/storage/test_durability.py` kills a bare store writer; these kill the whole web
server (uvicorn + FastAPI + the store) while HTTP writes (``POST /api/notes``) stream in,
on SQLite and on PostgreSQL (skipped, with the reason, without CALFCARE_TEST_POSTGRES_URL).
The read-only and full-disk cases need a filesystem the test can make read-only or full:
a small tmpfs mounted by the test, which needs root (skipped, with the reason, otherwise;
chmod is no substitute, since root ignores it).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from calfcare.storage import open_store
from tests.storage.backends import BACKENDS, database_url
from tests.web.browser.server import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@contextlib.contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``calfcare serve`` on a free port with ``env``; killed at the end if still running."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "calfcare", "serve", "--no-browser", "--port", str(port)],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()


def post_note(conn: http.client.HTTPConnection, note_text: str) -> tuple[int, dict[str, Any]]:
    body = json.dumps({"text": note_text})
    conn.request("POST", "/api/notes", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def env_for(url: str) -> dict[str, str]:
    return {"CALFCARE_DATABASE_URL": url, "CALFCARE_DATA_DIR": tempfile.gettempdir()}


def stored_note_ids(url: str) -> set[str]:
    store = open_store(url)
    try:
        with store.transaction() as tx:
            return {n.id for n in tx.notes()}
    finally:
        store.close()


def integrity_ok(url: str) -> bool:
    store = open_store(url)
    try:
        with store.engine.connect() as connection:
            if store.backend == "sqlite":
                return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            return connection.execute(text("SELECT count(*) FROM notes")).scalar() is not None
    finally:
        store.close()


# -- kill -9 during a stream of writes -----------------------------------------------------


def test_kill_9_server_mid_stream_keeps_every_acknowledged_write(db_url: str) -> None:
    open_store(db_url).close()  # migrate first, so the server only writes
    acknowledged: list[str] = []
    with server(env_for(db_url)) as (process, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        killer = threading.Timer(0, lambda: None)
        i = 0
        with contextlib.suppress(OSError, http.client.HTTPException):
            while True:
                status, body = post_note(conn, f"stream {i}")
                assert status == 201, body
                acknowledged.append(body["saved"]["id"])
                i += 1
                if len(acknowledged) == 40:  # kill while the next writes are in flight
                    killer = threading.Timer(0.005, os.kill, (process.pid, signal.SIGKILL))
                    killer.start()
                assert i < 5000, "the server was never killed"
        conn.close()
        killer.join()
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 40
    assert set(acknowledged) <= stored_note_ids(db_url)
    assert integrity_ok(db_url)
    with server(env_for(db_url)) as (_, port):  # and the server starts again on it
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _ = post_note(conn, "again")
        conn.close()
        assert status == 201


# -- a burst of concurrent writers -----------------------------------------------------------

BURST_CLIENT = """
import http.client, json, sys
port, who, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
ok = 0
for i in range(n):
    conn.request("POST", "/api/notes", json.dumps({"text": f"{who} {i}"}),
                 {"Content-Type": "application/json"})
    r = conn.getresponse(); r.read()
    ok += r.status == 201
print(ok)
"""


def test_concurrent_burst_from_several_clients_loses_nothing(db_url: str) -> None:
    clients, each = 6, 25
    with server(env_for(db_url)) as (_, port):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", BURST_CLIENT, str(port), f"c{c}", str(each)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for c in range(clients)
        ]
        acknowledged = [int(p.communicate(timeout=60)[0]) for p in procs]
    assert acknowledged == [each] * clients
    store = open_store(db_url)
    try:
        with store.transaction() as tx:
            texts = sorted(n.text for n in tx.notes())
    finally:
        store.close()
    assert texts == sorted(f"c{c} {i}" for c in range(clients) for i in range(each))


# -- read-only database and full disk (a tmpfs the test mounts: root only) ------------------


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs at tmp_path/fs, unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("read-only and full-disk tests mount a tmpfs: they need root")
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _remount(mount_point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True)


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calfcare", *args],
        env={**os.environ, "CALFCARE_DATA_DIR": str(data_dir), "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_clean_storage_failure(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert "database" in done.stderr.lower(), done.stderr


def test_read_only_database_reads_and_exports_and_refuses_writes_as_read_only(
    small_fs: Path,
) -> None:
    """On a read-only file system the database is opened read-only: history and export work;
    a write exits 1 saying "read-only", and the API answers 503 with that advice."""
    data = small_fs / "data"
    assert cli("log", "note", "before", data_dir=data).returncode == 0
    _remount(small_fs, "ro")
    try:
        refused = cli("log", "note", "refused", data_dir=data)
        assert_clean_storage_failure(refused)
        assert "read-only" in refused.stderr, refused.stderr
        history = cli("history", data_dir=data)
        assert history.returncode == 0 and "before" in history.stdout, history.stderr
        export = cli("export", data_dir=data)
        assert export.returncode == 0, export.stderr
        assert [n["text"] for n in json.loads(export.stdout)["notes"]] == ["before"]
        with server({"CALFCARE_DATA_DIR": str(data)}) as (_, port):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, body = post_note(conn, "refused")
            assert status == 503, body
            assert set(body) == {"error", "problems"} and "read-only" in body["error"].lower()
            conn.request("GET", "/api/records")  # reads still work
            records = conn.getresponse()
            assert records.status == 200 and "before" in records.read().decode()
            conn.request("GET", "/learn")  # pages that need no database still work
            page = conn.getresponse()
            page.read()
            conn.close()
            assert page.status == 200
    finally:
        _remount(small_fs, "rw")
    assert integrity_ok(f"sqlite:///{data / 'calfcare.sqlite3'}")


def test_read_only_database_with_a_log_left_by_kill_9_is_read_whole(small_fs: Path) -> None:
    """A writer killed before a checkpoint leaves its commits in the ``-wal`` file; read-only,
    they are still read (``mode=ro``, not ``immutable``)."""
    data = small_fs / "data"
    assert cli("log", "note", "first", data_dir=data).returncode == 0
    writer = (
        "import datetime, os, sys\n"
        "from calfcare import services\n"
        "from calfcare.storage import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "now = datetime.datetime.now().astimezone()\n"
        "services.add_note(store, day=now.date(), text='in the log', now=now)\n"
        "os._exit(0)\n"  # no close, no checkpoint: the commit stays in the -wal file
    )
    url = f"sqlite:///{data / 'calfcare.sqlite3'}"
    subprocess.run([sys.executable, "-c", writer, url], check=True, timeout=60)
    assert (data / "calfcare.sqlite3-wal").stat().st_size > 0
    _remount(small_fs, "ro")
    try:
        export = cli("export", data_dir=data)
        assert export.returncode == 0, export.stderr
        assert sorted(n["text"] for n in json.loads(export.stdout)["notes"]) == [
            "first",
            "in the log",
        ]
    finally:
        _remount(small_fs, "rw")


def test_full_disk_is_a_clear_error_and_corrupts_nothing(small_fs: Path) -> None:
    data = small_fs / "data"
    url = f"sqlite:///{data / 'calfcare.sqlite3'}"
    assert cli("log", "note", "kept", data_dir=data).returncode == 0
    before = stored_note_ids(url)
    filler = small_fs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 1):  # fill the filesystem to the last byte
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    big = "x" * 3999
    done = cli("log", "note", big, data_dir=data)
    assert_clean_storage_failure(done)
    with server({"CALFCARE_DATA_DIR": str(data)}) as (_, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        statuses = {post_note(conn, big)[0] for _ in range(20)}
        conn.close()
        assert statuses <= {201, 503}, statuses  # maybe a page was free; never a 500
        assert 503 in statuses
    filler.unlink()
    assert integrity_ok(url)
    assert before <= stored_note_ids(url)
    assert cli("log", "note", "after", data_dir=data).returncode == 0
