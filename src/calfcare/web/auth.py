"""Server mode's sign-in: the session cookie, the request's account, and who may not pass.

`AccountMiddleware` (server mode only) reads the session cookie once per request, turns it
into the account (`calfcare.services.accounts.session_account`) and sets `deps.PERSON` for
the request, so `deps.app_store` / `StoreDep` give that person's store. A request that asks
for person data without one ends in `SignInRequired`: a page redirects (303) to the sign-in
page with ``next``, the API answers 401 in the one JSON error shape (`errors`).

The cookie holds the random sign-in token (only its hash is stored): HttpOnly,
SameSite=Lax, and over HTTPS ``Secure`` with the ``__Host-`` prefix (no Domain, Path=/: no
other host name can set or read it).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from calfcare.services import accounts
from calfcare.storage.accounts import Account
from calfcare.storage.version import versions_kept
from calfcare.web import deps, errors

COOKIE = "calfcare_session"
SECURE_COOKIE = "__Host-calfcare_session"
MAX_AGE = 30 * 24 * 3600
SIGN_IN_FIRST = "Sign in first: these records belong to an account."

PUBLIC_PATHS = frozenset({
    "/sign-in", "/sign-up", "/sign-out", "/sign-in/passkey", "/sign-in/passkey/options",
    "/screening", "/screening/answers.json",
    "/learn", "/mobility/knee-to-wall", "/favicon.ico", "/manifest.webmanifest", "/sw.js",
    "/openapi.json", "/api/screening", "/api/screening/questions", "/api/learn", "/api/sources",
})  # fmt: skip
"""What anyone may ask a server for without signing in: the account pages (and signing in
with a passkey), the screening form and its pure check (recording a screening needs an
account), the fixed content, and what the browser and the offline app need. Everything else
is refused to an anonymous request before any route runs, so a new route is private until it
is listed here."""


PUBLIC_SHAPES = (
    ("GET", re.compile(r"/invite(/[^/]+)?")),
    ("POST", re.compile(r"/invite/[^/]+/new-account")),
    ("GET", re.compile(r"/calendar/[^/]+\.ics")),
)
"""Server mode's public routes with a parameter, by method and exact shape (issue 16): an
invitation's page and its new-account form (the code is the permission; accepting it signed
in is not public), and a calendar feed (the token is the permission)."""


def is_public(scope: Scope) -> bool:
    path: str = scope["path"]
    if path == "/screening" and scope.get("method") != "GET":
        return False  # its steps record the screening: that needs an account
    if path in PUBLIC_PATHS or path.startswith("/static/"):
        return True
    method = "GET" if scope.get("method") == "HEAD" else scope.get("method")
    return any(method == m and shape.fullmatch(path) for m, shape in PUBLIC_SHAPES)


def cookie_name(scope: Scope) -> str:
    return SECURE_COOKIE if scope.get("scheme") == "https" else COOKIE


def session_token(scope: Scope) -> str | None:
    """The sign-in token the browser sent (the ``__Host-`` cookie over HTTPS)."""
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no session
                return None
            found = jar.get(cookie_name(scope))
            return found.value if found is not None and found.value else None
    return None


def set_session_cookie(response: Response, scope: Scope, token: str) -> None:
    response.set_cookie(
        cookie_name(scope), token, max_age=MAX_AGE, path="/", httponly=True,
        samesite="lax", secure=scope.get("scheme") == "https",
    )  # fmt: skip


def clear_session_cookie(response: Response, scope: Scope) -> None:
    response.delete_cookie(
        cookie_name(scope), path="/", httponly=True, samesite="lax",
        secure=scope.get("scheme") == "https",
    )  # fmt: skip


def current_account(request: Request) -> Account | None:
    """The request's signed-in account (resolved once, by the middleware), or None."""
    account: Account | None = request.scope.get("calfcare_account")
    return account


def now() -> datetime:
    return datetime.now(UTC)


READS = frozenset({"GET", "HEAD"})
"""Requests answered from one data version (`calfcare.storage.version.versions_kept`): the
sign-in lookup reads the person's version in the same statement, and every cached read of
the request reuses it (a write in the request makes the next ask read it again)."""


class AccountMiddleware:
    """Resolve the session cookie to an account, once per request (server mode only)."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if scope.get("method") in READS:
            with versions_kept(), deps.request_kept():
                await self._serve(scope, receive, send)
        else:
            await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = session_token(scope)
        account = None
        if token:  # one worker thread: opening the store (first use), then the lookup
            account = await run_in_threadpool(self._account, token)
        scope["calfcare_account"] = account
        if account is None and not is_public(scope):
            await refusal(scope)(scope, receive, send)
            return
        marker = deps.PERSON.set(account.person_id if account is not None else None)
        try:
            await self.app(scope, receive, send)
        finally:
            deps.PERSON.reset(marker)

    def _account(self, token: str) -> Account | None:
        return accounts.session_account(deps.base_store(self.fastapi_app), token, now())


def sign_in_url(scope: Scope) -> str:
    """The sign-in page, with ``next``: where to go back to (a path on this site only)."""
    target = scope["path"]
    query = scope.get("query_string", b"")
    if query:
        target += "?" + query.decode("latin-1")
    if scope.get("method") != "GET":
        target = "/"
    return f"/sign-in?next={quote(target, safe='')}"


def safe_next(value: str | None) -> str:
    """A ``next`` that stays on this site (``/…``, never ``//host`` or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def refusal(scope: Scope) -> Response:
    """What an anonymous request for person data gets: the API 401 (the one error shape),
    a page a redirect (303) to the sign-in page."""
    if scope["path"].startswith("/api/"):
        body: dict[str, Any] = {"error": SIGN_IN_FIRST, "problems": []}
        return errors.error_response(scope, 401, body)
    return RedirectResponse(sign_in_url(scope), status_code=303)


def install(app: FastAPI) -> None:
    """Server mode: resolve accounts, and turn `SignInRequired` into 303 or 401."""

    async def on_sign_in_required(request: Request, exc: Exception) -> Response:
        return refusal(request.scope)

    app.add_exception_handler(deps.SignInRequired, on_sign_in_required)
    app.add_middleware(AccountMiddleware, fastapi_app=app)
