"""Who may see what on the clinician's pages (server mode): only a signed-in clinician
passes (`clinician_of`; anyone else signed in gets 403, a page in words), and only for the
people who share with them now. Anyone else, whether they exist, stopped sharing or never
did, is the plain 404 of an address with no page (`not_shared`): it says nothing about them.
Opening a person's records goes through `services.clinic.open_person` (`opened`), which
checks the share and writes the person's audit event in one transaction.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from starlette.exceptions import HTTPException

from calfcare.core.errors import NotAllowed
from calfcare.core.whole_number import whole_number
from calfcare.services import clinic
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.web import auth, deps


def clinician_of(request: Request) -> Account:
    """The signed-in clinician; `SignInRequired` without an account, `NotAllowed` (403, a
    page in words) for anyone else."""
    account = auth.current_account(request)
    if account is None:
        raise deps.SignInRequired()
    clinic.require_clinician(account)
    return account


def person_id_of(text: str) -> int:
    """A person's id from the address; anything else is "no page here" (404)."""
    found = whole_number(text, 18)
    if found is None:
        raise HTTPException(404)
    return found


def not_shared() -> HTTPException:
    """What a clinician gets for anyone who does not share with them: the plain 404 of an
    address with no page, whether the person exists, stopped sharing or never did."""
    return HTTPException(404)


def shared_name(store: Store, clinician: Account, person_id: int) -> str:
    """The login of a person who shares with ``clinician`` now; else the 404."""
    for share in clinic.people_of(store, clinician):
        if share.person_id == person_id:
            return share.person_login or f"person {person_id}"
    raise not_shared()


def opened(store: Store, clinician: Account, person_id: int, what: str, now: datetime) -> Store:
    """The person's records, opened (and audited) by ``clinician``; else the 404."""
    try:
        return clinic.open_person(store, clinician, person_id, what, now)
    except NotAllowed:
        raise not_shared() from None
