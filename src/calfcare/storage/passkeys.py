"""Passkeys and the ceremonies under way, in an accounts transaction
(`AccountTransaction.passkeys`).

Like accounts, not a person's records: the passkeys service (`calfcare.services.passkeys`) is
the one user, and it says whose passkey is whose. Rows come back as `Passkey` and
`Challenge`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from calfcare.storage.convert import from_db, to_utc
from calfcare.storage.queries import keep_newest
from calfcare.storage.tables import PASSKEY_CHALLENGES, PASSKEYS


@dataclass(frozen=True)
class Passkey:
    """A stored passkey (``public_key`` is COSE; ids are base64url)."""

    id: int
    account_id: int
    credential_id: str
    public_key: bytes
    sign_count: int
    user_handle: str
    name: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class Challenge:
    """A ceremony's challenge (base64url) and what it is bound to."""

    purpose: str
    challenge: str
    rp_id: str
    origin: str
    account_id: int | None
    session_hash: str | None
    user_handle: str | None
    expires_at: datetime


_KEY_COLUMNS = tuple(PASSKEYS.c)  # id, account_id, ..., created_at, last_used_at
_CHALLENGE_COLUMNS = tuple(PASSKEY_CHALLENGES.c)[1:]  # all but the key's hash


def _passkey(row: Any) -> Passkey:
    id_, account, credential, key, count, handle, name, created, used = row
    last = None if used is None else from_db(used)
    return Passkey(int(id_), int(account), str(credential), bytes(key), int(count), str(handle),
                   str(name), from_db(created), last)  # fmt: skip


class PasskeyTransaction:
    """What the passkeys service does, in the accounts transaction it shares."""

    def __init__(self, session: Connection) -> None:
        self._session = session

    def add_challenge(self, key_hash: str, challenge: Challenge) -> None:
        self._session.execute(
            insert(PASSKEY_CHALLENGES).values(
                key_hash=key_hash, purpose=challenge.purpose, challenge=challenge.challenge,
                rp_id=challenge.rp_id, origin=challenge.origin,
                account_id=challenge.account_id, session_hash=challenge.session_hash,
                user_handle=challenge.user_handle,
                expires_at=to_utc(challenge.expires_at),
            )
        )  # fmt: skip

    def take_challenge(self, key_hash: str) -> Challenge | None:
        """The challenge stored under ``key_hash``, deleted as it is read: of two workers
        answering the same challenge at once, only one gets it."""
        row = self._session.execute(
            delete(PASSKEY_CHALLENGES)
            .where(PASSKEY_CHALLENGES.c.key_hash == key_hash)
            .returning(*_CHALLENGE_COLUMNS)
        ).first()
        if row is None:
            return None
        purpose, challenge, rp_id, origin, account, session, handle, expires = row
        return Challenge(str(purpose), str(challenge), str(rp_id), str(origin),
                         None if account is None else int(account),
                         None if session is None else str(session),
                         None if handle is None else str(handle), from_db(expires))  # fmt: skip

    def forget_challenges(self, before: datetime) -> None:
        """Drop the challenges that ran out (never answered)."""
        self._session.execute(
            delete(PASSKEY_CHALLENGES).where(PASSKEY_CHALLENGES.c.expires_at <= to_utc(before))
        )

    def keep_newest(self, purpose: str, count: int) -> int:
        """Drop the oldest challenges for ``purpose`` beyond the newest ``count`` (all live
        the same time: the newest expire last); how many were dropped."""
        return keep_newest(self._session, PASSKEY_CHALLENGES,
                           PASSKEY_CHALLENGES.c.purpose == purpose,
                           PASSKEY_CHALLENGES.c.expires_at, count)  # fmt: skip

    def add(self, account_id: int, credential_id: str, public_key: bytes, sign_count: int,
            user_handle: str, name: str, at: datetime) -> Passkey:  # fmt: skip
        """A new passkey (its credential id must be free: `StorageError`)."""
        values = {"account_id": account_id, "credential_id": credential_id,
                  "public_key": public_key, "sign_count": sign_count,
                  "user_handle": user_handle, "name": name, "created_at": to_utc(at),
                  "last_used_at": None}  # fmt: skip
        id_ = self._session.execute(
            insert(PASSKEYS).values(**values).returning(PASSKEYS.c.id)
        ).scalar_one()
        return Passkey(int(id_), account_id, credential_id, public_key, sign_count, user_handle,
                       name, to_utc(at), None)  # fmt: skip

    def by_credential(self, credential_id: str) -> Passkey | None:
        row = self._session.execute(
            select(*_KEY_COLUMNS).where(PASSKEYS.c.credential_id == credential_id)
        ).first()
        return None if row is None else _passkey(row)

    def of_account(self, account_id: int) -> list[Passkey]:
        """The account's passkeys, oldest first."""
        rows = self._session.execute(
            select(*_KEY_COLUMNS)
            .where(PASSKEYS.c.account_id == account_id)
            .order_by(PASSKEYS.c.created_at, PASSKEYS.c.id)
        ).all()
        return [_passkey(row) for row in rows]

    def used(self, passkey_id: int, seen_count: int, new_count: int, at: datetime) -> bool:
        """Note a sign-in with the passkey: its new counter, when. False (nothing written)
        when its counter is no longer ``seen_count``: another sign-in used it meanwhile."""
        result = self._session.execute(
            update(PASSKEYS)
            .where(PASSKEYS.c.id == passkey_id, PASSKEYS.c.sign_count == seen_count)
            .values(sign_count=new_count, last_used_at=to_utc(at))
        )
        return int(getattr(result, "rowcount", 0)) == 1

    def remove(self, account_id: int, passkey_id: int) -> bool:
        """Remove one of the account's passkeys; False when it has none with that id."""
        result = self._session.execute(
            delete(PASSKEYS).where(PASSKEYS.c.id == passkey_id, PASSKEYS.c.account_id == account_id)
        )
        return int(getattr(result, "rowcount", 0)) == 1

    def remove_all(self, account_id: int) -> int:
        """Remove every passkey of the account; how many."""
        result = self._session.execute(delete(PASSKEYS).where(PASSKEYS.c.account_id == account_id))
        return int(getattr(result, "rowcount", 0))
