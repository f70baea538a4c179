"""Accounts: sign up, sign in, sign out, change or reset a password, find who a session is.

Passwords are hashed with Argon2id (argon2-cffi's `PasswordHasher`, its default
parameters, rehashed at the next sign-in when they change). A sign-in for an unknown login
is checked against a dummy hash, so it takes as long and gets the same `SignInRefused` as a
wrong password. Sign-in sessions are random 32-byte tokens (``secrets``); only their SHA-256
is stored. Refused sign-ins are counted in the database per login name and per address
(`calfcare.core.accounts.retry_after`), so every worker throttles the same.

For the web: `sign_in` gives the token for the cookie; `session_account` turns a cookie's
token back into the `Account` (or None), on every request; `sign_out` revokes it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from calfcare.core.accounts import (
    ACCOUNT_FAILURES,
    ADDRESS_FAILURES,
    LIMITS_KEPT,
    SESSIONS_KEPT,
    SIGN_UPS,
    THROTTLE_WINDOW,
    AddressLimit,
    Role,
    SessionTimes,
    check_password,
    new_session_times,
    normalise_login,
    retry_after,
    wait_words,
)
from calfcare.core.errors import CalfcareError, InvalidInput, Problem
from calfcare.storage import Store
from calfcare.storage.accounts import Account, AccountTransaction

REFUSED = "That login name and password do not match an account."
SEEN_EVERY = timedelta(minutes=1)
"""How often a session's last-seen time is written (the idle timeout counts from it)."""


