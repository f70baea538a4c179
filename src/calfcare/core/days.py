"""The one pair of bounds on the day of every record, and on the times records carry.

A record's day is at least `FIRST_DAY` and at most today (the person's local day, passed in:
the core has no clock). Why these two:

- **Not after today**: a record says what happened; a soreness rating for next week is a
  typo, and a future day would sit at the end of every chart and count.
- **Not before 2000-01-01**: nobody logs calf massage for the last century, so an earlier
  day is a typo (``0026`` for ``2026``). Such days broke weekly counts and ``calfcare
  report``, and a time near year 1 cannot even be moved to UTC. Every real day is far from
  both ends of the calendar, so no date arithmetic on a stored record can overflow.

Every path that makes a record (the CLI, the web forms, the API, an import) goes through
these checks, so the bounds hold for everything stored. Reads are not bounded: a filter such
as ``until=9999-12-31`` simply matches everything (docs/api.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from calfcare.core.errors import Problem

FIRST_DAY = date(2000, 1, 1)
"""The earliest day a record may have."""
TIME_SLACK = timedelta(days=1)
"""How far a recorded time may be past the end of today: "today" is the person's local day,
while times are compared as instants, so a time zone ahead of the clock's is allowed."""


def day_problems(day: object, today: date, field: str = "day") -> list[Problem]:
    """What is wrong with ``day`` as a record's day (nothing: ``[]``)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        return [Problem(field, "give a calendar date (YYYY-MM-DD)")]
    if day < FIRST_DAY:
        return [Problem(field, f"{day.isoformat()} is before {FIRST_DAY.isoformat()}")]
    if day > today:
        return [Problem(field, f"{day.isoformat()} is after today ({today.isoformat()})")]
    return []


def time_problems(moment: datetime, today: date, field: str) -> list[Problem]:
    """What is wrong with an aware ``moment`` as a record's time: its local day must lie
    within the record-day bounds (a day of `TIME_SLACK` after today). Checked before the time
    is converted to UTC, which overflows near the ends of the calendar."""
    if moment.date() < FIRST_DAY:
        return [Problem(field, f"{moment.isoformat()} is before {FIRST_DAY.isoformat()}")]
    if moment.date() > today + TIME_SLACK:
        return [Problem(field, f"{moment.isoformat()} is in the future")]
    return []


def day_start_utc(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def day_end_utc(day: date) -> datetime | None:
    """Midnight UTC at the end of ``day`` (the start of the next), or None for the last day
    of the calendar, after which nothing can be."""
    return None if day == date.max else day_start_utc(day + timedelta(days=1))
