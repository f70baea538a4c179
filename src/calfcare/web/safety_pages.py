"""The safety state's own page and its two forms (issue 11), for people:

- ``GET /safety``: today's state in words: the hold (its level, since when, why, the advice
  with sources, what lifts it) with the clearance form, the call for a new safety check
  after a clearance, and each calf's pending sharp-pain check.
- ``POST /safety/clearance``: "A clinician has ruled out a clot", with the day. Refused, with
  the reason on this page (422, nothing saved), when no hold is on, the day is before the
  hold began or after today. On success, back to the home page, which then asks for a new
  safety check before any massage.
- ``POST /safety/pain-checked``: "The pain has gone / been checked" for one calf; then back
  to the page that asked (the plan or the session, see ``back``), or home.

They write through the same services as ``POST /api/safety/clearances`` and
``/api/safety/pain-checks`` (`calfcare.services.safety`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.services import safety as safety_services
from calfcare.web.api.common import now, parse_day
from calfcare.web.deps import app_store
from calfcare.web.safety_gate import gate_context, read_gate
from calfcare.web.templating import Pages, PagesDep

router = APIRouter(include_in_schema=False)

BACK_PATHS = ("/", "/plan", "/session", "/safety")
"""Where the pain-check form may send the person back to (a local page, never a full URL:
no open redirect)."""
FIELD_IDS = {"day": "clearance-day", "leg": "pain-checks", "hold": "clearance-day"}


@router.get("/safety", name="safety")
async def safety_page(request: Request, pages: PagesDep) -> HTMLResponse:
    """Today's safety state in words, with the clearance and pain-check forms."""
    return await run_in_threadpool(_page, request, pages, {}, [], 200)


def _page(
    request: Request,
    pages: Pages,
    values: dict[str, str],
    problems: list[Problem],
    status: int,
) -> HTMLResponse:
    gate = read_gate(request.app)
    context: dict[str, Any] = gate_context(gate, Leg, back="/safety")
    context["pain_checks"] = list(gate.state.pain_checks)  # every calf's, even during a hold
    return pages.render(
        request,
        "safety.html",
        status=status,
        state=gate.state,
        values=values,
        problems=problems,
        field_ids=FIELD_IDS,
        **context,
    )


async def _fields(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _client_id(values: dict[str, str]) -> str | None:
    return values.get("client_id", "").strip() or None


@router.post("/safety/clearance", name="safety_clearance")
async def clearance(request: Request, pages: PagesDep) -> Response:
    """Record that a clinician ruled out a clot (the day: the form's, default today)."""
    values = await _fields(request)

    def write() -> Response:
        moment = now()
        given = values.get("day", "").strip() or None  # a blank field: today
        day = parse_day(given, services.today_of(moment))
        try:
            safety_services.record_clearance(
                app_store(request.app), day=day, now=moment, client_id=_client_id(values)
            )
        except InvalidInput as error:
            return _page(request, pages, values, error.problems, 422)
        url = request.app.url_path_for("home")
        return RedirectResponse(str(url), status_code=303)

    return await run_in_threadpool(write)


@router.post("/safety/pain-checked", name="safety_pain_checked")
async def pain_checked(request: Request, pages: PagesDep) -> Response:
    """Record that a calf's sharp pain has gone or been checked; back where it was asked."""
    values = await _fields(request)

    def write() -> Response:
        try:
            safety_services.confirm_pain_checked(
                app_store(request.app),
                leg=values.get("leg", ""),
                now=now(),
                client_id=_client_id(values),
            )
        except InvalidInput as error:
            return _page(request, pages, values, error.problems, 422)
        return RedirectResponse(_back(values.get("back", "")), status_code=303)

    return await run_in_threadpool(write)


def _back(value: str) -> str:
    """``value`` when it is one of our pages (path and query only), else the home page."""
    if len(value) > 2000 or not value.isascii():
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path not in BACK_PATHS or "\\" in value:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
