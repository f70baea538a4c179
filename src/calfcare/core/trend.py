"""A straight-line trend through days of measurements whose errors carry over between days.

Knee-to-wall distance on one day is like the day before's (the calf's stiffness, the time
of day, the way the test was done), so days close together are alike. An ordinary
least-squares interval, which treats every day as new information, is then too narrow: with
no real trend and a day-to-day correlation of 0.5 it claims a change for 10-30% of people
instead of 5%. This interval allows for that correlation:

* the slope is the ordinary least-squares slope per day;
* the correlation is taken to fall off as rho^(days apart) (a first-order autoregression in
  calendar days, so irregular test days are handled exactly), and rho is estimated from the
  residuals of neighbouring tests, corrected for the known downward bias of that estimate
  around a fitted line ((2 + 4 rho)/n) and then raised by one standard error (about
  sqrt((1 - rho^2)/n)), because an underestimate is what makes such intervals too narrow;
* the slope's variance is then exact for that correlation (x' Sigma x / Sxx^2, computed in
  one pass), and the t quantile uses the effective number of days (n Sxx / x' Sigma x,
  less 2).

Simulated people with no trend, daily or irregular tests, correlation 0.5: it claims a change
for at most about 5-6% with at least 8 test days over 3 weeks (tests/core/test_trend.py;
bench/simulate_trend.py runs more people). It errs towards "can't tell", never the other way.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from calfcare.core.student_t import t_quantile

MAX_AUTOCORRELATION = 0.95


@dataclass(frozen=True, slots=True)
class TrendFit:
    """The slope per day, its interval, and the correlation it allowed for."""

    slope: float
    interval: tuple[float, float]
    autocorrelation: float  # per day, the value used (an upper estimate)
    effective_days: float


def robust_trend(
    days: Sequence[int], values: Sequence[float], confidence: float = 0.95
) -> TrendFit:
    """Fit ``values`` on ``days`` (distinct whole days, ascending; at least 3)."""
    n = len(days)
    if n < 3 or n != len(values) or any(b <= a for a, b in itertools.pairwise(days)):
        raise ValueError("give at least 3 distinct days in ascending order, one value each")
    mx, my = math.fsum(days) / n, math.fsum(values) / n
    xc = [x - mx for x in days]
    sxx = math.fsum(x * x for x in xc)
    slope = math.fsum(x * (y - my) for x, y in zip(xc, values, strict=True)) / sxx
    resid = [y - my - slope * x for x, y in zip(xc, values, strict=True)]
    rss = math.fsum(r * r for r in resid)
    if rss == 0:
        return TrendFit(slope, (slope, slope), 0.0, float(n))
    lag1 = math.fsum(resid[i] * resid[i - 1] for i in range(1, n)) / rss
    raised = lag1 + (2 + 4 * max(lag1, 0.0)) / n
    raised += math.sqrt(max(1 - raised * raised, 0.0) / n)
    phi = min(max(raised, 0.0), MAX_AUTOCORRELATION)
    gap = statistics.median(b - a for a, b in itertools.pairwise(days))
    rho = phi ** (1 / gap)
    spread = _correlated_spread(days, xc, rho)
    variance = rss / (n - 2) * spread / (sxx * sxx)
    effective = n * sxx / spread
    half = t_quantile(1 - (1 - confidence) / 2, round(max(1.0, effective - 2), 2))
    half *= math.sqrt(variance)
    return TrendFit(slope, (slope - half, slope + half), rho, effective)


def _correlated_spread(days: Sequence[int], xc: Sequence[float], rho: float) -> float:
    """x' Sigma x with Sigma_ij = rho^|day_i - day_j|, in one pass over the sorted days."""
    total = math.fsum(x * x for x in xc)
    carried = 0.0
    for j in range(1, len(days)):
        carried = rho ** (days[j] - days[j - 1]) * (carried + xc[j - 1])
        total += 2 * xc[j] * carried
    return total
