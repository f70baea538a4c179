"""Days in words, as the reports show them: one day ("16 Mar 2026") and runs of days
("2-4, 7 Mar; 1 Apr 2026")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date


def day_text(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


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
        name = date(year, month, 1).strftime("%b")
        parts.append(f"{', '.join(runs)} {name}" + (f" {year}" if len(years) > 1 else ""))
    return "; ".join(parts) + ("" if len(years) > 1 else f" {ordered[0].year}")
