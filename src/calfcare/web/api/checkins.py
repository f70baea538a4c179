"""Check-ins: soreness, knee-to-wall tests and notes (``POST /api/checkins/*``,
``POST /api/notes``), saved as ``calfcare log soreness|mobility|note`` saves them. The
``save_*`` helpers are shared with the check-in page (`calfcare.web.tracking_pages`).

A bad field gets the core's `InvalidInput` (422, every problem named at once); with a
``client_id``, a repeat is answered with the stored record (200) and saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from fastapi import Request
from pydantic import Field
from starlette.responses import JSONResponse

from calfcare import services
from calfcare.core.client_ids import client_id_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.records import MAX_NOTE_CHARS
from calfcare.core.tracking import (
    DISTANCE_MAX_CM,
    DISTANCE_MIN_CM,
    MAX_SESSION_ID_LENGTH,
    SORENESS_MAX,
    SORENESS_MIN,
    MobilityMoment,
    SorenessMoment,
)
from calfcare.web.api import common, schemas
from calfcare.web.api.bodies import (
    CLIENT_ID,
    DAY,
    Body,
    Schema,
    choice,
    described,
    integer,
)
from calfcare.web.api.common import Open, is_replay, parse_day, saved_one, write_route
from calfcare.web.deps import StoreDep
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])

LEGS = ("left", "right")


def saved_json(item: Any, measure: str) -> dict[str, Any]:
    """A saved soreness rating or knee-to-wall test as the API answers it (``measure``:
    ``score`` or ``distance_cm``)."""
    r = item.record
    return {
        "id": item.id,
        "day": r.day.isoformat(),
        "leg": r.leg.value,
        "moment": r.moment.value,
        measure: getattr(r, measure),
        "session_id": r.session_id,
    }


def log_soreness_checked(
    store: Any,
    *,
    day: object,
    scores: Mapping[str, object],
    moment: object,
    session_id: object,
    followup_raw: object,
    when: datetime,
    client_id: object = None,
) -> services.SorenessLogged:
    """Read the follow-up answers and check the ratings, naming every problem of both at
    once (as ``calfcare log soreness`` does), then save in one transaction (once per
    ``client_id``: `calfcare.core.client_ids`)."""
    from calfcare.core.followup import followup_answers, missing_followup_problems

    problems: list[Problem] = client_id_problems(client_id)
    followup = None
    if followup_raw is not None:
        try:
            followup = followup_answers(followup_raw)
        except InvalidInput as error:
            problems += error.problems
    try:
        services.soreness_records(
            day=day, scores=scores, moment=moment, now=when, session_id=session_id
        )
    except InvalidInput as error:
        problems = error.problems + problems
    problems += missing_followup_problems(moment, followup_raw)
    if problems:
        raise InvalidInput(problems, "The check-in is not valid; nothing was saved.")
    return services.log_soreness(
        store,
        day=day,
        scores=scores,
        moment=moment,
        now=when,
        session_id=session_id,
        followup=followup,
        client_id=cast(str | None, client_id),
    )


def save_soreness(store: Any, data: Mapping[str, Any], when: datetime) -> services.SorenessLogged:
    """A soreness check-in from its fields: the JSON body, or a form read into the same
    shape (`calfcare.web.tracking_pages`). A missing ``day`` is today, or yesterday for a
    ``next_day`` check-in; every problem is named at once."""
    moment = data.get("moment")
    today = services.today_of(when)
    default = today - timedelta(days=1) if moment == "next_day" else today
    return log_soreness_checked(
        store,
        day=parse_day(data.get("day"), default),
        scores={leg: data[leg] for leg in LEGS if leg in data},
        moment=moment,
        session_id=data.get("session_id"),
        followup_raw=data.get("followup"),
        when=when,
        client_id=data.get("client_id"),
    )


def save_mobility(store: Any, data: Mapping[str, Any], when: datetime) -> tuple[Any, ...]:
    """A knee-to-wall test from its fields (cm per leg; ``moment`` defaults to other)."""
    return services.log_mobility(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        distances={leg: data[leg] for leg in LEGS if leg in data},
        moment=data.get("moment", "other"),
        now=when,
        session_id=data.get("session_id"),
        client_id=data.get("client_id"),
    )


def save_note(store: Any, data: Mapping[str, Any], when: datetime) -> Any:
    """A note from its fields (``day`` defaults to today)."""
    return services.add_note(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        text=data.get("text"),
        now=when,
        client_id=data.get("client_id"),
    )


_SIGN: Schema = {"enum": [True, False, "unsure"]}
_SIGNS: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["swelling", "redness", "warmth"],
    "properties": {"swelling": _SIGN, "redness": _SIGN, "warmth": _SIGN},
}
_SCORE = integer(SORENESS_MIN, SORENESS_MAX)
_CM: Schema = {
    "type": "number",
    "minimum": DISTANCE_MIN_CM,
    "maximum": DISTANCE_MAX_CM,
    "multipleOf": 0.1,
}
_SESSION_ID: Schema = {
    "type": ["string", "null"],
    "minLength": 1,
    "maxLength": MAX_SESSION_ID_LENGTH,
    "pattern": "^[^\\x00-\\x08\\x0b-\\x1f\\x7f]*$",
    "description": f"the session it belongs to (1 to {MAX_SESSION_ID_LENGTH} characters, no "
    "control characters)",
}
SORENESS = Body(
    "SorenessCheckIn",
    {
        "moment": choice(SorenessMoment),
        "day": described(DAY, "the session's day; default today (next_day: yesterday)"),
        "left": _SCORE,
        "right": _SCORE,
        "session_id": _SESSION_ID,
        "client_id": CLIENT_ID,
        "followup": {
            "type": "object",
            "description": "next_day only (required then): new swelling, redness or warmth "
            "per calf, and pe_signs (sudden breathlessness, chest pain worse on breathing in, "
            'coughing up blood or fainting; true or "unsure" is an emergency)',
            "additionalProperties": False,
            "required": ["left", "right", "pe_signs"],
            "properties": {"left": _SIGNS, "right": _SIGNS, "pe_signs": _SIGN},
        },
    },
    required=("moment",),
)
MOBILITY = Body(
    "KneeToWallTest",
    {
        "moment": {**choice(MobilityMoment), "default": MobilityMoment.OTHER.value},
        "day": DAY,
        "left": _CM,
        "right": _CM,
        "session_id": _SESSION_ID,
        "client_id": CLIENT_ID,
    },
)
NOTE = Body(
    "Note",
    {
        "day": DAY,
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_NOTE_CHARS, "pattern": r"\S"},
        "client_id": described(CLIENT_ID, "the note's id (see client ids)"),
    },
    required=("text",),
)


class SavedSorenessOut(Open):
    id: str
    day: str
    leg: Literal["left", "right"]
    moment: str
    score: int
    session_id: str | None


class SorenessOut(Open):
    saved: list[SavedSorenessOut]
    followup: schemas.ScreeningReport | None = Field(
        description="next_day: the follow-up screened by the real rules"
    )
    escalated: bool = Field(description="true when the follow-up says get medical attention")


class SavedMobilityOut(Open):
    id: str
    day: str
    leg: Literal["left", "right"]
    moment: str
    distance_cm: float
    session_id: str | None


class MobilityOut(Open):
    saved: list[SavedMobilityOut]


class SavedRef(Open):
    id: str
    day: str


class SavedOut(Open):
    saved: SavedRef


@write_route(router, "/checkins/soreness", SORENESS, SorenessOut, created=True, replay="check-in")
async def api_checkin_soreness(request: Request, store: StoreDep) -> JSONResponse:
    """Record soreness per calf (before, after, or the next day with the follow-up)

    Saved as ``calfcare log soreness`` saves it. A ``next_day`` check-in needs
    ``followup``: new swelling, redness or warmth per calf, screened by the real rules; an
    urgent result is returned (``escalated``) and the check-in is still saved. With a
    ``client_id``, a repeat is answered with the stored check-in (200) and saves nothing."""
    result = save_soreness(store, await SORENESS.read(request), common.now())
    body = {
        "saved": [saved_json(i, "score") for i in result.items],
        "followup": result.followup,
        "escalated": result.escalated,
    }
    return JSONResponse(body, status_code=201 if result.created else 200)


@write_route(router, "/checkins/mobility", MOBILITY, MobilityOut, created=True, replay="test")
async def api_checkin_mobility(request: Request, store: StoreDep) -> JSONResponse:
    """Record a knee-to-wall test (cm per leg)

    Saved as ``calfcare log mobility`` saves it: big toe to wall in cm, to 0.1 cm. With a
    ``client_id``, a repeat is answered with the stored test (200) and saves nothing."""
    data = await MOBILITY.read(request)
    when = common.now()
    items = save_mobility(store, data, when)
    status = 200 if is_replay(items[0].recorded_at, when) else 201
    saved = [saved_json(i, "distance_cm") for i in items]
    return JSONResponse({"saved": saved}, status_code=status)


@write_route(router, "/notes", NOTE, SavedOut, created=True, replay="note")
async def api_notes(request: Request, store: StoreDep) -> JSONResponse:
    """Record a free note for a day

    Saved as ``calfcare log note`` saves it (at most 4000 characters). With a
    ``client_id`` (the note's id), a repeat is answered with the stored note (200)."""
    when = common.now()
    saved = save_note(store, await NOTE.read(request), when)
    return saved_one(saved.id, saved.day, saved.written_at, when)
