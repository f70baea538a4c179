"""Every insight for a set of records, and its JSON: one function for the CLI and the web.

``analyse_records`` is the "is it helping me?" answer as a whole: the observational insights
(next-day soreness after massage days vs other days; knee-to-wall before/after sessions and
over weeks) and every split-leg experiment (`split_leg_results`), the current one's outcomes
first. ``split_leg_results`` is also what a report of a finished experiment needs: each
`ExperimentResult` carries its plain-words ``headline`` per outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcare.core.insights import (
    Insight,
    mobility_before_after,
    mobility_trend,
    soreness_after_massage_days,
)
from calfcare.core.records import RecordSet
from calfcare.core.split_leg import analyse_experiments
from calfcare.core.split_leg_days import index_ratings
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.split_leg_result import ExperimentResult, SplitLegResult, Status
from calfcare.core.split_leg_stats import Estimate
from calfcare.core.tracking import SessionDay


@dataclass(frozen=True, slots=True)
class InsightsReport:
    ordinary: tuple[Insight, ...]
    experiments: tuple[ExperimentResult, ...]

    @property
    def current(self) -> ExperimentResult | None:
        """The latest experiment (or the days from before experiments were registered)."""
        return self.experiments[-1] if self.experiments else None

    @property
    def split_leg(self) -> tuple[SplitLegResult, ...]:
        """The current experiment's results, its registered outcome first."""
        return () if self.current is None else self.current.results

    def to_json(self) -> dict[str, Any]:
        current = self.current
        return {
            "insights": [insight_json(i) for i in self.ordinary],
            "split_leg": [] if current is None else [
                split_leg_json(r, current) for r in current.results
            ],
            "split_leg_experiments": [experiment_json(e) for e in self.experiments],
        }  # fmt: skip


def session_days(records: RecordSet) -> list[SessionDay]:
    """The days and calves of the sessions done (a mostly skipped session massaged none)."""
    return [SessionDay(s.day, s.legs) for s in records.sessions if s.legs]


def skipped_days(records: RecordSet) -> list[date]:
    """The days of the sessions that were mostly skipped (`calfcare.core.session_effort`)."""
    return [s.day for s in records.sessions if not s.legs]


def split_leg_results(
    records: RecordSet, today: date | None = None, *, days: list[SessionDay] | None = None
) -> tuple[ExperimentResult, ...]:
    """Every split-leg experiment of ``records``, oldest first (coins from before experiments
    were registered first of all), each analysed as registered. ``today`` decides which
    recent days may still get their ratings (None: every day is past). ``days``: the
    records' `session_days`, when the caller has them already."""
    if not records.split_leg_experiments and not records.split_leg_days:
        return ()  # nothing to analyse: the ratings below would go unused
    every = session_days(records) if days is None else days
    ratings = index_ratings(records.soreness, records.mobility, every, skipped_days(records))
    return analyse_experiments(
        records.split_leg_experiments, records.split_leg_days, ratings, today=today
    )


def analyse_records(
    records: RecordSet, today: date | None = None, *, since: date | None = None,
    until: date | None = None,
) -> InsightsReport:  # fmt: skip
    """The ordinary insights of the records between ``since`` and ``until`` (inclusive;
    None is open) and every split-leg experiment, whole, whatever the dates."""

    def within(day: date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    soreness = [i.record for i in records.soreness if within(i.record.day)]
    mobility = [i.record for i in records.mobility if within(i.record.day)]
    every = session_days(records)
    days = [d for d in every if within(d.day)]
    ordinary = (
        soreness_after_massage_days(soreness, days),
        *mobility_before_after(mobility, days),
        *mobility_trend(mobility),
    )
    return InsightsReport(ordinary, split_leg_results(records, today, days=every))


def _finite(value: Any) -> Any:
    """JSON has no NaN or infinity: such a number is reported as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple | list):
        return [_finite(v) for v in value]
    return value


def insight_json(insight: Insight) -> dict[str, Any]:
    return {
        "kind": insight.kind.value,
        "leg": None if insight.leg is None else insight.leg.value,
        "n": insight.n,
        "estimate": _finite(insight.estimate),
        "interval": _finite(insight.interval),
        "effect_size": _finite(insight.effect_size),
        "threshold": insight.threshold,
        "unit": insight.unit,
        "reading": insight.reading.value,
        "more_days": insight.more_days,
        "headline": insight.headline,
        "figures": list(insight.figures),
        "details": list(insight.details),
        "sources": list(insight.sources),
    }


def experiment_record_json(e: SplitLegExperiment | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "id": e.id,
        "registered_at": e.registered_at.isoformat(),
        "start_day": e.start_day.isoformat(),
        "planned_days": e.planned_days,
        "outcome": e.outcome.value,
        "stopped_at": None if e.stopped_at is None else e.stopped_at.isoformat(),
    }


def _estimate_json(e: Estimate | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "days": e.days,
        "mean_difference": _finite(e.mean),
        "interval": None if e.interval is None else _finite(e.interval.as_tuple()),
        "reading": e.reading.value,
    }


def split_leg_json(result: SplitLegResult, experiment: ExperimentResult) -> dict[str, Any]:
    notes = [{"day": d.day.isoformat(), "reason": d.reason} for d in result.missing]
    left = [{"day": d.day.isoformat(), "reason": d.reason} for d in result.left_out]
    running = result.status is Status.RUNNING
    return {
        "outcome": result.outcome.value,
        "primary": result.primary,
        "status": result.status.value,
        "pre_registered": experiment.experiment is not None,
        "experiment": experiment_record_json(experiment.experiment),
        "unit": result.unit,
        "planned_days": result.planned_days,
        "days": result.days,
        "missing_days": notes,
        "missing_share": round(result.missing_share, 4),
        "left_out": left,
        "dropped": notes + left,
        "pending_days": result.pending,
        "days_after_end": result.after_end,
        "differences": _finite(list(result.differences)),
        "mean_difference": _finite(result.mean_difference),
        "interval": _finite(result.interval),
        "interval_method": result.interval_method,
        "p_value": _finite(result.p_value),
        "method": None if result.test is None else result.test.method.value,
        "threshold": result.threshold,
        "conclusion": result.conclusion.value,
        "per_protocol": _estimate_json(result.per_protocol),
        "spread": _finite(result.spread),
        "spread_is_own": result.spread_is_own,
        "more_days": max(0, result.planned_days - result.days) if running else 0,
        "headline": result.headline,
        "figures": list(result.figures),
        "details": list(result.details),
        "caveats": list(result.caveats),
        "sources": list(result.sources),
    }


def experiment_json(e: ExperimentResult) -> dict[str, Any]:
    return {
        "experiment": experiment_record_json(e.experiment),
        "status": e.status.value,
        "coin_days": e.coin_days,
        "complete_days": e.complete_days,
        "headline": e.primary.headline if e.results else "",
        "results": [split_leg_json(r, e) for r in e.results],
    }
