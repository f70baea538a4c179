"""Days in words, the one way calfcare writes a day for people (pages, the report, the
safety state's words): one day ("16 Mar 2026") and runs of days ("2-4, 7 Mar; 1 Apr 2026").
Day, short month, year: no day-month order to guess, as short as 2026-03-16, and the same
in every locale (the month names are fixed here, not the C library's). Machine-facing days
(JSON, exports, FHIR, CSV, date inputs, URLs) stay ISO 8601."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """ "16 Mar 2026" (a datetime gives its own day: make it local first)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_list(days: Iterable[date]) -> str:
    """Days in words, runs joined: "2-4, 7 Mar; 1 Apr 2026" (the year once, at the end,
    unless they span years)."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d in ordered:
        months[(d.year, d.month)].append(d.day)
    years = {y for y, _ in months}
    parts = []
    for (year, month), numbers in months.items():
        runs, start = [], numbers[0]
        for a, b in zip(numbers, [*numbers[1:], None], strict=True):
            if b != a + 1:
                runs.append(str(start) if start == a else f"{start}-{a}")
                start = b if b is not None else a
        name = MONTHS[month - 1]
        parts.append(f"{', '.join(runs)} {name}" + (f" {year}" if len(years) > 1 else ""))
    return "; ".join(parts) + ("" if len(years) > 1 else f" {ordered[0].year}")
