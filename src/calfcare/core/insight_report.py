"""Every insight for a set of records, and its JSON: one function for the CLI and the web.

``analyse_records`` is the "is it helping me?" answer as a whole: the observational insights
(next-day soreness after massage days vs other days; knee-to-wall before/after sessions and
over weeks) and the split-leg experiment's analysis of every outcome, primary first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from calfcare.core.insights import (
    Insight,
    mobility_before_after,
    mobility_trend,
    soreness_after_massage_days,
)
from calfcare.core.records import RecordSet
from calfcare.core.split_leg import SplitLegResult, analyse_all
from calfcare.core.tracking import SessionDay


@dataclass(frozen=True, slots=True)
class InsightsReport:
    ordinary: tuple[Insight, ...]
    split_leg: tuple[SplitLegResult, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "insights": [insight_json(i) for i in self.ordinary],
            "split_leg": [split_leg_json(r) for r in self.split_leg],
        }


def analyse_records(records: RecordSet) -> InsightsReport:
    """The ordinary insights and the split-leg analysis of ``records``."""
    soreness = [item.record for item in records.soreness]
    mobility = [item.record for item in records.mobility]
    days = [SessionDay(s.day, s.legs) for s in records.sessions if s.legs]
    ordinary = (
        soreness_after_massage_days(soreness, days),
        *mobility_before_after(mobility),
        *mobility_trend(mobility),
    )
    return InsightsReport(ordinary, analyse_all(records.split_leg_days, soreness, mobility))


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
        "sources": list(insight.sources),
    }


def split_leg_json(result: SplitLegResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome.value,
        "unit": result.unit,
        "planned_days": result.planned_days,
        "days": result.days,
        "dropped": [{"day": d.day.isoformat(), "reason": d.reason} for d in result.dropped],
        "differences": _finite(list(result.differences)),
        "mean_difference": _finite(result.mean_difference),
        "interval": _finite(result.interval),
        "p_value": _finite(result.p_value),
        "method": None if result.test is None else result.test.method.value,
        "threshold": result.threshold,
        "conclusion": result.conclusion.value,
        "spread": _finite(result.spread),
        "spread_is_own": result.spread_is_own,
        "days_needed": result.days_needed,
        "more_days": result.more_days,
        "headline": result.headline,
        "figures": list(result.figures),
        "caveats": list(result.caveats),
        "sources": list(result.sources),
    }
