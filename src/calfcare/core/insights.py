"""Ordinary "is it helping me?" insights from everyday records (not randomised).

These compare days the person chose to massage with days they did not, so anything else that
differs between those days (a hard run, a rest day) is mixed in: every result says it is an
observational comparison. Only the split-leg experiment (`calfcare.core.split_leg`) can
separate massage from those other things.

Every reading comes from the whole interval (`calfcare.core.interval_verdict`), never from
the average alone: soreness against 1.4 points (Ranchordas 2017, ``ranchordas-2017``);
knee-to-wall against 1.9 cm, the change one test by one person must show to be sure it is
not measurement error (Powden 2015, ``powden-2015``). That 1.9 cm is a threshold for one
measurement's change: it is applied as such to the latest session's change, while averages
and trends are judged by their intervals. The words say which change or level they describe.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from calfcare.core.interval_verdict import Reading, judge
from calfcare.core.levels import Leg
from calfcare.core.student_t import t_quantile
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SessionDay,
    SorenessCheckIn,
    SorenessMoment,
)
from calfcare.core.trend import robust_trend

SORENESS_THRESHOLD = 1.4
MOBILITY_MDC_CM = 1.9
MIN_PER_GROUP = 5
MIN_PAIRS = 5
MIN_TREND_TESTS, MIN_TREND_SPAN_DAYS = 8, 21
OBSERVATIONAL = "other things differ between those days, so this alone does not show what caused it"


class InsightKind(StrEnum):
    SORENESS_AFTER_MASSAGE_DAYS = "soreness_after_massage_days"
    MOBILITY_BEFORE_AFTER = "mobility_before_after"
    MOBILITY_TREND = "mobility_trend"


@dataclass(frozen=True, slots=True)
class Insight:
    """One observational finding: ``headline`` first, then plain ``figures``, then
    ``details`` (how it was worked out)."""

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
    details: tuple[str, ...] = ()


def _too_little(
    kind: InsightKind,
    leg: Leg | None,
    n: int,
    threshold: float,
    unit: str,
    more: int,
    headline: str,
    sources: tuple[str, ...],
    figures: tuple[str, ...] = (),
) -> Insight:
    return Insight(
        kind,
        leg,
        n,
        None,
        None,
        None,
        threshold,
        unit,
        Reading.TOO_LITTLE_DATA,
        more,
        headline,
        figures,
        sources,
    )


def sentence(reading: Reading, *, subject: str, than: str, topic: str, thr: str) -> str:
    """What an interval reading says, in words: ``subject`` was lower/higher ``than`` ...,
    or, when it shows no direction, what is known about ``topic``."""
    if reading in (Reading.MEANINGFUL_DECREASE, Reading.DECREASE_SIZE_UNCLEAR):
        word = "lower"
    elif reading in (Reading.MEANINGFUL_INCREASE, Reading.INCREASE_SIZE_UNCLEAR):
        word = "higher"
    elif reading is Reading.NO_MEANINGFUL_CHANGE:
        return f"{topic}: any difference is smaller than {thr}"
    else:
        return (
            f"{topic}: we can't tell; the records fit no difference as well as one of {thr} or more"
        )
    if reading in (Reading.MEANINGFUL_DECREASE, Reading.MEANINGFUL_INCREASE):
        return f"{subject} was {word} {than}, by more than {thr}"
    return f"{subject} was {word} {than}, but we can't tell whether by more than {thr}"


def between(interval: tuple[float, float], unit: str, lower: str, higher: str) -> str:
    """'likely between 0.8 and 2.0 points lower; 95% interval', in words either side."""
    low, high = interval

    def side(v: float) -> str:
        return f"{abs(v):.1f} {unit} {higher if v > 0 else lower}" if round(v, 1) else "no change"

    if low >= 0 or high <= 0:
        near, far = (low, high) if low >= 0 else (high, low)
        return f"likely between {abs(near):.1f} and {side(far)}; 95% interval"
    return f"likely between {side(low)} and {side(high)}; 95% interval"


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
    kind, thr = InsightKind.SORENESS_AFTER_MASSAGE_DAYS, SORENESS_THRESHOLD
    counts = f"{len(with_m)} calf-days after massage, {len(without)} without"
    sources = ("ranchordas-2017", "farrar-2001")
    if min(len(with_m), len(without)) < MIN_PER_GROUP:
        more = MIN_PER_GROUP - min(len(with_m), len(without))
        head = (
            f"Too little data yet to compare next-day soreness after massage days with other "
            f"days ({counts}): at least {more} more of each kind are needed first."
        )
        return _too_little(kind, None, 0, thr, "points", more, head, sources, (counts + ".",))
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
    reading = judge(interval, thr)
    judged = sentence(
        reading,
        subject="your next-day soreness (its level, 0 to 10) after massage days",
        than="than after other days",
        topic="next-day soreness after massage days against other days",
        thr=f"the {thr:g} points that matter",
    )
    head = f"Observational: {judged}; {OBSERVATIONAL}."
    figures = (
        counts + ".",
        f"Average next-day soreness: {m1:.1f} after massage days, {m0:.1f} after other days: "
        f"{abs(diff):.1f} points {'lower' if diff < 0 else 'higher'} "
        f"({between(interval, 'points', 'lower', 'higher')}).",
        f"{thr:g} points is the smallest difference in muscle soreness that matters "
        "(Ranchordas 2017; 2 points is the figure for long-lasting pain, Farrar 2001).",
    )
    details = (
        "Difference in means with a Welch t interval over calf-days. It treats calf-days as "
        "independent, and they are not quite (the two calves of a day, and days close "
        "together, are alike), so the true interval is somewhat wider.",
        "Effect size (Hedges' g): " + ("n/a" if g is None else f"{g:+.2f}") + ".",
    )
    return Insight(
        kind,
        None,
        n1 + n0,
        diff,
        interval,
        g,
        thr,
        "points",
        reading,
        0,
        head,
        figures,
        sources,
        details,
    )


def mobility_before_after(
    tests: Iterable[MobilityTest], sessions: Iterable[SessionDay] = ()
) -> tuple[Insight, ...]:
    """Per calf: knee-to-wall right after a session minus just before it, same day, counting
    only the calves that session massaged (a calf left alone is no before/after)."""
    massaged = {(s.day, leg) for s in sessions for leg in s.legs}
    by: dict[tuple[date, Leg, MobilityMoment], float] = {}
    for t in tests:
        by[(t.day, t.leg, t.moment)] = t.distance_cm
    out = []
    for leg in Leg:
        changes = [
            (day, by[(day, leg, MobilityMoment.AFTER)] - value)
            for (day, lg, moment), value in sorted(by.items())
            if lg is leg
            and moment is MobilityMoment.BEFORE
            and (day, leg) in massaged
            and (day, leg, MobilityMoment.AFTER) in by
        ]
        out.append(_mean_change(leg, changes))
    return tuple(out)


def _mean_change(leg: Leg, changes: Sequence[tuple[date, float]]) -> Insight:
    kind, mdc, n = InsightKind.MOBILITY_BEFORE_AFTER, MOBILITY_MDC_CM, len(changes)
    sources = ("powden-2015",)
    if n < MIN_PAIRS:
        more = MIN_PAIRS - n
        head = (
            f"Too little data yet for your {leg.value} calf's knee-to-wall before and after "
            f"massaging it ({n} sessions with both tests): at least {more} more are needed."
        )
        return _too_little(kind, leg, n, mdc, "cm", more, head, sources)
    values = [c for _, c in changes]
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    interval = (mean - half, mean + half)
    reading = judge(interval, mdc)
    judged = sentence(
        reading,
        subject=f"On average, your {leg.value} knee-to-wall distance right after massaging it",
        than="than just before",
        topic=f"Your {leg.value} knee-to-wall distance before and after massaging it",
        thr=f"{mdc:g} cm (the change one test must show to be sure it is real)",
    )
    head = judged + "."
    last_day, last = changes[-1]
    single = "more than" if abs(last) >= mdc else "within"
    figures = (
        f"{n} sessions that massaged your {leg.value} calf, with a test before and after.",
        f"Average change over a session: {mean:+.1f} cm "
        f"({between(interval, 'cm', 'lower', 'higher')}).",
        f"Latest ({last_day.isoformat()}): {last:+.1f} cm, {single} the {mdc:g} cm one test "
        "can be off by (Powden 2015, measured by clinicians; home tests are noisier). The "
        "average above is judged by its interval instead.",
    )
    details = ("Mean of the per-session changes with a Student t interval.",)
    return Insight(
        kind, leg, n, mean, interval, None, mdc, "cm", reading, 0, head, figures, sources, details
    )


def mobility_trend(tests: Iterable[MobilityTest]) -> tuple[Insight, ...]:
    """Per calf: the straight-line change of rested knee-to-wall (before/other tests) over
    the period, with an interval that allows for days close together being alike."""
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
            f"({n} test days over {span} days): a trend needs at least {MIN_TREND_TESTS} "
            f"rested tests over {MIN_TREND_SPAN_DAYS} days."
        )
        return _too_little(kind, leg, n, mdc, "cm", more, head, sources)
    fit = robust_trend([(d - days[0]).days for d in days], [points[d] for d in days])
    weeks = span / 7
    slope, interval = fit.slope * 7, (fit.interval[0] * 7, fit.interval[1] * 7)
    total = fit.slope * span
    reading = judge((fit.interval[0] * span, fit.interval[1] * span), mdc)
    judged = sentence(
        reading,
        subject=f"Your {leg.value} rested knee-to-wall distance at the end of these "
        f"{weeks:.0f} weeks",
        than="than at the start (a line fitted through the tests)",
        topic=f"Your {leg.value} rested knee-to-wall distance over these {weeks:.0f} weeks",
        thr=f"{mdc:g} cm (the change one test must show to be sure it is real)",
    )
    head = judged + "."
    figures = (
        f"{n} days with a rested test over {span} days.",
        f"Change over the period along the fitted line: {total:+.1f} cm "
        f"({between((fit.interval[0] * span, fit.interval[1] * span), 'cm', 'lower', 'higher')}).",
        "Rolling the calves has not shown lasting knee-to-wall gains in pooled studies "
        "(Konrad 2022), though one two-week study found some (Seever 2022).",
    )
    details = (
        f"Least-squares slope {slope:+.2f} cm per week, 95% interval {interval[0]:+.2f} to "
        f"{interval[1]:+.2f}. The interval allows for days close together being alike: a "
        f"day-to-day correlation of up to {fit.autocorrelation:.2f} (estimated from the "
        f"tests and raised by one standard error), about {fit.effective_days:.0f} days' "
        "worth of independent information (docs/insights.md).",
    )
    return Insight(
        kind, leg, n, slope, interval, None, mdc, "cm", reading, 0, head, figures, sources, details
    )
