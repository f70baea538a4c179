"""One ASGI middleware for the safety of every response: host check, CSRF, headers.

Why a middleware and not a per-route dependency: protection that a new route has to ask for
is protection someone forgets. Everything here applies to every route, present and future:

- **Host check.** calfcare has no accounts yet, so the only thing between a web page in the
  same browser and the person's health answers is the Host header: a DNS-rebinding page on
  ``evil.example`` that resolves to 127.0.0.1 sends ``Host: evil.example``, which is refused.
- **Body size** (`calfcare.web.limits`). Every request body is bounded before any route
  reads it: a declared ``Content-Length`` over the path's limit is refused at once, and the
  body is read only up to the limit (413, the one error shape).
- **CSRF** (`calfcare.web.csrf`). Every unsafe request outside ``/api/`` must be an
  urlencoded form (or, on an upload path, a multipart one) whose ``csrftoken`` matches the
  signed cookie; in server mode the token is also bound to the sign-in session
  (``session_of``: a token from another session is refused). The JSON API is exempt
  from tokens because it only accepts ``application/json`` (a cross-site form cannot send
  that without a CORS preflight, which is never granted) and reads no cookies.
  Every unsafe request, API included, with an ``Origin`` header must come from this origin.
- **Headers.** A strict Content-Security-Policy (``default-src 'self'``, no inline script,
  ``frame-ancestors 'none'``), ``nosniff``, a same-origin referrer policy, and
  ``Cache-Control: no-store`` on everything but ``/static/`` (pages can hold health answers).
- **Last-resort 500.** An unexpected exception becomes the contract-shaped 500 *with* these
  headers (Starlette's own handler sits outside user middleware and would drop them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calfcare.core.whole_number import whole_number
from calfcare.web import csrf
from calfcare.web.limits import (
    UPLOAD_PATHS,
    body_limit,
    host_name,
    size_text,
)

log = logging.getLogger("calfcare.web")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form
    # posts, which would defeat the Origin check; other sites still get no referrer.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

_SECURITY_RAW: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()
)
_SECURITY_RAW_NO_STORE = (*_SECURITY_RAW, (b"cache-control", b"no-store"))

ErrorResponder = Callable[[Scope, int, dict[str, Any]], Response]
SessionOf = Callable[[Scope], str | None]
"""The request's sign-in token (server mode: `calfcare.web.auth.session_token`)."""


def _problem(message: str, field: str) -> dict[str, Any]:
    return {"error": message, "problems": [{"field": field, "message": message}]}


