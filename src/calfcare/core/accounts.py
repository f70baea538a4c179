"""Accounts' rules, pure (time comes in as an argument): login names, the password policy,
how long a sign-in session lives, when sign-in is throttled, and how often one address may
do what anyone may do without signing in (`AddressLimit`).

The service that applies them is `calfcare.services.accounts`; docs/accounts.md is the
security model.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from calfcare.core.errors import InvalidInput, Problem, TooManyTries

LOGIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")
LOGIN_LENGTH = (3, 64)
PASSWORD_LENGTH = (10, 256)
"""At least 10 characters (no other composition rule, as NIST SP 800-63B advises); at most
256, so that hashing a huge "password" cannot be used to tire the server."""
SESSION_LIFETIME = timedelta(days=30)
SESSION_IDLE = timedelta(days=7)
SESSIONS_KEPT = 1000
"""An account keeps its newest 1,000 sign-in sessions; a sign-in beyond them drops the
oldest, so signing in again and again stores a bounded number. A session and its cookie
last 30 days at most: an account signing in fewer than 33 times a day loses only sessions
that have already ended (and whose cookies browsers have dropped)."""
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


def network_of(address: str) -> str:
    """The network the throttles count a request against: an IPv4 address as it is, an IPv6
    one as its /64 (one home or one machine usually holds a whole /64, so counting each of
    its addresses apart would let it start afresh at will); anything else as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def wait_words(wait: timedelta) -> str:
    """How long to wait, in whole minutes rounded up: "1 minute", "14 minutes"."""
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


@dataclass(frozen=True)
class AddressLimit:
    """At most ``count`` requests of one ``kind`` from one address in ``window``: what anyone
    may ask without signing in, and what stores a row or burns CPU, is counted so that a
    flood from one network stops at the limit (the counting is in the database: every
    worker counts the same). ``what`` names the requests in words."""

    kind: str
    count: int
    window: timedelta
    what: str

    def wait(self, times: Iterable[datetime], now: datetime) -> timedelta | None:
        """None when the address may go on; else how long it must wait."""
        return retry_after(times, now, self.count, self.window)

    def refusal(self, wait: timedelta) -> TooManyTries:
        return TooManyTries(
            f"Too many {self.what} from this network: try again in {wait_words(wait)}.", wait
        )


PASSKEY_BEGINS = AddressLimit("passkey-begin", 30, THROTTLE_WINDOW, "passkey sign-ins")
"""Beginning a passkey sign-in stores a challenge: 30 in 15 minutes from one address (the
page asks for one only when the person presses the button: 30 is many people's worth)."""
SIGN_UPS = AddressLimit("sign-up", 10, timedelta(hours=1), "new accounts")
"""Open sign-up stores an account and hashes a password: 10 an hour from one address (a
household or a clinic's desk making accounts for several people stays well under it; a
script gets no more than 240 a day)."""
LIMITS_KEPT = max(PASSKEY_BEGINS.window, SIGN_UPS.window)
"""How long a counted request is kept: the longest window that counts it."""


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
