"""Ordinary (observational) insights: honest labels, thresholds, and too-little-data advice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.insights import (
    Reading,
    mobility_before_after,
    mobility_trend,
    soreness_after_massage_days,
    t_quantile,
)
from calfcare.core.levels import Leg
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
    assert r.reading is Reading.LOWER
    assert r.headline.startswith("Observational:")


def test_small_difference_is_within_what_the_measure_cannot_tell_apart() -> None:
    r = soreness_after_massage_days(*build([3, 4, 3, 4, 3, 4], [4, 4, 3, 4, 4, 4]))
    assert r.reading is Reading.WITHIN_MEASUREMENT_ERROR
    assert "within what the measure can't tell apart" in r.headline


def test_too_little_data_says_how_many_more_days() -> None:
    r = soreness_after_massage_days(*build([2, 3], [5]))
    assert r.reading is Reading.TOO_LITTLE_DATA and r.estimate is None
    assert r.more_days >= 4 and f"about {r.more_days} more days" in r.headline
    empty = soreness_after_massage_days([], [])
    assert empty.reading is Reading.TOO_LITTLE_DATA


def ktw(day: date, leg: Leg, moment: MobilityMoment, cm: float) -> MobilityTest:
    return MobilityTest(day, leg, moment, cm)


def test_before_after_under_the_mdc_is_measurement_error() -> None:
    tests = []
    for i in range(6):
        day = START + timedelta(days=i)
        tests += [
            ktw(day, Leg.LEFT, MobilityMoment.BEFORE, 9.0),
            ktw(day, Leg.LEFT, MobilityMoment.AFTER, 9.5 + 0.1 * (i % 2)),
        ]
    left, right = mobility_before_after(tests)
    assert left.leg is Leg.LEFT and left.n == 6
    assert left.estimate == pytest.approx(0.55)
    assert left.reading is Reading.WITHIN_MEASUREMENT_ERROR
    assert "within the test's measurement error" in left.headline
    assert right.reading is Reading.TOO_LITTLE_DATA and right.more_days == 5


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
    assert right.reading is Reading.HIGHER


@given(st.lists(st.integers(0, 10), max_size=15), st.lists(st.integers(0, 10), max_size=15))
@settings(max_examples=100, deadline=None)
def test_wording_never_overstates(massaged: list[int], other: list[int]) -> None:
    r = soreness_after_massage_days(*build(massaged, other))
    text = " ".join((r.headline, *r.figures))
    assert not BANNED.search(text)
    if r.reading is not Reading.TOO_LITTLE_DATA:
        assert r.headline.startswith("Observational:")
