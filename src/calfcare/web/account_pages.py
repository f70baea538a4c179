"""Server mode's account pages: sign in, sign up (when allowed), sign out, change password.

Registered only in server mode (`install`); personal mode has no accounts and never asks
for one. Every form goes through `calfcare.web.forms` like the other pages: a refused form
comes back (422) with each problem in words; a refused sign-in says the same for an
unknown login and a wrong password, and how long to wait when throttled (429). A sign-in
sets a new token in the session cookie and a new form token (`csrf`); signing out revokes
the session and asks the browser to clear this site's caches and storage (the offline
queue and the pages kept for offline use: a shared device keeps nothing of the person).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.passkeys import relying_party_id
from calfcare.services import accounts, passkeys
from calfcare.storage.accounts import Account
from calfcare.storage.passkeys import Passkey
from calfcare.web import auth, csrf, deps
from calfcare.web.forms import form_page, form_values, submit
from calfcare.web.limits import host_name
from calfcare.web.route_index import Router
from calfcare.web.security import token_cookie
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)
CLEAR_SITE_DATA = '"cache", "storage"'
"""Drops this site's caches and storage in the browser: the pages and records kept offline,
and the service worker (cookies stay: the response sets the ones it means)."""

FIELD_IDS = {
    "login": "login",
    "password": "password",
    "current_password": "current_password",
    "new_password": "new_password",
    "confirm_password": "confirm_password",
    "passkey": "passkey",
    "name": "passkey_name",
}


def _page(
    request: Request,
    pages: PagesDep,
    template: str,
    values: dict[str, str],
    problems: list[Problem],
    status: int | None = None,
    **context: object,
) -> HTMLResponse:
    shown = {k: v for k, v in values.items() if "password" not in k}  # never sent back
    return form_page(
        request, pages, template, values=shown, problems=problems, field_ids=FIELD_IDS,
        status=status, passkeys_here=site_of(request) is not None,
        allow_sign_up=request.app.state.settings.allow_sign_up, **context,
    )  # fmt: skip


def site_of(request: Request) -> passkeys.Site | None:
    """The site a passkey is made for (the host name) and the origin the browser is on, from
    the request the security middleware checked; None on an address (an IP), where browsers
    refuse passkeys (`calfcare.web.passkey_pages`)."""
    host = request.headers.get("host", "").lower()
    name = host_name(host)
    rp_id = relying_party_id(name) if name is not None else None
    if rp_id is None:
        return None
    return passkeys.Site(rp_id, f"{request.url.scheme}://{host}")


def signed_in(request: Request, signed: accounts.SignedIn, target: str) -> Response:
    """Signed in: the new session's cookie, and a new form token with it. The browser's
    storage (records kept offline, kept pages) is cleared unless it was this account's own
    last sign-in: kept records are sent with whoever is signed in when they go, so another
    person's must never wait for this one (`_same_person`). Reads the database: call it
    in a worker thread."""
    response = RedirectResponse(auth.safe_next(target), status_code=303)
    auth.set_session_cookie(response, request.scope, signed.token)
    next_form_token(request, response, signed.token)
    if not _same_person(request, signed.account.id):
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def _same_person(request: Request, account_id: int) -> bool:
    """Whether the browser's last sign-in (its session cookie, even expired or revoked) was
    this account's. No cookie, or one no session has: not known, so not the same."""
    old = auth.session_token(request.scope)
    if old is None:
        return False
    return accounts.session_owner(deps.base_store(request.app), old) == account_id


def _signed_out(request: Request) -> Response:
    response = RedirectResponse("/sign-in", status_code=303)
    auth.clear_session_cookie(response, request.scope)
    next_form_token(request, response, None)  # the old token was the old session's
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def next_form_token(request: Request, response: Response, session: str | None) -> None:
    """A sign-in or sign-out sets the new session's form token with the session cookie,
    rather than deleting the old one for the next page to make: a request already on its
    way (the service worker's, while it installs) then carries a valid token and gets no
    token of its own, which, answered after the next page, would replace that page's token
    and refuse its form (`calfcare.web.csrf`)."""
    token = csrf.new_token(request.app.state.signing_secret, session)
    secure = request.scope.get("scheme") == "https"
    response.headers.append("set-cookie", token_cookie(token, secure=secure))


