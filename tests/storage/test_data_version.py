"""The data version (migration 0002): every committed write adds one, in the same transaction;
reads, failed writes and read-only transactions do not; concurrent writers lose nothing;
existing databases are upgraded with the version at 1 when they hold data."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from calfcare.core.levels import Leg
from calfcare.core.records import Note
from calfcare.core.tracking import SplitLegDay
from calfcare.storage import StorageError, Store, open_store
from calfcare.storage.engine import make_engine
from calfcare.storage.migrate import HEAD, current_revision, downgrade, upgrade
from calfcare.storage.version import VersionReader, versions_kept


def _note(n: int) -> Note:
    return Note(f"n{n}", date(2025, 6, 1), datetime.now(UTC), f"note {n}")


def test_a_new_database_starts_at_zero_and_each_write_adds_one(store: Store) -> None:
    assert store.data_version() == 0
    with store.transaction() as tx:
        tx.add_note(_note(1))
        tx.add_note(_note(2))  # one transaction, one step
    assert store.data_version() == 1
    with store.transaction() as tx:
        tx.add_split_leg_day(SplitLegDay(date(2025, 6, 1), Leg.LEFT))
    assert store.data_version() == 2


def test_reads_and_failed_writes_leave_it_alone(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_note(_note(1))
    with store.transaction() as tx:  # a read in a read-write transaction
        tx.records()
    with store.reading() as tx:
        tx.records()
        tx.counts()
    with pytest.raises(RuntimeError):
        _write_then_fail(store)
    with pytest.raises(StorageError, match="refused"):
        _write(store, _note(1))  # the same id again
    assert store.data_version() == 1


def _write_then_fail(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_note(_note(2))
        raise RuntimeError("boom")


def _write(store: Store, note: Note) -> None:
    with store.transaction() as tx:
        tx.add_note(note)


def _write_while_reading(store: Store) -> None:
    with store.reading() as tx:
        tx.add_note(_note(1))


def test_a_read_only_transaction_refuses_writes(store: Store) -> None:
    with pytest.raises(StorageError, match="read-only"):
        _write_while_reading(store)
    with store.reading() as tx:
        assert tx.notes() == []
    assert store.data_version() == 0


def test_another_store_on_the_same_database_sees_the_new_version(db_url: str) -> None:
    first, second = open_store(db_url), open_store(db_url)
    try:
        before = first.data_version()
        with second.transaction() as tx:
            tx.add_note(_note(1))
        assert first.data_version() == before + 1
    finally:
        first.close()
        second.close()


def test_concurrent_writers_lose_no_increment(db_url: str) -> None:
    stores = [open_store(db_url) for _ in range(4)]
    errors: list[BaseException] = []

    def write(store: Store, worker: int) -> None:
        try:
            for i in range(10):
                with store.transaction() as tx:
                    tx.add_note(_note(worker * 100 + i))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(s, w)) for w, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert errors == []
        assert stores[0].data_version() == 40
        with stores[0].reading() as tx:
            assert len(tx.notes()) == 40
    finally:
        for store in stores:
            store.close()


def test_a_cleared_version_row_is_put_back(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM data_version"))
    assert store.data_version() == 0
    with store.transaction() as tx:
        tx.add_note(_note(1))
    assert store.data_version() == 1


@pytest.mark.parametrize("with_data", [True, False])
def test_upgrading_from_0001_starts_at_1_when_there_is_data(db_url: str, with_data: bool) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0001")
        if with_data:
            with engine.begin() as connection:
                connection.execute(
                    text("INSERT INTO notes (id, day, written_at, text) VALUES (:i, :d, :w, :t)"),
                    {"i": "n1", "d": date(2025, 6, 1), "w": datetime.now(UTC), "t": "old"},
                )
        assert "data_version" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    store = open_store(db_url)  # upgrades to head
    try:
        with store.engine.connect() as connection:
            assert current_revision(connection) == HEAD
        assert store.data_version() == (1 if with_data else 0)
        with store.transaction() as tx:
            tx.add_note(_note(2))
        assert store.data_version() == (2 if with_data else 1)
    finally:
        store.close()


def test_downgrading_to_0001_keeps_the_records(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as tx:
        tx.add_note(_note(1))
    store.close()
    engine = make_engine(db_url)
    try:
        downgrade(engine, "0001")
        assert "data_version" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 1
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version FROM data_version")).scalar() == 1
    finally:
        engine.dispose()


def test_an_unusable_database_is_a_storage_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    store = open_store(url, migrate=False)  # no tables at all
    try:
        with pytest.raises(StorageError, match="cannot be used"):
            store.data_version()
    finally:
        store.close()


def test_sqlite_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """`reading()` and `data_version()` start no write transaction: while another
    connection holds the write lock they answer at once (BEGIN IMMEDIATE would wait the
    5 s busy timeout, then fail)."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    store = open_store(url)
    _write(store, _note(1))
    writer = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE data_version SET version = version + 100")
        started = time.monotonic()
        with store.reading() as tx:
            assert [n.id for n in tx.notes()] == ["n1"]
        assert store.data_version() == 1  # the uncommitted change is not seen
        # not a speed goal: waiting for the lock would take the 5 s busy timeout (and fail)
        assert time.monotonic() - started < 4.0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        store.close()


def test_within_versions_kept_a_persons_version_is_read_once_until_it_writes(
    store: Store, db_url: str
) -> None:
    """A server's GET request (`calfcare.web.auth`) is answered from one data version: asked
    again, it is not read again, not even after another process wrote (that write is seen
    by the next request); a write of the request's own makes the next ask read it again."""
    other = open_store(db_url)  # another worker process's store of the same database
    reads = {"n": 0}
    real = VersionReader.read

    def counted(reader: VersionReader, person_id: int) -> int:
        reads["n"] += 1
        return real(reader, person_id)

    VersionReader.read = counted  # type: ignore[method-assign,assignment]
    try:
        with versions_kept():
            first = store.data_version()
            elsewhere = threading.Thread(target=_write_note, args=(other, 1))  # its own context
            elsewhere.start()
            elsewhere.join()
            assert store.data_version() == first and reads["n"] == 1
            with store.transaction() as tx:
                tx.add_note(_note(2))
            assert store.data_version() == first + 2 and reads["n"] == 2
            assert store.data_version() == first + 2 and reads["n"] == 2
        _write_note(other, 3)
        assert store.data_version() == first + 3  # outside: read every time
        assert reads["n"] == 3
    finally:
        VersionReader.read = real  # type: ignore[method-assign]
        other.close()


def _write_note(store: Store, n: int) -> None:
    with store.transaction() as tx:
        tx.add_note(_note(n))
