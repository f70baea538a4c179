"""Accounts' rules, pure (time comes in as an argument): login names, the password policy,
how long a sign-in session lives, and when sign-in is throttled.

The service that applies them is `calfcare.services.accounts`; docs/accounts.md is the
security model.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from calfcare.core.errors import InvalidInput, Problem

LOGIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")
LOGIN_LENGTH = (3, 64)
PASSWORD_LENGTH = (10, 256)
"""At least 10 characters (no other composition rule, as NIST SP 800-63B advises); at most
256, so that hashing a huge "password" cannot be used to tire the server."""
SESSION_LIFETIME = timedelta(days=30)
SESSION_IDLE = timedelta(days=7)
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20


class Role(StrEnum):
    PERSON = "person"
    CLINICIAN = "clinician"
    ADMIN = "admin"


def normalise_login(text: str) -> str:
    """The login name as stored and compared: NFKC, case-folded, trimmed; `InvalidInput`
    naming ``login`` when it is not 3 to 64 of a-z, 0-9 and ``. _ - @``."""
    login = unicodedata.normalize("NFKC", text).casefold().strip()
    low, high = LOGIN_LENGTH
    if not low <= len(login) <= high or not set(login) <= LOGIN_CHARACTERS:
        raise InvalidInput(
            [
                Problem(
                    "login",
                    f"A login name is {low} to {high} letters a-z, digits and . _ - @ "
                    "(for example jo.smith).",
                )
            ]
        )
    return login


def password_problems(password: str, login: str = "") -> list[Problem]:
    """What is wrong with a new password (empty: nothing)."""
    low, high = PASSWORD_LENGTH
    if len(password) < low:
        return [Problem("password", f"Choose a password of at least {low} characters.")]
    if len(password) > high:
        return [Problem("password", f"Choose a password of at most {high} characters.")]
    if login and password.casefold() == login.casefold():
        return [Problem("password", "Choose a password that is not your login name.")]
    if len(set(password)) == 1:
        return [Problem("password", "Choose a password that is not one character repeated.")]
    return []


def check_password(password: str, login: str = "") -> None:
    """`InvalidInput` naming ``password`` when the policy refuses it."""
    problems = password_problems(password, login)
    if problems:
        raise InvalidInput(problems)


def retry_after(
    failures: Iterable[datetime], now: datetime, limit: int, window: timedelta = THROTTLE_WINDOW
) -> timedelta | None:
    """None when another try is allowed; else how long to wait. Refused while ``limit``
    failures or more fall in the ``window`` before ``now``; allowed again once the oldest
    of the newest ``limit`` of them is older than the window."""
    recent = sorted(at for at in failures if now - window < at <= now)
    if len(recent) < limit:
        return None
    return recent[-limit] + window - now


@dataclass(frozen=True)
class SessionTimes:
    """A sign-in session's times (`alive` says whether it still signs its holder in)."""

    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None

    def alive(self, now: datetime, idle: timedelta = SESSION_IDLE) -> bool:
        return self.revoked_at is None and now < self.expires_at and now - self.last_seen_at < idle


def new_session_times(now: datetime, lifetime: timedelta = SESSION_LIFETIME) -> SessionTimes:
    return SessionTimes(now, now + lifetime, now, None)
