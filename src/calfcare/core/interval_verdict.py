"""What an interval of a difference says, judged against the smallest difference that matters.

One table for every finding calfcare words (the split-leg experiment and the everyday
insights), so that the words never claim more than the whole interval: a difference counts
as one that matters only when the whole interval lies beyond the threshold T, as a change
only when the whole interval lies on one side of zero, and as "no difference that matters"
only when the whole interval lies within T of zero. An average alone decides nothing.

| interval [lo, hi] | reading |
|---|---|
| hi <= -T | ``meaningful_decrease`` |
| -T < hi < 0 | ``decrease_size_unclear`` |
| lo >= T | ``meaningful_increase`` |
| 0 < lo < T | ``increase_size_unclear`` |
| -T < lo <= 0 <= hi < T | ``no_meaningful_change`` |
| otherwise (includes 0 and reaches T or beyond) | ``inconclusive`` |
"""

from __future__ import annotations

from enum import StrEnum


class Reading(StrEnum):
    """How a difference reads against its threshold; ``too_little_data`` has no interval."""

    MEANINGFUL_DECREASE = "meaningful_decrease"
    DECREASE_SIZE_UNCLEAR = "decrease_size_unclear"
    MEANINGFUL_INCREASE = "meaningful_increase"
    INCREASE_SIZE_UNCLEAR = "increase_size_unclear"
    NO_MEANINGFUL_CHANGE = "no_meaningful_change"
    INCONCLUSIVE = "inconclusive"
    TOO_LITTLE_DATA = "too_little_data"


DECREASES = (Reading.MEANINGFUL_DECREASE, Reading.DECREASE_SIZE_UNCLEAR)
INCREASES = (Reading.MEANINGFUL_INCREASE, Reading.INCREASE_SIZE_UNCLEAR)


def judge(interval: tuple[float, float], threshold: float) -> Reading:
    """The table's reading of ``interval`` (low, high) against ``threshold`` (> 0)."""
    low, high = interval
    if low > high or threshold <= 0:
        raise ValueError("give an interval (low <= high) and a positive threshold")
    if high <= -threshold:
        return Reading.MEANINGFUL_DECREASE
    if high < 0:
        return Reading.DECREASE_SIZE_UNCLEAR
    if low >= threshold:
        return Reading.MEANINGFUL_INCREASE
    if low > 0:
        return Reading.INCREASE_SIZE_UNCLEAR
    if -threshold < low and high < threshold:
        return Reading.NO_MEANINGFUL_CHANGE
    return Reading.INCONCLUSIVE
