"""Passkeys (server mode): add one to a signed-in account, sign in with one, list, remove.

WebAuthn through py_webauthn (``webauthn``, imported on first use: never at CLI start-up).
Each ceremony's challenge is made and kept here, in the database (every worker sees it):
stored under the hash of a random key (`accounts.token_hash`, as sign-in tokens are) that
only the browser's short-lived cookie holds, taken (deleted) by the first answer, good for
`CHALLENGE_LIFETIME`, and never read from the browser. Adding a passkey also binds it to
the account and its sign-in session; signing in needs no login name (the passkey says whose
it is: a discoverable credential), asks for user verification, refuses a counter that does
not move on, and ends in the same session start as a password (`accounts.start_session`).
Every failed passkey sign-in gets one answer (`REFUSED`) and counts against the address in
the password throttle. Beginning one is anyone's to ask and stores a challenge, so it is
counted against the address (`PASSKEY_BEGINS`: `TooManyTries` past it), and at most
`OPEN_SIGN_INS` are kept (a new one drops the oldest).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from calfcare.core.accounts import PASSKEY_BEGINS
from calfcare.core.errors import InvalidInput, Problem, RecordIdTaken
from calfcare.core.passkeys import (
    CHALLENGE_LIFETIME,
    NOT_ADDED,
    OPEN_SIGN_INS,
    REFUSED,
    THROTTLE_LOGIN,
    Ceremony,
    challenge_alive,
    counter_moves_on,
    passkey_name,
)
from calfcare.core.whole_number import whole_number
from calfcare.services.accounts import (
    SignedIn,
    SignInRefused,
    address_wait,
    count_failure,
    count_try,
    start_session,
    throttled,
    token_hash,
)
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.passkeys import Challenge, Passkey

SITE_NAME = "calfcare"
TAKEN = "That passkey is already added to an account: use it to sign in, or add another."


@dataclass(frozen=True)
class Site:
    """Where a passkey works: the host name it is made for and the origin (scheme, host,
    port) the browser must be on."""

    rp_id: str
    origin: str


@dataclass(frozen=True)
class Started:
    """A ceremony begun: ``key`` goes in the browser's short-lived cookie, ``options`` (JSON)
    to ``navigator.credentials``."""

    key: str
    options: str


class _Failed(Exception):
    """A passkey sign-in that cannot go on (why is never told)."""


def _b64(data: bytes) -> str:
    from webauthn.helpers import bytes_to_base64url

    return str(bytes_to_base64url(data))


def _bytes(text: str) -> bytes:
    from webauthn import base64url_to_bytes

    return bytes(base64url_to_bytes(text))


def _start(store: Store, challenge: Challenge, now: datetime, options: Any,
           address: str | None = None) -> Started:  # fmt: skip
    """Keep the ceremony's challenge; a sign-in's (asked from ``address``) is counted against
    it first, and the oldest sign-ins beyond `OPEN_SIGN_INS` are dropped."""
    from webauthn import options_to_json

    key = secrets.token_urlsafe(32)
    with store.accounts() as tx:
        if address is not None:
            count_try(tx, PASSKEY_BEGINS, address, now)
        tx.passkeys.forget_challenges(now)
        tx.passkeys.add_challenge(token_hash(key), challenge)
        if address is not None:
            tx.passkeys.keep_newest(Ceremony.SIGN_IN.value, OPEN_SIGN_INS)
    return Started(key, str(options_to_json(options)))


def _take(store: Store, key: str | None, now: datetime) -> Challenge | None:
    """The ceremony's challenge, used up (None: no key, unknown, already used, too old)."""
    if not key:
        return None
    with store.accounts() as tx:
        challenge = tx.passkeys.take_challenge(token_hash(key))
    if challenge is None or not challenge_alive(challenge.expires_at, now):
        return None
    return challenge


def add_options(store: Store, account: Account, session: str, site: Site,
                now: datetime) -> Started:  # fmt: skip
    """Begin adding a passkey to the signed-in ``account`` (its sign-in ``session`` token):
    the options for ``navigator.credentials.create``, the challenge bound to that session."""
    from webauthn import generate_registration_options
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    own = of_account(store, account.id)
    handle = own[0].user_handle if own else _b64(secrets.token_bytes(32))
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=site.rp_id, rp_name=SITE_NAME, user_name=account.login,
        user_id=_bytes(handle), user_display_name=account.login, challenge=challenge,
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_bytes(p.credential_id))
                             for p in own],
    )  # fmt: skip
    stored = Challenge(Ceremony.ADD.value, _b64(challenge), site.rp_id, site.origin, account.id,
                       token_hash(session), handle, now + CHALLENGE_LIFETIME)  # fmt: skip
    return _start(store, stored, now, options)


