"""Insights on ten years of daily records (target: under 200 ms).

    .venv/bin/python bench/insights_ten_years.py [--years 10] [--runs 7]

Ten years of full daily use (bench/seed.py: 3,652 days, every rating and test, about
44,000 records) go through what ``/api/insights`` runs: the ordinary insights
(`soreness_after_massage_days`, `mobility_before_after`, `mobility_trend`) and the
split-leg experiments (`split_leg_results`: the seeded coins have no experiment, so they are
one not-pre-registered experiment of 3,652 days, all three outcomes). Printed: the median of
``--runs`` runs of each part and of the whole, and, as context, reading the same records
back from a SQLite store.

The ratio printed next to each time is to a fixed pure-Python reference workload timed in
the same run (``sorted`` of 200,000 floats), so a slower machine shows a similar ratio; the
target itself is the absolute 200 ms. Exit status 1 when the whole analysis is over it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import daily_use, seed_store

from calfcare.core.insight_report import analyse_records, split_leg_results
from calfcare.core.insights import (
    mobility_before_after,
    mobility_trend,
    soreness_after_massage_days,
)
from calfcare.core.records import RecordSet
from calfcare.core.tracking import SessionDay

TARGET_MS = 200.0


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def analyse(records: RecordSet) -> tuple[list[Any], list[Any]]:
    """What `calfcare insights` and ``/api/insights`` compute (core/insight_report.py)."""
    report = analyse_records(records)
    return list(report.ordinary), list(report.split_leg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()
    records = daily_use(args.years)
    soreness = [i.record for i in records.soreness]
    mobility = [i.record for i in records.mobility]
    days = [SessionDay(s.day, s.legs) for s in records.sessions if s.legs]
    rng = random.Random(1)
    values = [rng.random() for _ in range(200_000)]
    reference = median_ms(lambda: sorted(values), args.runs)
    parts = {
        "ordinary insights": median_ms(
            lambda: (
                soreness_after_massage_days(soreness, days),
                mobility_before_after(mobility, days),
                mobility_trend(mobility),
            ),
            args.runs,
        ),
        "split-leg, 3 outcomes": median_ms(lambda: split_leg_results(records), args.runs),
        "whole analysis": median_ms(lambda: analyse(records), args.runs),
    }
    with tempfile.TemporaryDirectory() as tmp:
        from calfcare.storage import open_store

        url = f"sqlite:///{Path(tmp) / 'calfcare.sqlite3'}"
        seed_store(url, records)
        store = open_store(url)
        try:

            def read() -> RecordSet:
                with store.transaction() as tx:
                    return tx.records()

            parts["(context) read all from SQLite"] = median_ms(read, max(3, args.runs // 2))
        finally:
            store.close()
    n = sum(records.counts().values())
    print(f"{n} records, {len(records.split_leg_days)} days; reference {reference:.1f} ms")
    for name, ms in parts.items():
        print(f"{name:32s} {ms:8.1f} ms  {ms / reference:5.1f}x reference")
    whole = parts["whole analysis"]
    ok = whole < TARGET_MS
    _, split = analyse(records)
    methods = sorted(
        {r.test.method for r in split if r.test is not None}
        | {str(r.interval_method) for r in split if r.interval_method}
    )
    print(
        f"insights_ten_years: {args.years:g} years ({n} records): whole analysis {whole:.0f} ms "
        f"= {whole / reference:.1f}x reference (ordinary {parts['ordinary insights']:.0f} ms, "
        f"split-leg {parts['split-leg, 3 outcomes']:.0f} ms, methods {', '.join(methods)}); "
        f"target < {TARGET_MS:g} ms: {'PASS' if ok else 'MISS'}"
    )
    if not ok and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
