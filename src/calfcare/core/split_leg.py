"""The split-leg self-experiment: did the calf the coin picked do better than the other one?

Each day's difference d = (change in the massaged calf) - (change in the control calf) cancels
what both calves share that day; the coin makes its sign exchangeable under "no effect", so
the analysis is the sign-flip test in `calfcare.core.randomisation` (never two pooled groups
and a Welch test: Senn 2016, ``senn-2016``). The design, thresholds and wording rules are
``/work/shared/evidence/SELF-EXPERIMENT.md``; `docs/insights.md` explains them.

A day counts for an outcome only when every rating that outcome needs exists; other days are
dropped and counted with the reason, never filled in.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from statistics import NormalDist

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.randomisation import SignFlipTest, randomisation_interval, sign_flip_test
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SplitLegDay,
)

ALPHA = 0.05
POWER = 0.8
MIN_DAYS_FOR_P = 6  # 1/2^(n-1) < 0.05 first at n = 6
DAYS_FOR_OWN_SPREAD = 5  # from here the person's own SD of d replaces the default
DEFAULT_SD = 1.5  # the design's sigma_d, points (used for cm too: no home figure exists)


class Outcome(StrEnum):
    """What a split-leg day is compared on; the first is the primary outcome."""

    NEXT_DAY_SORENESS = "next_day_soreness"
    SAME_SESSION_SORENESS = "same_session_soreness"
    KNEE_TO_WALL = "knee_to_wall"


class Conclusion(StrEnum):
    """The verdict category; the words for each live in `split_leg_words`."""

    TOO_FEW_DAYS = "too_few_days"
    NO_DIFFERENCE_YET = "no_difference_detected_yet"
    WITHIN_MEASUREMENT = "within_what_the_measure_cannot_tell_apart"
    MASSAGED_BETTER = "massaged_calf_better"
    MASSAGED_WORSE = "massaged_calf_worse"


@dataclass(frozen=True, slots=True)
class OutcomeSpec:
    """How an outcome is measured and judged (threshold with the source it comes from)."""

    unit: str
    threshold: float
    threshold_sources: tuple[str, ...]
    lower_is_better: bool
    resolution: float  # the grid the differences lie on, for the exact test


_SORENESS_SOURCES = ("ranchordas-2017", "farrar-2001")
SPECS: dict[Outcome, OutcomeSpec] = {
    Outcome.NEXT_DAY_SORENESS: OutcomeSpec("points", 1.4, _SORENESS_SOURCES, True, 1.0),
    Outcome.SAME_SESSION_SORENESS: OutcomeSpec("points", 1.4, _SORENESS_SOURCES, True, 1.0),
    Outcome.KNEE_TO_WALL: OutcomeSpec("cm", 1.5, ("chisholm-2012",), False, 0.1),
}


@dataclass(frozen=True, slots=True)
class DroppedDay:
    day: date
    reason: str


@dataclass(frozen=True, slots=True)
class SplitLegResult:
    """One outcome's analysis: figures, verdict, and the words to show (headline first).

    ``mean_difference`` and ``interval`` are massaged minus control in ``unit``: negative is
    better for soreness, positive for knee-to-wall. ``p_value`` is None before 6 days.
    """

    outcome: Outcome
    unit: str
    planned_days: int
    days: int
    dropped: tuple[DroppedDay, ...]
    differences: tuple[float, ...]
    mean_difference: float | None
    interval: tuple[float, float] | None
    test: SignFlipTest | None
    threshold: float
    conclusion: Conclusion
    spread: float
    spread_is_own: bool
    days_needed: int
    more_days: int
    headline: str
    figures: tuple[str, ...]
    caveats: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def p_value(self) -> float | None:
        return None if self.test is None else self.test.p_value


def days_needed(spread: float, threshold: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Days for ``power`` to detect a true difference of ``threshold``: ((z+z) sd / delta)^2."""
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    return max(MIN_DAYS_FOR_P, math.ceil((z * spread / threshold) ** 2))


