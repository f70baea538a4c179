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

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare import services
from calfcare.core.errors import Problem
from calfcare.core.levels import Leg
from calfcare.services import safety as safety_services
from calfcare.web.api.common import now, parse_day
from calfcare.web.deps import app_store
from calfcare.web.forms import client_id, form_page, submit
from calfcare.web.route_index import Router
from calfcare.web.safety_gate import gate_context, read_gate
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

BACK_PATHS = ("/", "/plan", "/session", "/safety")
"""Where the pain-check form may send the person back to (a local page, never a full URL:
no open redirect)."""
FIELD_IDS = {"day": "clearance-day", "leg": "pain-checks", "hold": "clearance-day"}


@router.get("/safety", name="safety")
async def safety_page(request: Request, pages: PagesDep) -> HTMLResponse:
    """Today's safety state in words, with the clearance and pain-check forms."""
    return await run_in_threadpool(_page, request, pages, {}, [])


def _page(
    request: Request, pages: Pages, values: dict[str, str], problems: list[Problem]
) -> HTMLResponse:
    gate = read_gate(request.app)
    context: dict[str, Any] = gate_context(gate, Leg, back="/safety")
    context["pain_checks"] = list(gate.state.pain_checks)  # every calf's, even during a hold
    return form_page(
        request,
        pages,
        "safety.html",
        values=values,
        problems=problems,
        field_ids=FIELD_IDS,
        state=gate.state,
        **context,
    )


async def _submit(
    request: Request, pages: Pages, save: Callable[[dict[str, str]], str]
) -> Response:
    """A safety form, in a worker thread (it reads today's state to show itself again):
    saved, to the page ``save`` names; refused, the safety page again (422)."""
    return await submit(
        request,
        save,
        refused=partial(_page, request, pages),
        done=lambda url: RedirectResponse(url, status_code=303),
        in_thread=True,
    )


@router.post("/safety/clearance", name="safety_clearance")
async def clearance(request: Request, pages: PagesDep) -> Response:
    """Record that a clinician ruled out a clot (the day: the form's, default today)."""

    def save(values: dict[str, str]) -> str:
        moment = now()
        given = values.get("day", "").strip() or None  # a blank field: today
        day = parse_day(given, services.today_of(moment))
        safety_services.record_clearance(
            app_store(request.app), day=day, now=moment, client_id=client_id(values)
        )
        return str(request.app.url_path_for("home"))

    return await _submit(request, pages, save)


@router.post("/safety/pain-checked", name="safety_pain_checked")
async def pain_checked(request: Request, pages: PagesDep) -> Response:
    """Record that a calf's sharp pain has gone or been checked; back where it was asked."""

    def save(values: dict[str, str]) -> str:
        leg = values.get("leg", "")
        safety_services.confirm_pain_checked(
            app_store(request.app), leg=leg, now=now(), client_id=client_id(values)
        )
        return _back(values.get("back", ""))

    return await _submit(request, pages, save)


def _back(value: str) -> str:
    """``value`` when it is one of our pages (path and query only), else the home page."""
    if len(value) > 2000 or not value.isascii():
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path not in BACK_PATHS or "\\" in value:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
