"""CSRF tokens: a signed double-submit cookie, after Datasette's ``datasette/csrf.py`` and
Simon Willison's asgi-csrf.

A form is accepted only when its ``csrftoken`` field equals the ``calfcare_csrftoken``
cookie *and* that value carries a valid HMAC signature made with this app's secret. A
cross-site page can make the browser send the cookie (or, with SameSite=Strict, not even
that) but cannot read it, so it cannot copy it into a form field; the signature stops a
cookie planted by some other site on a shared host name from being accepted.

In server mode a token is also bound to the browser's sign-in session: its signature
covers a hash of the session token (``session``), so a token issued in one person's session
is refused in another's (a planted cookie included), and a sign-in or sign-out, which
changes the session, makes the old token out of date: its answer sets the new one
(`calfcare.web.account_pages.next_form_token`). Without
a session (personal mode, or not signed in yet) a token is bound to nothing, as before.

Pure functions over bytes and strings, so they are tested without a server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

COOKIE_NAME = "calfcare_csrftoken"
FORM_FIELD = "csrftoken"
_NONCE_BYTES = 18
_PURPOSE = b"calfcare-csrf-v1:"
_SESSION_PURPOSE = b"calfcare-csrf-session-v1:"  # never a prefix of `_PURPOSE`, nor it of this


def new_secret() -> bytes:
    """A fresh signing secret; one per app instance (tokens end when the server stops), unless
    a key is configured (`secret_from`)."""
    return secrets.token_bytes(32)


def secret_from(key: str | None) -> bytes:
    """The signing secret for a configured key (the same in every worker and instance that
    shares it: `calfcare.settings.Settings.secret_key`), or a fresh one when there is none."""
    if key is None:
        return new_secret()
    return hashlib.sha256(_PURPOSE + key.encode("utf-8")).digest()


def _message(nonce: str, session: str | None) -> bytes:
    """What is signed: the nonce alone, or (bound) the session token's hash and the nonce.
    Only the hash: the signature must not help anyone learn the session token."""
    if session is None:
        return _PURPOSE + nonce.encode("ascii")
    digest = hashlib.sha256(session.encode("utf-8", "replace")).hexdigest().encode("ascii")
    return _SESSION_PURPOSE + digest + b":" + nonce.encode("ascii")


def _sign(secret: bytes, nonce: str, session: str | None) -> str:
    mac = hmac.new(secret, _message(nonce, session), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def sign(secret: bytes, value: str, session: str | None = None) -> str:
    """The signature of ``value`` (URL-safe ASCII) as `new_token` signs its nonce: a token
    ``value.signature`` passes `is_signed`. Another use keeps a key of its own."""
    return _sign(secret, value, session)


def new_token(secret: bytes, session: str | None = None) -> str:
    """A random nonce and its signature, ``nonce.signature`` (URL- and cookie-safe); with
    ``session`` (the browser's sign-in token) the signature binds it to that session."""
    nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return f"{nonce}.{_sign(secret, nonce, session)}"


def is_signed(secret: bytes, token: str | None, session: str | None = None) -> bool:
    """True when ``token`` was made by `new_token` with this secret and this session (or,
    with ``session`` None, bound to no session)."""
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    if not nonce or not nonce.isascii():
        return False
    expected = _sign(secret, nonce, session).encode()
    return hmac.compare_digest(signature.encode("ascii", "replace"), expected)


def check_submission(
    secret: bytes, cookie: str | None, submitted: str | None, session: str | None = None
) -> str | None:
    """Why a form submission fails the CSRF check, or None when it passes. ``session`` is
    the sign-in token the request carries (server mode), None without one."""
    if not cookie:
        return "the security cookie is missing (are cookies blocked for this site?)"
    if not submitted:
        return "the form's security token is missing"
    if not is_signed(secret, cookie, session):
        if session is not None:
            return "the security cookie is from another sign-in (signed in or out since)"
        return "the security cookie is out of date (calfcare was restarted)"
    if not hmac.compare_digest(
        cookie.encode("ascii", "replace"), submitted.encode("ascii", "replace")
    ):
        return "the form's security token does not match this browser's"
    return None
