"""One ASGI middleware for the safety of every response: host check, CSRF, headers.

Why a middleware and not a per-route dependency: protection that a new route has to ask for
is protection someone forgets. Everything here applies to every route, present and future:

- **Host check.** calfcare has no accounts yet, so the only thing between a web page in the
  same browser and the person's health answers is the Host header: a DNS-rebinding page on
  ``evil.example`` that resolves to 127.0.0.1 sends ``Host: evil.example``, which is refused.
- **CSRF** (`calfcare.web.csrf`). Every unsafe request outside ``/api/`` must be an
  urlencoded form whose ``csrftoken`` matches the signed cookie. The JSON API is exempt
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
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calfcare.web import csrf

log = logging.getLogger("calfcare.web")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_BYTES = 64 * 1024
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

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


def allowed_hosts_for(bind_host: str) -> frozenset[str] | None:
    """The Host names to accept when serving on ``bind_host``; None accepts any (a wildcard
    bind such as 0.0.0.0, only reachable with ``calfcare serve --allow-remote``)."""
    if bind_host in ("0.0.0.0", "::", ""):
        return None
    return LOOPBACK_HOSTS | {bind_host.strip("[]")}


def host_name(host_header: str) -> str:
    """``127.0.0.1:8000`` → ``127.0.0.1``; ``[::1]:8000`` → ``::1``."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else ""
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


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
    ) -> None:
        self.app = app
        self.secret = secret
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
        token, issued = self._token_for(path, cookie)
        scope.setdefault("state", {})["csrftoken"] = token
        send = self._with_headers(send, path, token if issued else None)

        refusal = self._refusal(conn)
        if refusal is None and scope["method"] not in SAFE_METHODS and _is_form_path(path):
            body, refusal = await self._check_form(conn, receive, cookie)
            receive = _replay(body, receive)
        if refusal is not None:
            status, body_json = refusal
            await self.error_response(scope, status, body_json)(scope, receive, send)
            return
        await self._call_app(scope, receive, send)

    def _token_for(self, path: str, cookie: str | None) -> tuple[str, bool]:
        if cookie and csrf.is_signed(self.secret, cookie):
            return cookie, False
        if not _is_form_path(path) or path.startswith("/static/"):
            return "", False
        return csrf.new_token(self.secret), True

    def _refusal(self, conn: HTTPConnection) -> tuple[int, dict[str, Any]] | None:
        host = host_name(conn.headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return 400, _problem("This address is not one calfcare serves.", "host")
        origin = conn.headers.get("origin")
        if conn.scope["method"] not in SAFE_METHODS and origin is not None:
            expected = f"{conn.url.scheme}://{conn.headers.get('host', '')}"
            if origin != expected:
                return 403, _problem("Requests from other sites are not accepted.", "origin")
        return None

    async def _check_form(
        self, conn: HTTPConnection, receive: Receive, cookie: str | None
    ) -> tuple[bytes, tuple[int, dict[str, Any]] | None]:
        content_type = conn.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(receive, MAX_FORM_BYTES)
        if body is None:
            return b"", (413, _problem("The form is too large.", "(body)"))
        if content_type != FORM_TYPE:
            message = "Forms must be sent as application/x-www-form-urlencoded."
            return body, (403, _problem(message, csrf.FORM_FIELD))
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        submitted = fields.get(csrf.FORM_FIELD, [None])[0]
        reason = csrf.check_submission(self.secret, cookie, submitted)
        if reason is None:
            return body, None
        message = (
            f"This form could not be accepted: {reason}. "
            "Go back, reload the page and send it again."
        )
        return body, (403, _problem(message, csrf.FORM_FIELD))

    def _with_headers(self, send: Send, path: str, new_token: str | None) -> Send:
        """``send`` adding the security headers (unless the response set its own), the
        no-store rule and a new token's cookie. Raw byte pairs, checked against the names
        already present in one pass: `MutableHeaders.setdefault` scanned the list once per
        header, on every response."""
        extra = _SECURITY_RAW
        if not (path.startswith("/static/") or path == "/favicon.ico"):
            extra = _SECURITY_RAW_NO_STORE
        cookie = None
        if new_token:
            value = f"{csrf.COOKIE_NAME}={new_token}; Path=/; HttpOnly; SameSite=Strict"
            cookie = (b"set-cookie", value.encode("latin-1"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in extra if pair[0] not in present)
                if cookie is not None:
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
