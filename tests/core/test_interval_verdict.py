"""The interval table: every row, its edges, and that the whole interval decides."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.interval_verdict import Reading, judge

T = 1.4


@pytest.mark.parametrize(
    ("interval", "reading"),
    [
        ((-2.6, -1.4), Reading.MEANINGFUL_DECREASE),  # hi <= -T
        ((-2.6, -0.5), Reading.DECREASE_SIZE_UNCLEAR),  # the 8-day example
        ((-1.3, -0.01), Reading.DECREASE_SIZE_UNCLEAR),
        ((1.4, 3.0), Reading.MEANINGFUL_INCREASE),  # lo >= T
        ((0.01, 2.0), Reading.INCREASE_SIZE_UNCLEAR),
        ((-1.39, 1.39), Reading.NO_MEANINGFUL_CHANGE),
        ((0.0, 0.5), Reading.NO_MEANINGFUL_CHANGE),  # lo <= 0 <= hi
        ((-0.5, 0.0), Reading.NO_MEANINGFUL_CHANGE),
        ((-1.4, 0.3), Reading.INCONCLUSIVE),  # reaches -T
        ((-0.3, 1.4), Reading.INCONCLUSIVE),
        ((-3.0, 2.0), Reading.INCONCLUSIVE),
    ],
)
def test_each_row_of_the_table(interval: tuple[float, float], reading: Reading) -> None:
    assert judge(interval, T) is reading


bounds = st.floats(-10, 10, allow_nan=False)


@given(bounds, bounds)
def test_the_reading_is_what_the_whole_interval_says(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    reading = judge((low, high), T)
    if reading is Reading.MEANINGFUL_DECREASE:
        assert high <= -T
    elif reading is Reading.DECREASE_SIZE_UNCLEAR:
        assert -T < high < 0
    elif reading is Reading.MEANINGFUL_INCREASE:
        assert low >= T
    elif reading is Reading.INCREASE_SIZE_UNCLEAR:
        assert 0 < low < T
    elif reading is Reading.NO_MEANINGFUL_CHANGE:
        assert -T < low <= 0 <= high < T
    else:
        assert reading is Reading.INCONCLUSIVE
        assert low <= 0 <= high and (low <= -T or high >= T)
    # Mirroring the interval mirrors the reading.
    mirror = {
        Reading.MEANINGFUL_DECREASE: Reading.MEANINGFUL_INCREASE,
        Reading.DECREASE_SIZE_UNCLEAR: Reading.INCREASE_SIZE_UNCLEAR,
    }
    mirror |= {v: k for k, v in mirror.items()}
    assert judge((-high, -low), T) is mirror.get(reading, reading)


def test_refuses_an_upside_down_interval() -> None:
    with pytest.raises(ValueError, match="low <= high"):
        judge((1.0, 0.0), T)
