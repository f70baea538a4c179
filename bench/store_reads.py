"""Store reads on five years of one person's records, alone in the database or among others.

    .venv/bin/python bench/store_reads.py [--people N] [--repeat K]

Seeds `seed.daily_use(5)` for the personal-mode person in a fresh SQLite file (and, with
``--people N``, the same five years for N - 1 more people, so that every table holds N times
the rows), then times, median of K runs each: every record (`load_records`), the counts of
a history page, `read_stats`, one month of records, and `data_version`. What it answers:
does the per-person filter (revision 0006) cost a read anything, and does a database of many
people slow one person's reads down (it should not: every read is on an index that starts
with the person).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from seed import LAST_DAY, daily_use, seed_store

from calfcare import services
from calfcare.core.records import RecordSet
from calfcare.storage import Store, open_store


def _fresh_ids(records: RecordSet, tag: str) -> RecordSet:
    """The same records under ids of their own (ids are unique in the whole database)."""
    import dataclasses

    def renamed(items: tuple[object, ...]) -> tuple[object, ...]:
        return tuple(dataclasses.replace(r, id=f"{tag}{r.id}") for r in items)  # type: ignore[type-var]

    kinds = ("screenings", "sessions", "soreness", "mobility", "notes")
    return dataclasses.replace(records, **{k: renamed(getattr(records, k)) for k in kinds})


def _time(action: Callable[[], object], repeat: int) -> float:
    action()  # warm
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    records = daily_use(years=5)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        seed_store(url, records)
        store = open_store(url)
        try:
            for n in range(1, args.people):
                other = store.for_person(store.add_person())
                with other.transaction() as tx:
                    tx.add_all(_fresh_ids(records, f"p{n}-"))
            _report(store, args.people, args.repeat)
        finally:
            store.close()


def _report(store: Store, people: int, repeat: int) -> None:
    month = (date(LAST_DAY.year, LAST_DAY.month, 1), LAST_DAY)

    def counts() -> object:
        with store.reading() as tx:
            return tx.counts()

    timings = {
        "every record": lambda: services.load_records(store),
        "history counts": counts,
        "stats": lambda: services.read_stats(store),
        "one month": lambda: services.load_records(store, *month),
        "data version": store.data_version,
    }
    print(f"{people} people in the database, one person's five years read, median of {repeat}:")
    for name, action in timings.items():
        print(f"  {name:15} {_time(action, repeat):8.2f} ms")


if __name__ == "__main__":
    main()
