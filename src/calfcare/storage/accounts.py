"""Accounts, sign-in sessions, refused sign-ins and the tries counted against an address, in
one transaction (`Store.accounts`).

Not a person's records (they are not filtered by the store's person): the accounts service
(`calfcare.services.accounts`) is the one user. Rows come back as `Account` and
`SessionTimes`, never ORM entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update

from calfcare.core.accounts import Role, SessionTimes
from calfcare.storage.convert import from_db, to_utc
from calfcare.storage.queries import insert_person, keep_newest
from calfcare.storage.tables import (
    ACCOUNTS,
    ADDRESS_TRIES,
    AUTH_SESSIONS,
    DATA_VERSION,
    SIGN_IN_FAILURES,
)

if TYPE_CHECKING:  # imported where used: only passkey pages need them
    from calfcare.storage.passkeys import PasskeyTransaction

_COLUMNS = (ACCOUNTS.c.id, ACCOUNTS.c.person_id, ACCOUNTS.c.login, ACCOUNTS.c.password_hash,
            ACCOUNTS.c.role, ACCOUNTS.c.disabled)  # fmt: skip


@dataclass(frozen=True)
class Account:
    """An account as stored (``password_hash`` never leaves the accounts service)."""

    id: int
    person_id: int
    login: str
    password_hash: str
    role: Role
    disabled: bool


def _account(row: Any) -> Account | None:
    if row is None:
        return None
    id_, person, login, hashed, role, disabled = row
    return Account(int(id_), int(person), str(login), str(hashed), Role(role), bool(disabled))


def signed_in_query(placeholder: str) -> str:
    """The SQL `Store.signed_in` runs on a raw DBAPI connection: the session stored under
    a token hash (the one parameter, ``placeholder`` the driver's marker) with its account,
    in one statement, and last the account's person's data version (NULL: no row yet), so
    that a request needs no second round trip for it (`calfcare.storage.version.keep`)."""
    columns = ", ".join(f"a.{c.name}" for c in _COLUMNS)
    times = "s.created_at, s.expires_at, s.last_seen_at, s.revoked_at"
    version = f"(SELECT v.version FROM {DATA_VERSION.name} v WHERE v.person_id = a.person_id)"
    return (
        f"SELECT {columns}, {times}, {version} FROM {AUTH_SESSIONS.name} s "
        f"JOIN {ACCOUNTS.name} a ON a.id = s.account_id WHERE s.token_hash = {placeholder}"
    )


def signed_in_row(row: Any) -> tuple[Account, SessionTimes] | None:
    """`signed_in_query`'s row as the account and the session's times (or None)."""
    if row is None:
        return None
    account = _account(row[: len(_COLUMNS)])
    created, expires, seen, revoked = (_moment(v) for v in row[len(_COLUMNS) : -1])
    assert account is not None and created and expires and seen
    return account, SessionTimes(created, expires, seen, revoked)


def _moment(value: Any) -> datetime | None:
    """A raw driver's time as UTC-aware (sqlite3 gives the stored text)."""
    if value is None:
        return None
    return from_db(datetime.fromisoformat(value) if isinstance(value, str) else value)


class AccountTransaction:
    """What the accounts service does in one transaction."""

    def __init__(self, session: Connection) -> None:
        self._session = session

    @property
    def passkeys(self) -> PasskeyTransaction:
        """The passkeys and their ceremonies, in this same transaction."""
        from calfcare.storage.passkeys import PasskeyTransaction

        return PasskeyTransaction(self._session)

    def add_account(self, login: str, password_hash: str, role: Role, at: datetime) -> Account:
        """A new person and their account (the login must be free: `StorageError`)."""
        created = to_utc(at)
        person = insert_person(self._session, created)
        values = {"person_id": person, "login": login, "password_hash": password_hash,
                  "role": role.value, "created_at": created, "disabled": False}  # fmt: skip
        id_ = self._session.execute(
            insert(ACCOUNTS).values(**values).returning(ACCOUNTS.c.id)
        ).scalar_one()
        return Account(int(id_), person, login, password_hash, role, False)

    def by_login(self, login: str) -> Account | None:
        return _account(
            self._session.execute(select(*_COLUMNS).where(ACCOUNTS.c.login == login)).first()
        )

    def by_id(self, account_id: int) -> Account | None:
        return _account(
            self._session.execute(select(*_COLUMNS).where(ACCOUNTS.c.id == account_id)).first()
        )

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        self._session.execute(
            update(ACCOUNTS).where(ACCOUNTS.c.id == account_id).values(password_hash=password_hash)
        )

    def add_session(self, token_hash: str, account_id: int, times: SessionTimes) -> None:
        self._session.execute(
            insert(AUTH_SESSIONS).values(
                token_hash=token_hash,
                account_id=account_id,
                created_at=to_utc(times.created_at),
                expires_at=to_utc(times.expires_at),
                last_seen_at=to_utc(times.last_seen_at),
                revoked_at=None,
            )
        )

    def keep_newest_sessions(self, account_id: int, count: int) -> int:
        """Drop the account's oldest sessions beyond its newest ``count``; how many."""
        return keep_newest(self._session, AUTH_SESSIONS, AUTH_SESSIONS.c.account_id == account_id,
                           AUTH_SESSIONS.c.created_at, count)  # fmt: skip

    def touch_session(self, token_hash: str, at: datetime) -> None:
        self._session.execute(
            update(AUTH_SESSIONS)
            .where(AUTH_SESSIONS.c.token_hash == token_hash)
            .values(last_seen_at=to_utc(at))
        )

    def revoke_sessions(self, account_id: int, at: datetime, *, keep: str | None = None) -> int:
        """Revoke the account's live sessions (all but ``keep``); how many."""
        query = update(AUTH_SESSIONS).where(
            AUTH_SESSIONS.c.account_id == account_id, AUTH_SESSIONS.c.revoked_at.is_(None)
        )
        if keep is not None:
            query = query.where(AUTH_SESSIONS.c.token_hash != keep)
        return int(
            getattr(self._session.execute(query.values(revoked_at=to_utc(at))), "rowcount", 0)
        )

    def open_sessions(self, account_id: int) -> list[tuple[str, SessionTimes]]:
        """The account's sessions not revoked (token hash and times; whether each is still
        alive is the accounts service's question)."""
        rows = self._session.execute(
            select(AUTH_SESSIONS.c.token_hash, AUTH_SESSIONS.c.created_at,
                   AUTH_SESSIONS.c.expires_at, AUTH_SESSIONS.c.last_seen_at)
            .where(AUTH_SESSIONS.c.account_id == account_id,
                   AUTH_SESSIONS.c.revoked_at.is_(None))
        )  # fmt: skip
        return [
            (str(key), SessionTimes(from_db(created), from_db(expires), from_db(seen), None))
            for key, created, expires, seen in rows
        ]

    def revoke_session(self, token_hash: str, at: datetime) -> None:
        self._session.execute(
            update(AUTH_SESSIONS)
            .where(AUTH_SESSIONS.c.token_hash == token_hash, AUTH_SESSIONS.c.revoked_at.is_(None))
            .values(revoked_at=to_utc(at))
        )

    def add_failure(self, login: str, address: str, at: datetime) -> None:
        self._session.execute(
            insert(SIGN_IN_FAILURES).values(login=login, address=address, at=to_utc(at))
        )

    def failures(self, since: datetime, *, login: str | None = None,
                 address: str | None = None) -> list[datetime]:  # fmt: skip
        """When sign-ins failed since ``since``, for a login name or an address."""
        query = select(SIGN_IN_FAILURES.c.at).where(SIGN_IN_FAILURES.c.at > to_utc(since))
        if login is not None:
            query = query.where(SIGN_IN_FAILURES.c.login == login)
        if address is not None:
            query = query.where(SIGN_IN_FAILURES.c.address == address)
        return [from_db(at) for (at,) in self._session.execute(query).all()]

    def forget_failures(self, before: datetime) -> None:
        """Drop failures older than the throttle could ever count."""
        self._session.execute(
            delete(SIGN_IN_FAILURES).where(SIGN_IN_FAILURES.c.at <= to_utc(before))
        )

    def add_try(self, kind: str, address: str, at: datetime) -> None:
        """A request of ``kind`` from ``address``, counted (`core.accounts.AddressLimit`)."""
        self._session.execute(
            insert(ADDRESS_TRIES).values(kind=kind, address=address, at=to_utc(at))
        )

    def tries(self, kind: str, address: str, since: datetime) -> list[datetime]:
        """When ``address`` made requests of ``kind`` since ``since``."""
        query = select(ADDRESS_TRIES.c.at).where(
            ADDRESS_TRIES.c.address == address, ADDRESS_TRIES.c.kind == kind,
            ADDRESS_TRIES.c.at > to_utc(since),
        )  # fmt: skip
        return [from_db(at) for (at,) in self._session.execute(query).all()]

    def forget_tries(self, before: datetime) -> None:
        """Drop tries older than any window could count."""
        self._session.execute(delete(ADDRESS_TRIES).where(ADDRESS_TRIES.c.at <= to_utc(before)))

    def count_accounts(self) -> int:
        return int(self._session.execute(select(func.count()).select_from(ACCOUNTS)).scalar_one())
