"""Ordinary (observational) insights: honest labels, thresholds, and too-little-data advice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.insights import (
    mobility_before_after,
    mobility_trend,
    soreness_after_massage_days,
)
from calfcare.core.interval_verdict import Reading
from calfcare.core.levels import Leg
from calfcare.core.student_t import t_quantile
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SessionDay,
    SorenessCheckIn,
    SorenessMoment,
)

START = date(2026, 1, 1)
BANNED = re.compile(r"progress|works|proves", re.IGNORECASE)


def test_t_quantiles_match_tables() -> None:
    assert t_quantile(0.975, 5) == pytest.approx(2.5706, abs=1e-4)
    assert t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert t_quantile(0.025, 2) == pytest.approx(-4.3027, abs=1e-4)


def build(massaged: list[int], other: list[int]) -> tuple[list[SorenessCheckIn], list[SessionDay]]:
    cis, sessions = [], []
    for i, s in enumerate(massaged):
        day = START + timedelta(days=2 * i)
        sessions.append(SessionDay(day, frozenset({Leg.LEFT})))
        cis.append(SorenessCheckIn(day, Leg.LEFT, SorenessMoment.NEXT_DAY, s))
    for i, s in enumerate(other):
        cis.append(
            SorenessCheckIn(START + timedelta(days=2 * i + 1), Leg.LEFT, SorenessMoment.NEXT_DAY, s)
        )
    return cis, sessions


def test_comparison_is_labelled_observational_with_interval_and_effect_size() -> None:
    r = soreness_after_massage_days(*build([2, 3, 2, 1, 2, 3, 2], [5, 4, 6, 5, 4, 5, 6]))
    assert r.estimate == pytest.approx(2.142857 - 5.0, abs=1e-5)
    assert r.interval is not None and r.estimate is not None
    assert r.interval[0] < r.estimate < r.interval[1]
    assert r.effect_size is not None and r.effect_size < -2
    assert r.reading is Reading.MEANINGFUL_DECREASE
    assert r.headline.startswith("Observational: your next-day soreness (its level, 0 to 10)")
    assert "lower than after other days, by more than the 1.4 points" in r.headline
    assert any("Hedges" in d for d in r.details) and not any("Hedges" in f for f in r.figures)


def test_a_small_difference_is_judged_by_its_interval_not_its_average() -> None:
    r = soreness_after_massage_days(*build([3, 4, 3, 4, 3, 4], [4, 4, 3, 4, 4, 4]))
    assert r.interval is not None
    assert r.reading is Reading.NO_MEANINGFUL_CHANGE
    assert "any difference is smaller than the 1.4 points that matter" in r.headline
    # A lower average with an interval past the threshold: the size is unclear.
    wide = soreness_after_massage_days(*build([2, 5, 1, 6, 2, 5, 1], [5, 3, 6, 4, 5, 6, 4]))
    assert wide.reading in (Reading.DECREASE_SIZE_UNCLEAR, Reading.INCONCLUSIVE)
    assert "by more than" not in wide.headline.replace("whether by more than", "")


def test_too_little_data_says_what_is_needed() -> None:
    r = soreness_after_massage_days(*build([2, 3], [5]))
    assert r.reading is Reading.TOO_LITTLE_DATA and r.estimate is None
    assert r.more_days == 4 and "at least 4 more of each kind" in r.headline
    empty = soreness_after_massage_days([], [])
    assert empty.reading is Reading.TOO_LITTLE_DATA


def ktw(day: date, leg: Leg, moment: MobilityMoment, cm: float) -> MobilityTest:
    return MobilityTest(day, leg, moment, cm)


def test_before_after_counts_only_calves_massaged_and_judges_the_interval() -> None:
    tests, sessions = [], []
    for i in range(6):
        day = START + timedelta(days=i)
        sessions.append(SessionDay(day, frozenset({Leg.LEFT})))  # the right calf never
        for leg in Leg:
            tests += [
                ktw(day, leg, MobilityMoment.BEFORE, 9.0),
                ktw(day, leg, MobilityMoment.AFTER, 9.5 + 0.1 * (i % 2)),
            ]
    left, right = mobility_before_after(tests, sessions)
    assert left.leg is Leg.LEFT and left.n == 6
    assert left.estimate == pytest.approx(0.55)
    assert left.reading is Reading.INCREASE_SIZE_UNCLEAR  # a real change, of unclear size
    assert "higher than just before, but we can't tell whether by more than 1.9 cm" in (
        left.headline
    )
    assert any(
        "Latest" in f and "within the 1.9 cm one test can be off by" in f for f in left.figures
    )
    assert right.reading is Reading.TOO_LITTLE_DATA and right.n == 0


def test_trend_slope_per_week_and_judgement() -> None:
    tests = [
        ktw(
            START + timedelta(weeks=w),
            Leg.RIGHT,
            MobilityMoment.OTHER,
            8.0 + 0.5 * w + (0.1 if w % 2 else 0.0),
        )
        for w in range(10)
    ]
    tests.append(ktw(START, Leg.RIGHT, MobilityMoment.AFTER, 20.0))  # ignored: acute high
    left, right = mobility_trend(tests)
    assert left.reading is Reading.TOO_LITTLE_DATA
    assert right.estimate == pytest.approx(0.5, abs=0.02)
    assert right.interval is not None and right.interval[0] < 0.5 < right.interval[1]
    assert right.reading is Reading.MEANINGFUL_INCREASE  # 4.5 cm over 9 weeks
    assert "higher than at the start (a line fitted through the tests), by more than" in (
        right.headline
    )
    few = mobility_trend(tests[:7])[1]  # 7 test days: a trend needs 8 over 3 weeks
    assert few.reading is Reading.TOO_LITTLE_DATA


@given(st.lists(st.integers(0, 10), max_size=15), st.lists(st.integers(0, 10), max_size=15))
@settings(max_examples=100, deadline=None)
def test_wording_never_overstates(massaged: list[int], other: list[int]) -> None:
    r = soreness_after_massage_days(*build(massaged, other))
    text = " ".join((r.headline, *r.figures))
    assert not BANNED.search(text)
    if r.reading is not Reading.TOO_LITTLE_DATA:
        assert r.headline.startswith("Observational:")
