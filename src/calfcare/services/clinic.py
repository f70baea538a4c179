"""The clinician's side: invitations, shares, prescriptions, the audit log, calendar feeds.

Who may do what (the web and the CLI pass the signed-in `Account`):

- a **clinician** invites people (`invite`: a short code, shown once, and a link path), sees
  only the people who accepted one of their invitations and still share (`people_of`),
  prescribes for them (`prescribe`) and opens their records (`open_person`: the share is
  checked and an audit event written in one transaction, then the records are read through
  `Store.for_person` only); never another clinician's people, never writes check-ins;
- a **person** accepts an invitation (`accept_invite`, or `accept_invite_new` with a new
  account), sees what is shared with whom (`shares_of`) and who opened what (`audit_log`),
  stops sharing at any time (`stop_sharing`: the clinician loses access at once, because
  every clinician call checks the share in the database), and keeps private calendar feed
  links (`create_feed`, `revoke_feeds`, `feed_calendar`).

Codes and feed tokens are random (``secrets``); only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from calfcare.core.accounts import Role
from calfcare.core.errors import InvalidInput, NotAllowed, Problem
from calfcare.core.prescription import prescription
from calfcare.services.person_lines import refresh_later
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import AuditEvent, ClinicTransaction, Invitation, Prescribed, Share

INVITE_LIFETIME = timedelta(days=14)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I: a code read aloud or typed from paper cannot be misread."""
CODE_LENGTH = 8
INVITE_PATH = "/invite/"
FEED_PATH = "/calendar/"
OPENED = ("records", "history", "charts", "insights", "export", "prescription")
"""What a clinician may open (the words of the person's audit log)."""
BAD_CODE = "That invitation code is not valid: it is unknown, used, revoked or expired."


@dataclass(frozen=True)
class Invite:
    """A new invitation: ``code`` is shown to the clinician once (and never stored)."""

    code: str
    link_path: str
    expires_at: datetime


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """The code as stored: capitals, without spaces or dashes (as people type it)."""
    return "".join(code.split()).replace("-", "").upper()


def require_clinician(account: Account) -> None:
    """`NotAllowed` unless the account is an enabled clinician's."""
    if account.role is not Role.CLINICIAN or account.disabled:
        raise NotAllowed("Only a clinician's account can do that.")


def invite(store: Store, clinician: Account, now: datetime) -> Invite:
    """A new invitation of ``clinician``'s, open for `INVITE_LIFETIME`."""
    require_clinician(clinician)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + INVITE_LIFETIME
    with store.clinic() as tx:
        tx.add_invitation(_hash(code), clinician.id, now, expires)
    return Invite(code, f"{INVITE_PATH}{code}", expires)


def invite_qr_svg(link: str) -> str:
    """The full invitation link as a QR code, an SVG document (the web shows it)."""
    import segno  # imported on first use: not at CLI start-up

    return str(segno.make(link, error="m").svg_inline(scale=4, title="Invitation link"))


def open_invitation(store: Store, code: str, now: datetime) -> Invitation | None:
    """The invitation behind ``code`` while it may still be accepted, else None."""
    with store.clinic(read_only=True) as tx:
        found = tx.invitation(_hash(normalise_code(code)))
    return found if found is not None and found.open_at(now) else None


def _check_open(store: Store, code: str, now: datetime) -> str:
    if open_invitation(store, code, now) is None:
        raise InvalidInput([Problem("code", BAD_CODE)])
    return _hash(normalise_code(code))


def accept_invite(store: Store, code: str, person_id: int, now: datetime) -> Share:
    """The person accepts: from now on they share their records with the clinician.
    `InvalidInput` naming ``code`` when it cannot be accepted."""
    key = _check_open(store, code, now)
    with store.clinic() as tx:
        found = tx.invitation(key)
        if found is None or not found.open_at(now) or not tx.accept_invitation(key, person_id, now):
            raise InvalidInput([Problem("code", BAD_CODE)])
        tx.add_share(found.clinician_id, person_id, now)
        share = next(s for s in tx.shares_of_person(person_id)
                     if s.clinician_id == found.clinician_id and s.stopped_at is None)  # fmt: skip
    refresh_later(store.for_person(person_id), now)  # their line, ready for the list
    return share


def accept_invite_new(store: Store, code: str, login: str, password: str, now: datetime) -> Account:
    """A new person's account made from an invitation (the code is checked first, so a bad
    code makes no account), sharing with the clinician."""
    from calfcare.services.accounts import sign_up

    _check_open(store, code, now)
    account = sign_up(store, login, password, now)
    accept_invite(store, code, account.person_id, now)
    return account


def shares_of(store: Store, person_id: int) -> list[Share]:
    """What the person shares with whom: every share, stopped ones too, oldest first."""
    with store.clinic(read_only=True) as tx:
        return tx.shares_of_person(person_id)


