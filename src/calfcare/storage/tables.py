"""The SQL schema, as SQLAlchemy 2 declarative models. Only `storage` imports this module.

Alembic's migrations in ``migrations/versions`` create exactly this schema (a test compares
them with ``compare_metadata``), on SQLite and PostgreSQL alike, so the types are the portable
ones: times are ``DateTime(timezone=True)`` and always written in UTC, knee-to-wall distances
are whole millimetres (exact, where a float column could round), JSON documents are ``JSON``.
Constraint names follow a naming convention so that migrations can name what they drop.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
LEG = String(5)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


PERSONAL = 1
"""The implicit person of personal mode: every record of a database from before people
(revision 0006) belongs to it, and `calfcare.storage.open_store` opens the store as it."""


class PersonRow(Base):
    """A person whose records these are: the implicit one of personal mode (`PERSONAL`),
    or one of a server's people (their account is another table's business)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _owner(sort_order: int = 0) -> Mapped[int]:
    """The owner column of a record table (`Reads` filters and `Writes` stamps it)."""
    return mapped_column(ForeignKey("people.id"), sort_order=sort_order)


def _by_person(table: str, column: str) -> Index:
    """The index every read of a table uses: the person's rows, by day (or time)."""
    return Index(f"ix_{table}_person_id", "person_id", column)


# The mixins' columns keep their place in each table (``sort_order``; SQLAlchemy would put
# them after the table's own).


class _Owned:
    """The first columns of a person's record table: the record's id and its owner."""

    id: Mapped[str] = mapped_column(ID, primary_key=True, sort_order=-2)
    person_id: Mapped[int] = _owner(sort_order=-2)


class _CheckIn(_Owned):
    """The columns a soreness and a mobility check-in share (`convert` writes them alike)."""

    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), sort_order=-1)
    day: Mapped[date] = mapped_column(Date, sort_order=-1)
    leg: Mapped[str] = mapped_column(LEG, sort_order=-1)
    moment: Mapped[str] = mapped_column(String(16), sort_order=-1)
    session_id: Mapped[str | None] = mapped_column(String(100), sort_order=1)


class _OfSession:
    """The first column of a session's part (its calves, holds, tender spots): the session,
    whose deletion takes its parts along."""

    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )


class ScreeningRow(_Owned, Base):
    __tablename__ = "screenings"
    __table_args__ = (
        _by_person("screenings", "taken_at"),
        Index("ix_screenings_verdict", "person_id", "verdict"),  # holds (migration 0010b)
    )

    kind: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    contract_version: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class SessionRow(_Owned, Base):
    __tablename__ = "sessions"
    __table_args__ = (
        _by_person("sessions", "day"),
        Index("ix_sessions_outcome", "person_id", "outcome"),  # sharp-pain stops (0010b)
    )

    day: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))
    tool: Mapped[str] = mapped_column(String(16))
    intensity: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(32))
    duration_seconds: Mapped[float] = mapped_column(Float)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    screening_id: Mapped[str | None] = mapped_column(ForeignKey("screenings.id"))


class SessionCalfRow(_OfSession, Base):
    __tablename__ = "session_calves"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    leg: Mapped[str] = mapped_column(LEG)
    planned_seconds: Mapped[int | None] = mapped_column(Integer)
    active_seconds: Mapped[float] = mapped_column(Float)


class HoldRow(_OfSession, Base):
    __tablename__ = "session_holds"

    calf_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)


class TenderSpotRow(_OfSession, Base):
    __tablename__ = "tender_spots"

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    leg: Mapped[str] = mapped_column(LEG)
    height: Mapped[str] = mapped_column(String(8))
    side: Mapped[str] = mapped_column(String(8))


class SorenessRow(_CheckIn, Base):
    """A calf's soreness rating, 0 (none) to 10."""

    __tablename__ = "soreness"
    __table_args__ = (
        _by_person("soreness", "day"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
    )

    score: Mapped[int] = mapped_column(Integer)


class MobilityRow(_CheckIn, Base):
    """A calf's knee-to-wall test: the distance in whole millimetres (the core's centimetres
    times ten, exact), 0 to 30 cm."""

    __tablename__ = "mobility"
    __table_args__ = (
        _by_person("mobility", "day"),
        CheckConstraint("distance_mm >= 0 AND distance_mm <= 300", name="range"),
    )

    distance_mm: Mapped[int] = mapped_column(Integer)


class NoteRow(_Owned, Base):
    __tablename__ = "notes"
    __table_args__ = (_by_person("notes", "day"),)

    day: Mapped[date] = mapped_column(Date)
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)


