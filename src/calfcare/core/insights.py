"""Ordinary "is it helping me?" insights from everyday records (not randomised).

These compare days the person chose to massage with days they did not, so anything else that
differs between those days (a hard run, a rest day) is mixed in: every result says it is an
observational comparison. Only the split-leg experiment (`calfcare.core.split_leg`) can
separate massage from those other things.

Judged against what the measures can tell apart: soreness 1.4 points (Ranchordas 2017,
``ranchordas-2017``); knee-to-wall 1.9 cm within one leg (Powden 2015, ``powden-2015``: the
one-tester MDC, since a person measures themselves; home measures are noisier still).
Intervals are Student t intervals (Welch for the two groups), O(n), so years of records stay
fast; the t quantile is computed here because the core has no SciPy.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from statistics import NormalDist

from calfcare.core.levels import Leg
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SessionDay,
    SorenessCheckIn,
    SorenessMoment,
)

SORENESS_THRESHOLD = 1.4
MOBILITY_MDC_CM = 1.9
MIN_PER_GROUP = 5
MIN_PAIRS = 5
MIN_TREND_TESTS, MIN_TREND_SPAN_DAYS = 4, 14
DEFAULT_SORENESS_SD = 2.0  # between days, points; used until there are records
DEFAULT_CHANGE_SD_CM = 1.5


class InsightKind(StrEnum):
    SORENESS_AFTER_MASSAGE_DAYS = "soreness_after_massage_days"
    MOBILITY_BEFORE_AFTER = "mobility_before_after"
    MOBILITY_TREND = "mobility_trend"


class Reading(StrEnum):
    """How the figure reads against the threshold and its interval."""

    TOO_LITTLE_DATA = "too_little_data"
    WITHIN_MEASUREMENT_ERROR = "within_measurement_error"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True, slots=True)
class Insight:
    """One observational finding; ``headline`` first, then ``figures``."""

    kind: InsightKind
    leg: Leg | None
    n: int
    estimate: float | None
    interval: tuple[float, float] | None
    effect_size: float | None
    threshold: float
    unit: str
    reading: Reading
    more_days: int
    headline: str
    figures: tuple[str, ...]
    sources: tuple[str, ...]

    @classmethod
    def too_little_data(
        cls,
        kind: InsightKind,
        leg: Leg | None,
        n: int,
        *,
        threshold: float,
        unit: str,
        more_days: int,
        headline: str,
        sources: tuple[str, ...],
        figures: tuple[str, ...] = (),
    ) -> Insight:
        """Not enough records yet: no estimate, and how many more days would tell."""
        return cls(
            kind,
            leg,
            n,
            None,
            None,
            None,
            threshold,
            unit,
            Reading.TOO_LITTLE_DATA,
            more_days,
            headline,
            figures,
            sources,
        )


def t_cdf(t: float, df: float) -> float:
    """Student t distribution function (via the regularised incomplete beta function)."""
    x = df / (df + t * t)
    tail = 0.5 * _betainc(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """Inverse of `t_cdf`, by bisection (60 halvings: far below display precision)."""
    lo, hi = -1e3, 1e3
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if t_cdf(mid, df) < p else (lo, mid)
    return (lo + hi) / 2


def _betainc(a: float, b: float, x: float) -> float:
    if x <= 0 or x >= 1:
        return 0.0 if x <= 0 else 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def _betacf(a: float, b: float, x: float) -> float:
    # Lentz's continued fraction (Numerical Recipes 6.4).
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + num * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _needed(sd: float, delta: float, groups: int = 1) -> int:
    z = NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.8)
    return math.ceil(groups * (z * sd / delta) ** 2)


def _read(estimate: float, interval: tuple[float, float], threshold: float) -> Reading:
    if abs(estimate) < threshold:
        return Reading.WITHIN_MEASUREMENT_ERROR
    if interval[0] <= 0 <= interval[1]:
        return Reading.NO_CLEAR_DIFFERENCE
    return Reading.LOWER if estimate < 0 else Reading.HIGHER


def soreness_after_massage_days(
    check_ins: Iterable[SorenessCheckIn], sessions: Iterable[SessionDay]
) -> Insight:
    """Next-day soreness of calves massaged that day vs calves not massaged (per calf-day)."""
    massaged = {(s.day, leg) for s in sessions for leg in s.legs}
    with_m: list[float] = []
    without: list[float] = []
    for c in check_ins:
        if c.moment is SorenessMoment.NEXT_DAY:
            (with_m if (c.day, c.leg) in massaged else without).append(c.score)
    kind, thr, src = InsightKind.SORENESS_AFTER_MASSAGE_DAYS, SORENESS_THRESHOLD, "ranchordas-2017"
    counts = f"{len(with_m)} calf-days after massage, {len(without)} without"
    sources = (src, "farrar-2001")
    if min(len(with_m), len(without)) < MIN_PER_GROUP:
        sd = DEFAULT_SORENESS_SD
        if len(with_m) + len(without) >= 2 * MIN_PER_GROUP:
            sd = statistics.stdev(with_m + without)
        more = max(MIN_PER_GROUP, _needed(sd, thr, 2)) - min(len(with_m), len(without))
        head = (
            f"Too little data yet to compare next-day soreness after massage days with other "
            f"days ({counts}); about {more} more days of each kind would tell."
        )
        return Insight.too_little_data(
            kind,
            None,
            0,
            threshold=thr,
            unit="points",
            more_days=more,
            headline=head,
            sources=sources,
            figures=(counts + ".",),
        )
    m1, m0 = statistics.fmean(with_m), statistics.fmean(without)
    v1, v0 = statistics.variance(with_m), statistics.variance(without)
    n1, n0 = len(with_m), len(without)
    se = math.sqrt(v1 / n1 + v0 / n0)
    diff = m1 - m0
    if se == 0:
        interval = (diff, diff)
    else:
        df = se**4 / ((v1 / n1) ** 2 / (n1 - 1) + (v0 / n0) ** 2 / (n0 - 1))
        half = t_quantile(0.975, df) * se
        interval = (diff - half, diff + half)
    pooled = math.sqrt(((n1 - 1) * v1 + (n0 - 1) * v0) / (n1 + n0 - 2))
    g = None if pooled == 0 else diff / pooled * (1 - 3 / (4 * (n1 + n0) - 9))
    reading = _read(diff, interval, thr)
    more = (
        0
        if reading in (Reading.LOWER, Reading.HIGHER)
        else max(0, _needed(pooled or DEFAULT_SORENESS_SD, thr, 2) - min(n1, n0))
    )
    size = f"{abs(diff):.1f} points {'lower' if diff < 0 else 'higher'}"
    judged = {
        Reading.WITHIN_MEASUREMENT_ERROR: "within what the measure can't tell apart "
        f"(under {thr:g} points)",
        Reading.NO_CLEAR_DIFFERENCE: "not a clear difference yet (the interval includes zero)",
        Reading.LOWER: f"more than the {thr:g} points that counts as a real difference",
        Reading.HIGHER: f"more than the {thr:g} points that counts as a real difference",
    }[reading]
    head = (
        f"Observational: after massage days your next-day soreness was {size} than after "
        f"other days, {judged}; other things differ between those days, so this alone "
        "does not show what caused it."
    )
    figures = (
        counts + ".",
        f"Average next-day soreness: {m1:.1f} after massage, {m0:.1f} without.",
        f"Difference: {diff:+.1f} points, 95% interval {interval[0]:+.1f} to "
        f"{interval[1]:+.1f} (Welch t interval over calf-days, which treats them as "
        "independent).",
        "Effect size (Hedges' g): " + ("n/a" if g is None else f"{g:+.2f}") + ".",
        f"Threshold: {thr:g} points (Ranchordas 2017; 2 points is the chronic-pain figure, "
        "Farrar 2001).",
    ) + ((f"About {more} more days of each kind would tell.",) if more else ())
    return Insight(
        kind, None, n1 + n0, diff, interval, g, thr, "points", reading, more, head, figures, sources
    )


def mobility_before_after(tests: Iterable[MobilityTest]) -> tuple[Insight, ...]:
    """Per calf: knee-to-wall right after a session minus just before it, same day."""
    by: dict[tuple[date, Leg, MobilityMoment], float] = {}
    for t in tests:
        by[(t.day, t.leg, t.moment)] = t.distance_cm
    out = []
    for leg in Leg:
        changes = [
            by[(day, leg, MobilityMoment.AFTER)] - value
            for (day, lg, moment), value in sorted(by.items())
            if lg is leg
            and moment is MobilityMoment.BEFORE
            and (day, leg, MobilityMoment.AFTER) in by
        ]
        out.append(_mean_change(leg, changes))
    return tuple(out)


def _mean_change(leg: Leg, changes: Sequence[float]) -> Insight:
    kind, mdc, n = InsightKind.MOBILITY_BEFORE_AFTER, MOBILITY_MDC_CM, len(changes)
    sources = ("powden-2015",)
    if n < MIN_PAIRS:
        more = MIN_PAIRS - n
        head = (
            f"Too little data yet for your {leg.value} calf's knee-to-wall before and after "
            f"sessions ({n} sessions with both); about {more} more sessions would tell."
        )
        return Insight.too_little_data(
            kind,
            leg,
            n,
            threshold=mdc,
            unit="cm",
            more_days=more,
            headline=head,
            sources=sources,
        )
    mean, sd = statistics.fmean(changes), statistics.stdev(changes)
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    interval = (mean - half, mean + half)
    reading = _read(mean, interval, mdc)
    head = _mobility_head(
        f"Right after sessions your {leg.value} knee-to-wall distance was",
        mean,
        reading,
        "than before",
    )
    figures = (
        f"{n} sessions with a test before and after.",
        f"Average change: {mean:+.1f} cm, 95% interval {interval[0]:+.1f} to "
        f"{interval[1]:+.1f} cm (t interval).",
        f"Measurement error: changes under {mdc:g} cm are within the test's measurement "
        "error (Powden 2015, measured by clinicians; home tests are noisier).",
    )
    return Insight(
        kind, leg, n, mean, interval, None, mdc, "cm", reading, 0, head, figures, sources
    )


def _mobility_head(lead: str, value: float, reading: Reading, tail: str) -> str:
    size = f"{abs(value):.1f} cm {'higher' if value >= 0 else 'lower'} {tail}"
    judged = {
        Reading.WITHIN_MEASUREMENT_ERROR: "within the test's measurement error",
        Reading.NO_CLEAR_DIFFERENCE: "not a clear change yet",
        Reading.LOWER: "a change larger than the test's measurement error",
        Reading.HIGHER: "a change larger than the test's measurement error",
    }
    return f"{lead} {size}: {judged.get(reading, '')}."


def mobility_trend(tests: Iterable[MobilityTest]) -> tuple[Insight, ...]:
    """Per calf: least-squares slope of rested knee-to-wall (before/other tests) per week."""
    daily: dict[Leg, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for t in tests:
        if t.moment is not MobilityMoment.AFTER:  # right after rolling is a short-lived high
            daily[t.leg][t.day].append(t.distance_cm)
    return tuple(
        _trend(leg, {d: statistics.fmean(v) for d, v in daily[leg].items()}) for leg in Leg
    )


def _trend(leg: Leg, points: dict[date, float]) -> Insight:
    kind, mdc, n = InsightKind.MOBILITY_TREND, MOBILITY_MDC_CM, len(points)
    sources = ("powden-2015", "konrad-2022", "seever-2022")
    days = sorted(points)
    span = (days[-1] - days[0]).days if days else 0
    if n < MIN_TREND_TESTS or span < MIN_TREND_SPAN_DAYS:
        more = max(MIN_TREND_SPAN_DAYS - span, MIN_TREND_TESTS - n, 1)
        head = (
            f"Too little data yet for a trend in your {leg.value} knee-to-wall distance "
            f"({n} test days over {span} days); about {more} more days of tests would tell."
        )
        return Insight.too_little_data(
            kind,
            leg,
            n,
            threshold=mdc,
            unit="cm",
            more_days=more,
            headline=head,
            sources=sources,
        )
    xs = [(d - days[0]).days / 7 for d in days]
    ys = [points[d] for d in days]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    slope = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    resid = math.fsum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    se = math.sqrt(resid / (n - 2) / sxx)
    half = t_quantile(0.975, n - 2) * se
    interval = (slope - half, slope + half)
    weeks = span / 7
    total = slope * weeks
    reading = _read(total, (interval[0] * weeks, interval[1] * weeks), mdc)
    head = _mobility_head(
        f"Over {weeks:.0f} weeks your {leg.value} knee-to-wall distance ended about",
        total,
        reading,
        "than it began (fitted line)",
    )
    figures = (
        f"{n} days with a rested test over {span} days.",
        f"Slope: {slope:+.2f} cm per week, 95% interval {interval[0]:+.2f} to "
        f"{interval[1]:+.2f} (least squares, t interval; days close together are alike, "
        "so the true interval is somewhat wider).",
        f"Fitted change over the period: {total:+.1f} cm; under {mdc:g} cm is within the "
        "test's measurement error (Powden 2015).",
        "Rolling the calves has not shown lasting knee-to-wall gains in pooled studies "
        "(Konrad 2022), though one two-week study found some (Seever 2022).",
    )
    return Insight(
        kind, leg, n, slope, interval, None, mdc, "cm", reading, 0, head, figures, sources
    )
