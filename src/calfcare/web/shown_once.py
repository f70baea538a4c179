"""A secret shown once after a POST (issue 16: a clinician's invitation code, a person's
calendar link): only a hash of it is stored, so it cannot be shown again later.

The POST answers 303 to a GET page (a reload does not resend the form and make a new one),
with the secret in a short-lived cookie: HttpOnly, SameSite=Lax, ``Secure`` over HTTPS,
signed with the app's secret (bound to the sign-in session, `calfcare.web.csrf`'s HMAC with a
key of its own). The first view reads it and deletes it; every page is ``no-store``
(`calfcare.web.security`). A second view finds none: the page says in words that it was
shown once and offers to make a new one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from calfcare.web import auth, csrf

COOKIE = "calfcare_shown_once"
R = TypeVar("R", bound=Response)
MAX_AGE = 120
"""Seconds: from the POST to the page that shows it, a redirect away."""


def _key(request: Request) -> bytes:
    secret: bytes = request.app.state.signing_secret
    return hashlib.sha256(b"calfcare shown once\0" + secret).digest()


def redirect_showing(request: Request, url: str, kind: str, value: dict[str, str]) -> Response:
    """A 303 to ``url``, carrying ``value`` for the next view of a ``kind`` page."""
    raw = json.dumps({"kind": kind, "at": int(time.time()), "value": value}).encode("utf-8")
    payload = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
    signature = csrf.sign(_key(request), payload, auth.session_token(request.scope))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        COOKIE, f"{payload}.{signature}", max_age=MAX_AGE, path="/", httponly=True,
        samesite="lax", secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


def take(request: Request, kind: str) -> dict[str, Any] | None:
    """The value carried for this ``kind`` of page, if it came with this request and is this
    sign-in's, signed and fresh; call `forget` on the response that shows it."""
    token = request.cookies.get(COOKIE, "")
    session = auth.session_token(request.scope)
    if not csrf.is_signed(_key(request), token, session):
        return None
    payload = token.split(".")[0]
    try:
        found = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    fresh = 0 <= time.time() - found.get("at", 0) <= MAX_AGE
    value = found.get("value")
    return value if found.get("kind") == kind and fresh and isinstance(value, dict) else None


def forget(request: Request, response: R) -> R:
    """Delete the cookie: a reload shows nothing."""
    if COOKIE in request.cookies:
        response.delete_cookie(
            COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )
    return response