class SignInRefused(CalfcareError):
    """That login name and password do not match an account."""

    def __init__(self, message: str = REFUSED, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SignedIn:
    """A new sign-in session: ``token`` goes in the cookie, and nowhere else."""

    token: str
    account: Account


@cache
def _hasher() -> Any:
    from argon2 import PasswordHasher  # imported on first use: not at CLI start-up

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return str(_hasher().hash(secrets.token_hex(16)))


def token_hash(token: str) -> str:
    """What is stored of a sign-in token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def sign_up(store: Store, login: str, password: str, now: datetime,
            role: Role = Role.PERSON, address: str | None = None) -> Account:  # fmt: skip
    """A new account, with a new person of its own; `InvalidInput` naming ``login`` when it
    is taken or not a login name, ``password`` when the policy refuses it. With ``address``
    (open sign-up on the web), counted against it: `TooManyTries` after `SIGN_UPS`. A taken
    login name or a spent address is refused before the password is hashed."""
    name = normalise_login(login)
    check_password(password, name)
    with store.accounts(read_only=True) as tx:
        _open(tx, name, address, now)
    hashed = str(_hasher().hash(password))
    with store.accounts() as tx:
        _open(tx, name, address, now)
        if address is not None:
            count_try(tx, SIGN_UPS, address, now)
        return tx.add_account(name, hashed, role, now)


def _open(tx: AccountTransaction, name: str, address: str | None, now: datetime) -> None:
    """Refuse a sign-up for a taken login name or from an address that made too many."""
    if tx.by_login(name) is not None:
        raise InvalidInput([Problem("login", "That login name is taken: choose another.")])
    if address is not None:
        refuse_spent(tx, SIGN_UPS, address, now)


def refuse_spent(tx: AccountTransaction, limit: AddressLimit, address: str, now: datetime) -> None:
    """`TooManyTries` (how long to wait) when ``address`` has used up ``limit``."""
    wait = limit.wait(tx.tries(limit.kind, address, now - limit.window), now)
    if wait is not None:
        raise limit.refusal(wait)


def count_try(tx: AccountTransaction, limit: AddressLimit, address: str, now: datetime) -> None:
    """One more request of ``limit``'s kind from ``address``, in ``tx`` (`TooManyTries`,
    nothing counted, when it has used the limit up); tries too old to count are dropped."""
    refuse_spent(tx, limit, address, now)
    tx.add_try(limit.kind, address, now)
    tx.forget_tries(now - LIMITS_KEPT)


def sign_in(store: Store, login: str, password: str, address: str, now: datetime) -> SignedIn:
    """A new session for the account, or `SignInRefused` (the same for an unknown login, a
    wrong password and a disabled account; with ``retry_after`` when throttled)."""
    try:
        name = normalise_login(login)
    except InvalidInput:
        name = login.strip().casefold()[:64]
    with store.accounts(read_only=True) as tx:
        waits = [w for w in (address_wait(tx, address, now),
                             retry_after(tx.failures(now - THROTTLE_WINDOW, login=name), now,
                                         ACCOUNT_FAILURES)) if w is not None]  # fmt: skip
        account = tx.by_login(name)
    if waits:
        raise throttled(max(waits))
    good = _verify(account.password_hash if account else None, password)
    if account is None or not good or account.disabled:
        count_failure(store, name, address, now)
        raise SignInRefused()
    with store.accounts() as tx:
        if _hasher().check_needs_rehash(account.password_hash):
            tx.set_password_hash(account.id, str(_hasher().hash(password)))
        return SignedIn(start_session(tx, account.id, now), account)


def start_session(tx: AccountTransaction, account_id: int, now: datetime) -> str:
    """A new sign-in session for the account, in ``tx``: its new random token (only its
    hash is stored; the account's oldest beyond `SESSIONS_KEPT` are dropped). Every way of
    signing in (a password, a passkey) ends here."""
    token = secrets.token_urlsafe(32)
    tx.add_session(token_hash(token), account_id, new_session_times(now))
    tx.keep_newest_sessions(account_id, SESSIONS_KEPT)
    return token


def throttled(wait: timedelta) -> SignInRefused:
    """The refusal of a sign-in while too many have failed: how long to wait."""
    return SignInRefused(
        f"Too many failed sign-ins: try again in {wait_words(wait)}.", retry_after=wait
    )


def address_wait(tx: AccountTransaction, address: str, now: datetime) -> timedelta | None:
    """How long ``address`` must wait after too many refused sign-ins (wrong passwords,
    passkeys or invitation codes), or None: the address half of the sign-in throttle."""
    return retry_after(tx.failures(now - THROTTLE_WINDOW, address=address), now, ADDRESS_FAILURES)


def count_failure(store: Store, login: str, address: str, now: datetime) -> None:
    """A refused sign-in under ``login`` (a login name, or a marker no login name can be)
    from ``address``; failures too old to count are dropped."""
    with store.accounts() as tx:
        tx.add_failure(login, address, now)
        tx.forget_failures(now - 2 * THROTTLE_WINDOW)


def _verify(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown account checks a dummy hash (same time)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash or _dummy_hash(), password)) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def session_account(store: Store, token: str, now: datetime) -> Account | None:
    """The account a session token signs in, or None (unknown, revoked, expired, idle too
    long, or the account disabled). Notes the time it was seen (at most once a minute: a
    read otherwise, so that every request does not write)."""
    key = token_hash(token)
    found = store.signed_in(key)  # one statement, read fresh: no write lock, no cache
    if found is None:
        return None
    account, times = found
    if not times.alive(now) or account.disabled:
        return None
    if now - times.last_seen_at >= SEEN_EVERY:
        with store.accounts() as tx:
            tx.touch_session(key, now)
    return account


def session_owner(store: Store, token: str) -> int | None:
    """The id of the account a session token was made for, alive or not (revoked, expired),
    or None when no session has it: whose were the records a browser kept offline."""
    found = store.signed_in(token_hash(token))
    return None if found is None else found[0].id


def sign_out(store: Store, token: str, now: datetime) -> None:
    """Revoke the session (nothing happens for an unknown one)."""
    with store.accounts() as tx:
        tx.revoke_session(token_hash(token), now)


def other_sign_ins(store: Store, account: Account, token: str, now: datetime) -> int:
    """How many sessions of the signed-in ``account`` other than ``token``'s still sign
    someone in."""
    with store.accounts(read_only=True) as tx:
        return _others_alive(tx.open_sessions(account.id), token_hash(token), now)


def sign_out_others(store: Store, token: str, now: datetime) -> int:
    """End every other session of the signed-in account (a lost phone, a shared computer
    left signed in); how many were still alive. `SignInRefused` when the token's own
    session has ended."""
    account = session_account(store, token, now)
    if account is None:
        raise SignInRefused("Your session has ended: sign in again.")
    key = token_hash(token)
    with store.accounts() as tx:
        alive = _others_alive(tx.open_sessions(account.id), key, now)
        tx.revoke_sessions(account.id, now, keep=key)
    return alive


def _others_alive(sessions: list[tuple[str, SessionTimes]], key: str, now: datetime) -> int:
    return sum(other != key and times.alive(now) for other, times in sessions)


def change_password(store: Store, token: str, old: str, new: str, now: datetime) -> None:
    """Change the signed-in account's password and revoke its other sessions; `SignInRefused`
    when the session is not alive or ``old`` is wrong, `InvalidInput` for a weak ``new``."""
    account = session_account(store, token, now)
    if account is None or not _verify(account.password_hash, old):
        raise SignInRefused("The current password is not right, or the session has ended.")
    check_password(new, account.login)
    with store.accounts() as tx:
        tx.set_password_hash(account.id, str(_hasher().hash(new)))
        tx.revoke_sessions(account.id, now, keep=token_hash(token))


def reset_password(store: Store, login: str, new: str, now: datetime) -> Account:
    """An administrator sets a new password (there is no mail server); every session of the
    account is revoked and every passkey removed (one added by whoever took the account must
    not outlive the reset). `InvalidInput` naming ``login`` for an unknown account."""
    name = normalise_login(login)
    with store.accounts() as tx:
        account = tx.by_login(name)
        if account is None:
            raise InvalidInput([Problem("login", f"There is no account called {name}.")])
        check_password(new, name)
        tx.set_password_hash(account.id, str(_hasher().hash(new)))
        tx.revoke_sessions(account.id, now)
        tx.passkeys.remove_all(account.id)
    return account
