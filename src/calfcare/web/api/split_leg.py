"""The split-leg experiment's JSON API (``/api/split-leg/*``): the same use cases
(`calfcare.services.split_leg`) as ``calfcare split-leg``.

Reads answer from the app's read cache, per data version and day; writes go through the
use cases, one transaction each. The time is `calfcare.web.api.common.now` (tests replace
it).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import Request
from pydantic import Field
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.insight_report import experiment_record_json
from calfcare.core.split_leg_design import MAX_PLANNED_DAYS, MIN_PLANNED_DAYS, REGISTRABLE
from calfcare.core.split_leg_today import coin_json, today_json
from calfcare.core.tracking import MassagedCalves
from calfcare.services import split_leg as split_leg_services
from calfcare.web.api import common
from calfcare.web.api.bodies import DAY, Body, choice, described, integer
from calfcare.web.api.common import Open, cached_json, read, write_route
from calfcare.web.api.insights import ExperimentOut
from calfcare.web.deps import StoreDep, get_read_cache
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])


class SplitLegDayOut(Open):
    day: str
    massaged: Literal["left", "right"]
    control: Literal["left", "right"]
    drawn_at: str | None = Field(description="null on coins from before experiments were planned")
    experiment_id: str | None
    reported: Literal["left", "right", "both", "neither"] | None


class SplitLegDrawOut(SplitLegDayOut):
    drawn_now: bool = Field(description="false: today's coin was already stored (never redrawn)")


class SplitLegDaysOut(Open):
    days: list[SplitLegDayOut]
    today: SplitLegDayOut | None


class SplitLegStateOut(Open):
    today: str
    experiment: ExperimentOut | None
    status: str | None
    complete_days: int | None
    coin: SplitLegDayOut | None
    rated_before: list[str]
    next_step: Literal["start", "rate_before", "draw", "massage", "rate_after", "done_today"]
    headline: str | None


EXPERIMENT = Body(
    "SplitLegExperimentStart",
    {
        "days": integer(
            MIN_PLANNED_DAYS,
            MAX_PLANNED_DAYS,
            "complete days to run; default: the fewest with an 80% chance at a typical "
            "day-to-day spread",
        ),
        "outcome": choice(REGISTRABLE),
    },
    optional=True,
)
DRAW = Body(
    "SplitLegDraw",
    {
        "day": described(
            DAY,
            "must be today (the default): a coin is drawn on its own day, after both calves' "
            "before-session ratings, never for another day",
        )
    },
    optional=True,
)
EMPTY = Body("Empty", {}, optional=True)
MASSAGED = Body(
    "SplitLegMassaged",
    {
        "calves": choice(MassagedCalves),
        "day": described(DAY, "the coin's day (default today)"),
    },
    required=("calves",),
)


@read(router, "/split-leg", response_model=SplitLegStateOut)
async def api_split_leg(request: Request) -> Response:
    """Today in the split-leg experiment: where it stands and the next step

    ``next_step`` is what comes next today (start an experiment, rate both calves before,
    draw the coin, massage, rate after, or done for today); ``headline`` says it in words."""
    cache = await get_read_cache(request)
    when = common.now()
    return await cached_json(
        cache,
        ("api_split_leg", services.today_of(when)),
        lambda: today_json(split_leg_services.split_leg_today(cache.store, now=when)),
    )


@read(router, "/split-leg/days", response_model=SplitLegDaysOut)
async def api_split_leg_days(request: Request) -> Response:
    """The stored coin tosses of the split-leg experiment

    Every coin, oldest first, and today's (null when none is drawn yet)."""
    cache = await get_read_cache(request)
    today = common.today()

    def compute() -> dict[str, Any]:
        with cache.store.reading() as tx:  # only the coins, not every record
            days = tx.split_leg_days()
        current = next((d for d in days if d.day == today), None)
        return {
            "days": [coin_json(d) for d in days],
            "today": None if current is None else coin_json(current),
        }

    return await cached_json(cache, ("api_split_leg_days", today), compute)


@write_route(router, "/split-leg/experiments", EXPERIMENT, ExperimentOut, created=True)
async def api_split_leg_start(request: Request, store: StoreDep) -> JSONResponse:
    """Plan a split-leg experiment before its first coin: its length and outcome

    Refused (422) while another experiment runs. The result comes once the planned
    number of complete days is in, never before."""
    data = await EXPERIMENT.read(request)
    exp = split_leg_services.start_experiment(
        store, days=data.get("days"), outcome=data.get("outcome"), now=common.now()
    )
    return JSONResponse(experiment_record_json(exp), status_code=201)


@write_route(router, "/split-leg/stop", EMPTY, ExperimentOut)
async def api_split_leg_stop(request: Request, store: StoreDep) -> JSONResponse:
    """Stop the running experiment early: it ends without a result

    Refused (422) when no experiment is running. The coins and ratings recorded so far are
    kept."""
    await EMPTY.read(request)
    exp = split_leg_services.stop_experiment(store, now=common.now())
    return JSONResponse(experiment_record_json(exp))


@write_route(
    router,
    "/split-leg/days",
    DRAW,
    SplitLegDrawOut,
    created=True,
    responses={200: {"model": SplitLegDrawOut, "description": "Today's coin was already stored."}},
)
async def api_split_leg_draw(request: Request, store: StoreDep) -> JSONResponse:
    """Draw and store today's coin (only today, after both before-ratings)

    A fair coin picks today's calf; it is stored with its time and never redrawn (a
    second call returns the stored one, 200). 422 for any day but today, with no experiment
    running, or before today's before-session ratings of both calves are recorded."""
    data = await DRAW.read(request)
    when = common.now()
    day = common.parse_day(data.get("day"), services.today_of(when))
    coin, drawn = split_leg_services.draw_coin(store, now=when, day=day)
    return JSONResponse({**coin_json(coin), "drawn_now": drawn}, status_code=201 if drawn else 200)


@write_route(router, "/split-leg/massaged", MASSAGED, SplitLegDayOut)
async def api_split_leg_massaged(request: Request, store: StoreDep) -> JSONResponse:
    """Say which calves were massaged on a coin's day (when no session says)

    Once per coin day; refused when a session of that day already says which calves."""
    data = await MASSAGED.read(request)
    when = common.now()
    day = common.parse_day(data.get("day"), services.today_of(when))
    if not isinstance(day, date):
        raise InvalidInput([Problem("day", f"{day!r}: give a calendar date (YYYY-MM-DD)")])
    coin = split_leg_services.record_massaged(store, calves=data.get("calves"), now=when, day=day)
    return JSONResponse(coin_json(coin))


@router.api_route(
    "/split-leg/days",
    methods=["HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"],
    include_in_schema=False,
)
def split_leg_days_other_methods() -> None:
    """Two routes share this path; without this, a 405 would name only the first one's
    method in ``Allow``. HEAD is here too: FastAPI's GET route does not answer it, so it is
    a 405 like any other undocumented method, and must name both."""
    raise HTTPException(405, headers={"Allow": "GET, POST"})