@router.get("/sign-in", name="sign_in")
async def sign_in_page(request: Request, pages: PagesDep, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return _page(request, pages, "sign_in.html", {"next": auth.safe_next(next)}, [])


@router.post("/sign-in", name="sign_in_post")
async def sign_in_post(request: Request, pages: PagesDep) -> Response:
    """Check the login name and password; a new session, or the form again."""
    values = await form_values(request)
    address = request.client.host if request.client else "unknown"
    store = await run_in_threadpool(deps.base_store, request.app)
    login, password = values.get("login", ""), values.get("password", "")
    try:
        signed = await run_in_threadpool(
            accounts.sign_in, store, login, password, address, auth.now()
        )
    except accounts.SignInRefused as refused:
        return sign_in_refused(request, pages, values, refused, "password")
    return await run_in_threadpool(signed_in, request, signed, values.get("next", "/"))


def sign_in_refused(request: Request, pages: PagesDep, values: dict[str, str],
                    refused: accounts.SignInRefused, field: str) -> HTMLResponse:  # fmt: skip
    """The sign-in page again, saying why (401), or how long to wait (429, Retry-After)."""
    status = 429 if refused.retry_after is not None else 401
    response = _page(request, pages, "sign_in.html", values, [Problem(field, str(refused))],
                     status=status)  # fmt: skip
    if refused.retry_after is not None:
        response.headers["Retry-After"] = str(int(refused.retry_after.total_seconds()) + 1)
    return response


@router.get("/sign-up", name="sign_up")
async def sign_up_page(request: Request, pages: PagesDep) -> HTMLResponse:
    """The form for a new account (only when this server allows sign-up)."""
    return _page(request, pages, "sign_up.html", {}, [])


@router.post("/sign-up", name="sign_up_post")
async def sign_up_post(request: Request, pages: PagesDep) -> Response:
    """Make the account and sign it in, or the form again naming what to fix."""
    address = request.client.host if request.client else "unknown"

    def save(values: dict[str, str]) -> accounts.SignedIn:
        password = values.get("password", "")
        if password != values.get("confirm_password", ""):
            problem = Problem("confirm_password", "The two passwords differ: type it again.")
            raise InvalidInput([problem])
        store = deps.base_store(request.app)
        accounts.sign_up(store, values.get("login", ""), password, auth.now())
        return accounts.sign_in(store, values.get("login", ""), password, address, auth.now())

    return await submit(
        request, save, in_thread=True,
        refused=lambda values, problems: _page(request, pages, "sign_up.html", values, problems),
        done=lambda signed: signed_in(request, signed, "/"),
    )  # fmt: skip


@router.get("/account", name="account")
async def account_page(request: Request, pages: PagesDep, changed: str = "") -> HTMLResponse:
    """Who is signed in, the change-password form and the sign-out button."""
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()
    shown = "" if changed not in ("1", "added", "removed") else changed
    return await run_in_threadpool(account_view, request, pages, account, {}, [], changed=shown)


def account_view(request: Request, pages: PagesDep, account: Account, values: dict[str, str],
                 problems: list[Problem], changed: str = "") -> HTMLResponse:  # fmt: skip
    """The account page, with the account's passkeys (a read: call it in a worker thread)."""
    keys = passkeys.of_account(deps.base_store(request.app), account.id)
    return _page(request, pages, "account.html", values, problems, login=account.login,
                 changed=changed, passkeys=[_shown(k) for k in keys])  # fmt: skip


def _shown(key: Passkey) -> dict[str, object]:
    used = key.last_used_at
    return {"id": key.id, "name": key.name, "added": _day(key.created_at),
            "used": _day(used) if used is not None else ""}  # fmt: skip


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


@router.post("/account/password", name="change_password")
async def change_password(request: Request, pages: PagesDep) -> Response:
    """Change the password (other sessions of the account end)."""
    account = auth.current_account(request)
    token = auth.session_token(request.scope)
    if account is None or token is None:
        raise deps.SignInRequired()

    def save(values: dict[str, str]) -> None:
        new = values.get("new_password", "")
        if new != values.get("confirm_password", ""):
            problem = Problem("confirm_password", "The two passwords differ: type it again.")
            raise InvalidInput([problem])
        store = deps.base_store(request.app)
        try:
            accounts.change_password(
                store, token, values.get("current_password", ""), new, auth.now()
            )
        except accounts.SignInRefused as refused:
            raise InvalidInput([Problem("current_password", str(refused))]) from None
        except InvalidInput as weak:
            raise InvalidInput(
                [Problem("new_password", p.message) for p in weak.problems]
            ) from None

    return await submit(
        request, save, in_thread=True,
        refused=lambda values, problems: account_view(request, pages, account, values, problems),
        done=lambda _: RedirectResponse("/account?changed=1", status_code=303),
    )  # fmt: skip


@router.post("/sign-out", name="sign_out")
async def sign_out(request: Request) -> Response:
    """End the session; the browser forgets this site's caches and stored data."""
    token = auth.session_token(request.scope)
    if token:
        store = await run_in_threadpool(deps.base_store, request.app)
        await run_in_threadpool(accounts.sign_out, store, token, auth.now())
    return _signed_out(request)


def install(app: FastAPI) -> None:
    """Server mode: the account pages (sign-up only when allowed) and account resolution."""
    if not app.state.settings.allow_sign_up:
        router_routes = [r for r in router.routes if getattr(r, "name", "") not in
                         ("sign_up", "sign_up_post")]  # fmt: skip
        trimmed = Router(include_in_schema=False)
        trimmed.routes.extend(router_routes)
        app.include_router(trimmed)
    else:
        app.include_router(router)
    auth.install(app)
