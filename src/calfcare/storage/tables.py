"""The SQL schema, as SQLAlchemy Core tables in one `METADATA`. Only `storage` imports this
module.

Alembic's migrations in ``migrations/versions`` create exactly this schema (a test compares
them with ``compare_metadata``), on SQLite and PostgreSQL alike, so the types are the portable
ones: times are ``DateTime(timezone=True)`` and always written in UTC, knee-to-wall distances
are whole millimetres (exact, where a float column could round), JSON documents are ``JSON``.
Constraint names follow a naming convention so that migrations can name what they drop.

Core tables, not ORM classes: storage reads and writes columns, never entities, and
declaring 23 mapped classes cost a recorded screening on the command line about 75 ms of
its start-up (plus importing the ORM), several times a bare interpreter (docs/performance.md).
Columns are NOT NULL unless ``nullable=True``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
METADATA = MetaData(naming_convention=NAMING)

ID = String(64)
LEG = String(5)

PERSONAL = 1
"""The implicit person of personal mode: every record of a database from before people
(revision 0006) belongs to it, and `calfcare.storage.open_store` opens the store as it."""


def _column(name: str, *args: Any, nullable: bool = False, **kw: Any) -> Column[Any]:
    return Column(name, *args, nullable=nullable, **kw)


def _time(name: str, *, nullable: bool = False) -> Column[Any]:
    return _column(name, DateTime(timezone=True), nullable=nullable)


def _person(name: str = "person_id", **kw: Any) -> Column[Any]:
    """A column naming a person (`PEOPLE`)."""
    return _column(name, ForeignKey("people.id"), **kw)


def _account(name: str, **kw: Any) -> Column[Any]:
    """A column naming an account (`ACCOUNTS`)."""
    return _column(name, ForeignKey("accounts.id"), **kw)


def _tries(name: str, what: str, *indexes: tuple[str, ...]) -> Table:
    """Tries a throttle counts: ``what`` was tried (a login name, a kind), from which address,
    when; in the database, so that every worker counts the same."""
    return Table(name, METADATA, _column("id", Integer, primary_key=True),
                 _column(what, String(64)), _column("address", String(64)), _time("at"),
                 *(Index(f"ix_{name}_{columns[0]}", *columns) for columns in indexes))  # fmt: skip


def _owned(name: str, *columns: Any) -> Table:
    """A person's record table: the record's id and its owner first (`Reads` filters and
    `Writes` stamps the owner), then ``columns``."""
    return Table(name, METADATA, _column("id", ID, primary_key=True), _person(), *columns)


def _by_secret(name: str, key: str, account: str, *columns: Any) -> Table:
    """Something given out once and kept only by the SHA-256 of its secret (a sign-in
    token, an invitation code): that hash, the account it is of, when it was made and until
    when it works, then ``columns``."""
    return Table(name, METADATA, _column(key, String(64), primary_key=True),
                 _account(account, index=True), _time("created_at"), _time("expires_at"),
                 *columns)  # fmt: skip


def _by_person(table: str, column: str) -> Index:
    """The index every read of a table uses: the person's rows, by day (or time)."""
    return Index(f"ix_{table}_person_id", "person_id", column)


def _check_in(name: str, *columns: Any) -> Table:
    """A soreness or a mobility check-in (`convert` writes their shared columns alike)."""
    return _owned(
        name,
        _time("recorded_at"),
        _column("day", Date),
        _column("leg", LEG),
        _column("moment", String(16)),
        *columns,
        _column("session_id", String(100), nullable=True),
        _by_person(name, "day"),
    )


def _of_session(name: str, *columns: Any) -> Table:
    """A session's part (its calves, holds, tender spots): the session first, whose deletion
    takes its parts along."""
    session = ForeignKey("sessions.id", ondelete="CASCADE")
    return Table(name, METADATA, _column("session_id", session, primary_key=True),
                 *columns)  # fmt: skip


# Foreign keys take the type of the column they name.

# A person whose records these are: the implicit one of personal mode (`PERSONAL`), or one
# of a server's people (their account is another table's business).
PEOPLE = Table("people", METADATA, _column("id", Integer, primary_key=True), _time("created_at"))

SCREENINGS = _owned(
    "screenings",
    _column("kind", String(16)),
    _time("taken_at"),
    _column("contract_version", Integer),
    _column("verdict", String(16)),
    _column("answers", JSON),
    _column("report", JSON),
    _by_person("screenings", "taken_at"),
    Index("ix_screenings_verdict", "person_id", "verdict"),  # holds (migration 0010b)
)