def add_passkey(store: Store, account: Account, session: str, key: str | None,
                credential: str, name: str, now: datetime) -> Passkey:  # fmt: skip
    """Finish adding a passkey: the browser's answer checked against the challenge of this
    account's sign-in ``session``. `InvalidInput` naming ``name`` (nothing used up) or
    ``passkey`` (the ceremony is over: begin again)."""
    from webauthn import verify_registration_response
    from webauthn.helpers.exceptions import WebAuthnException

    name = passkey_name(name)
    challenge = _take(store, key, now)
    refused = InvalidInput([Problem("passkey", NOT_ADDED)])
    if (challenge is None or challenge.purpose != Ceremony.ADD or challenge.user_handle is None
            or challenge.account_id != account.id
            or challenge.session_hash != token_hash(session)):  # fmt: skip
        raise refused
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=_bytes(challenge.challenge),
            expected_rp_id=challenge.rp_id, expected_origin=challenge.origin,
            require_user_verification=True,
        )  # fmt: skip
    except (WebAuthnException, ValueError, TypeError, KeyError):
        raise refused from None
    credential_id = _b64(verified.credential_id)
    taken = InvalidInput([Problem("passkey", TAKEN)])
    try:
        with store.accounts() as tx:
            if tx.passkeys.by_credential(credential_id) is not None:
                raise taken
            return tx.passkeys.add(
                account.id, credential_id, verified.credential_public_key,
                verified.sign_count, challenge.user_handle, name, now,
            )  # fmt: skip
    except RecordIdTaken:  # added by someone else at the same moment
        raise taken from None


def sign_in_options(store: Store, site: Site, address: str, now: datetime) -> Started:
    """Begin a sign-in with a passkey: options for ``navigator.credentials.get`` that let
    the browser offer any passkey it has for this site (no login name asked). Counted
    against ``address``: `TooManyTries` (nothing stored) past `PASSKEY_BEGINS`."""
    from webauthn import generate_authentication_options
    from webauthn.helpers.structs import UserVerificationRequirement

    challenge = secrets.token_bytes(32)
    options = generate_authentication_options(
        rp_id=site.rp_id, challenge=challenge,
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        user_verification=UserVerificationRequirement.REQUIRED,
    )  # fmt: skip
    stored = Challenge(Ceremony.SIGN_IN.value, _b64(challenge), site.rp_id, site.origin, None,
                       None, None, now + CHALLENGE_LIFETIME)  # fmt: skip
    return _start(store, stored, now, options, address)


def sign_in(store: Store, key: str | None, credential: str, address: str,
            now: datetime) -> SignedIn:  # fmt: skip
    """A new session for the passkey's account, or `SignInRefused` with `REFUSED` whatever
    went wrong (with ``retry_after`` when the address is throttled)."""
    with store.accounts(read_only=True) as tx:
        wait = address_wait(tx, address, now)
    if wait is not None:
        raise throttled(wait)
    try:
        return _verified(store, _take(store, key, now), credential, now)
    except _Failed:
        count_failure(store, THROTTLE_LOGIN, address, now)
        raise SignInRefused(REFUSED) from None


def _verified(store: Store, challenge: Challenge | None, credential: str,
              now: datetime) -> SignedIn:  # fmt: skip
    from webauthn import verify_authentication_response
    from webauthn.helpers import parse_authentication_credential_json
    from webauthn.helpers.exceptions import WebAuthnException

    if challenge is None or challenge.purpose != Ceremony.SIGN_IN:
        raise _Failed
    try:
        parsed = parse_authentication_credential_json(credential)
        with store.accounts(read_only=True) as tx:
            passkey = tx.passkeys.by_credential(_b64(parsed.raw_id))
            account = tx.by_id(passkey.account_id) if passkey is not None else None
        if passkey is None or account is None or account.disabled:
            raise _Failed
        handle = parsed.response.user_handle
        if handle is not None and _b64(handle) != passkey.user_handle:
            raise _Failed
        verified = verify_authentication_response(
            credential=parsed, expected_challenge=_bytes(challenge.challenge),
            expected_rp_id=challenge.rp_id, expected_origin=challenge.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True,
        )  # fmt: skip
    except (WebAuthnException, ValueError, TypeError, KeyError):
        raise _Failed from None
    if not counter_moves_on(passkey.sign_count, verified.new_sign_count):
        raise _Failed
    with store.accounts() as tx:
        if not tx.passkeys.used(passkey.id, passkey.sign_count, verified.new_sign_count, now):
            raise _Failed  # the same counter used by another sign-in meanwhile
        return SignedIn(start_session(tx, account.id, now), account)


def of_account(store: Store, account_id: int) -> list[Passkey]:
    """The account's passkeys, oldest first."""
    with store.accounts(read_only=True) as tx:
        return tx.passkeys.of_account(account_id)


def remove(store: Store, account_id: int, passkey_id: str) -> None:
    """Remove one of the account's own passkeys; `InvalidInput` naming ``passkey`` for any
    other id (another account's is not found either)."""
    number = whole_number(passkey_id.strip(), 9)
    found = False
    if number is not None:
        with store.accounts() as tx:
            found = tx.passkeys.remove(account_id, number)
    if not found:
        raise InvalidInput(
            [Problem("passkey", "That passkey is not one of yours: reload the page.")]
        )
