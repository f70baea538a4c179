"""The one-page report's data: safety first and complete, totals that add up, series with
their measurement-error bands, and the split-leg result from the core's own analysis."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import settings as hsettings

from calfcare.core.day_words import day_list
from calfcare.core.errors import InvalidInput
from calfcare.core.insight_report import split_leg_results
from calfcare.core.insights import MOBILITY_MDC_CM, SORENESS_THRESHOLD
from calfcare.core.levels import Leg, Level
from calfcare.core.period_report import SafetyKind, build_report
from calfcare.core.records import RecordSet
from calfcare.core.report_period import clean_name, period_of
from calfcare.core.safety_state import hold_history
from calfcare.core.timeline import Outcome
from tests.month_records import LAST_DAY, a_month
from tests.storage.strategies import record_sets

FIRST = LAST_DAY - timedelta(days=27)


def test_a_month_puts_safety_first_with_every_date() -> None:
    records = a_month()
    report = build_report(records, FIRST, LAST_DAY, "Sam")
    assert report.name == "Sam"
    assert report.period == "2 Mar 2026 to 29 Mar 2026 (28 days)"
    labels = [(i.label, i.days) for i in report.safety]
    # Urgent results, each followed by the hold it started, and the sharp-pain stop first,
    # in date order; then the rest.
    assert labels[:5] == [
        ("URGENT: Next-day check", (date(2026, 3, 8),)),
        ("URGENT: Hold on massage", (date(2026, 3, 8),)),
        ("Session stopped for sharp pain", (date(2026, 3, 11),)),
        ("URGENT: Safety check", (date(2026, 3, 14),)),
        ("URGENT: Hold on massage", (date(2026, 3, 14),)),
    ]
    assert report.attention == 5
    assert [i.attention for i in report.safety] == [True] * 5 + [False] * 3
    hold = report.safety[4].headline
    assert "from 14 Mar 2026 (started by a safety check) until 15 Mar 2026" in hold
    assert "a clinician ruled out a clot (recorded 15 Mar 2026)" in hold
    stop = report.safety[2].headline
    assert "Said to have gone or been checked (left calf) on 12 Mar 2026" in stop
    urgent = report.safety[0]
    assert "warmer" in urgent.details[0] and "unsure" in urgent.details[0]
    caution = next(i for i in report.safety if i.level is Level.CAUTION)
    assert caution.days == (date(2026, 3, 6),) and "journey" in caution.details[0]
    ok = [i for i in report.safety if i.level is Level.OK]
    assert all(i.details == () for i in ok)
    assert report.checks + report.follow_ups == len(records.screenings)


@hsettings(max_examples=80, deadline=None)
@given(record_sets)
def test_every_safety_record_appears_once_and_totals_add_up(records: RecordSet) -> None:
    first, last = date(2000, 1, 1), date(2026, 1, 1)
    report = build_report(records, first, last, zone=UTC)
    screening_days = sorted(s.taken_at.astimezone(UTC).date() for s in records.screenings)
    others = (SafetyKind.SHARP_PAIN_STOP, SafetyKind.HOLD)
    listed = sorted(d for i in report.safety if i.kind not in others for d in i.days)
    assert listed == screening_days
    stops = [i for i in report.safety if i.kind is SafetyKind.SHARP_PAIN_STOP]
    assert len(stops) == sum(s.outcome is Outcome.STOPPED_SHARP_PAIN for s in records.sessions)
    ranks = [i.rank for i in report.safety]
    assert ranks == sorted(ranks, reverse=True)
    serious = [
        i
        for i in report.safety
        if i.level is not None and i.level >= Level.URGENT and i.kind is not SafetyKind.HOLD
    ]
    holds = [i for i in report.safety if i.kind is SafetyKind.HOLD]
    spans = hold_history(records, last, zone=UTC)
    assert [h.days[0] for h in holds] == sorted(
        s.since for s in spans if s.lifted_on is None or s.lifted_on >= first
    ) or len(holds) == len(spans)
    assert len(serious) == sum(s.verdict >= Level.URGENT for s in records.screenings)
    assert all(len(i.days) == 1 for i in serious)
    for calf in report.calves:
        mine = [c for s in records.sessions for c in s.calves if c.leg is calf.leg]
        assert calf.active_seconds == pytest.approx(sum(c.active_seconds for c in mine))
        assert calf.holds == sum(len(c.holds) for c in mine)
    spots = sum(len(s.tender_spots) for s in records.sessions)
    assert sum(s.count for s in report.spots) == spots and len(report.spots) == 12
    assert report.sessions == len(records.sessions)
    assert sum(n for _, n in report.outcomes) == len(records.sessions)


def test_records_outside_the_period_are_left_out() -> None:
    records = a_month()
    week = build_report(records, date(2026, 3, 16), date(2026, 3, 22))
    assert all(date(2026, 3, 16) <= d <= date(2026, 3, 22) for i in week.safety for d in i.days)
    assert week.sessions == sum(1 for s in records.sessions if 16 <= s.day.day <= 22)
    for chart in week.charts:
        assert all(date(2026, 3, 16) <= d <= date(2026, 3, 22) for ln in chart.lines
                   for d, _ in ln.points)  # fmt: skip


def test_a_screening_counts_on_the_persons_day() -> None:
    """A check at 23:30 UTC is the next day for someone in UTC+2."""
    records = a_month()
    late = records.screenings[0]
    shifted = RecordSet(screenings=(type(late)(
        late.id, late.kind, late.taken_at.replace(hour=23, minute=30), late.contract_version,
        late.verdict, late.answers, late.report,
    ),))  # fmt: skip
    day = late.taken_at.date()
    here = build_report(shifted, day, day, zone=UTC)
    east = build_report(shifted, day, day, zone=timezone(timedelta(hours=2)))
    assert here.checks == 1 and east.checks == 0


def test_charts_have_bands_of_the_insights_thresholds_around_the_first_value() -> None:
    report = build_report(a_month(), FIRST, LAST_DAY)
    keys = [c.key for c in report.charts]
    assert keys == ["soreness-left", "soreness-right", "knee-to-wall-left", "knee-to-wall-right"]
    for chart in report.charts:
        first_value = chart.lines[0].points[0][1]
        half = SORENESS_THRESHOLD if chart.unit == "points" else MOBILITY_MDC_CM
        assert chart.baseline == first_value
        assert chart.band == pytest.approx((first_value - half, first_value + half))
        assert chart.sources
    assert report.between_legs is not None
    assert report.between_legs_note is not None and "1.5 cm" in report.between_legs_note
    assert {"ranchordas-2017", "powden-2015", "chisholm-2012"} <= set(report.sources)


def test_the_split_leg_result_is_the_cores_own_and_only_when_coins_were_tossed() -> None:
    records = a_month()
    report = build_report(records, FIRST, LAST_DAY, today=LAST_DAY)
    expected = split_leg_results(records, LAST_DAY)
    assert report.split_leg == expected
    assert [h for _, h in report.split_leg_lines] == [e.primary.headline for e in expected]
    assert report.split_leg_lines[0][0] == (
        "Next-day soreness: days from before experiments were planned (not pre-registered)"
    )
    before_coins = build_report(records, FIRST, FIRST + timedelta(days=10))
    assert before_coins.split_leg == ()


def test_period_defaults_and_errors() -> None:
    today = date(2026, 3, 29)
    assert period_of(None, None, today=today) == (date(2026, 3, 2), today)
    assert period_of(date(2026, 1, 1), None, today=today) == (date(2026, 1, 1), today)
    with pytest.raises(InvalidInput) as error:
        period_of(date(2026, 3, 10), date(2026, 3, 1), today=today)
    assert error.value.problems[0].field == "since"


def test_names_are_optional_trimmed_and_bounded() -> None:
    assert clean_name(None) is None and clean_name("   ") is None
    assert clean_name("  A. Person ") == "A. Person"
    for bad in ("x" * 81, "tab\x07bell", 42):
        with pytest.raises(InvalidInput) as error:
            clean_name(bad)
        assert error.value.problems[0].field == "name"


def test_day_lists_join_runs() -> None:
    days = [date(2026, 3, d) for d in (2, 3, 4, 7, 9, 10)] + [date(2026, 4, 1)]
    assert day_list(days) == "2-4, 7, 9-10 Mar; 1 Apr 2026"
    assert day_list([date(2025, 12, 31), date(2026, 1, 1)]) == "31 Dec 2025; 1 Jan 2026"
    assert day_list([]) == ""


def test_an_empty_period_still_makes_a_report() -> None:
    report = build_report(RecordSet(), FIRST, LAST_DAY)
    assert report.safety == () and report.sessions == 0 and report.split_leg == ()
    assert all(c.empty and c.band is None for c in report.charts)
    assert report.between_legs is None and report.attention == 0
    assert {c.leg for c in report.calves} == set(Leg)