class SplitLegRow(Base):
    """A split-leg coin. ``drawn_at`` and ``experiment_id`` are null on coins stored before
    experiments were registered (revision 0004); ``reported`` is which calves the person said
    they massaged (left, right, both, neither), set once when no session says so."""

    __tablename__ = "split_leg_days"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    massaged: Mapped[str] = mapped_column(LEG)
    drawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    experiment_id: Mapped[str | None] = mapped_column(ID)
    reported: Mapped[str | None] = mapped_column(String(8))


class SplitLegExperimentRow(_Owned, Base):
    """A pre-registered split-leg experiment; ``day`` is its start day (named like every
    record table's day, so that the day filters apply). ``stopped_at`` is set once, when it
    is stopped early."""

    __tablename__ = "split_leg_experiments"
    __table_args__ = (_by_person("split_leg_experiments", "day"),)

    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    day: Mapped[date] = mapped_column(Date)
    planned_days: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(32))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClearanceRow(_Owned, Base):
    """The person's record that a clinician ruled out a clot on ``day`` (lifts a hold)."""

    __tablename__ = "clearances"
    __table_args__ = (_by_person("clearances", "day"),)

    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PainCheckRow(_Owned, Base):
    """The person's word that a calf's sharp pain has gone or been checked."""

    __tablename__ = "pain_checks"
    __table_args__ = (_by_person("pain_checks", "day"),)

    day: Mapped[date] = mapped_column(Date)
    leg: Mapped[str] = mapped_column(LEG)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DataVersionRow(Base):
    """Per person, one number every committed write of theirs adds one to
    (`Store.transaction`).

    Records are only ever added, so "has anything of this person's changed since I computed
    this?" is one integer comparison: caches of derived results (insights, stats, exports)
    key on it, and a write from another process (the CLI beside the web app, another
    worker) invalidates them because the number lives in the database, not in memory. One
    person's writes leave every other person's number, and caches, alone.
    """

    __tablename__ = "data_version"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(BigInteger)


class AccountRow(Base):
    """A person's way in (server mode): a login name (normalised, unique), an Argon2 hash of
    the password (never the password), a role; ``disabled`` ones cannot sign in."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), unique=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled: Mapped[bool] = mapped_column(Boolean)


class AuthSessionRow(Base):
    """A sign-in session, stored by the SHA-256 of its token (the token itself is only in
    the holder's cookie)."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailureRow(Base):
    """A refused sign-in: by login name (known or not) and address, for the throttle, in the
    database so that every worker counts the same."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_login", "login", "at"),
        Index("ix_sign_in_failures_address", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InvitationRow(Base):
    """A clinician's invitation: the SHA-256 of its short code (the code itself is shown to
    the clinician once), until when it may be accepted, and who accepted it."""

    __tablename__ = "invitations"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ShareRow(Base):
    """A person sharing their records with a clinician's account, from ``started_at`` until
    ``stopped_at`` (None: still sharing)."""

    __tablename__ = "shares"
    __table_args__ = (Index("ix_shares_clinician", "clinician_id", "stopped_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PrescriptionRow(Base):
    """A clinician's routine for a person; the newest one for a person is the one in force."""

    __tablename__ = "prescriptions"
    __table_args__ = (Index("ix_prescriptions_person_id", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    clinician_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    calves: Mapped[str] = mapped_column(String(16))
    tools: Mapped[str] = mapped_column(String(64))
    intensity_cap: Mapped[str] = mapped_column(String(16))
    seconds_per_calf: Mapped[int] = mapped_column(Integer)
    sessions_per_week: Mapped[int] = mapped_column(Integer)
    weeks: Mapped[int] = mapped_column(Integer)
    start_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """A clinician opened a person's records: who, whose, what, when (the person can read it)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_person_id", "person_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    what: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CalendarFeedRow(Base):
    """A private calendar feed link of a person's prescribed sessions, by the SHA-256 of its
    token; revoked ones stop working."""

    __tablename__ = "calendar_feeds"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PersonSummaryRow(Base):
    """A person's line of the clinician's list (`calfcare.core.summary_json`'s text), kept
    for the data version, prescription and day it was computed for (any other: recompute)."""

    __tablename__ = "person_summaries"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id"), primary_key=True, autoincrement=False
    )
    data_version: Mapped[int] = mapped_column(BigInteger)
    prescription_id: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)