def analyse_split_leg(
    allocations: Iterable[SplitLegDay],
    soreness: Iterable[SorenessCheckIn] = (),
    mobility: Iterable[MobilityTest] = (),
    *,
    outcome: Outcome = Outcome.NEXT_DAY_SORENESS,
    seed: int = 0,
) -> SplitLegResult:
    """Analyse one outcome of the experiment from the stored coins and the records."""
    allocs = _unique_allocations(allocations)
    return _analyse(allocs, _index(soreness, mobility, outcome), outcome, seed)


def _analyse(
    allocs: Sequence[SplitLegDay],
    values: dict[tuple[date, Leg, str], float],
    outcome: Outcome,
    seed: int,
) -> SplitLegResult:
    spec = SPECS[outcome]
    moments = (
        ("before", "next_day") if outcome is Outcome.NEXT_DAY_SORENESS else ("before", "after")
    )
    diffs: list[float] = []
    dropped: list[DroppedDay] = []
    for alloc in allocs:
        change: dict[Leg, float] = {}
        missing: list[str] = []
        for leg in (alloc.massaged, alloc.control):
            got = [values.get((alloc.day, leg, m)) for m in moments]
            for m, v in zip(moments, got, strict=True):
                if v is None:
                    missing.append(f"{m.replace('_', '-')} {leg.value}")
                elif v != v:  # NaN marks conflicting duplicates
                    missing.append(f"conflicting {m.replace('_', '-')} {leg.value}")
            first, second = got
            if first is not None and second is not None:
                change[leg] = second - first
        if missing:
            dropped.append(DroppedDay(alloc.day, "missing or unclear: " + ", ".join(missing)))
            continue
        diffs.append(round(change[alloc.massaged] - change[alloc.control], 6))
    return _result(outcome, spec, len(allocs), diffs, dropped, seed)


def analyse_all(
    allocations: Iterable[SplitLegDay],
    soreness: Iterable[SorenessCheckIn] = (),
    mobility: Iterable[MobilityTest] = (),
    *,
    seed: int = 0,
) -> tuple[SplitLegResult, ...]:
    """Every outcome, primary first. Each kind of record is indexed once, not per outcome
    (ten years of daily records: see bench/insights_ten_years.py)."""
    allocs = _unique_allocations(allocations)
    sore = _index(soreness, (), Outcome.NEXT_DAY_SORENESS)
    mob = _index((), mobility, Outcome.KNEE_TO_WALL)
    return tuple(
        _analyse(allocs, mob if o is Outcome.KNEE_TO_WALL else sore, o, seed) for o in Outcome
    )


def _result(
    outcome: Outcome,
    spec: OutcomeSpec,
    planned: int,
    diffs: list[float],
    dropped: list[DroppedDay],
    seed: int,
) -> SplitLegResult:
    n = len(diffs)
    mean = math.fsum(diffs) / n if n else None
    test = interval = None
    if n >= MIN_DAYS_FOR_P:
        test = sign_flip_test(diffs, resolution=spec.resolution, seed=seed)
        interval = randomisation_interval(diffs, step=0.1)
    own = n >= DAYS_FOR_OWN_SPREAD and statistics.stdev(diffs) > 0
    spread = statistics.stdev(diffs) if own else DEFAULT_SD
    needed = days_needed(spread, spec.threshold)
    conclusion = _conclude(spec, mean, test)
    more = (
        0
        if conclusion in (Conclusion.MASSAGED_BETTER, Conclusion.MASSAGED_WORSE)
        else max(0, needed - n)
    )
    result = SplitLegResult(
        outcome=outcome,
        unit=spec.unit,
        planned_days=planned,
        days=n,
        dropped=tuple(dropped),
        differences=tuple(diffs),
        mean_difference=mean,
        interval=interval,
        test=test,
        threshold=spec.threshold,
        conclusion=conclusion,
        spread=spread,
        spread_is_own=own,
        days_needed=needed,
        more_days=more,
        headline="",
        figures=(),
        caveats=(),
        sources=(),
    )
    return _with_words(result, spec)