class SecurityMiddleware:
    """Host check, CSRF check and token, security headers, last-resort 500 (see module)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: bytes,
        allowed_hosts: Collection[str] | None,
        error_response: ErrorResponder,
        debug: bool = False,
        session_of: SessionOf | None = None,
    ) -> None:
        self.app = app
        self.secret = secret
        self.session_of = session_of
        self.allowed_hosts = None if allowed_hosts is None else frozenset(allowed_hosts)
        self.error_response = error_response
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        path: str = scope["path"]
        cookie = conn.cookies.get(csrf.COOKIE_NAME)
        session = self.session_of(scope) if self.session_of is not None else None
        token, issued = self._token_for(path, cookie, session)
        scope.setdefault("state", {})["csrftoken"] = token
        secure = scope.get("scheme") == "https"  # behind a TLS proxy: uvicorn's proxy headers
        send = self._with_headers(send, path, token if issued else None, secure=secure)

        refusal = self._refusal(conn)
        if refusal is None and scope["method"] not in SAFE_METHODS:
            body, refusal = await self._read_bounded(conn, receive)
            if refusal is None and _is_form_path(path):
                refusal = await self._check_form(conn, body, cookie, session)
            receive = _replay(body, receive)
        if refusal is not None:
            status, body_json = refusal
            await self.error_response(scope, status, body_json)(scope, receive, send)
            return
        await self._call_app(scope, receive, send)

    def _token_for(self, path: str, cookie: str | None, session: str | None) -> tuple[str, bool]:
        if cookie and csrf.is_signed(self.secret, cookie, session):
            return cookie, False
        if not _is_form_path(path) or path.startswith("/static/"):
            return "", False
        return csrf.new_token(self.secret, session), True

    def _refusal(self, conn: HTTPConnection) -> tuple[int, dict[str, Any]] | None:
        host = host_name(conn.headers.get("host", ""))
        if host is None or (self.allowed_hosts is not None and host not in self.allowed_hosts):
            return 400, _problem("This address is not one calfcare serves.", "host")
        origin = conn.headers.get("origin")
        if conn.scope["method"] not in SAFE_METHODS and origin is not None:
            expected = f"{conn.url.scheme}://{conn.headers.get('host', '')}"
            if origin != expected:
                return 403, _problem("Requests from other sites are not accepted.", "origin")
        return None

    async def _read_bounded(
        self, conn: HTTPConnection, receive: Receive
    ) -> tuple[bytes, tuple[int, dict[str, Any]] | None]:
        """The body, read only up to the path's limit (`calfcare.web.limits.body_limit`);
        a declared length over it is refused before a byte is read."""
        limit = body_limit(conn.scope["path"])
        declared = conn.headers.get("content-length", "")
        too_large = (
            413,
            _problem(f"The request is too large: at most {size_text(limit)}.", "(body)"),
        )
        size = whole_number(declared, 18)  # longer: the body read below stops at the limit
        if size is not None and size > limit:
            return b"", too_large
        body = await _read_body(receive, limit)
        return (b"", too_large) if body is None else (body, None)

    async def _check_form(
        self, conn: HTTPConnection, body: bytes, cookie: str | None, session: str | None
    ) -> tuple[int, dict[str, Any]] | None:
        content_type = conn.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == FORM_TYPE:
            fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            submitted = fields.get(csrf.FORM_FIELD, [None])[0]
        elif content_type == MULTIPART_TYPE and conn.scope["path"] in UPLOAD_PATHS:
            submitted = await _multipart_token(conn, body)
        else:
            message = "Forms must be sent as application/x-www-form-urlencoded."
            return 403, _problem(message, csrf.FORM_FIELD)
        reason = csrf.check_submission(self.secret, cookie, submitted, session)
        if reason is None:
            return None
        message = (
            f"This form could not be accepted: {reason}. "
            "Go back, reload the page and send it again."
        )
        return 403, _problem(message, csrf.FORM_FIELD)

    def _with_headers(
        self, send: Send, path: str, new_token: str | None, *, secure: bool = False
    ) -> Send:
        """``send`` adding the security headers (unless the response set its own), the
        no-store rule and a new token's cookie. Raw byte pairs, checked against the names
        already present in one pass: `MutableHeaders.setdefault` scanned the list once per
        header, on every response."""
        extra = _SECURITY_RAW
        if not (path.startswith("/static/") or path == "/favicon.ico"):
            extra = _SECURITY_RAW_NO_STORE
        cookie = None
        if new_token:
            cookie = (b"set-cookie", token_cookie(new_token, secure=secure).encode("latin-1"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in extra if pair[0] not in present)
                if cookie is not None and not _sets_token(headers):
                    headers.append(cookie)
                message["headers"] = headers
            await send(message)

        return send_with_headers

    async def _call_app(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started or self.debug:
                raise
            log.exception("internal error on %s %s", scope["method"], scope["path"])
            body = {"error": "Internal error: this is a bug in calfcare.", "problems": []}
            await self.error_response(scope, 500, body)(scope, receive, send)


async def _multipart_token(conn: HTTPConnection, body: bytes) -> str | None:
    """The CSRF field of a multipart form (None when it is missing or the form is broken:
    the route never sees a form whose token was not checked)."""

    async def stream() -> Any:
        yield body

    parser = MultiPartParser(conn.headers, stream(), max_part_size=len(body) + 1)
    try:
        form = await parser.parse()
    except MultiPartException:
        return None
    try:
        value = form.get(csrf.FORM_FIELD)
        return value if isinstance(value, str) else None
    finally:
        await form.close()


def token_cookie(token: str, *, secure: bool) -> str:
    """The ``Set-Cookie`` value that gives the browser ``token`` as its form token."""
    value = f"{csrf.COOKIE_NAME}={token}; Path=/; HttpOnly; SameSite=Strict"
    return value + ("; Secure" if secure else "")


_TOKEN_SET = f"{csrf.COOKIE_NAME}=".encode("ascii")


def _sets_token(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the response sets the form token itself (a sign-in or sign-out)."""
    return any(n.lower() == b"set-cookie" and v.startswith(_TOKEN_SET) for n, v in headers)


def _is_form_path(path: str) -> bool:
    return not path.startswith("/api/") and path != "/openapi.json"


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None when it is over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the already-read body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def has_headers(headers: Headers) -> bool:
    """True when a response carries every security header (used by tests and docs)."""
    return all(headers.get(name) == value for name, value in SECURITY_HEADERS.items())
