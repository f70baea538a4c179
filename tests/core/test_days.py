"""The one pair of bounds on record days and times (issue 13): 2000-01-01 to today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from calfcare.core import export_format
from calfcare.core.days import FIRST_DAY, day_end_utc, day_problems, time_problems
from calfcare.core.errors import InvalidInput
from calfcare.core.records import note
from calfcare.core.tracking import mobility_test, soreness_check_in, split_leg_day

TODAY = date(2026, 1, 2)
NOW = datetime(2026, 1, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date.min, "before 2000-01-01"),
        (date(1999, 12, 31), "before 2000-01-01"),
        (date(2026, 1, 3), "after today (2026-01-02)"),
        (date.max, "after today"),
        (datetime(2026, 1, 1, 9), "give a calendar date"),
        ("2026-01-01", "give a calendar date"),
    ],
)
def test_a_day_outside_the_bounds_is_named(day: object, said: str) -> None:
    [problem] = day_problems(day, TODAY)
    assert problem.field == "day" and said in problem.message


def test_the_bounds_themselves_are_days() -> None:
    assert day_problems(FIRST_DAY, TODAY) == day_problems(TODAY, TODAY) == []


@pytest.mark.parametrize(
    "build",
    [
        lambda day: soreness_check_in(day=day, leg="left", moment="after", score=3, today=TODAY),
        lambda day: mobility_test(day=day, leg="left", moment="other", distance_cm=9, today=TODAY),
        lambda day: split_leg_day(day=day, massaged="left", today=TODAY),
        lambda day: note(id="n1", day=day, text="hi", now=NOW, today=TODAY),
    ],
)
@pytest.mark.parametrize("day", [date.min, date(1999, 12, 31), date.max])
def test_every_record_builder_applies_them(build: object, day: date) -> None:
    with pytest.raises(InvalidInput) as caught:
        build(day)  # type: ignore[operator]
    assert [p.field for p in caught.value.problems] == ["day"]


def test_times_near_the_ends_of_the_calendar_are_refused_before_any_arithmetic() -> None:
    east = timezone(timedelta(hours=14))
    west = timezone(timedelta(hours=-12))
    assert time_problems(datetime(1, 1, 1, tzinfo=east), TODAY, "t")  # UTC would overflow
    assert time_problems(datetime(9999, 12, 31, 23, tzinfo=west), TODAY, "t")
    assert time_problems(datetime(2026, 1, 3, 23, tzinfo=east), TODAY, "t") == []  # slack
    assert day_end_utc(date.max) is None
    assert day_end_utc(TODAY) == datetime(2026, 1, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("section", "entry", "field"),
    [
        (
            "notes",
            {"id": "n", "day": "0001-01-01", "written_at": "2026-01-01T00:00Z", "text": "x"},
            "notes.0.day",
        ),
        (
            "notes",
            {"id": "n", "day": "2026-01-01", "written_at": "0001-01-01T00:00+14:00", "text": "x"},
            "notes.0.written_at",
        ),
        (
            "notes",
            {"id": "n", "day": "2026-01-01", "written_at": "9999-12-31T23:59-12:00", "text": "x"},
            "notes.0.written_at",
        ),
        ("split_leg_days", {"day": "1999-12-31", "massaged": "left"}, "split_leg_days.0.day"),
    ],
)
def test_an_import_applies_them_to_days_and_times(
    section: str, entry: dict[str, object], field: str
) -> None:
    document = {"format": "calfcare-export", "version": 1, section: [entry]}
    with pytest.raises(InvalidInput) as caught:
        export_format.from_document(document, today=TODAY)
    assert field in [p.field for p in caught.value.problems]