def _conclude(spec: OutcomeSpec, mean: float | None, test: SignFlipTest | None) -> Conclusion:
    if test is None or mean is None:
        return Conclusion.TOO_FEW_DAYS
    if test.p_value >= ALPHA:
        return Conclusion.NO_DIFFERENCE_YET
    if abs(mean) < spec.threshold:
        return Conclusion.WITHIN_MEASUREMENT
    better = mean < 0 if spec.lower_is_better else mean > 0
    return Conclusion.MASSAGED_BETTER if better else Conclusion.MASSAGED_WORSE


def _unique_allocations(allocations: Iterable[SplitLegDay]) -> list[SplitLegDay]:
    seen: dict[date, SplitLegDay] = {}
    problems: list[Problem] = []
    for i, alloc in enumerate(allocations):
        if alloc.day in seen and seen[alloc.day] != alloc:
            problems.append(
                Problem(f"allocations[{i}].day", f"two different coins for {alloc.day}")
            )
        seen.setdefault(alloc.day, alloc)
    if problems:
        raise InvalidInput(problems, "The split-leg allocations are not valid.")
    return sorted(seen.values(), key=lambda a: a.day)


def _index(
    soreness: Iterable[SorenessCheckIn], mobility: Iterable[MobilityTest], outcome: Outcome
) -> dict[tuple[date, Leg, str], float]:
    # Repeated identical records count once; disagreeing ones become NaN (day dropped).
    index: dict[tuple[date, Leg, str], float] = {}
    records: Sequence[tuple[date, Leg, str, float]]
    if outcome is Outcome.KNEE_TO_WALL:
        records = [
            (t.day, t.leg, t.moment, t.distance_cm)
            for t in mobility
            if t.moment is not MobilityMoment.OTHER
        ]
    else:
        # Moments are StrEnums: equal to, and hashed as, their string values, so they key the
        # index directly (converting 40,000 of them cost a third of the analysis).
        records = [(c.day, c.leg, c.moment, c.score) for c in soreness]
    for day, leg, moment, value in records:
        key = (day, leg, moment)
        index[key] = value if index.get(key, value) == value else math.nan
    return index


# --- Words. Rules (SELF-EXPERIMENT.md, "What the words may say"): one sentence first (the
# finding, how sure, how much), then figures; under the threshold is "within what the measure
# can't tell apart"; non-significant is "no difference detected yet"; spill-over and
# carry-over caveats always; no word of success or proof anywhere.

_WHAT = {
    Outcome.NEXT_DAY_SORENESS: "next-day soreness",
    Outcome.SAME_SESSION_SORENESS: "soreness right after the session",
    Outcome.KNEE_TO_WALL: "knee-to-wall distance over the session",
}
_THRESHOLD_NOTE = {
    "points": "the minimal important difference for muscle soreness, Ranchordas 2017; "
    "2 points is the chronic-pain figure, Farrar 2001",
    "cm": "the smallest real change in the difference between legs, Chisholm 2012; "
    "home measures are noisier than the clinic's",
}
SPILL_OVER = (
    "Rolling one leg also loosens the other a little (about 6-7% more range of motion in "
    "the untreated leg, Konrad 2023), so this comparison tends to understate any difference."
)
CARRY_OVER = (
    "Gains can last for days (Seever 2022), so a calf massaged earlier may still benefit on "
    "its control days; that also pulls the difference toward zero."
)
_CAVEAT_SOURCES = ("konrad-2023", "seever-2022", "bulte-onghena-2008", "senn-2016")


