"""An acknowledged write survives ``kill -9`` right after, on both backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from calfcare.storage import Store, open_store

WRITER = Path(__file__).with_name("kill_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def test_acknowledged_writes_survive_sigkill(db_url: str) -> None:
    open_store(db_url).close()  # migrate first, so the writer only writes
    acknowledged: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(WRITER), db_url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as process:
        assert process.stdout is not None
        while len(acknowledged) < 40:
            line = process.stdout.readline()
            assert line, "the writer stopped early"
            acknowledged.append(line.strip())
        process.send_signal(signal.SIGKILL)  # mid-stream: it is writing as fast as it can
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
        acknowledged += [line.strip() for line in process.stdout if line.strip()]

    store = open_store(db_url)
    try:
        with store.transaction() as tx:
            stored = {note.id for note in tx.notes()}
        assert set(acknowledged) <= stored
        assert _integrity_ok(store)
    finally:
        store.close()


def _integrity_ok(store: Store) -> bool:
    with store.engine.connect() as connection:
        if store.backend == "sqlite":
            return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        return connection.execute(text("SELECT count(*) FROM notes")).scalar() is not None
