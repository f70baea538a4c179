"""PostgreSQL connections: a process opens at most `POOL_SIZE` and keeps them (no new
backend for each burst of requests), and a transaction that finds them all in use for too
long is told the database is busy (a `StorageError`, a 503 on the web), not an internal
error. SQLite is not pooled this way: these run on PostgreSQL only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from calfcare.storage import StorageError, Store, open_store
from calfcare.storage.engine import POOL_SIZE
from tests.storage.backends import database_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(tmp_path: Path) -> Iterator[Store]:
    for url in database_url("postgresql", tmp_path):
        opened = open_store(url)
        yield opened
        opened.close()


def test_bursts_of_transactions_reuse_a_fixed_set_of_connections(pg_store: Store) -> None:
    opened = []
    event.listen(pg_store.engine, "connect", lambda *_: opened.append(1))
    failures: list[BaseException] = []

    def one_transaction() -> None:
        try:
            with pg_store.engine.connect() as connection:
                connection.execute(text("SELECT pg_sleep(0.02)"))
        except BaseException as error:
            failures.append(error)

    for _burst in range(3):  # three times more at once than the pool holds, three times
        threads = [threading.Thread(target=one_transaction) for _ in range(3 * POOL_SIZE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not failures
    assert 1 <= len(opened) <= POOL_SIZE


def test_a_transaction_that_waits_too_long_for_a_connection_is_told_the_database_is_busy(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_store.engine.pool, "_timeout", 0.2)
    held = [pg_store.engine.connect() for _ in range(POOL_SIZE)]
    try:
        with pytest.raises(StorageError) as refused, pg_store.reading():
            pass
    finally:
        for connection in held:
            connection.close()
    assert "busy" in refused.value.advice
    with pg_store.reading():  # free again once the others are given back
        pass
