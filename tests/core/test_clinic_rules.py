"""The clinician's side (issue 16), pure rules: prescriptions, adherence, the list's order,
the prescription under the safety state, and its calendar."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.adherence import adherence, this_week, weeks_in_period
from calfcare.core.calendar import prescription_calendar, session_days, session_offsets
from calfcare.core.clinic_list import Flag, PersonSummary, followup_missing, list_key, ordered
from calfcare.core.errors import InvalidInput
from calfcare.core.levels import Leg
from calfcare.core.prescription import (
    Prescription,
    prescription,
    prescription_words,
    under_safety,
)
from calfcare.core.records import (
    CalfRecord,
    RecordSet,
    ScreeningKind,
    SessionRecord,
    SessionSource,
)
from calfcare.core.routine import Intensity, Tool
from calfcare.core.safety_state import safety_state
from calfcare.core.timeline import Outcome
from tests.core.test_safety_state import CAUTION, OK, URGENT, WORDING, scr

START = date(2026, 11, 2)  # a Monday


def rx(**changes: object) -> Prescription:
    fields: dict[str, object] = {
        "calves": ["left", "right"], "tools": ["foam-roller"], "intensity_cap": "gentle",
        "seconds_per_calf": 150, "sessions_per_week": 3, "weeks": 4, "start_day": START,
        "note": "Easy on the left.",
    }  # fmt: skip
    fields.update(changes)
    return prescription(**fields)  # type: ignore[arg-type]


def session(
    day: date, seconds: float = 150.0, planned: int | None = 150, sid: str = ""
) -> SessionRecord:
    return SessionRecord(
        id=sid or f"s{day.isoformat()}-{int(seconds)}",
        day=day,
        started_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18),
        source=SessionSource.COACH,
        tool=Tool.FOAM_ROLLER,
        intensity=Intensity.GENTLE,
        outcome=Outcome.COMPLETED,
        duration_seconds=2 * seconds,
        calves=(CalfRecord(Leg.LEFT, planned, seconds), CalfRecord(Leg.RIGHT, planned, seconds)),
    )


def test_the_words_lead_with_the_routine() -> None:
    assert prescription_words(rx()).startswith(
        "Your physio's routine: 3 times a week, foam roller, gentle"
    )
    assert "twice a week" in prescription_words(rx(sessions_per_week=2, tools=["ball", "hands"]))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seconds_per_calf", 119), ("seconds_per_calf", 181), ("seconds_per_calf", 150.5),
        ("sessions_per_week", 0), ("sessions_per_week", 8), ("weeks", 0), ("weeks", 13),
        ("intensity_cap", "hard"), ("tools", ["stick"]), ("tools", []), ("calves", ["middle"]),
        ("calves", []), ("note", "x" * 1001), ("weeks", True),
    ],
)  # fmt: skip
def test_every_rule_of_the_seed_is_checked_and_the_field_named(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        rx(**{field: value})
    assert [p.field for p in refused.value.problems] == [field]


def test_the_bounds_themselves_are_allowed() -> None:
    for seconds in (120, 180):
        assert rx(seconds_per_calf=seconds).seconds_per_calf == seconds
    assert rx(sessions_per_week=7, weeks=12).end_day == START + timedelta(weeks=12, days=-1)


def test_the_safety_state_always_wins_and_says_so() -> None:
    p = rx(intensity_cap="deep")
    at = datetime(2026, 11, 3, 8, tzinfo=UTC)
    fine = safety_state(
        RecordSet(screenings=(scr(at, OK, "a"),)), at.date(), zone=UTC, wording=WORDING
    )
    allowed = under_safety(p, fine, WORDING)
    assert allowed.options is not None and not allowed.overridden
    assert allowed.options.intensity is Intensity.DEEP and allowed.options.seconds_per_calf == 150
    careful = safety_state(
        RecordSet(screenings=(scr(at, CAUTION, "b"),)), at.date(), zone=UTC, wording=WORDING
    )
    gentle = under_safety(p, careful, WORDING)
    assert gentle.overridden and gentle.options is not None
    assert gentle.options.intensity is Intensity.GENTLE and gentle.notes
    held = safety_state(
        RecordSet(screenings=(scr(at, URGENT, "c"),)), at.date(), zone=UTC, wording=WORDING
    )
    stopped = under_safety(p, held, WORDING)
    assert stopped.options is None and stopped.overridden and stopped.notes


days = st.integers(min_value=0, max_value=7 * 12 + 6)
seconds = st.sampled_from([0.0, 30.0, 74.0, 75.0, 150.0])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(days, seconds), max_size=40),
    st.integers(1, 7),
    st.integers(1, 12),
    days,
)
def test_adherence_counts_only_sessions_done_on_the_prescriptions_days(
    done: list[tuple[int, float]], per_week: int, weeks: int, today_offset: int
) -> None:
    p = rx(sessions_per_week=per_week, weeks=weeks)
    today = START + timedelta(days=today_offset)
    sessions = [session(START + timedelta(days=d), s, sid=f"s{i}") for i, (d, s) in enumerate(done)]
    weeks_seen = adherence(p, sessions, today)
    counted = [
        s for s in sessions
        if s.done and s.day <= min(today, p.end_day)
    ]  # fmt: skip
    assert sum(w.done for w in weeks_seen) == len(counted)
    assert all(w.prescribed == per_week for w in weeks_seen)
    assert len(weeks_seen) == min(weeks, today_offset // 7 + 1)
    for w in weeks_seen:
        in_week = [s for s in counted if w.first <= s.day < w.first + timedelta(weeks=1)]
        assert dict(w.seconds) == {
            leg: sum(s.calves[0].active_seconds for s in in_week) for leg in Leg
        }
    # a mostly skipped session (under half its planned time) never changes a count
    skipped = session(today, 74.0, sid="skipped")
    assert adherence(p, [*sessions, skipped], today) == weeks_seen


def test_two_of_three_this_week() -> None:
    p = rx()
    today = START + timedelta(days=9)
    done = [session(START + timedelta(days=7)), session(START + timedelta(days=8))]
    week = this_week(p, done, today)
    assert week is not None and (week.done, week.prescribed, week.week) == (2, 3, 2)
    assert week.words.startswith("Week 2: 2 of 3 sessions so far")


def test_a_followup_after_the_last_session_answers_it() -> None:
    today = START + timedelta(days=2)
    last = session(START + timedelta(days=1))
    assert followup_missing([last], [], today) == last.day
    answer = scr(last.started_at + timedelta(hours=20), OK, "f", ScreeningKind.FOLLOW_UP)
    assert followup_missing([last], [answer], today) is None
    assert followup_missing([last], [], today + timedelta(days=30)) is None


def line(pid: int, flags: tuple[Flag, ...], done: int | None, worse: bool) -> PersonSummary:
    p = rx()
    sessions = [session(START + timedelta(days=i), sid=f"x{i}") for i in range(done or 0)]
    week = None if done is None else this_week(p, sessions, START + timedelta(days=6))
    return PersonSummary(pid, f"p{pid:03d}", flags, week, week is not None,
                         ("worse",) if worse else (), (), None)  # fmt: skip


flag_sets = st.lists(st.sampled_from(list(Flag)[:-1]), unique=True, max_size=3).map(
    lambda fs: tuple(sorted(fs))
)
lines = st.lists(
    st.tuples(flag_sets, st.none() | st.integers(0, 3), st.booleans()), min_size=1, max_size=30
).map(lambda xs: [line(i, f, d, w) for i, (f, d, w) in enumerate(xs)])


@settings(max_examples=200, deadline=None)
@given(lines, st.randoms())
def test_red_flags_come_first_then_adherence_then_worse_trends(
    people: list[PersonSummary], rnd: object
) -> None:
    shuffled = list(people)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    result = ordered(shuffled)
    assert result == ordered(people)  # the order never depends on the order given
    for a, b in itertools.pairwise(result):
        assert a.flag <= b.flag
        if a.flag == b.flag and a.prescribed and b.prescribed and a.week and b.week:
            assert a.week.done / a.week.prescribed <= b.week.done / b.week.prescribed
        assert list_key(a) <= list_key(b)
    flagged = [s for s in result if s.flags]
    assert result[: len(flagged)] == flagged


def test_the_calendar_parses_back_to_the_prescribed_sessions() -> None:
    from icalendar import Calendar

    p = rx(sessions_per_week=3, weeks=2)
    made = datetime(2026, 11, 1, 9, tzinfo=UTC)
    ics = prescription_calendar(p, 7, made)
    assert ics == prescription_calendar(p, 7, made)
    parsed = Calendar.from_ical(ics)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == len(session_offsets(3)) == 3
    starts = []
    for event in events:
        assert event["SUMMARY"] == "Calf massage"
        rule: Any = event["RRULE"]
        assert rule["COUNT"] == [2] and rule["FREQ"] == ["WEEKLY"]
        first = event.decoded("DTSTART")
        starts += [first, first + timedelta(weeks=1)]
    assert sorted(starts) == session_days(p)
    assert len(set(session_days(replace(p, sessions_per_week=7)))) == 14


def test_red_flags_from_records_most_pressing_first() -> None:
    from calfcare.core.clinic_list import red_flags
    from tests.core.test_safety_state import AT, EMERGENCY, state
    from tests.core.test_safety_state import session as stopped_session

    stop = stopped_session(AT, Outcome.STOPPED_SHARP_PAIN, ((Leg.LEFT, 90.0), (Leg.RIGHT, 10.0)))
    pain = RecordSet(sessions=(stop,))
    today = AT.date() + timedelta(days=1)
    # the stop was a session done (the left calf got its time) with no follow-up since
    assert red_flags(pain, state(pain, today), today) == (Flag.SHARP_PAIN, Flag.FOLLOWUP_MISSING)
    urgent = replace(pain, screenings=(scr(AT + timedelta(hours=12), URGENT, "u",
                                           ScreeningKind.FOLLOW_UP),))  # fmt: skip
    assert red_flags(urgent, state(urgent, today), today)[:2] == (Flag.URGENT_HOLD, Flag.SHARP_PAIN)
    worst = replace(
        urgent, screenings=(*urgent.screenings, scr(AT + timedelta(hours=13), EMERGENCY, "e"))
    )
    assert red_flags(worst, state(worst, today), today)[0] is Flag.EMERGENCY_HOLD
    assert red_flags(RecordSet(), state(RecordSet(), today), today) == ()


def test_the_reports_weeks_are_those_overlapping_its_period_counted_whole() -> None:
    p = rx()
    sessions = [session(START + timedelta(days=d), sid=f"w{d}") for d in (0, 2, 8, 9, 20)]
    later = START + timedelta(days=60)

    def weeks(first: int, last: int, today: date = later) -> list[tuple[int, int]]:
        found = weeks_in_period(
            p, sessions, START + timedelta(days=first), START + timedelta(days=last), today
        )
        return [(w.week, w.done) for w in found]

    assert weeks(10, 12) == [(2, 2)]  # the days before the period still count
    assert weeks(6, 7) == [(1, 2), (2, 2)]
    assert weeks(-30, -1) == [] and weeks(28, 40) == []  # before and after its 4 weeks
    assert weeks(0, 30, today=START + timedelta(days=9)) == [(1, 2), (2, 2)]  # not yet begun
