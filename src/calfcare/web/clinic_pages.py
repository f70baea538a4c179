"""The clinician's pages (server mode only): their list of people, red flags first, and
inviting a person (a short code, a link and its QR code).

Who passes is `calfcare.web.clinic_access`'s: a signed-in clinician only (anyone else gets
403 in words), for the people who share with them now (anyone else's id: a 404 that says
nothing). The list (`services.clinic_list.clinician_list`) checks the shares in the
database on every call; each person's line is stored in the database under their data
version and the day (migration 0009), so every worker shares it; a line that is not
current shows red flags worked out from the records and older trends labelled, and is
computed after the response (`web.after_response`). `install` adds these
pages and a person's pages (`calfcare.web.clinic_person_pages`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare import services
from calfcare.core.day_words import day_text
from calfcare.core.whole_number import whole_number
from calfcare.services import clinic
from calfcare.web import auth, clinic_person_pages, deps, shown_once
from calfcare.web.clinic_access import clinician_of, not_shared, person_id_of
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)


@router.get("/clinic", name="clinic")
def clinic_list(request: Request, pages: PagesDep, stopped: str = "") -> HTMLResponse:
    """The clinician's people, red flags first, then adherence this week, then trends."""
    account = clinician_of(request)
    store = deps.base_store(request.app)
    lines = services.clinician_list(store, account, auth.now())
    return pages.render(request, "clinic_list.html", lines=lines, stopped=stopped == "1")


@router.get("/clinic/invite", name="clinic_invite")
def invite_page(
    request: Request, pages: PagesDep, revoked: str = "", made: str = ""
) -> HTMLResponse:
    """How inviting works, and the button that makes an invitation; after one is made
    (``made=1``), its code, link and QR code this once (`calfcare.web.shown_once`)."""
    clinician_of(request)
    count = whole_number(revoked, 5)
    kept = shown_once.take(request, "invite") if made == "1" else None
    shown = None
    if kept is not None:
        link = kept.get("link", "")
        shown = {**kept, "qr": Markup(clinic.invite_qr_svg(link))}  # segno escapes the link
    page = pages.render(
        request, "clinic_invite.html", made=shown, shown_before=made == "1" and shown is None,
        revoked=count, current="clinic",
    )  # fmt: skip
    return shown_once.forget(request, page)


@router.post("/clinic/invite", name="clinic_invite_post")
def invite_post(request: Request) -> Response:
    """A new invitation, shown once on the page this redirects to (only a hash of the code
    is kept): a reload of that page does not make another. The link's host is the one this
    request came to (behind the proxy, the scheme it forwarded)."""
    account = clinician_of(request)
    made = clinic.invite(deps.base_store(request.app), account, auth.now())
    shown = {
        "code": f"{made.code[:4]} {made.code[4:]}",
        "link": str(request.base_url).rstrip("/") + made.link_path,
        "expires": day_text(made.expires_at.astimezone()),
    }
    return shown_once.redirect_showing(request, "/clinic/invite?made=1", "invite", shown)


@router.post("/clinic/invite/revoke", name="clinic_invite_revoke")
def invite_revoke(request: Request) -> Response:
    """Every open invitation of this clinician stops working (accepted ones stay)."""
    account = clinician_of(request)
    count = clinic.clinician_revoke(deps.base_store(request.app), account, auth.now())
    return RedirectResponse(f"/clinic/invite?revoked={count}", status_code=303)


@router.post("/clinic/people/{person_id}/stop", name="clinic_stop")
def stop_seeing(request: Request, person_id: str) -> Response:
    """The clinician stops seeing a person (the share ends at once; the person sees it
    stopped on their sharing page)."""
    account = clinician_of(request)
    pid = person_id_of(person_id)
    store = deps.base_store(request.app)
    if clinic.clinician_revoke(store, account, auth.now(), person_id=pid) == 0:
        raise not_shared()
    return RedirectResponse("/clinic?stopped=1", status_code=303)


def install(app: FastAPI) -> None:
    """Server mode: the clinician's pages."""
    app.include_router(router)
    app.include_router(clinic_person_pages.router)
