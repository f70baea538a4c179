"""The split-leg part of the one-page report: which experiments ran in a period, and the
records their analysis needs.

An experiment is analysed whole, as registered, never cut to the report's dates: a result
worked out from part of its days would be the early look that pre-registration rules out
(`calfcare.core.split_leg`). So the report shows, for each experiment that ran in the period,
what `calfcare insights` shows for it today: the progress while it is not yet due, the
registered result once it is, or that it was stopped, in the core's own words
(`ExperimentResult.primary.headline`; the report writes no statistical words of its own).

An experiment ran in a period when it started by the period's last day and did not end
before its first: it is still running, or it started, drew a coin or was stopped in the
period. The coins from before experiments were registered count when one of them is in the
period. Pure: records and days in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, tzinfo

from calfcare.core.insight_report import split_leg_results
from calfcare.core.records import RecordSet
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.split_leg_result import ExperimentResult, Status
from calfcare.core.tracking import SplitLegDay


def _ran_in(
    exp: SplitLegExperiment | None,
    coins: Iterable[SplitLegDay],
    first: date,
    last: date,
    *,
    may_run: bool,
    zone: tzinfo,
) -> bool:
    days = [c.day for c in coins if c.experiment_id == (None if exp is None else exp.id)]
    if any(first <= d <= last for d in days):
        return True
    if exp is None or exp.start_day > last:
        return False
    stopped = exp.stopped_at is not None and exp.stopped_at.astimezone(zone).date() >= first
    return may_run or exp.start_day >= first or stopped


def experiments_in_period(
    records: RecordSet,
    first: date,
    last: date,
    *,
    today: date | None = None,
    zone: tzinfo = UTC,
) -> tuple[ExperimentResult, ...]:
    """The experiments that ran between ``first`` and ``last``, oldest first, each analysed
    whole as of ``today`` (`split_leg_results`). ``records`` must hold every coin and
    experiment, and the ratings, tests and sessions of the days of those experiments'
    coins (`split_leg_span`)."""
    coins = records.split_leg_days

    def ran(e: ExperimentResult) -> bool:
        running = e.status is Status.RUNNING
        return _ran_in(e.experiment, coins, first, last, may_run=running, zone=zone)

    return tuple(e for e in split_leg_results(records, today) if ran(e))


def split_leg_span(
    experiments: Iterable[SplitLegExperiment],
    coins: Iterable[SplitLegDay],
    first: date,
    last: date,
    *,
    zone: tzinfo = UTC,
) -> tuple[date, date] | None:
    """The days whose ratings, tests and sessions the experiments that may have run in the
    period need (None: none did). Only the latest experiment may still be running (a new
    one cannot start while one runs), so it is the only one counted without a day in the
    period."""
    coins = list(coins)
    ordered = sorted(experiments, key=lambda e: (e.registered_at, e.id))
    latest = ordered[-1] if ordered else None

    def may_have_run(e: SplitLegExperiment) -> bool:
        may_run = e is latest and e.stopped_at is None
        return _ran_in(e, coins, first, last, may_run=may_run, zone=zone)

    chosen: list[SplitLegExperiment | None] = [e for e in ordered if may_have_run(e)]
    if _ran_in(None, coins, first, last, may_run=False, zone=zone):
        chosen.append(None)
    ids = {None if e is None else e.id for e in chosen}
    days = [c.day for c in coins if c.experiment_id in ids]
    days += [e.start_day for e in chosen if e is not None]
    return (min(days), max(days)) if days else None
