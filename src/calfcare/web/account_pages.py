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

from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare.core.accounts import network_of
from calfcare.core.day_words import day_text
from calfcare.core.errors import InvalidInput, Problem, TooManyTries
from calfcare.core.passkeys import relying_party_id
from calfcare.services import accounts, passkeys
from calfcare.storage.accounts import Account
from calfcare.storage.passkeys import Passkey
from calfcare.web import auth, csrf, deps, errors
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


def address_of(request: Request) -> str:
    """The network a request comes from, as the throttles count it (an IPv6 address's /64:
    `core.accounts.network_of`)."""
    return network_of(request.client.host) if request.client else "unknown"


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
    address = address_of(request)
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
    return _refused(request, pages, "sign_in.html", values, Problem(field, str(refused)),
                    refused.retry_after)  # fmt: skip


def _refused(request: Request, pages: PagesDep, template: str, values: dict[str, str],
             problem: Problem, wait: timedelta | None) -> HTMLResponse:  # fmt: skip
    """The form again with ``problem``: 401, or 429 and ``Retry-After`` when ``wait``."""
    response = _page(request, pages, template, values, [problem],
                     status=401 if wait is None else 429)  # fmt: skip
    return response if wait is None else errors.wait_header(response, wait)


@router.get("/sign-up", name="sign_up")
async def sign_up_page(request: Request, pages: PagesDep) -> HTMLResponse:
    """The form for a new account (only when this server allows sign-up)."""
    return _page(request, pages, "sign_up.html", {}, [])


def confirmed(values: dict[str, str], field: str) -> str:
    """The new password typed in ``field``; `InvalidInput` naming ``confirm_password`` when
    it was typed differently there."""
    password = values.get(field, "")
    if password != values.get("confirm_password", ""):
        problem = Problem("confirm_password", "The two passwords differ: type it again.")
        raise InvalidInput([problem])
    return password


@router.post("/sign-up", name="sign_up_post")
async def sign_up_post(request: Request, pages: PagesDep) -> Response:
    """Make the account and sign it in, or the form again naming what to fix; too many new
    accounts from one address: the form again saying how long to wait (429)."""
    values = await form_values(request)
    address, now = address_of(request), auth.now()

    def save() -> Response:
        login, store = values.get("login", ""), deps.base_store(request.app)
        try:
            password = confirmed(values, "password")
            accounts.sign_up(store, login, password, now, address=address)
        except InvalidInput as error:
            return _page(request, pages, "sign_up.html", values, error.problems)
        except TooManyTries as many:
            return _refused(request, pages, "sign_up.html", values,
                            Problem("login", str(many)), many.retry_after)  # fmt: skip
        try:
            signed = accounts.sign_in(store, login, password, address, now)
        except accounts.SignInRefused as refused:  # made, but this address must wait
            return sign_in_refused(request, pages, {"login": login}, refused, "password")
        return signed_in(request, signed, "/")

    return await run_in_threadpool(save)


@router.get("/account", name="account")
async def account_page(request: Request, pages: PagesDep, changed: str = "") -> HTMLResponse:
    """Who is signed in, the change-password form and the sign-out button."""
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()
    shown = "" if changed not in ("1", "added", "removed", "others") else changed
    return await run_in_threadpool(account_view, request, pages, account, {}, [], changed=shown)


def account_view(request: Request, pages: PagesDep, account: Account, values: dict[str, str],
                 problems: list[Problem], changed: str = "") -> HTMLResponse:  # fmt: skip
    """The account page, with the account's passkeys and how many other sign-ins it has
    (reads: call it in a worker thread)."""
    store = deps.base_store(request.app)
    keys = passkeys.of_account(store, account.id)
    token = auth.session_token(request.scope)
    others = accounts.other_sign_ins(store, account, token, auth.now()) if token else 0
    return _page(request, pages, "account.html", values, problems, login=account.login,
                 changed=changed, passkeys=[_shown(k) for k in keys],
                 other_sign_ins=others)  # fmt: skip


def _shown(key: Passkey) -> dict[str, object]:
    used = key.last_used_at
    return {"id": key.id, "name": key.name, "added": _day(key.created_at),
            "used": _day(used) if used is not None else ""}  # fmt: skip


def _day(moment: datetime) -> str:
    return day_text(moment)


async def _account_form(
    request: Request, pages: PagesDep, save: Callable[[dict[str, str], str], None], changed: str
) -> Response:
    """A form of the account page: ``save(values, token)`` for the signed-in session, then
    the page again with its ``changed`` notice (or the form's problems)."""
    account = auth.current_account(request)
    token = auth.session_token(request.scope)
    if account is None or token is None:
        raise deps.SignInRequired()
    return await submit(
        request, lambda values: save(values, token), in_thread=True,
        refused=lambda values, problems: account_view(request, pages, account, values, problems),
        done=lambda _: RedirectResponse(f"/account?changed={changed}", status_code=303),
    )  # fmt: skip


@router.post("/account/password", name="change_password")
async def change_password(request: Request, pages: PagesDep) -> Response:
    """Change the password (other sessions of the account end)."""

    def save(values: dict[str, str], token: str) -> None:
        new = confirmed(values, "new_password")
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

    return await _account_form(request, pages, save, "1")


@router.post("/account/sign-out-others", name="sign_out_others")
async def sign_out_others(request: Request, pages: PagesDep) -> Response:
    """End every other sign-in of the account (this one stays)."""

    def save(values: dict[str, str], token: str) -> None:
        try:
            accounts.sign_out_others(deps.base_store(request.app), token, auth.now())
        except accounts.SignInRefused:
            raise deps.SignInRequired() from None

    return await _account_form(request, pages, save, "others")


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