def _amount(result: SplitLegResult, spec: OutcomeSpec) -> str:
    """'1.8 points less sore the next day than the other calf', from the sign of the mean."""
    mean = result.mean_difference or 0.0
    size = f"{abs(mean):.1f} {result.unit}"
    if round(abs(mean), 1) == 0:
        return "no different from the other calf on average"
    if result.outcome is Outcome.KNEE_TO_WALL:
        more = "more" if mean > 0 else "less"
        return f"{size} {more} knee-to-wall gain over the session than the other calf"
    when = "the next day" if result.outcome is Outcome.NEXT_DAY_SORENESS else "after the session"
    return f"{size} {'less' if mean < 0 else 'more'} sore {when} than the other calf"


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _headline(r: SplitLegResult, spec: OutcomeSpec) -> str:
    what, n, thr = _WHAT[r.outcome], r.days, f"{spec.threshold:g} {r.unit}"
    days = f"{n} day{'s' if n != 1 else ''}"
    if r.conclusion is Conclusion.TOO_FEW_DAYS:
        return (
            f"Too early to tell: {days} of {what} so far; a result needs at least "
            f"{MIN_DAYS_FOR_P} complete days, and 14 to 20 give a fair chance to see a "
            f"difference of {thr}."
        )
    assert r.p_value is not None
    span = ""
    if r.interval is not None:
        span = f", 95% interval {r.interval[0]:+.1f} to {r.interval[1]:+.1f} {r.unit}"
    how_much = f"your massaged calf was {_amount(r, spec)}"
    if r.conclusion is Conclusion.NO_DIFFERENCE_YET:
        return (
            f"No difference detected yet in {what} after {days}: {how_much} "
            f"({_p_text(r.p_value)}{span}), which could well be chance."
        )
    if r.conclusion is Conclusion.WITHIN_MEASUREMENT:
        return (
            f"Over {days}, {how_much}; that is unlikely to be chance ({_p_text(r.p_value)}) "
            f"but within what the measure can't tell apart (under {thr})."
        )
    return (
        f"Over {days}, {how_much}, more than the {thr} that counts as a real difference "
        f"and unlikely to be chance ({_p_text(r.p_value)}{span})."
    )


def _figures(r: SplitLegResult, spec: OutcomeSpec) -> tuple[str, ...]:
    lines = [f"Days analysed: {r.days} of {r.planned_days} days with a stored coin toss."]
    if r.dropped:
        lines.append(
            f"Dropped: {len(r.dropped)} day(s) with a rating missing (never filled in): "
            + "; ".join(f"{d.day.isoformat()} ({d.reason})" for d in r.dropped[:10])
            + (f"; and {len(r.dropped) - 10} more" if len(r.dropped) > 10 else "")
            + "."
        )
    if r.mean_difference is not None:
        lines.append(
            f"Average difference, massaged minus other calf: {r.mean_difference:+.1f} {r.unit}."
        )
    if r.interval is not None:
        lines.append(
            f"95% interval (by inverting the randomisation test): {r.interval[0]:+.1f} to "
            f"{r.interval[1]:+.1f} {r.unit}."
        )
    if r.test is None:
        lines.append(
            f"No p-value before {MIN_DAYS_FOR_P} complete days: with fewer, even every day "
            "going the same way could be chance."
        )
    else:
        lines.append(
            f"{_p_text(r.test.p_value)} (randomisation test on the stored coin tosses, "
            f"two-sided, {r.test.method.value})."
        )
    lines.append(
        f"Threshold: differences under {spec.threshold:g} {r.unit} are within what the "
        f"measure can't tell apart ({_THRESHOLD_NOTE[r.unit]})."
    )
    spread = f"{'your' if r.spread_is_own else 'a typical'} day-to-day spread of {r.spread:.1f}"
    if r.more_days > 0:
        lines.append(
            f"About {r.more_days} more days would tell: {r.days_needed} days give an 80% "
            f"chance to detect a true difference of {spec.threshold:g} {r.unit}, with {spread} "
            f"{r.unit}."
        )
    elif r.conclusion is Conclusion.NO_DIFFERENCE_YET:
        lines.append(
            f"With {spread} {r.unit}, {r.days_needed} days usually reveal a difference of "
            f"{spec.threshold:g} {r.unit}, so any difference is probably smaller than that."
        )
    return tuple(lines)


def _with_words(r: SplitLegResult, spec: OutcomeSpec) -> SplitLegResult:
    return replace(
        r,
        headline=_headline(r, spec),
        figures=_figures(r, spec),
        caveats=(SPILL_OVER, CARRY_OVER),
        sources=(*spec.threshold_sources, *_CAVEAT_SOURCES),
    )