SESSIONS = _owned(
    "sessions",
    _column("day", Date),
    _time("started_at"),
    _column("source", String(16)),
    _column("tool", String(16)),
    _column("intensity", String(16), nullable=True),
    _column("outcome", String(32)),
    _column("duration_seconds", Float),
    _column("plan", JSON, nullable=True),
    _column("screening_id", ForeignKey("screenings.id"), nullable=True),
    _by_person("sessions", "day"),
    Index("ix_sessions_outcome", "person_id", "outcome"),  # sharp-pain stops (0010b)
)

SESSION_CALVES = _of_session(
    "session_calves",
    _column("position", Integer, primary_key=True),
    _column("leg", LEG),
    _column("planned_seconds", Integer, nullable=True),
    _column("active_seconds", Float),
)

SESSION_HOLDS = _of_session(
    "session_holds",
    _column("calf_position", Integer, primary_key=True),
    _column("position", Integer, primary_key=True),
    _column("start", Float),
    _column("end", Float),
    _column("seconds", Float),
)

TENDER_SPOTS = _of_session(
    "tender_spots",
    _column("position", Integer, primary_key=True),
    _column("leg", LEG),
    _column("height", String(8)),
    _column("side", String(8)),
)

# A calf's soreness rating, 0 (none) to 10.
SORENESS = _check_in(
    "soreness",
    _column("score", Integer),
    CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
)

# A calf's knee-to-wall test: the distance in whole millimetres (the core's centimetres
# times ten, exact), 0 to 30 cm.
MOBILITY = _check_in(
    "mobility",
    _column("distance_mm", Integer),
    CheckConstraint("distance_mm >= 0 AND distance_mm <= 300", name="range"),
)

NOTES = _owned(
    "notes",
    _column("day", Date),
    _time("written_at"),
    _column("text", Text),
    _by_person("notes", "day"),
)

# A split-leg coin. ``drawn_at`` and ``experiment_id`` are null on coins stored before
# experiments were registered (revision 0004); ``reported`` is which calves the person said
# they massaged (left, right, both, neither), set once when no session says so.
SPLIT_LEG_DAYS = Table(
    "split_leg_days",
    METADATA,
    _person(primary_key=True),
    _column("day", Date, primary_key=True),
    _column("massaged", LEG),
    _time("drawn_at", nullable=True),
    _column("experiment_id", ID, nullable=True),
    _column("reported", String(8), nullable=True),
)

# A pre-registered split-leg experiment; ``day`` is its start day (named like every record
# table's day, so that the day filters apply). ``stopped_at`` is set once, when it is
# stopped early.
SPLIT_LEG_EXPERIMENTS = _owned(
    "split_leg_experiments",
    _time("registered_at"),
    _column("day", Date),
    _column("planned_days", Integer),
    _column("outcome", String(32)),
    _time("stopped_at", nullable=True),
    _by_person("split_leg_experiments", "day"),
)

# The person's record that a clinician ruled out a clot on ``day`` (lifts a hold).
CLEARANCES = _owned(
    "clearances", _column("day", Date), _time("recorded_at"), _by_person("clearances", "day")
)

# The person's word that a calf's sharp pain has gone or been checked.
PAIN_CHECKS = _owned(
    "pain_checks",
    _column("day", Date),
    _column("leg", LEG),
    _time("recorded_at"),
    _by_person("pain_checks", "day"),
)

# Per person, one number every committed write of theirs adds one to (`Store.transaction`).
# Records are only ever added, so "has anything of this person's changed since I computed
# this?" is one integer comparison: caches of derived results (insights, stats, exports) key
# on it, and a write from another process (the CLI beside the web app, another worker)
# invalidates them because the number lives in the database, not in memory. One person's
# writes leave every other person's number, and caches, alone.
DATA_VERSION = Table(
    "data_version",
    METADATA,
    _person(primary_key=True, autoincrement=False),
    _column("version", BigInteger),
)

# A person's way in (server mode): a login name (normalised, unique), an Argon2 hash of the
# password (never the password), a role; ``disabled`` ones cannot sign in.
ACCOUNTS = Table(
    "accounts",
    METADATA,
    _column("id", Integer, primary_key=True),
    _person(unique=True),
    _column("login", String(64), unique=True),
    _column("password_hash", String(255)),
    _column("role", String(16)),
    _time("created_at"),
    _column("disabled", Boolean),
)

