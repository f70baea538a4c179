"""The JSON API of the safety state (``/api/safety``, ``/api/safety/*``, ``/api/screenings``):
the same use cases (`calfcare.services.safety`) and the same object as ``calfcare safety
--json`` (`calfcare.core.safety_state.safety_json`).

``GET /api/safety`` answers from the app's read cache, per data version and day, from the
one cached safety state the pages' gate reads too (`safety_services.safety_key`). Writes go
through the use cases, one transaction each, with the JSON rules of every API write (415 /
400 / 422, a client id for a write that may be retried). ``POST /api/screening`` stays a
pure function of its body; ``POST /api/screenings`` records the screening, which then
governs today's plans and sessions. The time is `calfcare.web.api.common.now` (tests
replace it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import Request
from pydantic import Field
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.safety_state import safety_json
from calfcare.services import safety as safety_services
from calfcare.web.api import common, schemas
from calfcare.web.api.bodies import CLIENT_ID, DAY, SCREENING, Body, choice, described, json_bytes
from calfcare.web.api.common import Open, cached_json, read, write_route
from calfcare.web.deps import StoreDep, get_read_cache
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["safety"])


class SafetyLegOut(Open):
    massage_allowed: bool
    deep_work_allowed: bool


class SafetyHoldOut(Open):
    level: Literal["urgent", "emergency"]
    since: str = Field(description="the day the hold began (YYYY-MM-DD)")
    reason: str
    advice: str
    sources: list[str]


class SafetyOut(Open):
    """The safety state today (contract 1; extra keys may be added)."""

    contract: Literal[1]
    day: str
    screened_today: bool
    screening_id: str | None = Field(description="null: no screening today that counts")
    legs: dict[Literal["left", "right"], SafetyLegOut]
    hold: SafetyHoldOut | None = Field(description="null when no hold is on")


class ClearanceOut(Open):
    clearance: dict[str, Any]
    safety: SafetyOut


class PainCheckOut(Open):
    pain_check: dict[str, Any]
    safety: SafetyOut


class RecordedScreeningOut(schemas.ScreeningReport):
    screening_id: str


CLEARANCE = Body(
    "Clearance",
    {
        "clinician_ruled_out_clot": {
            "const": True,
            "description": "must be true: a doctor or nurse has examined the person and "
            "ruled out a blood clot (only that lifts a hold)",
        },
        "day": described(DAY, "the day they ruled it out (default today)"),
        "client_id": CLIENT_ID,
    },
    required=("clinician_ruled_out_clot",),
)
PAIN_CHECK = Body("PainCheck", {"leg": choice(Leg), "client_id": CLIENT_ID}, required=("leg",))


@read(router, "/safety", response_model=SafetyOut)
async def api_safety(request: Request) -> Response:
    """The safety state today: a hold on massage, and each calf's flags

    The object ``calfcare safety --json`` prints. During a hold every calf's flags are
    false; ``screening_id`` is null when no screening of today counts (one taken before a
    clearance no longer does)."""
    cache = await get_read_cache(request)
    when = common.now()
    return await cached_json(
        cache,
        ("api_safety", services.today_of(when)),
        lambda: safety_services.safety_document(cache.store, when, cache),
    )


@write_route(
    router, "/safety/clearances", CLEARANCE, ClearanceOut, created=True, replay="clearance"
)
async def api_safety_clearance(request: Request, store: StoreDep) -> JSONResponse:
    """Record that a clinician has ruled out a blood clot: it lifts the hold

    Refused (422) without ``clinician_ruled_out_clot: true``, when no hold is on, or for a
    day before the hold began or after today. Afterwards a new screening is needed before
    any massage."""
    data = await CLEARANCE.read(request)
    when = common.now()
    if data.get("clinician_ruled_out_clot") is not True:
        raise InvalidInput(
            [
                Problem(
                    "clinician_ruled_out_clot",
                    "required, true: only a clinician ruling out a clot lifts a hold",
                )
            ],
            "The clearance was not recorded; nothing was saved.",
        )
    day = common.parse_day(data.get("day"), services.today_of(when))
    record, created = safety_services.record_clearance(
        store, day=day, now=when, client_id=data.get("client_id")
    )
    saved = {"id": record.id, "day": record.day.isoformat()}
    return _with_safety(store, when, "clearance", saved, created)


@write_route(
    router, "/safety/pain-checks", PAIN_CHECK, PainCheckOut, created=True, replay="pain check"
)
async def api_safety_pain_check(request: Request, store: StoreDep) -> JSONResponse:
    """Say that a calf's sharp pain (a session stopped for it) has gone or been checked

    Refused (422) when no session stopped for sharp pain in that calf waits for it."""
    data = await PAIN_CHECK.read(request)
    when = common.now()
    record, created = safety_services.confirm_pain_checked(
        store, leg=data.get("leg"), now=when, client_id=data.get("client_id")
    )
    saved = {"id": record.id, "leg": record.leg.value, "day": record.day.isoformat()}
    return _with_safety(store, when, "pain_check", saved, created)


def _with_safety(
    store: Any, when: datetime, key: str, saved: dict[str, Any], created: bool
) -> JSONResponse:
    """A safety write's answer: what was saved (201, or 200 for a client id's repeat) and
    the safety state after it."""
    body = {key: saved, "safety": safety_json(safety_services.safety_state(store, when))}
    return JSONResponse(body, status_code=201 if created else 200)


@write_route(router, "/screenings", SCREENING, RecordedScreeningOut, created=True)
async def api_screenings(request: Request, store: StoreDep) -> JSONResponse:
    """Screen answers and record the screening (it governs today's plans and sessions)

    The report of ``POST /api/screening`` with the stored screening's ``screening_id``.
    Bad answers get no verdict and nothing is saved (422)."""
    data = parse_json(await json_bytes(request, "the screening answers"))
    record, report = safety_services.record_screening_answers(store, data, common.now())
    return JSONResponse({**report, "screening_id": record.id}, status_code=201)
