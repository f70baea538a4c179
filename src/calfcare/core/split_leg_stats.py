"""The statistics of one split-leg outcome: a mean day difference, its exact interval and
p-value, and the verdict the interval table gives it (lower soreness or a larger
knee-to-wall gain is "better"). Pure numbers in, no words: `split_leg_words` words them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from calfcare.core.exact_interval import Interval, sign_flip_interval
from calfcare.core.interval_verdict import DECREASES, INCREASES, Reading, judge
from calfcare.core.randomisation import SignFlipTest, sign_flip_test
from calfcare.core.split_leg_design import MIN_DAYS_FOR_P, OutcomeSpec


class Conclusion(StrEnum):
    """The verdict: the interval table's names (``better``/``worse`` for the massaged calf),
    or that there are too few days, or that the result is not due yet."""

    MASSAGED_BETTER_MEANINGFUL = "massaged_better_meaningful"
    MASSAGED_BETTER_SIZE_UNCLEAR = "massaged_better_size_unclear"
    MASSAGED_WORSE_MEANINGFUL = "massaged_worse_meaningful"
    MASSAGED_WORSE_SIZE_UNCLEAR = "massaged_worse_size_unclear"
    NO_MEANINGFUL_DIFFERENCE = "no_meaningful_difference"
    INCONCLUSIVE = "inconclusive"
    TOO_FEW_DAYS = "too_few_days"
    NOT_YET_DUE = "not_yet_due"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean day difference with its exact interval and how that interval reads."""

    days: int
    mean: float | None
    interval: Interval | None
    test: SignFlipTest | None
    reading: Reading


def estimate(diffs: Sequence[float], spec: OutcomeSpec, *, seed: int = 0) -> Estimate:
    """The mean of ``diffs`` with its exact interval (from 6 days) and its reading.

    Remembered for the last `REMEMBERED` inputs (an estimate is a pure function of them):
    the exact interval of a year of days takes about 10 ms, and the same differences are
    estimated again for each day a clinician's list line is computed for, and each time an
    unchanged experiment is shown."""
    return _estimate(tuple(diffs), spec, seed)


REMEMBERED = 256
"""How many estimates `estimate` keeps (each a few hundred bytes, plus its differences)."""


@lru_cache(maxsize=REMEMBERED)
def _estimate(diffs: tuple[float, ...], spec: OutcomeSpec, seed: int) -> Estimate:
    n = len(diffs)
    mean = math.fsum(diffs) / n if n else None
    if n < MIN_DAYS_FOR_P:
        return Estimate(n, mean, None, None, Reading.TOO_LITTLE_DATA)
    test = sign_flip_test(diffs, resolution=spec.resolution, seed=seed)
    interval = sign_flip_interval(diffs, unit=spec.resolution)
    assert interval is not None
    return Estimate(n, mean, interval, test, judge(interval.as_tuple(), spec.threshold))


def conclusion_of(reading: Reading, spec: OutcomeSpec) -> Conclusion:
    """The table's split-leg name for an interval reading ("better" is lower soreness or a
    larger knee-to-wall gain)."""
    if reading is Reading.TOO_LITTLE_DATA:
        return Conclusion.TOO_FEW_DAYS
    better, worse = (DECREASES, INCREASES) if spec.lower_is_better else (INCREASES, DECREASES)
    meaningful = reading in (Reading.MEANINGFUL_DECREASE, Reading.MEANINGFUL_INCREASE)
    if reading in better:
        return (
            Conclusion.MASSAGED_BETTER_MEANINGFUL
            if meaningful
            else Conclusion.MASSAGED_BETTER_SIZE_UNCLEAR
        )
    if reading in worse:
        return (
            Conclusion.MASSAGED_WORSE_MEANINGFUL
            if meaningful
            else Conclusion.MASSAGED_WORSE_SIZE_UNCLEAR
        )
    if reading is Reading.NO_MEANINGFUL_CHANGE:
        return Conclusion.NO_MEANINGFUL_DIFFERENCE
    return Conclusion.INCONCLUSIVE


# -- experiments ------------------------------------------------------------------------------
