"""Logging by hand, as pages: a knee-to-wall test, and a session done without the guided
session page (as ``calfcare log mobility`` and ``calfcare log session``).

Both forms go through `calfcare.web.forms.submit` to the JSON API's own savers
(`calfcare.web.api.checkins.save_mobility`, `calfcare.web.api.sessions.save_manual_session`)
and, once saved, back to the check-ins page that says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.core.errors import Problem
from calfcare.web.api import common
from calfcare.web.api.checkins import save_mobility
from calfcare.web.api.sessions import save_manual_session
from calfcare.web.deps import StoreDep
from calfcare.web.forms import CLIENT_ID, DAY, form_page, given, number, see_other, submit
from calfcare.web.templating import Pages, PagesDep

router = APIRouter(include_in_schema=False)

MOBILITY_MOMENTS = (
    ("before", "Just before a session"),
    ("after", "Right after a session"),
    ("other", "On another day (no session)"),
)
TOOLS = (("foam-roller", "Foam roller"), ("ball", "Massage ball"), ("hands", "Hands"))
LEGS = (("left,right", "Both calves"), ("left", "Left calf"), ("right", "Right calf"))
MOBILITY_IDS = {"day": "day", "moment": "moment-0", "left": "left", "right": "right",
                "distance_cm": "left"}  # fmt: skip
SESSION_IDS = {"day": "day", "tool": "tool-0", "legs": "legs-0", "seconds": "seconds",
               "tender": "tender", "tender_spot": "tender"}  # fmt: skip
SESSION_DEFAULTS = {"legs": "left,right", "seconds": "150", "tool": "", "tender": ""}


def _mobility_page(
    request: Request, pages: Pages, values: Mapping[str, str], problems: list[Problem]
) -> HTMLResponse:
    today = services.today_of(common.now()).isoformat()
    return form_page(
        request,
        pages,
        "mobility_log.html",
        status=422 if problems else 200,
        values={"day": today, "moment": "other", "left": "", "right": "", **values},
        problems=problems,
        field_ids=MOBILITY_IDS,
        today=today,
        moments=MOBILITY_MOMENTS,
    )


@router.get("/checkins/knee-to-wall", name="mobility_log")
def mobility_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a knee-to-wall test: big toe to wall in cm, per leg."""
    moment = request.query_params.get("moment", "other")
    known = {m for m, _ in MOBILITY_MOMENTS}
    return _mobility_page(request, pages, {"moment": moment if moment in known else "other"}, [])


def _save_mobility(store: Any, values: dict[str, str]) -> None:
    data = {
        **given(values, {**DAY, **CLIENT_ID, "left": number, "right": number}),
        "moment": values.get("moment", "other"),
    }
    save_mobility(store, data, common.now())


@router.post("/checkins/knee-to-wall", name="mobility_log_save")
async def mobility_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await submit(
        request,
        lambda values: _save_mobility(store, values),
        refused=lambda values, problems: _mobility_page(request, pages, values, problems),
        done=lambda _: see_other(request, "checkins", saved="mobility"),
    )


def _session_page(
    request: Request, pages: Pages, values: Mapping[str, str], problems: list[Problem]
) -> HTMLResponse:
    today = services.today_of(common.now()).isoformat()
    return form_page(
        request,
        pages,
        "checkin_session.html",
        status=422 if problems else 200,
        values={**SESSION_DEFAULTS, "day": today, **values},
        problems=problems,
        field_ids=SESSION_IDS,
        tools=TOOLS,
        legs=LEGS,
        today=today,
    )


@router.get("/checkins/session", name="session_log")
def session_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a session done without the guided session page (as ``calfcare log session``)."""
    return _session_page(request, pages, {}, [])


def _save_session(store: Any, values: dict[str, str]) -> None:
    seconds_text = values.get("seconds", "").strip()
    try:
        seconds: object = float(seconds_text) if seconds_text else None
    except ValueError:
        seconds = seconds_text
    data = {
        **given(values, DAY),
        "tool": values.get("tool"),
        "legs": [x for x in values.get("legs", "").split(",") if x],
        "seconds": seconds,
        "tender_spots": [s for s in values.get("tender", "").replace(",", " ").split() if s],
    }
    save_manual_session(store, data, common.now())


@router.post("/checkins/session", name="session_log_save")
async def session_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await submit(
        request,
        lambda values: _save_session(store, values),
        refused=lambda values, problems: _session_page(request, pages, values, problems),
        done=lambda _: see_other(request, "checkins", saved="session"),
    )
