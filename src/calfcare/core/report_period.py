"""What a report is asked for, checked: its period (`period_of`) and the name or alias it
prints (`clean_name`). Pure: today comes in as an argument."""

from __future__ import annotations

from datetime import date, timedelta

from calfcare.core.days import FIRST_DAY
from calfcare.core.errors import InvalidInput, Problem

DEFAULT_DAYS = 28
MAX_NAME = 80


def period_of(since: date | None, until: date | None, *, today: date) -> tuple[date, date]:
    """The report's days: ``until`` (default today) and the 28 days up to it by default.

    A period reaching past the days a record can have (`days.FIRST_DAY` to today) is cut to
    them, so the ends of the calendar ask for no impossible dates.
    """
    last = min(until or today, today)
    if since is not None and since > today:
        raise InvalidInput(
            [Problem("since", f"{since.isoformat()} is after today; a report covers past days")],
            "The report period is not valid.",
        )
    if last < FIRST_DAY:
        raise InvalidInput(
            [Problem("until", f"no record can be before {FIRST_DAY.isoformat()}")],
            "The report period is not valid.",
        )
    first = max(since or last - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)
    if first > last:
        raise InvalidInput(
            [Problem("since", f"{first.isoformat()} is after {last.isoformat()}")],
            "The report period is not valid.",
        )
    return first, last


def clean_name(name: object) -> str | None:
    """The name or alias to print, as typed (trimmed); None for none."""
    if name is None or (isinstance(name, str) and not name.strip()):
        return None
    problems = []
    if not isinstance(name, str):
        problems.append(Problem("name", "give a name or alias as text"))
    elif len(name.strip()) > MAX_NAME:
        problems.append(Problem("name", f"at most {MAX_NAME} characters"))
    elif any(ord(c) < 32 or ord(c) == 127 for c in name):
        problems.append(Problem("name", "contains control characters"))
    if problems:
        raise InvalidInput(problems, "The name is not valid.")
    assert isinstance(name, str)
    return name.strip()
