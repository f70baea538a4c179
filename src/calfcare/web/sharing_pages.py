"""The person's *Sharing* page (server mode): with whom their records are shared, since
when, exactly what, a "Stop sharing" button per clinician (access ends at once), who opened
what and when (the audit log), and the prescription's calendar links.

- ``GET /sharing``; ``POST /sharing/stop`` (field ``clinician``: the account id of a share);
- ``POST /sharing/calendar``: a new private feed link (only its hash is kept), shown once,
  as https and webcal addresses to copy, on the page it redirects to
  (`calfcare.web.shown_once`: a reload shows it no more, and makes no new one);
  ``POST /sharing/calendar/off``: every feed link stops working;
  ``GET /sharing/calendar.ics``: the same calendar as a download, for the signed-in person.

`install` adds these pages, the invitation pages (`web.invite_pages`), the public feed
(`web.calendar_feed`) and the home page's prescription hook (`web.prescribed`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare.core.errors import Problem
from calfcare.core.prescription import prescription_words
from calfcare.core.whole_number import whole_number
from calfcare.services import clinic
from calfcare.storage.accounts import Account
from calfcare.web import auth, calendar_feed, deps, invite_pages, prescribed, shown_once
from calfcare.web.forms import form_page, form_values
from calfcare.web.route_index import Router
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

OPENED_WORDS = {
    "records": "your records",
    "history": "your history",
    "charts": "your charts",
    "insights": "whether it is helping (insights)",
    "export": "an export of all your records",
    "prescription": "your records, to write your routine",
}
"""What a clinician opened, as the audit log says it (`services.clinic.OPENED`)."""
FIELD_IDS = {"clinician": "shares", "calendar": "calendar"}


def _account(request: Request) -> Account:
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()
    return account


def _context(app: FastAPI, account: Account) -> dict[str, Any]:
    store = deps.base_store(app)
    shares = clinic.shares_of(store, account.person_id)
    found = clinic.prescription_of(store, account.person_id)
    return {
        "on": [s for s in shares if s.stopped_at is None],
        "ended_shares": [s for s in shares if s.stopped_at is not None],
        "shared": invite_pages.SHARED,
        "prescription": None if found is None else prescription_words(found.prescription),
        "note": "" if found is None else found.prescription.note,
        "audit": [
            (e.clinician_login, OPENED_WORDS.get(e.what, e.what), e.at.astimezone())
            for e in clinic.audit_log(store, account.person_id)
        ],
    }


async def _page(
    request: Request,
    pages: Pages,
    problems: list[Problem] | None = None,
    **extra: Any,
) -> HTMLResponse:
    account = _account(request)
    context = await run_in_threadpool(_context, request.app, account)
    query = request.query_params
    return form_page(
        request, pages, "sharing.html", values={}, problems=problems or [],
        field_ids=FIELD_IDS, **context,
        accepted=query.get("accepted") == "1", stopped=query.get("stopped") == "1",
        calendar_off=query.get("calendar") == "off", feed=extra.get("feed"),
        feed_shown_before=query.get("calendar") == "new" and extra.get("feed") is None,
    )  # fmt: skip


@router.get("/sharing", name="sharing")
async def sharing_page(request: Request, pages: PagesDep) -> HTMLResponse:
    """What is shared with whom, the audit log, and the calendar links; after a new link
    (``calendar=new``), the link this once (`calfcare.web.shown_once`)."""
    kept = shown_once.take(request, "calendar") if request.query_params.get("calendar") else None
    feed = None if kept is None else _feed_urls(request, kept.get("path", ""))
    return shown_once.forget(request, await _page(request, pages, feed=feed))


@router.post("/sharing/stop", name="sharing_stop")
async def sharing_stop(request: Request, pages: PagesDep) -> Response:
    """Stop sharing with one clinician, at once."""
    account = _account(request)
    raw = (await form_values(request)).get("clinician", "")
    stopped = False
    clinician_id = whole_number(raw, 18)
    if clinician_id is not None:
        stopped = await run_in_threadpool(
            clinic.stop_sharing, deps.base_store(request.app), account.person_id, clinician_id,
            auth.now(),
        )  # fmt: skip
    if not stopped:
        problem = Problem("clinician", "You do not share with that clinician now: nothing to stop.")
        return await _page(request, pages, [problem])
    return RedirectResponse("/sharing?stopped=1", status_code=303)


def _feed_urls(request: Request, path: str) -> dict[str, str]:
    https = str(request.base_url).rstrip("/") + path
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


@router.post("/sharing/calendar", name="sharing_calendar")
async def sharing_calendar(request: Request, pages: PagesDep) -> Response:
    """A new private calendar link for the prescription, shown once."""
    account = _account(request)
    store = await run_in_threadpool(deps.base_store, request.app)
    if await run_in_threadpool(clinic.prescription_of, store, account.person_id) is None:
        problem = Problem("calendar", "There is no routine from a physio or coach to put in a "
                          "calendar yet.")  # fmt: skip
        return await _page(request, pages, [problem])
    path = await run_in_threadpool(clinic.create_feed, store, account.person_id, auth.now())
    return shown_once.redirect_showing(
        request, "/sharing?calendar=new#calendar", "calendar", {"path": path}
    )


@router.post("/sharing/calendar/off", name="sharing_calendar_off")
async def sharing_calendar_off(request: Request) -> Response:
    """Every calendar link of the person stops working."""
    account = _account(request)
    store = await run_in_threadpool(deps.base_store, request.app)
    await run_in_threadpool(clinic.revoke_feeds, store, account.person_id, auth.now())
    return RedirectResponse("/sharing?calendar=off", status_code=303)


@router.get("/sharing/calendar.ics", name="sharing_calendar_download")
async def sharing_calendar_download(request: Request) -> Response:
    """The prescription's sessions as an ``.ics`` file (404 without a prescription)."""
    account = _account(request)
    store = await run_in_threadpool(deps.base_store, request.app)
    found = await run_in_threadpool(clinic.prescription_of, store, account.person_id)
    if found is None:
        return calendar_feed.not_found()
    from calfcare.core.calendar import prescription_calendar

    body = prescription_calendar(found.prescription, found.id, found.created_at)
    return calendar_feed.ics(body, download=True)


def install(app: FastAPI) -> None:
    """Server mode: the person's invitation, sharing and calendar pages, and the home
    page's prescription (``prescription_lead``)."""
    app.include_router(invite_pages.router)
    app.include_router(router)
    app.include_router(calendar_feed.router)
    app.state.pages.env.globals["prescription_lead"] = prescribed.lead_for
