"""CSRF tokens: a signed double-submit cookie, after Datasette's ``datasette/csrf.py`` and
Simon Willison's asgi-csrf.

A form is accepted only when its ``csrftoken`` field equals the ``calfcare_csrftoken``
cookie *and* that value carries a valid HMAC signature made with this app's secret. A
cross-site page can make the browser send the cookie (or, with SameSite=Strict, not even
that) but cannot read it, so it cannot copy it into a form field; the signature stops a
cookie planted by some other site on a shared host name from being accepted.

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


def _sign(secret: bytes, nonce: str) -> str:
    mac = hmac.new(secret, _PURPOSE + nonce.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def new_token(secret: bytes) -> str:
    """A random nonce and its signature, ``nonce.signature`` (URL- and cookie-safe)."""
    nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return f"{nonce}.{_sign(secret, nonce)}"


def is_signed(secret: bytes, token: str | None) -> bool:
    """True when ``token`` was made by `new_token` with this secret."""
    if not token or token.count(".") != 1:
        return False
    nonce, signature = token.split(".")
    if not nonce or not nonce.isascii():
        return False
    return hmac.compare_digest(signature.encode("ascii", "replace"), _sign(secret, nonce).encode())


def check_submission(secret: bytes, cookie: str | None, submitted: str | None) -> str | None:
    """Why a form submission fails the CSRF check, or None when it passes."""
    if not cookie:
        return "the security cookie is missing (are cookies blocked for this site?)"
    if not submitted:
        return "the form's security token is missing"
    if not is_signed(secret, cookie):
        return "the security cookie is out of date (calfcare was restarted)"
    if not hmac.compare_digest(
        cookie.encode("ascii", "replace"), submitted.encode("ascii", "replace")
    ):
        return "the form's security token does not match this browser's"
    return None
