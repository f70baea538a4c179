"""Passkeys on the web (server mode): add one on the account page, remove one, sign in with one.

Each ceremony is two requests. The page's script (``static/passkeys.js``) posts the form
token to ``…/options`` and gets the options for ``navigator.credentials`` as JSON; the
ceremony's key goes in a short-lived HttpOnly cookie (`COOKIE`, five minutes, SameSite=Strict,
``__Host-`` over HTTPS), its challenge stays in the database (`calfcare.services.passkeys`).
Then the script puts the browser's answer in a hidden field and submits the page's form: an
ordinary form like the others (the CSRF token, 303, or the page again saying what to fix).

The site a passkey is made for and the origin the browser must be on come from the request
the security middleware already checked: its Host (one of the names this server answers to,
``--allowed-host``) and its scheme (HTTPS behind the proxy, from the trusted
``X-Forwarded-Proto``), as for the Origin check on every form. A passkey needs a host name:
on ``127.0.0.1`` the pages offer no passkey and the options are refused in words
(``localhost`` works).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from calfcare.core.errors import Problem
from calfcare.core.passkeys import CHALLENGE_LIFETIME
from calfcare.services import accounts, passkeys
from calfcare.web import auth, deps, errors
from calfcare.web.account_pages import (
    account_view,
    address_of,
    sign_in_refused,
    signed_in,
    site_of,
)
from calfcare.web.forms import form_values, submit
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)
COOKIE = "calfcare_passkey"
SECURE_COOKIE = "__Host-calfcare_passkey"
NO_SITE = (
    "Passkeys need this site's name in the address (for example localhost), not a number "
    "such as 127.0.0.1. Open the site by its name and try again."
)


def _cookie_name(request: Request) -> str:
    return SECURE_COOKIE if request.url.scheme == "https" else COOKIE


def _options(request: Request, started: passkeys.Started) -> Response:
    response = Response(started.options, media_type="application/json")
    response.set_cookie(
        _cookie_name(request), started.key, max_age=int(CHALLENGE_LIFETIME.total_seconds()),
        path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


def _forget(request: Request, response: Response) -> Response:
    """The ceremony is over (done or refused): the browser drops its key."""
    response.delete_cookie(
        _cookie_name(request), path="/", httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


def _no_site(request: Request) -> Response:
    return errors.error_response(request.scope, 422, {"error": NO_SITE, "problems": []})


@router.post("/sign-in/passkey/options", name="passkey_sign_in_options")
async def sign_in_options(request: Request) -> Response:
    """Begin signing in with a passkey: the options for ``navigator.credentials.get``; too
    many from one address: 429 (``Retry-After``) in words, as the error JSON."""
    site = site_of(request)
    if site is None:
        return _no_site(request)
    store = await run_in_threadpool(deps.base_store, request.app)
    started = await run_in_threadpool(
        passkeys.sign_in_options, store, site, address_of(request), auth.now()
    )
    return _options(request, started)


@router.post("/sign-in/passkey", name="passkey_sign_in")
async def sign_in_post(request: Request, pages: PagesDep) -> Response:
    """The browser's answer: a new session (as a password's), or the sign-in page again
    with the one answer every failure gets."""
    values = await form_values(request)
    address = address_of(request)
    key = request.cookies.get(_cookie_name(request))
    store = await run_in_threadpool(deps.base_store, request.app)
    try:
        signed = await run_in_threadpool(
            passkeys.sign_in, store, key, values.get("credential", ""), address, auth.now()
        )
    except accounts.SignInRefused as refused:
        shown = {k: v for k, v in values.items() if k != "credential"}
        return _forget(request, sign_in_refused(request, pages, shown, refused, "passkey"))
    response = await run_in_threadpool(signed_in, request, signed, values.get("next", "/"))
    return _forget(request, response)


@router.post("/account/passkeys/options", name="passkey_add_options")
async def add_options(request: Request) -> Response:
    """Begin adding a passkey: the options for ``navigator.credentials.create``, bound to
    this sign-in session."""
    account = auth.current_account(request)
    token = auth.session_token(request.scope)
    if account is None or token is None:
        raise deps.SignInRequired()
    site = site_of(request)
    if site is None:
        return _no_site(request)
    store = await run_in_threadpool(deps.base_store, request.app)
    started = await run_in_threadpool(passkeys.add_options, store, account, token, site, auth.now())
    return _options(request, started)


@router.post("/account/passkeys", name="passkey_add")
async def add_post(request: Request, pages: PagesDep) -> Response:
    """The browser's new passkey, with the name the person gave it: kept, or the account page
    again saying what to fix."""
    account = auth.current_account(request)
    token = auth.session_token(request.scope)
    if account is None or token is None:
        raise deps.SignInRequired()
    key = request.cookies.get(_cookie_name(request))

    def save(values: dict[str, str]) -> None:
        passkeys.add_passkey(deps.base_store(request.app), account, token, key,
                             values.get("credential", ""), values.get("name", ""),
                             auth.now())  # fmt: skip

    def refused(values: dict[str, str], problems: list[Problem]) -> Response:
        shown = {k: v for k, v in values.items() if k != "credential"}
        return _forget(request, account_view(request, pages, account, shown, problems))

    return await submit(
        request, save, in_thread=True, refused=refused,
        done=lambda _: _forget(request, RedirectResponse("/account?changed=added", 303)),
    )  # fmt: skip


@router.post("/account/passkeys/remove", name="passkey_remove")
async def remove_post(request: Request, pages: PagesDep) -> Response:
    """Remove one of the account's passkeys (its password, and its other passkeys, stay)."""
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()

    def save(values: dict[str, str]) -> None:
        passkeys.remove(deps.base_store(request.app), account.id, values.get("passkey", ""))

    return await submit(
        request, save, in_thread=True,
        refused=lambda values, problems: account_view(request, pages, account, values, problems),
        done=lambda _: RedirectResponse("/account?changed=removed", 303),
    )  # fmt: skip


def install(app: FastAPI) -> None:
    """Server mode: the passkey routes (personal mode has no accounts, so none)."""
    app.include_router(router)
