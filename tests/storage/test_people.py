"""Every record has an owner (migration 0006), on both backends: a database from before people
upgrades without losing a record (the export is the same before and after) and gives them all
to the implicit person; two people in one database never read, change or invalidate each
other's records; going back to 0005 works for one person's database and is refused for more."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from calfcare import services
from calfcare.core import export_format
from calfcare.core.levels import Leg
from calfcare.core.records import Note, RecordSet
from calfcare.core.split_leg_design import REGISTRABLE, SplitLegExperiment
from calfcare.core.tracking import MassagedCalves, SplitLegDay
from calfcare.storage import PERSONAL, Store, open_store
from calfcare.storage.engine import make_engine
from calfcare.storage.migrate import HEAD, current_revision, downgrade, upgrade
from tests.storage import strategies
from tests.storage.test_store import clear, fresh_id

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
FEW = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=5, deadline=None
)


def _export(store: Store) -> str:
    return export_format.dumps(services.export_document(store))


@FEW
@given(records=strategies.record_sets)
def test_going_back_to_0005_and_up_again_keeps_every_record(
    db_url: str, records: RecordSet
) -> None:
    store = open_store(db_url)
    try:
        clear(store)
        with store.transaction() as tx:
            tx.add_all(records)
        before, version = _export(store), store.data_version()
    finally:
        store.close()
    engine = make_engine(db_url)
    try:
        downgrade(engine, "0005")
        tables = inspect(engine).get_table_names()
        assert "people" not in tables
        assert "person_id" not in {c["name"] for c in inspect(engine).get_columns("notes")}
        with engine.connect() as connection:
            assert current_revision(connection) == "0005"
            kept = connection.execute(text("SELECT count(*) FROM notes")).scalar()
            assert kept == len(records.notes)
            assert connection.execute(text("SELECT version FROM data_version")).scalar() == version
        upgrade(engine)
    finally:
        engine.dispose()
    store = open_store(db_url)
    try:
        assert _export(store) == before
        assert store.data_version() == version  # caches keyed on it stay right
        assert store.person_id == PERSONAL
    finally:
        store.close()


def test_a_0005_database_upgrades_with_its_records_the_implicit_persons(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO notes (id, day, written_at, text) VALUES (:i, :d, :w, 'old')"),
                {"i": "n1", "d": date(2025, 6, 1), "w": NOW},
            )
            connection.execute(
                text("INSERT INTO split_leg_days (day, massaged) VALUES (:d, 'left')"),
                {"d": date(2025, 6, 1)},
            )
            connection.execute(text("UPDATE data_version SET version = 7"))
    finally:
        engine.dispose()
    store = open_store(db_url)
    try:
        with store.engine.connect() as connection:
            assert current_revision(connection) == HEAD
        with store.reading() as tx:
            assert [n.text for n in tx.notes()] == ["old"]
            assert [c.massaged for c in tx.split_leg_days()] == [Leg.LEFT]
        assert store.data_version() == 7
        other = store.for_person(store.add_person(NOW))
        assert other.person_id != PERSONAL
        with other.reading() as tx:
            assert tx.records() == RecordSet()
        assert other.data_version() == 0
        with other.transaction() as tx:  # the same day's coin, another person's
            tx.add_split_leg_day(SplitLegDay(date(2025, 6, 1), Leg.RIGHT))
        with store.reading() as tx:
            assert [c.massaged for c in tx.split_leg_days()] == [Leg.LEFT]
    finally:
        store.close()


def test_going_back_is_refused_when_another_person_has_records(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with store.for_person(store.add_person(NOW)).transaction() as tx:
            tx.add_note(Note("theirs", date(2025, 6, 1), NOW, "not the implicit person's"))
    finally:
        store.close()
    engine = make_engine(db_url)
    try:
        with pytest.raises(RuntimeError, match="several people"):
            downgrade(engine, "0005")
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD  # nothing was changed
            assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 1
    finally:
        engine.dispose()


WRITES = st.one_of(
    st.tuples(st.just("add_screening"), strategies.screenings().map(fresh_id)),
    st.tuples(st.just("add_session"), strategies.sessions().map(fresh_id)),
    st.tuples(st.just("add_soreness"), strategies.soreness.map(fresh_id)),
    st.tuples(st.just("add_mobility"), strategies.mobility.map(fresh_id)),
    st.tuples(st.just("add_note"), strategies.notes.map(fresh_id)),
    st.tuples(st.just("add_split_leg_day"), strategies.split_leg_days),
    st.tuples(st.just("add_split_leg_experiment"), strategies.experiments.map(fresh_id)),
    st.tuples(st.just("add_clearance"), strategies.clearances.map(fresh_id)),
    st.tuples(st.just("add_pain_check"), strategies.pain_checks.map(fresh_id)),
    st.tuples(st.just("import"), strategies.record_sets),
)


def _seen(store: Store) -> tuple[Any, ...]:
    """Everything a person can read of their own: records, summaries, version, export."""
    with store.reading() as tx:
        return (
            tx.records(),
            tx.counts(),
            tx.day_range(),
            tx.soreness_totals(),
            tx.session_days(),
            tx.sessions_stopped_for_pain(),
            tx.safety_records(),
            store.data_version(),
            _export(store),
        )


def _write(store: Store, name: str, record: Any) -> bool:
    """Do one write as ``store``'s person; False when nothing was written (a coin already
    drawn that day, an empty import)."""
    with store.reading() as tx:
        mine = tx.records()
    if name == "add_split_leg_day" and record.day in {c.day for c in mine.split_leg_days}:
        return False
    if name == "import":
        taken = {c.day for c in mine.split_leg_days}
        coins = tuple(c for c in record.split_leg_days if c.day not in taken)
        with store.transaction() as tx:
            tx.add_all(dataclasses.replace(_fresh(record), split_leg_days=coins))
        return tx.wrote  # an empty import writes nothing
    with store.transaction() as tx:
        getattr(tx, name)(record)
    return True


def _fresh(records: RecordSet) -> RecordSet:
    """The same records under new ids (ids are unique in the whole database)."""
    return RecordSet(
        screenings=tuple(fresh_id(r) for r in records.screenings),
        sessions=tuple(fresh_id(r) for r in records.sessions),
        soreness=tuple(fresh_id(r) for r in records.soreness),
        mobility=tuple(fresh_id(r) for r in records.mobility),
        notes=tuple(fresh_id(r) for r in records.notes),
        split_leg_days=records.split_leg_days,
        split_leg_experiments=tuple(fresh_id(r) for r in records.split_leg_experiments),
        clearances=tuple(fresh_id(r) for r in records.clearances),
        pain_checks=tuple(fresh_id(r) for r in records.pain_checks),
    )


@FEW
@given(writes=st.lists(st.tuples(st.booleans(), WRITES), min_size=1, max_size=6))
def test_one_persons_writes_never_change_anothers_reads(
    store: Store, writes: list[tuple[bool, tuple[str, Any]]]
) -> None:
    people = (store.for_person(store.add_person(NOW)), store.for_person(store.add_person(NOW)))
    for by_first, (name, record) in writes:
        writer, other = people if by_first else people[::-1]
        before, own_version = _seen(other), writer.data_version()
        if _write(writer, name, record):
            assert writer.data_version() == own_version + 1
        assert _seen(other) == before


def test_nothing_addressed_by_id_crosses_people(store: Store) -> None:
    a, b = (store.for_person(store.add_person(NOW)) for _ in range(2))
    day = date(2025, 6, 1)
    experiment = SplitLegExperiment("a-exp", NOW, day, 10, REGISTRABLE[0], None)
    with a.transaction() as tx:
        tx.add_note(Note("a-note", day, NOW, "A's"))
        tx.add_split_leg_day(SplitLegDay(day, Leg.LEFT))
        tx.add_split_leg_experiment(experiment)
    b_version = b.data_version()
    with b.transaction() as tx:
        assert tx.by_ids("notes", ["a-note"]) == []
        assert tx.screening("a-note") is None and tx.session("a-note") is None
        assert tx.set_split_leg_reported(day, MassagedCalves.BOTH) is False
        assert tx.stop_split_leg_experiment("a-exp", NOW) is False
    assert b.data_version() == b_version  # nothing was written
    with a.reading() as tx:
        assert [c.reported for c in tx.split_leg_days()] == [None]
        assert [e.stopped_at for e in tx.split_leg_experiments()] == [None]
