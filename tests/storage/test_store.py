"""The store on both backends: records round-trip exactly, transactions are all-or-nothing,
SQLite is set up for durability, and errors name the problem."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from calfcare.core.levels import Leg
from calfcare.core.records import Note, RecordSet
from calfcare.core.tracking import SplitLegDay
from calfcare.storage import StorageError, Store, open_store
from calfcare.storage.tables import METADATA
from tests.storage import strategies

FIXTURE_OK = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20, deadline=None
)


def clear(store: Store) -> None:
    """Delete every record (and data version), keeping the people."""
    with store.engine.begin() as connection:
        for table in reversed(METADATA.sorted_tables):
            if table.name != "people":
                connection.execute(table.delete())


def fresh_id(record: Any) -> Any:
    return dataclasses.replace(record, id=uuid.uuid4().hex)


@FIXTURE_OK
@given(records=strategies.record_sets)
def test_any_records_round_trip_in_bulk(store: Store, records: RecordSet) -> None:
    clear(store)
    with store.transaction() as tx:
        tx.add_all(records)
    with store.transaction() as tx:
        assert tx.records() == records
        assert tx.counts() == records.counts()


@FIXTURE_OK
@given(
    screening=strategies.screenings(),
    session=strategies.sessions(),
    soreness=strategies.soreness,
    mobility=strategies.mobility,
    note=strategies.notes,
)
def test_each_record_saved_alone_loads_back_equal(
    store: Store, screening: Any, session: Any, soreness: Any, mobility: Any, note: Any
) -> None:
    screening, session, soreness = fresh_id(screening), fresh_id(session), fresh_id(soreness)
    mobility, note = fresh_id(mobility), fresh_id(note)
    with store.transaction() as tx:
        tx.add_screening(screening)
        tx.add_session(session)
        tx.add_soreness(soreness)
        tx.add_mobility(mobility)
        tx.add_note(note)
    with store.transaction() as tx:
        assert tx.screening(screening.id) == screening
        assert {s.id: s for s in tx.sessions()}[session.id] == session
        assert {s.id: s for s in tx.soreness()}[soreness.id] == soreness
        assert {s.id: s for s in tx.mobility()}[mobility.id] == mobility
        assert {s.id: s for s in tx.notes()}[note.id] == note


def test_times_come_back_in_utc(store: Store) -> None:
    written = datetime(2025, 6, 1, 23, 30, 0, 123456).astimezone()
    with store.transaction() as tx:
        tx.add_note(Note("n1", date(2025, 6, 1), written, "hello"))
    with store.transaction() as tx:
        (loaded,) = tx.notes()
    assert loaded.written_at == written
    assert loaded.written_at.tzinfo is UTC


def _write_then_fail(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_note(Note("n1", date(2025, 6, 1), datetime.now(UTC), "first"))
        tx.add_split_leg_day(SplitLegDay(date(2025, 6, 1), Leg.LEFT))
        raise RuntimeError("boom")


def _write_duplicate(store: Store) -> None:
    day = date(2025, 6, 1)
    with store.transaction() as tx:
        tx.add_note(Note("n1", day, datetime.now(UTC), "first"))
        tx.add_split_leg_day(SplitLegDay(day, Leg.LEFT))
        tx.add_split_leg_day(SplitLegDay(day, Leg.RIGHT))


def test_a_failed_use_case_writes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError):
        _write_then_fail(store)
    with store.transaction() as tx:
        assert sum(tx.counts().values()) == 0


def test_a_duplicate_key_rolls_back_the_whole_transaction(store: Store) -> None:
    with pytest.raises(StorageError, match="refused"):
        _write_duplicate(store)
    with store.transaction() as tx:
        assert sum(tx.counts().values()) == 0


def test_filters_by_day(store: Store) -> None:
    with store.transaction() as tx:
        for d in (1, 2, 3):
            tx.add_note(Note(f"n{d}", date(2025, 6, d), datetime.now(UTC), f"day {d}"))
    with store.transaction() as tx:
        notes = tx.records(since=date(2025, 6, 2), until=date(2025, 6, 2)).notes
    assert [n.id for n in notes] == ["n2"]


def test_sqlite_is_set_up_for_durability(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with store.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys")
        }
    store.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_the_sqlite_folder_is_created(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'calfcare.sqlite3'}")
    store.close()
    assert (tmp_path / "new" / "deeper" / "calfcare.sqlite3").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Not a database URL"),
        ("nosuchdb://x/y", "Not a database URL|No database driver"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot be used"),
    ],
)
def test_unusable_databases_are_a_storage_error(url: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as error:
        open_store(url)
    assert "password" not in str(error.value)


def test_password_is_hidden_in_messages() -> None:
    with pytest.raises(StorageError) as error:
        open_store("postgresql+psycopg://user:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(error.value)
