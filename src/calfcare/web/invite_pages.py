"""The person's side of an invitation (server mode): open the link or type the code, see who
invites and what would be shared, then share (signed in) or make an account that shares.

- ``GET /invite``: a form to type a short code (it goes to ``/invite/CODE``).
- ``GET /invite/{code}``: who invites and what they would see. Anonymous: make an account
  here (`services.invitations.accept_new`, even when open sign-up is off: the invitation is
  the permission) or sign in and come back. Signed in: one button, "Share with …".
- ``POST /invite/{code}/accept`` (signed in) and ``POST /invite/{code}/new-account``.

A wrong code (unknown, used, revoked, expired) gets one page in words (404), the same for
each, and counts against the address like a refused sign-in (429 after too many:
`services.invitations`). Only the two public paths are in `web.auth`'s public list.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare.core.accounts import Role
from calfcare.core.errors import InvalidInput, NotAllowed, Problem
from calfcare.services import clinic, invitations
from calfcare.web import auth, deps, errors
from calfcare.web.account_pages import FIELD_IDS, address_of, signed_in
from calfcare.web.forms import form_page, form_values
from calfcare.web.route_index import Router
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

SHARED = (
    "your safety checks and next-day checks, and any hold on massage they started",
    "your sessions: the tool, the calves, the time per calf, skipped steps and stops for pain",
    "your soreness ratings, knee-to-wall measurements and notes",
    "a split-leg experiment, if you run one",
)
"""What a clinician sees once a person shares: all their calfcare records, read-only."""


def refused(request: Request, pages: Pages, error: Exception) -> HTMLResponse:
    """The page for an invitation that cannot be used: a wrong code (404, the same words
    whatever the reason), too many tries (429 with Retry-After), or the wrong kind of
    account (403)."""
    status, retry = 404, None
    if isinstance(error, invitations.CodeThrottled):
        status, retry = 429, error.retry_after
    elif isinstance(error, NotAllowed):
        status = 403
    message = str(error) if not isinstance(error, InvalidInput) else clinic.BAD_CODE
    response = pages.render(request, "invite_refused.html", status=status, message=message,
                            throttled=retry is not None)  # fmt: skip
    return response if retry is None else errors.wait_header(response, retry)


def _page(
    request: Request,
    pages: Pages,
    code: str,
    invited: invitations.Invited,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> HTMLResponse:
    account = auth.current_account(request)
    shown = {k: v for k, v in (values or {}).items() if "password" not in k}
    return form_page(
        request, pages, "invite.html", values=shown, problems=problems or [],
        field_ids=FIELD_IDS, code=code, invited=invited,
        shared=SHARED, account=account,
        person=account is not None and account.role is Role.PERSON,
        sign_in_next=quote(f"/invite/{code}", safe=""),
    )  # fmt: skip


@router.get("/invite", name="invite_code")
async def invite_code(request: Request, pages: PagesDep, code: str = "") -> Response:
    """Type the short code from the clinician (``?code=`` goes on to its page)."""
    typed = clinic.normalise_code(code)
    if typed and typed.isascii() and typed.isalnum() and len(typed) <= 64:
        return RedirectResponse(f"/invite/{typed}", status_code=303)
    problems = [Problem("code", "Type the 8 letters and digits your clinician gave you.")]
    return form_page(
        request, pages, "invite_code.html", values={"code": code},
        problems=problems if code else [], field_ids={"code": "code"},
    )  # fmt: skip


@router.get("/invite/{code}", name="invite")
async def invite_page(request: Request, pages: PagesDep, code: str) -> Response:
    """Who invites, what would be shared, and how to accept."""
    store = await run_in_threadpool(deps.base_store, request.app)
    try:
        invited = await run_in_threadpool(
            invitations.invitation, store, code, address_of(request), auth.now()
        )
    except (InvalidInput, invitations.CodeThrottled) as error:
        return refused(request, pages, error)
    return _page(request, pages, clinic.normalise_code(code), invited)


@router.post("/invite/{code}/accept", name="invite_accept")
async def invite_accept(request: Request, pages: PagesDep, code: str) -> Response:
    """The signed-in person shares with the clinician; on to what they share."""
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()
    store = await run_in_threadpool(deps.base_store, request.app)
    try:
        await run_in_threadpool(
            invitations.accept, store, code, account, address_of(request), auth.now()
        )
    except (InvalidInput, invitations.CodeThrottled, NotAllowed) as error:
        return refused(request, pages, error)
    return RedirectResponse("/sharing?accepted=1", status_code=303)


@router.post("/invite/{code}/new-account", name="invite_new_account")
async def invite_new_account(request: Request, pages: PagesDep, code: str) -> Response:
    """Make an account from the invitation, sharing, and sign it in."""
    values = await form_values(request)
    address, now = address_of(request), auth.now()
    login, password = values.get("login", ""), values.get("password", "")

    def save() -> Response:
        store = deps.base_store(request.app)
        try:
            invited = invitations.invitation(store, code, address, now)
        except (InvalidInput, invitations.CodeThrottled) as error:
            return refused(request, pages, error)
        if password != values.get("confirm_password", ""):
            problem = Problem("confirm_password", "The two passwords differ: type it again.")
            return _page(request, pages, clinic.normalise_code(code), invited, values, [problem])
        try:
            made = invitations.accept_new(store, code, login, password, address, now)
        except InvalidInput as error:
            if any(p.field == "code" for p in error.problems):  # used meanwhile
                return refused(request, pages, error)
            return _page(request, pages, clinic.normalise_code(code), invited, values,
                         error.problems)  # fmt: skip
        except invitations.CodeThrottled as error:
            return refused(request, pages, error)
        if made is None:  # made and sharing, but sign-in refused it for now
            return RedirectResponse("/sign-in?next=%2Fsharing", status_code=303)
        return signed_in(request, made, "/sharing?accepted=1")

    return await run_in_threadpool(save)