# A sign-in session, stored by the SHA-256 of its token (the token itself is only in the
# holder's cookie).
AUTH_SESSIONS = _by_secret(
    "auth_sessions",
    "token_hash",
    "account_id",
    _time("last_seen_at"),
    _time("revoked_at", nullable=True),
)

# A refused sign-in: by login name (known or not) and address, for the throttle.
SIGN_IN_FAILURES = _tries("sign_in_failures", "login", ("login", "at"), ("address", "at"))

# A request counted against its address (`core.accounts.AddressLimit`: a passkey sign-in
# begun, an account made by sign-up), kept only while a window can count it.
ADDRESS_TRIES = _tries("address_tries", "kind", ("address", "kind", "at"), ("at",))

# A clinician's invitation: the SHA-256 of its short code (the code itself is shown to the
# clinician once), until when it may be accepted, and who accepted it.
INVITATIONS = _by_secret(
    "invitations",
    "code_hash",
    "clinician_id",
    _person("accepted_by", nullable=True),
    _time("accepted_at", nullable=True),
    _time("revoked_at", nullable=True),
)

# A person sharing their records with a clinician's account, from ``started_at`` until
# ``stopped_at`` (None: still sharing).
SHARES = Table(
    "shares",
    METADATA,
    _column("id", Integer, primary_key=True),
    _account("clinician_id"),
    _person(index=True),
    _time("started_at"),
    _time("stopped_at", nullable=True),
    Index("ix_shares_clinician", "clinician_id", "stopped_at"),
)

# A clinician's routine for a person; the newest one for a person is the one in force.
PRESCRIPTIONS = Table(
    "prescriptions",
    METADATA,
    _column("id", Integer, primary_key=True),
    _person(),
    _account("clinician_id"),
    _column("calves", String(16)),
    _column("tools", String(64)),
    _column("intensity_cap", String(16)),
    _column("seconds_per_calf", Integer),
    _column("sessions_per_week", Integer),
    _column("weeks", Integer),
    _column("start_day", Date),
    _column("note", Text),
    _time("created_at"),
    Index("ix_prescriptions_person_id", "person_id", "created_at"),
)

# A clinician opened a person's records: who, whose, what, when (the person can read it).
AUDIT_EVENTS = Table(
    "audit_events",
    METADATA,
    _column("id", Integer, primary_key=True),
    _account("clinician_id"),
    _person(),
    _column("what", String(64)),
    _time("at"),
    Index("ix_audit_events_person_id", "person_id", "at"),
)

# A private calendar feed link of a person's prescribed sessions, by the SHA-256 of its
# token; revoked ones stop working.
CALENDAR_FEEDS = Table(
    "calendar_feeds",
    METADATA,
    _column("token_hash", String(64), primary_key=True),
    _person(index=True),
    _time("created_at"),
    _time("revoked_at", nullable=True),
)

# A person's line of the clinician's list (`calfcare.core.summary_json`'s text), kept for
# the data version, prescription and day it was computed for (any other: recompute).
PERSON_SUMMARIES = Table(
    "person_summaries",
    METADATA,
    _person(primary_key=True, autoincrement=False),
    _column("data_version", BigInteger),
    _column("prescription_id", Integer, nullable=True),
    _column("day", Date),
    _column("body", Text),
)

# A passkey (server mode): an account's way in besides its password. Its id (base64url,
# unique among everyone's), public key (COSE), counter, user handle and the name it was given.
PASSKEYS = Table(
    "passkeys",
    METADATA,
    _column("id", Integer, primary_key=True),
    _account("account_id", index=True),
    _column("credential_id", String(1400), unique=True),
    _column("public_key", LargeBinary),
    _column("sign_count", BigInteger),
    _column("user_handle", String(128)),
    _column("name", String(64)),
    _time("created_at"),
    _time("last_used_at", nullable=True),
)

# A passkey ceremony under way (minutes, used once): the SHA-256 of the key in the browser's
# short-lived cookie, the challenge, the site, and to add a passkey the account, the SHA-256
# of its sign-in session and the user handle the passkey is made for.
PASSKEY_CHALLENGES = Table(
    "passkey_challenges",
    METADATA,
    _column("key_hash", String(64), primary_key=True),
    _column("purpose", String(16)),
    _column("challenge", String(128)),
    _column("rp_id", String(255)),
    _column("origin", String(300)),
    _account("account_id", nullable=True),
    _column("session_hash", String(64), nullable=True),
    _column("user_handle", String(128), nullable=True),
    _time("expires_at"),
    Index("ix_passkey_challenges_expires_at", "expires_at"),
)
