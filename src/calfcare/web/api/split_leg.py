"""The split-leg experiment's JSON API (``/api/split-leg/*``): the same use cases
(`calfcare.services.split_leg`) as ``calfcare split-leg``.

Reads answer from the app's read cache, per data version and day; writes go through the
use cases, one transaction each. The time is `calfcare.web.api.common.now` (tests replace
it).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.insight_report import experiment_record_json
from calfcare.core.split_leg_design import MAX_PLANNED_DAYS, MIN_PLANNED_DAYS, REGISTRABLE
from calfcare.core.split_leg_today import coin_json, today_json
from calfcare.services import split_leg as split_leg_services
from calfcare.web.api import common
from calfcare.web.api.common import DAY, Open, cached_json, errors, json_object, openapi_body, read
from calfcare.web.api.insights import ExperimentOut
from calfcare.web.deps import StoreDep, get_read_cache

router = APIRouter(prefix="/api", tags=["tracking"])


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


EXPERIMENT_BODY = {
    "title": "SplitLegExperimentStart",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "days": {
            "type": "integer",
            "minimum": MIN_PLANNED_DAYS,
            "maximum": MAX_PLANNED_DAYS,
            "description": "complete days to run; default: the fewest with an 80% chance at "
            "a typical day-to-day spread",
        },
        "outcome": {"enum": [o.value for o in REGISTRABLE]},
    },
}
DRAW_BODY = {
    "title": "SplitLegDraw",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "day": {
            **DAY,
            "description": "must be today (the default): a coin is drawn on its own day, "
            "after both calves' before-session ratings, never for another day",
        }
    },
}
EMPTY_BODY: dict[str, Any] = {"title": "Empty", "type": "object", "maxProperties": 0}
MASSAGED_BODY = {
    "title": "SplitLegMassaged",
    "type": "object",
    "additionalProperties": False,
    "required": ["calves"],
    "properties": {
        "calves": {"enum": ["left", "right", "both", "neither"]},
        "day": {**DAY, "description": "the coin's day (default today)"},
    },
}


@read(
    router,
    "/split-leg",
    name="api_split_leg",
    summary="Today in the split-leg experiment: where it stands and the next step",
    response_model=SplitLegStateOut,
    responses=errors(),
)
async def api_split_leg(request: Request) -> Response:
    cache = await get_read_cache(request)
    when = common.now()
    return await cached_json(
        cache,
        ("api_split_leg", services.today_of(when)),
        lambda: today_json(split_leg_services.split_leg_today(cache.store, now=when)),
    )


@read(
    router,
    "/split-leg/days",
    name="api_split_leg_days",
    summary="The stored coin tosses of the split-leg experiment",
    response_model=SplitLegDaysOut,
    responses=errors(),
)
async def api_split_leg_days(request: Request) -> Response:
    """Every coin, oldest first, and today's (null when none is drawn yet)."""
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


@router.post(
    "/split-leg/experiments",
    name="api_split_leg_start",
    summary="Plan a split-leg experiment before its first coin: its length and outcome",
    response_model=ExperimentOut,
    status_code=201,
    responses=errors(400, 415, 422),
    openapi_extra=openapi_body(EXPERIMENT_BODY, required=False),
)
async def api_split_leg_start(request: Request, store: StoreDep) -> JSONResponse:
    """Refused (422) while another experiment runs. The result comes once the planned
    number of complete days is in, never before."""
    data = await _optional_object(request, EXPERIMENT_BODY)
    exp = split_leg_services.start_experiment(
        store, days=data.get("days"), outcome=data.get("outcome"), now=common.now()
    )
    return JSONResponse(experiment_record_json(exp), status_code=201)


@router.post(
    "/split-leg/stop",
    name="api_split_leg_stop",
    summary="Stop the running experiment early: it ends without a result",
    response_model=ExperimentOut,
    responses=errors(400, 415, 422),
    openapi_extra=openapi_body(EMPTY_BODY, False),
)
async def api_split_leg_stop(request: Request, store: StoreDep) -> JSONResponse:
    await _optional_object(request, EMPTY_BODY)
    exp = split_leg_services.stop_experiment(store, now=common.now())
    return JSONResponse(experiment_record_json(exp))


@router.post(
    "/split-leg/days",
    name="api_split_leg_draw",
    summary="Draw and store today's coin (only today, after both before-ratings)",
    response_model=SplitLegDrawOut,
    status_code=201,
    responses={
        200: {"model": SplitLegDrawOut, "description": "Today's coin was already stored."},
        **errors(400, 415, 422),
    },
    openapi_extra=openapi_body(DRAW_BODY, required=False),
)
async def api_split_leg_draw(request: Request, store: StoreDep) -> JSONResponse:
    """A fair coin picks today's calf; it is stored with its time and never redrawn (a
    second call returns the stored one, 200). 422 for any day but today, with no experiment
    running, or before today's before-session ratings of both calves are recorded."""
    data = await _optional_object(request, DRAW_BODY)
    when = common.now()
    day = common.parse_day(data.get("day"), services.today_of(when))
    coin, drawn = split_leg_services.draw_coin(store, now=when, day=day)
    return JSONResponse({**coin_json(coin), "drawn_now": drawn}, status_code=201 if drawn else 200)


@router.post(
    "/split-leg/massaged",
    name="api_split_leg_massaged",
    summary="Say which calves were massaged on a coin's day (when no session says)",
    response_model=SplitLegDayOut,
    responses=errors(400, 415, 422),
    openapi_extra=openapi_body(MASSAGED_BODY),
)
async def api_split_leg_massaged(request: Request, store: StoreDep) -> JSONResponse:
    """Once per coin day; refused when a session of that day already says which calves."""
    data = await json_object(request, MASSAGED_BODY)
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


async def _optional_object(request: Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON body as an object of the keys ``schema`` names; no body at all (empty, and no
    ``content-type``) is ``{}``. A body declared as JSON is read by the one JSON parser
    (`calfcare.core.json_input`, via `json_object`), so an empty one is unreadable (400)."""
    if "content-type" not in request.headers and not await request.body():
        return {}
    return await json_object(request, schema)
