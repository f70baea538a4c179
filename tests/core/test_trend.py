"""The trend interval that allows for days close together being alike."""

from __future__ import annotations

import math
import random

import pytest

from calfcare.core.trend import robust_trend


def person(
    rng: random.Random, span: int, chance: float, rho: float = 0.5
) -> tuple[list[int], list[float]]:
    """Rested knee-to-wall with no real trend: AR(1) day to day (``rho``), SD 1 cm, tested on
    each day with ``chance`` (always on the first and last), to 0.1 cm."""
    noise = rng.gauss(0, 1)
    days, values = [], []
    for t in range(span + 1):
        if t:
            noise = rho * noise + rng.gauss(0, math.sqrt(1 - rho * rho))
        if t in (0, span) or rng.random() < chance:
            days.append(t)
            values.append(round(10 + noise, 1))
    return days, values


@pytest.mark.parametrize(("span", "chance"), [(21, 1.0), (42, 1.0), (42, 0.5), (84, 0.3)])
def test_no_real_trend_claims_a_change_in_at_most_7_percent(span: int, chance: float) -> None:
    rng = random.Random(span * 7 + int(chance * 10))
    people, claimed = 0, 0
    while people < 800:
        days, values = person(rng, span, chance)
        if len(days) < 8:  # the insight needs 8 test days over 3 weeks
            continue
        people += 1
        low, high = robust_trend(days, values).interval
        claimed += low > 0 or high < 0
    assert claimed / people <= 0.07  # bench/simulate_trend.py: about 4-5% with more people


def test_a_clean_line_and_a_real_trend() -> None:
    fit = robust_trend([0, 7, 14, 21, 28], [10.0, 10.5, 11.0, 11.5, 12.0])
    assert fit.slope == pytest.approx(0.5 / 7) and fit.interval == (fit.slope, fit.slope)
    rng = random.Random(3)
    days = list(range(0, 60, 2))
    values = [10 + 0.05 * d + rng.gauss(0, 0.3) for d in days]
    fit = robust_trend(days, values)
    assert fit.interval[0] > 0 and fit.interval[0] < 0.05 < fit.interval[1]


def test_refuses_too_few_or_unordered_days() -> None:
    with pytest.raises(ValueError, match="3 distinct days"):
        robust_trend([0, 1], [1.0, 2.0])
    with pytest.raises(ValueError, match="3 distinct days"):
        robust_trend([0, 2, 1], [1.0, 2.0, 3.0])
