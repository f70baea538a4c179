"""The clinician's side in one transaction (`Store.clinic`): invitations, shares,
prescriptions, the audit log and calendar feed links.

Like the accounts, these rows are not one person's records, so the store's person does not
filter them: the clinic service (`calfcare.services.clinic`) checks the share before it reads
a person's records, and then reads them only through `Store.for_person`. Rows come back as
small dataclasses or core values, never ORM entities.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from calfcare.core.records import RecordSet
from calfcare.storage import list_reads
from calfcare.storage.convert import from_db, to_utc
from calfcare.storage.list_reads import StoredLine, SummaryKey

__all__ = ["ClinicTransaction", "StoredLine", "SummaryKey"]
from calfcare.storage.tables import (
    ACCOUNTS,
    AUDIT_EVENTS,
    CALENDAR_FEEDS,
    DATA_VERSION,
    INVITATIONS,
    PRESCRIPTIONS,
    SHARES,
)

if TYPE_CHECKING:  # a type only: a person's write asks this module for their shares
    from calfcare.core.clinic_list import PersonSummary
    from calfcare.core.prescription import Prescription

_NEWEST = (
    select(PRESCRIPTIONS)
    .where(PRESCRIPTIONS.c.person_id == bindparam("person"))
    .order_by(PRESCRIPTIONS.c.id.desc())
    .limit(1)
)


@dataclass(frozen=True)
class Invitation:
    """An invitation as stored (its code is never stored, only its hash)."""

    clinician_id: int
    created_at: datetime
    expires_at: datetime
    accepted_by: int | None
    accepted_at: datetime | None
    revoked_at: datetime | None

    def open_at(self, now: datetime) -> bool:
        """Whether it may still be accepted."""
        return self.accepted_by is None and self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class Share:
    """A share between a clinician's account and a person (``stopped_at`` None: on)."""

    clinician_id: int
    clinician_login: str
    person_id: int
    person_login: str | None
    started_at: datetime
    stopped_at: datetime | None


@dataclass(frozen=True)
class Prescribed:
    """The prescription in force for a person, who wrote it and when (``id`` changes with
    every new one: caches key on it)."""

    id: int
    clinician_id: int
    created_at: datetime
    prescription: Prescription


@dataclass(frozen=True)
class AuditEvent:
    """A clinician opened a person's records."""

    clinician_login: str
    what: str
    at: datetime


def _opt(moment: datetime | None) -> datetime | None:
    return None if moment is None else from_db(moment)


_PERSON_LOGIN = (
    select(ACCOUNTS.c.login).where(ACCOUNTS.c.person_id == SHARES.c.person_id).scalar_subquery()
)
_CLINICIAN_LOGIN = (
    select(ACCOUNTS.c.login).where(ACCOUNTS.c.id == SHARES.c.clinician_id).scalar_subquery()
)
_SHARE = (SHARES.c.clinician_id, _CLINICIAN_LOGIN, SHARES.c.person_id, _PERSON_LOGIN,
          SHARES.c.started_at, SHARES.c.stopped_at)  # fmt: skip
_OF_PERSON = select(*_SHARE).where(SHARES.c.person_id == bindparam("person")).order_by(SHARES.c.id)


def _share(row: Any) -> Share:
    clinician, c_login, person, p_login, started, stopped = row
    who = None if p_login is None else str(p_login)
    return Share(int(clinician), str(c_login), int(person), who, from_db(started), _opt(stopped))


