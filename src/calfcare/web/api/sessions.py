"""``POST /api/manual-sessions``: a session done without the coach, saved as ``calfcare log
session`` saves it. `save_manual_session` is shared with the check-in page
(`calfcare.web.tracking_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.routine import SECONDS_PER_CALF_MAX, Tool
from calfcare.web.api import common
from calfcare.web.api.bodies import CLIENT_ID, DAY, LEGS_SCHEMA, Body, choice, described
from calfcare.web.api.checkins import LEGS, SavedOut
from calfcare.web.api.common import parse_day, write_route
from calfcare.web.deps import StoreDep
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])

MANUAL_SESSION = Body(
    "ManualSession",
    {
        "day": DAY,
        "tool": choice(Tool),
        "legs": LEGS_SCHEMA,
        "seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": SECONDS_PER_CALF_MAX},
        "tender_spots": {
            "type": "array",
            "items": {"type": "string", "description": "leg:height:side, e.g. left:middle:inner"},
        },
        "client_id": described(CLIENT_ID, "the session's id (see client ids)"),
    },
    required=("tool",),
)


def save_manual_session(store: Any, data: Mapping[str, Any], when: datetime) -> Any:
    """A session done without the coach, from its fields: ``legs`` (default both) and
    ``tender_spots`` (``leg:height:side`` texts) as lists, ``seconds`` per calf (default
    150)."""
    problems: list[Problem] = []
    legs = data.get("legs", list(LEGS))
    if not isinstance(legs, list):
        problems.append(Problem("legs", 'give a list: ["left"], ["right"] or both'))
    spots = data.get("tender_spots", [])
    if not isinstance(spots, list) or not all(isinstance(s, str) for s in spots):
        problems.append(Problem("tender_spots", 'give a list of "leg:height:side" texts'))
    if problems:
        raise InvalidInput(problems, "The session is not valid; nothing was saved.")
    return services.log_session(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        tool=data.get("tool"),
        legs=legs,
        seconds_per_calf=data.get("seconds", 150),
        now=when,
        tender_spots=spots,
        client_id=data.get("client_id"),
    )


@write_route(router, "/manual-sessions", MANUAL_SESSION, SavedOut, created=True, replay="session")
async def api_manual_sessions(request: Request, store: StoreDep) -> JSONResponse:
    """Record a session done without the coach

    Saved as ``calfcare log session`` saves it; tender spots as ``leg:height:side``. With a
    ``client_id`` (the session's id), a repeat is answered with the stored session (200)."""
    when = common.now()
    saved = save_manual_session(store, await MANUAL_SESSION.read(request), when)
    return common.saved_one(saved.id, saved.day, saved.started_at, when)
