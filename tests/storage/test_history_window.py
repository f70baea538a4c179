"""Windowed reads (`services.newest_history_rows`, `services.read_stats`) give exactly what
loading every record gives: the same rows, the same totals, the same summary."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.seed import daily_use
from calfcare import services
from calfcare.core.levels import Level
from calfcare.core.record_views import KINDS, history_rows, record_kinds
from calfcare.core.records import RecordSet, ScreeningKind, ScreeningRecord
from calfcare.storage import Store, open_store
from tests.storage.backends import migrated_sqlite
from tests.storage.strategies import record_sets

LAST = date(2025, 6, 30)


filter_days = st.none() | st.dates(min_value=LAST - timedelta(days=200), max_value=LAST)
kind_sets = st.sets(st.sampled_from(KINDS), min_size=1)
legs = st.none() | st.sampled_from(["left", "right"])
counts = st.none() | st.integers(min_value=1, max_value=400)


def gappy_use() -> RecordSet:
    """Half a year of daily use with gaps of a few days to a month, and screenings just
    either side of midnight UTC in far-off zones (their row's day is not their stored day)."""
    records = daily_use(0.5, seed=3, last_day=LAST)
    gaps = [(LAST - timedelta(days=d), n) for d, n in ((3, 2), (20, 9), (60, 30), (150, 5))]

    def kept(day: date) -> bool:
        return not any(start - timedelta(days=n) < day <= start for start, n in gaps)

    template = records.screenings[0]
    extra = tuple(
        ScreeningRecord(
            f"edge{i}",
            ScreeningKind.FOLLOW_UP,
            (
                datetime.combine(LAST - timedelta(days=i), datetime.min.time(), UTC)
                + timedelta(minutes=minutes)
            ).astimezone(timezone(timedelta(hours=-8 if i % 3 else 9))),
            template.contract_version,
            Level.URGENT if i % 2 else template.verdict,
            template.answers,
            template.report,
        )
        for i, minutes in ((0, 5), (1, -5), (4, 30), (21, -30), (45, 1), (90, -1))
    )
    return RecordSet(
        screenings=tuple(r for r in records.screenings if kept(r.taken_at.date())) + extra,
        sessions=tuple(r for r in records.sessions if kept(r.day)),
        soreness=tuple(i for i in records.soreness if kept(i.record.day)),
        mobility=tuple(i for i in records.mobility if kept(i.record.day)),
        notes=tuple(n for n in records.notes if kept(n.day)),
        split_leg_days=tuple(d for d in records.split_leg_days if kept(d.day)),
    ).sorted()


def check_same(
    store: Store,
    since: date | None,
    until: date | None,
    kinds: set[str],
    leg: str | None,
    count: int | None,
) -> None:
    full = history_rows(
        services.load_records(store, since, until, kinds=record_kinds(kinds)), kinds, leg
    )
    answer = services.newest_history_rows(store, since, until, kinds, leg, count, total=True)
    assert answer.rows == (full[-count:] if count else full)
    assert answer.total == len(full)
    assert services.newest_history_rows(store, since, until, kinds, leg, count).rows == answer.rows


def test_windowed_rows_and_stats_match_the_full_load(store: Store) -> None:
    with store.transaction() as tx:
        tx.add_all(gappy_use())

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(filter_days, filter_days, kind_sets, legs, counts)
    def check(
        since: date | None,
        until: date | None,
        kinds: set[str],
        leg: str | None,
        count: int | None,
    ) -> None:
        check_same(store, since, until, kinds, leg, count)
        assert services.read_stats(store, since, until) == services.stats(
            services.load_records(store, since, until)
        )

    check()
    for count in (1, 5, 50, 51, 10_000):
        check_same(store, None, None, set(KINDS), None, count)
        check_same(store, None, None, set(KINDS), "left", count)


def test_an_empty_store_has_no_rows_and_empty_stats(store: Store) -> None:
    assert services.newest_history_rows(store, None, None, set(KINDS), None, 5, total=True) == (
        services.HistoryRows([], 0)
    )
    assert services.read_stats(store) == services.stats(RecordSet())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record_sets,
    st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 1, 1)),
    st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 1, 1)),
    kind_sets,
    legs,
    st.none() | st.integers(min_value=1, max_value=12),
)
def test_any_records_give_the_same_rows_and_stats(
    records: RecordSet,
    since: date | None,
    until: date | None,
    kinds: set[str],
    leg: str | None,
    count: int | None,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(migrated_sqlite(Path(folder) / "db.sqlite3"))
        try:
            with store.transaction() as tx:
                tx.add_all(records)
            check_same(store, since, until, kinds, leg, count)
            assert services.read_stats(store, since, until) == services.stats(
                services.load_records(store, since, until)
            )
        finally:
            store.close()