class ClinicTransaction:
    """What the clinic service does in one transaction."""

    def __init__(self, session: Connection) -> None:
        self._session = session

    # -- invitations -------------------------------------------------------------------------

    def add_invitation(self, code_hash: str, clinician_id: int, at: datetime,
                       expires_at: datetime) -> None:  # fmt: skip
        self._session.execute(
            insert(INVITATIONS).values(
                code_hash=code_hash, clinician_id=clinician_id, created_at=to_utc(at),
                expires_at=to_utc(expires_at), accepted_by=None, accepted_at=None,
                revoked_at=None,
            )
        )  # fmt: skip

    def invitation(self, code_hash: str) -> Invitation | None:
        row = self._session.execute(
            select(INVITATIONS.c.clinician_id, INVITATIONS.c.created_at,
                   INVITATIONS.c.expires_at, INVITATIONS.c.accepted_by,
                   INVITATIONS.c.accepted_at, INVITATIONS.c.revoked_at)
            .where(INVITATIONS.c.code_hash == code_hash)
        ).first()  # fmt: skip
        if row is None:
            return None
        clinician, created, expires, by, accepted, revoked = row
        person = None if by is None else int(by)
        return Invitation(
            int(clinician), from_db(created), from_db(expires), person, _opt(accepted),
            _opt(revoked),
        )  # fmt: skip

    def accept_invitation(self, code_hash: str, person_id: int, at: datetime) -> bool:
        """Mark it accepted (only if nobody accepted it first): whether this call did."""
        result = self._session.execute(
            update(INVITATIONS)
            .where(INVITATIONS.c.code_hash == code_hash, INVITATIONS.c.accepted_by.is_(None))
            .values(accepted_by=person_id, accepted_at=to_utc(at))
        )
        return int(getattr(result, "rowcount", 0)) == 1

    def revoke_invitations(self, clinician_id: int, at: datetime,
                           code_hash: str | None = None) -> int:  # fmt: skip
        """Revoke the clinician's open invitations (one, with ``code_hash``): how many."""
        query = update(INVITATIONS).where(
            INVITATIONS.c.clinician_id == clinician_id,
            INVITATIONS.c.accepted_by.is_(None),
            INVITATIONS.c.revoked_at.is_(None),
        )
        if code_hash is not None:
            query = query.where(INVITATIONS.c.code_hash == code_hash)
        result = self._session.execute(query.values(revoked_at=to_utc(at)))
        return int(getattr(result, "rowcount", 0))

    # -- shares ------------------------------------------------------------------------------

    def add_share(self, clinician_id: int, person_id: int, at: datetime) -> None:
        """Start sharing (nothing happens when they already share)."""
        if not self.sharing(clinician_id, person_id):
            self._session.execute(
                insert(SHARES).values(
                    clinician_id=clinician_id,
                    person_id=person_id,
                    started_at=to_utc(at),
                    stopped_at=None,
                )
            )

    def sharing(self, clinician_id: int, person_id: int) -> bool:
        """Whether the person shares with the clinician now."""
        found = self._session.execute(
            select(SHARES.c.id).where(
                SHARES.c.clinician_id == clinician_id,
                SHARES.c.person_id == person_id,
                SHARES.c.stopped_at.is_(None),
            )
        ).first()
        return found is not None

    def stop_share(self, clinician_id: int, person_id: int, at: datetime) -> int:
        """Stop sharing now: how many shares stopped (0 or 1)."""
        result = self._session.execute(
            update(SHARES)
            .where(SHARES.c.clinician_id == clinician_id, SHARES.c.person_id == person_id,
                   SHARES.c.stopped_at.is_(None))
            .values(stopped_at=to_utc(at))
        )  # fmt: skip
        return int(getattr(result, "rowcount", 0))

    def shares_of_person(self, person_id: int) -> list[Share]:
        """Every share of the person (stopped ones too), oldest first."""
        rows = self._session.execute(_OF_PERSON, {"person": person_id}).all()
        return [_share(r) for r in rows]

    def shares_of_clinician(self, clinician_id: int) -> list[Share]:
        """The people who share with the clinician now."""
        rows = self._session.execute(
            select(*_SHARE)
            .where(SHARES.c.clinician_id == clinician_id, SHARES.c.stopped_at.is_(None))
            .order_by(SHARES.c.id)
        ).all()
        return [_share(r) for r in rows]

    def sharing_people(self) -> list[int]:
        """Every person who shares with a clinician now (each once)."""
        query = select(SHARES.c.person_id).where(SHARES.c.stopped_at.is_(None)).distinct()
        return sorted(int(pid) for pid in self._session.execute(query).scalars())

    def versions(self, person_ids: Collection[int]) -> dict[int, int]:
        """The data version of each person, in one query (0: never written)."""
        rows = self._session.execute(
            select(DATA_VERSION.c.person_id, DATA_VERSION.c.version).where(
                DATA_VERSION.c.person_id.in_(list(person_ids))
            )
        ).all()
        found = {int(p): int(v) for p, v in rows}
        return {p: found.get(p, 0) for p in person_ids}

    # -- the list's stored lines -------------------------------------------------------------

    def summaries(self, wanted: Mapping[int, SummaryKey]) -> dict[int, StoredLine]:
        """The stored lines of the people in ``wanted`` (`list_reads.read_lines`)."""
        return list_reads.read_lines(self._session, wanted)

    def keep_summaries(
        self, lines: Mapping[int, tuple[SummaryKey, Sequence[PersonSummary]]]
    ) -> None:
        """Store lines; never over a newer data version's (`list_reads.keep_lines`)."""
        list_reads.keep_lines(self._session, lines)

    def forget_summary(self, person_id: int) -> None:
        """Delete the person's stored line (`list_reads.forget_line`)."""
        list_reads.forget_line(self._session, person_id)

    def flag_records(self, person_ids: Collection[int], since: date) -> dict[int, RecordSet]:
        """The records each person's red flags read (`list_reads.flag_records`)."""
        return list_reads.flag_records(self._session, person_ids, since)

    def split_leg_people(self, person_ids: Collection[int]) -> set[int]:
        """Which of them ran a split-leg experiment (`list_reads.split_leg_people`)."""
        return list_reads.split_leg_people(self._session, person_ids)

    # -- prescriptions -----------------------------------------------------------------------

    def add_prescription(self, person_id: int, clinician_id: int, p: Prescription,
                         at: datetime) -> int:  # fmt: skip
        values = {
            "person_id": person_id, "clinician_id": clinician_id,
            "calves": ",".join(c.value for c in p.calves),
            "tools": ",".join(t.value for t in p.tools),
            "intensity_cap": p.intensity_cap.value, "seconds_per_calf": p.seconds_per_calf,
            "sessions_per_week": p.sessions_per_week, "weeks": p.weeks,
            "start_day": p.start_day, "note": p.note, "created_at": to_utc(at),
        }  # fmt: skip
        return int(
            self._session.execute(
                insert(PRESCRIPTIONS).values(**values).returning(PRESCRIPTIONS.c.id)
            ).scalar_one()
        )

    def prescriptions(self, person_ids: Collection[int]) -> dict[int, Prescribed]:
        """The prescription in force (the newest) of each person who has one, in one query."""
        newest = (
            select(func.max(PRESCRIPTIONS.c.id))
            .where(PRESCRIPTIONS.c.person_id.in_(list(person_ids)))
            .group_by(PRESCRIPTIONS.c.person_id)
        )
        rows = (
            self._session.execute(select(PRESCRIPTIONS).where(PRESCRIPTIONS.c.id.in_(newest)))
            .mappings()
            .all()
        )
        return {int(r["person_id"]): _prescribed(r) for r in rows}

    def prescription(self, person_id: int) -> Prescribed | None:
        """One person's prescription in force: `prescriptions`'s, by a statement built once
        (a page asks on every request)."""
        return prescription_in_force(self._session, person_id)

    # -- the audit log -----------------------------------------------------------------------

    def add_audit(self, clinician_id: int, person_id: int, what: str, at: datetime) -> None:
        self._session.execute(
            insert(AUDIT_EVENTS).values(
                clinician_id=clinician_id, person_id=person_id, what=what, at=to_utc(at)
            )
        )

    def audit(self, person_id: int) -> list[AuditEvent]:
        """Every time a clinician opened the person's records, newest first."""
        login = select(ACCOUNTS.c.login).where(ACCOUNTS.c.id == AUDIT_EVENTS.c.clinician_id)
        rows = self._session.execute(
            select(login.scalar_subquery(), AUDIT_EVENTS.c.what, AUDIT_EVENTS.c.at)
            .where(AUDIT_EVENTS.c.person_id == person_id)
            .order_by(AUDIT_EVENTS.c.at.desc(), AUDIT_EVENTS.c.id.desc())
        ).all()
        return [AuditEvent(str(who), str(what), from_db(at)) for who, what, at in rows]

    # -- calendar feeds ----------------------------------------------------------------------

    def add_feed(self, token_hash: str, person_id: int, at: datetime) -> None:
        self._session.execute(
            insert(CALENDAR_FEEDS).values(
                token_hash=token_hash, person_id=person_id, created_at=to_utc(at), revoked_at=None
            )
        )

    def feed_person(self, token_hash: str) -> int | None:
        """Whose live feed link this is (None: unknown or revoked)."""
        found = self._session.execute(
            select(CALENDAR_FEEDS.c.person_id).where(
                CALENDAR_FEEDS.c.token_hash == token_hash, CALENDAR_FEEDS.c.revoked_at.is_(None)
            )
        ).first()
        return None if found is None else int(found[0])

    def revoke_feeds(self, person_id: int, at: datetime) -> int:
        result = self._session.execute(
            update(CALENDAR_FEEDS)
            .where(CALENDAR_FEEDS.c.person_id == person_id, CALENDAR_FEEDS.c.revoked_at.is_(None))
            .values(revoked_at=to_utc(at))
        )
        return int(getattr(result, "rowcount", 0))


def prescription_in_force(session: Connection, person_id: int) -> Prescribed | None:
    """``person_id``'s prescription in force (the newest), read on ``session``: a clinic
    transaction's, or a record transaction's (`Reads.prescription`) for a page that shows
    it beside the records in one snapshot."""
    row = session.execute(_NEWEST, {"person": person_id}).mappings().first()
    return None if row is None else _prescribed(row)


def _prescribed(row: Any) -> Prescribed:
    from calfcare.core.prescription import from_row  # a prescription read, not a share

    return Prescribed(
        int(row["id"]), int(row["clinician_id"]), from_db(row["created_at"]), from_row(dict(row))
    )
