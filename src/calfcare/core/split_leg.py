"""The split-leg self-experiment: did the calf the coin picked do better than the other one?

Each day's difference d = (change in the massaged calf) - (change in the control calf) cancels
what both calves share that day; the coin makes its sign exchangeable under "no effect", so
the analysis is the sign-flip test (`calfcare.core.randomisation`) and the interval that
inverts it (`calfcare.core.exact_interval`), never two pooled groups and a Welch test (Senn
2016, ``senn-2016``). The verdict comes from the whole interval
(`calfcare.core.interval_verdict`), never from the average alone.

What is analysed, and when (the experiment is pre-registered: `split_leg_design`):

* A day counts for an outcome when every rating it needs is in, unambiguous, and its coin is
  verified: drawn on its day, after that day's "before" ratings of both calves (so that no
  rating could follow the coin), while the experiment ran. Days failing the check are left
  out with the reason; days missing a rating are counted as missing, never filled in.
* The registered outcome's result is due once the planned number of days count. It uses
  the first days to become complete (by the time their last rating was recorded), so a
  rating added later for an old day cannot change a result already due. Until then only
  progress is shown (``not_yet_due``): no average, no p-value, no interval.
* Primary analysis by the coin (intention to treat); beside it, per protocol, only the days
  on which exactly the coin's calf was massaged (from that day's sessions, or the person's
  answer when no session was recorded).
* Coins stored before experiments were registered (no experiment, no draw time) form one
  finished experiment of all their days, marked not pre-registered.

The words are `calfcare.core.split_leg_words`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.split_leg_days import ClassifiedDay, Ratings, as_allocated, classify
from calfcare.core.split_leg_design import (
    SPECS,
    Outcome,
    OutcomeSpec,
    SplitLegExperiment,
    outcomes_in_order,
)
from calfcare.core.split_leg_result import (
    DAYS_FOR_OWN_SPREAD,
    DEFAULT_SPREAD,
    DayNote,
    ExperimentResult,
    SplitLegResult,
    Status,
)
from calfcare.core.split_leg_stats import Conclusion, conclusion_of, estimate
from calfcare.core.tracking import SplitLegDay


def analyse_experiments(
    experiments: Iterable[SplitLegExperiment],
    coins: Iterable[SplitLegDay],
    ratings: Ratings,
    *,
    today: date | None = None,
    seed: int = 0,
) -> tuple[ExperimentResult, ...]:
    """Every experiment, oldest first; coins without an experiment (stored before experiments
    were registered) first of all, as one finished experiment that was not pre-registered.
    Pass every experiment the coins name: a coin of an experiment not passed is skipped."""
    from calfcare.core.split_leg_words import with_words

    by_id = {e.id: e for e in experiments}
    groups: dict[str | None, list[SplitLegDay]] = defaultdict(list)
    for coin in _unique(coins):
        if coin.experiment_id is None or coin.experiment_id in by_id:
            groups[coin.experiment_id].append(coin)  # (a coin of an unknown id: not passed)
    out: list[ExperimentResult] = []
    if groups.get(None):
        out.append(_legacy(groups[None], ratings, seed))
    for exp in sorted(by_id.values(), key=lambda e: (e.registered_at, e.id)):
        out.append(_registered(exp, groups.get(exp.id, []), ratings, today, seed))
    return tuple(with_words(r) for r in out)


def _legacy(coins: list[SplitLegDay], ratings: Ratings, seed: int) -> ExperimentResult:
    results = []
    primary_days = 0
    for outcome in outcomes_in_order(Outcome.NEXT_DAY_SORENESS):
        spec = SPECS[outcome]
        days = [classify(c, spec, ratings, None) for c in coins]
        used = [d for d in days if d.diff is not None]
        missing = [DayNote(d.coin.day, d.note or "") for d in days if d.diff is None]
        if outcome is Outcome.NEXT_DAY_SORENESS:
            primary_days = len(used)
        elif not used:
            continue  # a secondary outcome the person did not measure
        results.append(
            _result(
                outcome,
                spec,
                Status.NOT_PRE_REGISTERED,
                len(coins),
                used,
                missing,
                [],
                0,
                0,
                ratings,
                seed,
            )
        )
    return ExperimentResult(
        None, Status.NOT_PRE_REGISTERED, len(coins), primary_days, tuple(results)
    )


def _registered(
    exp: SplitLegExperiment,
    coins: list[SplitLegDay],
    ratings: Ratings,
    today: date | None,
    seed: int,
) -> ExperimentResult:
    spec = SPECS[exp.outcome]
    days = [classify(c, spec, ratings, exp) for c in coins]
    complete = sorted(
        (d for d in days if d.diff is not None), key=lambda d: (d.completed_at, d.coin.day)
    )
    if exp.stopped_at is not None:
        complete = [d for d in complete if d.completed_at and d.completed_at <= exp.stopped_at]
    due = exp.stopped_at is None and len(complete) >= exp.planned_days
    status = Status.COMPLETE if due else Status.STOPPED if exp.stopped_at else Status.RUNNING
    if not due:
        window = 2 if spec.moments[1] == "next_day" else 1
        pending = [
            d
            for d in days
            if d.diff is None
            and not d.left_out
            and today is not None
            and (today - d.coin.day).days < window
            and exp.stopped_at is None
        ]
        result = _progress(exp, spec, status, days, complete, pending)
        return ExperimentResult(exp, status, len(coins), len(complete), (result,))
    analysed = complete[: exp.planned_days]
    cutoff = analysed[-1].completed_at
    assert cutoff is not None
    last_day = max(d.coin.day for d in analysed)
    chosen = {d.coin.day for d in analysed}
    results = []
    for outcome in outcomes_in_order(exp.outcome):
        o_spec = SPECS[outcome]
        if outcome is exp.outcome:
            used = analysed
            rest = [d for d in days if d.coin.day not in chosen]
        else:
            mine = [classify(c, o_spec, ratings, exp) for c in coins if c.day <= last_day]
            used = [d for d in mine if d.completed_at is not None and d.completed_at <= cutoff]
            taken = {d.coin.day for d in used}
            rest = [d for d in mine if d.coin.day not in taken]
        inside = [d for d in rest if d.coin.day <= last_day]
        missing = [
            DayNote(d.coin.day, d.note or "came in after the result was due")
            for d in inside
            if not d.left_out
        ]
        left = [DayNote(d.coin.day, d.note or "") for d in inside if d.left_out]
        after = sum(1 for d in rest if d.coin.day > last_day)
        if not used and outcome is not exp.outcome:
            continue  # a secondary outcome the person did not measure
        results.append(
            _result(
                outcome,
                o_spec,
                status,
                exp.planned_days,
                used,
                missing,
                left,
                0,
                after,
                ratings,
                seed,
                primary=outcome is exp.outcome,
            )
        )
    return ExperimentResult(exp, status, len(coins), len(complete), tuple(results))


def _progress(
    exp: SplitLegExperiment,
    spec: OutcomeSpec,
    status: Status,
    days: list[ClassifiedDay],
    complete: list[ClassifiedDay],
    pending: list[ClassifiedDay],
) -> SplitLegResult:
    waiting = {id(d) for d in pending}
    missing = [
        DayNote(d.coin.day, d.note or "")
        for d in days
        if d.diff is None and not d.left_out and id(d) not in waiting
    ]
    left = [DayNote(d.coin.day, d.note or "") for d in days if d.left_out]
    return SplitLegResult(
        outcome=exp.outcome,
        primary=True,
        status=status,
        unit=spec.unit,
        threshold=spec.threshold,
        planned_days=exp.planned_days,
        days=len(complete),
        differences=(),
        mean_difference=None,
        interval=None,
        interval_method=None,
        test=None,
        conclusion=Conclusion.NOT_YET_DUE,
        per_protocol=None,
        missing=tuple(missing),
        left_out=tuple(left),
        pending=len(pending),
        after_end=0,
        spread=DEFAULT_SPREAD,
        spread_is_own=False,
    )


def _result(
    outcome: Outcome,
    spec: OutcomeSpec,
    status: Status,
    planned: int,
    used: Sequence[ClassifiedDay],
    missing: list[DayNote],
    left: list[DayNote],
    pending: int,
    after: int,
    ratings: Ratings,
    seed: int,
    *,
    primary: bool = True,
) -> SplitLegResult:
    used = sorted(used, key=lambda d: d.coin.day)
    diffs = [d.diff for d in used if d.diff is not None]
    main = estimate(diffs, spec, seed=seed)
    protocol = [d.diff for d in used if d.diff is not None and as_allocated(d.coin, ratings)]
    own = len(diffs) >= DAYS_FOR_OWN_SPREAD and statistics.stdev(diffs) > 0
    return SplitLegResult(
        outcome=outcome,
        primary=primary,
        status=status,
        unit=spec.unit,
        threshold=spec.threshold,
        planned_days=planned,
        days=len(diffs),
        differences=tuple(diffs),
        mean_difference=main.mean,
        interval=None if main.interval is None else main.interval.as_tuple(),
        interval_method=None if main.interval is None else main.interval.method.value,
        test=main.test,
        conclusion=conclusion_of(main.reading, spec),
        per_protocol=estimate(protocol, spec, seed=seed) if len(protocol) < len(diffs) else main,
        missing=tuple(missing),
        left_out=tuple(left),
        pending=pending,
        after_end=after,
        spread=statistics.stdev(diffs) if own else DEFAULT_SPREAD,
        spread_is_own=own,
    )


def _unique(coins: Iterable[SplitLegDay]) -> list[SplitLegDay]:
    seen: dict[date, SplitLegDay] = {}
    problems: list[Problem] = []
    for i, coin in enumerate(coins):
        if coin.day in seen and seen[coin.day].massaged != coin.massaged:
            problems.append(Problem(f"allocations[{i}].day", f"two different coins for {coin.day}"))
        seen.setdefault(coin.day, coin)
    if problems:
        raise InvalidInput(problems, "The split-leg allocations are not valid.")
    return sorted(seen.values(), key=lambda c: c.day)
