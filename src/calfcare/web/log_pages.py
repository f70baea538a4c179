"""Logging by hand, as pages: a knee-to-wall test, and a session done without the guided
session page (as ``calfcare log mobility`` and ``calfcare log session``).

Both forms go through `calfcare.web.forms.submit` to the JSON API's own savers
(`calfcare.web.api.checkins.save_mobility`, `calfcare.web.api.sessions.save_manual_session`)
and, once saved, back to the check-ins page that says so.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.web.api import common
from calfcare.web.api.checkins import save_mobility
from calfcare.web.api.sessions import save_manual_session
from calfcare.web.deps import StoreDep
from calfcare.web.forms import CLIENT_ID, DAY, FormPage, given, number
from calfcare.web.plan_form import TOOLS
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)

MOBILITY_MOMENTS = (
    ("before", "Just before a session"),
    ("after", "Right after a session"),
    ("other", "On another day (no session)"),
)
LEGS = (("left,right", "Both calves"), ("left", "Left calf"), ("right", "Right calf"))
MOBILITY_IDS = {"day": "day", "moment": "moment-0", "left": "left", "right": "right",
                "distance_cm": "left"}  # fmt: skip
SESSION_IDS = {"day": "day", "tool": "tool-0", "legs": "legs-0", "seconds": "seconds",
               "tender": "tender", "tender_spot": "tender"}  # fmt: skip
SESSION_DEFAULTS = {"legs": "left,right", "seconds": "150", "tool": "", "tender": ""}


def _mobility_context() -> tuple[dict[str, str], dict[str, Any]]:
    today = services.today_of(common.now()).isoformat()
    defaults = {"day": today, "moment": "other", "left": "", "right": ""}
    return defaults, {"today": today, "moments": MOBILITY_MOMENTS}


MOBILITY = FormPage("mobility_log.html", MOBILITY_IDS, _mobility_context, then="checkins")


@router.get("/checkins/knee-to-wall", name="mobility_log")
def mobility_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a knee-to-wall test: big toe to wall in cm, per leg."""
    moment = request.query_params.get("moment", "other")
    known = {m for m, _ in MOBILITY_MOMENTS}
    return MOBILITY.show(request, pages, {"moment": moment if moment in known else "other"})


def _save_mobility(store: Any, values: dict[str, str]) -> None:
    data = {
        **given(values, {**DAY, **CLIENT_ID, "left": number, "right": number}),
        "moment": values.get("moment", "other"),
    }
    save_mobility(store, data, common.now())


@router.post("/checkins/knee-to-wall", name="mobility_log_save")
async def mobility_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await MOBILITY.post(request, pages, partial(_save_mobility, store), saved="mobility")


def _session_context() -> tuple[dict[str, str], dict[str, Any]]:
    today = services.today_of(common.now()).isoformat()
    return {**SESSION_DEFAULTS, "day": today}, {"tools": TOOLS, "legs": LEGS, "today": today}


SESSION = FormPage("checkin_session.html", SESSION_IDS, _session_context, then="checkins")


@router.get("/checkins/session", name="session_log")
def session_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a session done without the guided session page (as ``calfcare log session``)."""
    return SESSION.show(request, pages)


def _save_session(store: Any, values: dict[str, str]) -> None:
    seconds_text = values.get("seconds", "").strip()
    try:
        seconds: object = float(seconds_text) if seconds_text else None
    except ValueError:
        seconds = seconds_text
    data = {
        **given(values, {**DAY, **CLIENT_ID}),
        "tool": values.get("tool"),
        "legs": [x for x in values.get("legs", "").split(",") if x],
        "seconds": seconds,
        "tender_spots": [s for s in values.get("tender", "").replace(",", " ").split() if s],
    }
    save_manual_session(store, data, common.now())


@router.post("/checkins/session", name="session_log_save")
async def session_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await SESSION.post(request, pages, partial(_save_session, store), saved="session")
