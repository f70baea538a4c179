"""`services.ReadCache`: results kept per data version, one computation per key at a time,
bounded, and never a stale answer after a write (from this store or another)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from calfcare import services
from calfcare.core.records import Note
from calfcare.storage import Store, open_store


def _add_note(store: Store, n: int) -> None:
    with store.transaction() as tx:
        tx.add_note(Note(f"n{n}", date(2025, 6, 1), datetime.now(UTC), f"note {n}"))


def _note_count(store: Store) -> int:
    return len(services.load_records(store, kinds=("notes",)).notes)


def test_a_value_is_kept_until_the_data_version_moves(store: Store) -> None:
    cache = services.ReadCache(store)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return _note_count(store)

    assert cache.get("notes", compute) == 0
    assert cache.get("notes", compute) == 0
    assert len(calls) == 1 and cache.hits == 1
    _add_note(store, 1)
    assert cache.get("notes", compute) == 1
    assert len(calls) == 2
    version, value = cache.peek("notes")
    assert (version, value) == (store.data_version(), 1)
    assert cache.peek("other")[1] is services.MISSING


def test_a_write_through_another_store_invalidates(db_url: str) -> None:
    first, second = open_store(db_url), open_store(db_url)
    try:
        cache = services.ReadCache(first)
        assert cache.get("notes", lambda: _note_count(first)) == 0
        _add_note(second, 1)
        assert cache.get("notes", lambda: _note_count(first)) == 1
    finally:
        first.close()
        second.close()


def test_concurrent_misses_compute_once(store: Store) -> None:
    cache = services.ReadCache(store)
    calls: list[int] = []
    results: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [42] * 8
    assert len(calls) == 1


def test_a_failure_is_not_kept(store: Store) -> None:
    cache = services.ReadCache(store)

    def fail() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get("k", fail)
    assert cache.get("k", lambda: 7) == 7


def test_at_most_max_entries_are_kept(store: Store) -> None:
    cache = services.ReadCache(store, max_entries=3)
    for i in range(5):
        cache.get(i, lambda i=i: i)  # type: ignore[misc]
    assert [cache.peek(i)[1] for i in range(5)] == [services.MISSING] * 2 + [2, 3, 4]


def test_encoded_bodies_are_bounded_in_bytes(store: Store) -> None:
    cache = services.ReadCache(store, max_bytes=250)
    for i in range(4):
        cache.get(i, lambda: b"x" * 100)
    assert [cache.peek(i)[1] is services.MISSING for i in range(4)] == [True, True, False, False]
    cache.get("big", lambda: b"x" * 1000)  # larger than the budget: returned, not kept
    assert cache.peek("big")[1] is services.MISSING


def test_each_person_has_their_own_entries_and_a_write_drops_only_theirs(store: Store) -> None:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    a, b = (store.for_person(store.add_person(now)) for _ in range(2))
    cache = services.ReadCache(store)
    for_a, for_b = cache.for_person(a), cache.for_person(b)
    calls: list[int] = []

    def counter(person: Store) -> Callable[[], int]:
        def compute() -> int:
            calls.append(person.person_id)
            return _note_count(person)

        return compute

    _add_note(a, 1)
    assert for_a.get("notes", counter(a)) == 1
    assert for_b.get("notes", counter(b)) == 0  # the same key, another person's value
    _add_note(a, 2)  # A's version moves; B's entry stays
    assert for_b.get("notes", counter(b)) == 0
    assert for_a.get("notes", counter(a)) == 2
    assert calls == [a.person_id, b.person_id, a.person_id]
    assert for_b.peek("notes") == (b.data_version(), 0)
