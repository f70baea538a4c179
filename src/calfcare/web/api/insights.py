"""``GET /api/insights``: is it helping? The split-leg experiment and the observational
insights, in the words of ``calfcare insights --json`` (`calfcare.core.insight_report`).

The report is computed once per data version and day ("today" decides which recent days
may still get their ratings); `insights_report` is shared with the insights page.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import Request
from pydantic import Field
from starlette.responses import Response

from calfcare import services
from calfcare.core.insight_report import InsightsReport, analyse_records
from calfcare.web.api import common
from calfcare.web.api.common import Open, cached_json, read
from calfcare.web.deps import get_read_cache
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])


def insights_report(cache: services.ReadCache, today: date) -> InsightsReport:
    """The whole insights report, once per data version and day; call it in a worker
    thread (a miss reads every record it needs)."""

    def compute() -> InsightsReport:
        records = services.load_records(cache.store, kinds=services.INSIGHT_KINDS)
        return analyse_records(records, today)

    return cache.get(("insights", today), compute)


# -- response models (documentation; schemathesis checks real responses against them) -----


class InsightOut(Open):
    kind: str
    leg: Literal["left", "right"] | None
    n: int
    estimate: float | None
    interval: list[float | None] | None
    threshold: float
    unit: str
    reading: str = Field(
        description="meaningful_decrease, decrease_size_unclear, meaningful_increase, "
        "increase_size_unclear, no_meaningful_change, inconclusive or too_little_data"
    )
    headline: str
    figures: list[str]
    details: list[str]
    sources: list[str]


class DayNoteOut(Open):
    day: str
    reason: str


class ExperimentOut(Open):
    id: str
    registered_at: str
    start_day: str
    planned_days: int
    outcome: Literal["next_day_soreness", "knee_to_wall"]
    stopped_at: str | None


class SplitLegOut(Open):
    outcome: str
    primary: bool
    status: Literal["running", "complete", "stopped", "not_pre_registered"]
    pre_registered: bool
    experiment: ExperimentOut | None
    unit: str
    planned_days: int
    days: int
    missing_days: list[DayNoteOut]
    left_out: list[DayNoteOut]
    mean_difference: float | None = Field(description="null until the result is due")
    interval: list[float | None] | None = Field(description="null until the result is due")
    p_value: float | None = Field(description="null until the result is due")
    threshold: float
    conclusion: str = Field(
        description="massaged_better_meaningful, massaged_better_size_unclear, "
        "massaged_worse_meaningful, massaged_worse_size_unclear, no_meaningful_difference, "
        "inconclusive, too_few_days or not_yet_due"
    )
    headline: str
    figures: list[str]
    details: list[str]
    caveats: list[str]
    sources: list[str]


class ExperimentResultOut(Open):
    experiment: ExperimentOut | None
    status: str
    coin_days: int
    complete_days: int
    headline: str
    results: list[SplitLegOut]


class InsightsOut(Open):
    insights: list[InsightOut]
    split_leg: list[SplitLegOut]
    split_leg_experiments: list[ExperimentResultOut]


@read(router, "/insights", response_model=InsightsOut)
async def api_insights(request: Request) -> Response:
    """Is it helping? The split-leg experiment and the observational insights

    Each result's ``headline`` first (plain words), then ``figures``, then ``details``
    (how it was worked out). ``split_leg`` is the current experiment (its registered outcome
    first); until its planned days are in, only progress (``not_yet_due``)."""
    cache = await get_read_cache(request)
    today = common.today()
    return await cached_json(
        cache, ("api_insights", today), lambda: insights_report(cache, today).to_json()
    )
