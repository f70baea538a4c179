"""An invitation as the person meets it on the web: who invites them, and accepting it, with
code guessing throttled as sign-in is.

`services.clinic` holds the invitation rules (`accept_invite`, `accept_invite_new`); this
module adds what a public page needs on top of them. Anyone may try a code, so a wrong code
counts as a refused sign-in from that address (`core.accounts.retry_after` with
`ADDRESS_FAILURES` in `THROTTLE_WINDOW`, the same rows and rule as sign-in: every worker
counts the same): after 20 wrong codes or passwords in 15 minutes from an address, every
code from it is refused, even a good one, until the window moves. A code is 8 of 32
characters (2^40), so guessing one is out of reach. The answer for a wrong code is the same
whether it is unknown, used, revoked or expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from calfcare.core.accounts import Role, wait_words
from calfcare.core.errors import CalfcareError, InvalidInput, NotAllowed, Problem
from calfcare.services import accounts, clinic
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import Share

WRONG_CODE = "#invitation-code"
"""The login column of a wrong code's failure row: a sign-in never records it (sign-in
stores login names case-folded, and this is not one), so it counts only per address."""
NOT_A_PERSON = (
    "This account is a clinician's or an administrator's: an invitation shares a person's "
    "own records, so sign in with the person's account (or make one) to accept it."
)


class CodeThrottled(CalfcareError):
    """Too many wrong invitation codes or passwords from here."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(
            f"Too many wrong codes or passwords from here: try again in {wait_words(wait)}."
        )
        self.retry_after = wait


@dataclass(frozen=True)
class Invited:
    """An open invitation, as the invited person sees it."""

    clinician_login: str
    expires_at: datetime


def _check(store: Store, code: str, address: str, now: datetime) -> Invited:
    with store.accounts(read_only=True) as tx:
        wait = accounts.address_wait(tx, address, now)
    if wait is not None:
        raise CodeThrottled(wait)
    found = clinic.open_invitation(store, code, now)
    clinician = None
    if found is not None:
        with store.accounts(read_only=True) as tx:
            clinician = tx.by_id(found.clinician_id)
    if found is None or clinician is None or clinician.disabled:
        accounts.count_failure(store, WRONG_CODE, address, now)
        raise InvalidInput([Problem("code", clinic.BAD_CODE)])
    return Invited(clinician.login, found.expires_at)


def invitation(store: Store, code: str, address: str, now: datetime) -> Invited:
    """Who invites, for an open code; `InvalidInput` naming ``code`` for a wrong one (counted
    against ``address``), `CodeThrottled` after too many."""
    return _check(store, code, address, now)


def accept(store: Store, code: str, account: Account, address: str, now: datetime) -> Share:
    """`clinic.accept_invite` for a signed-in person's account (not a clinician's or an
    administrator's: `NotAllowed`), throttled."""
    _check(store, code, address, now)
    if account.role is not Role.PERSON:
        raise NotAllowed(NOT_A_PERSON)
    return clinic.accept_invite(store, code, account.person_id, now)


def accept_new(
    store: Store, code: str, login: str, password: str, address: str, now: datetime
) -> accounts.SignedIn | None:
    """A new account from the invitation, sharing, and signed in (None: made, but sign-in
    refused it for now; the person signs in later). Throttled; the code is checked first,
    so a wrong code makes no account."""
    _check(store, code, address, now)
    clinic.accept_invite_new(store, code, login, password, now)
    try:
        return accounts.sign_in(store, login, password, address, now)
    except accounts.SignInRefused:
        return None