def people_of(store: Store, clinician: Account) -> list[Share]:
    """The people who share with ``clinician`` now."""
    require_clinician(clinician)
    with store.clinic(read_only=True) as tx:
        return tx.shares_of_clinician(clinician.id)


def stop_sharing(store: Store, person_id: int, clinician_id: int, now: datetime) -> bool:
    """The person stops sharing with a clinician (at once): whether a share was on."""
    with store.clinic() as tx:
        return _stop(tx, clinician_id, person_id, now) > 0


def _stop(tx: ClinicTransaction, clinician_id: int, person_id: int, now: datetime) -> int:
    """Stop a share; when the person then shares with nobody, their stored line (derived
    from their records) is deleted with it."""
    stopped = tx.stop_share(clinician_id, person_id, now)
    if not any(s.stopped_at is None for s in tx.shares_of_person(person_id)):
        tx.forget_summary(person_id)
    return stopped


def clinician_revoke(store: Store, clinician: Account, now: datetime, *,
                     person_id: int | None = None, code: str | None = None) -> int:  # fmt: skip
    """The clinician stops a share (``person_id``) or an open invitation (``code``; neither:
    every open invitation of theirs): how many were stopped."""
    require_clinician(clinician)
    with store.clinic() as tx:
        if person_id is not None:
            return _stop(tx, clinician.id, person_id, now)
        key = None if code is None else _hash(normalise_code(code))
        return tx.revoke_invitations(clinician.id, now, key)


def open_person(store: Store, clinician: Account, person_id: int, what: str,
                now: datetime) -> Store:  # fmt: skip
    """The person's records to read (a `Store.for_person` view), after checking the share and
    writing the audit event in one transaction; `NotAllowed` without an active share."""
    require_clinician(clinician)
    if what not in OPENED:
        raise ValueError(f"not a thing a clinician opens: {what!r}")
    with store.clinic() as tx:
        if not tx.sharing(clinician.id, person_id):
            raise NotAllowed("This person does not share their records with you.")
        tx.add_audit(clinician.id, person_id, what, now)
    return store.for_person(person_id)


def audit_log(store: Store, person_id: int) -> list[AuditEvent]:
    """Who opened the person's records, what and when, newest first."""
    with store.clinic(read_only=True) as tx:
        return tx.audit(person_id)


def prescribe(store: Store, clinician: Account, person_id: int, *, calves: Sequence[object],
              tools: Sequence[object], intensity_cap: object, seconds_per_calf: object,
              sessions_per_week: object, weeks: object, start_day: date, note: object = "",
              now: datetime) -> Prescribed:  # fmt: skip
    """A new prescription for a person who shares with ``clinician`` (it supersedes the one
    in force); `InvalidInput` naming each wrong field, `NotAllowed` without a share."""
    require_clinician(clinician)
    checked = prescription(
        calves=calves, tools=tools, intensity_cap=intensity_cap,
        seconds_per_calf=seconds_per_calf, sessions_per_week=sessions_per_week, weeks=weeks,
        start_day=start_day, note=note,
    )  # fmt: skip
    with store.clinic() as tx:
        if not tx.sharing(clinician.id, person_id):
            raise NotAllowed("This person does not share their records with you.")
        id_ = tx.add_prescription(person_id, clinician.id, checked, now)
    refresh_later(store.for_person(person_id), now)  # their line under the new prescription
    return Prescribed(id_, clinician.id, now, checked)


def prescription_of(store: Store, person_id: int) -> Prescribed | None:
    """The person's prescription in force (the newest), if any."""
    with store.clinic(read_only=True) as tx:
        return tx.prescription(person_id)


def create_feed(store: Store, person_id: int, now: datetime) -> str:
    """A new private calendar feed link path for the person (shown once)."""
    token = secrets.token_urlsafe(24)
    with store.clinic() as tx:
        tx.add_feed(_hash(token), person_id, now)
    return f"{FEED_PATH}{token}.ics"


def revoke_feeds(store: Store, person_id: int, now: datetime) -> int:
    """Every feed link of the person stops working: how many were live."""
    with store.clinic() as tx:
        return tx.revoke_feeds(person_id, now)


def feed_calendar(store: Store, token: str) -> bytes | None:
    """The calendar behind a feed link (None: unknown or revoked, or nothing prescribed)."""
    from calfcare.core.calendar import prescription_calendar

    with store.clinic(read_only=True) as tx:
        person = tx.feed_person(_hash(token.removesuffix(".ics")))
        found = None if person is None else tx.prescriptions([person]).get(person)
    if found is None:
        return None
    return prescription_calendar(found.prescription, found.id, found.created_at)


def account_named(store: Store, login: str, field: str = "login") -> Account:
    """The account with that login name; `InvalidInput` naming ``field`` when there is none."""
    from calfcare.core.accounts import normalise_login

    with store.accounts(read_only=True) as tx:
        found = tx.by_login(normalise_login(login))
    if found is None:
        raise InvalidInput([Problem(field, f"No account is called {login!r}.")])
    return found
