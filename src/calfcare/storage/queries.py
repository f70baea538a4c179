"""The tables and the query pieces the transaction's reads, summaries and writes share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, delete, func, insert, select
from sqlalchemy.sql import CompoundSelect, Select

from calfcare.core.records import RecordSet
from calfcare.storage import convert
from calfcare.storage.tables import (
    ACCOUNTS,
    ADDRESS_TRIES,
    AUTH_SESSIONS,
    DATA_VERSION,
    METADATA,
    PEOPLE,
    SIGN_IN_FAILURES,
)

NOT_RECORDS = frozenset(
    table.name
    for table in (DATA_VERSION, PEOPLE, ACCOUNTS, AUTH_SESSIONS, SIGN_IN_FAILURES, ADDRESS_TRIES)
)
TABLES = {table.name: table for table in METADATA.sorted_tables if table.name not in NOT_RECORDS}
"""The record tables, parents before children."""
OWNED = frozenset(name for name, table in TABLES.items() if "person_id" in table.c)
"""The record tables with an owner column; the others are parts of a session."""
RECORD_KINDS = tuple(field.name for field in fields(RecordSet))
"""The kinds of record: `RecordSet`'s fields, in its order."""
VERSION = DATA_VERSION


def read_version(placeholder: str) -> str:
    """The SQL `Store.data_version` runs on a raw DBAPI connection, with the person's id
    as its one parameter (``placeholder``: the driver's marker, `VersionReader.placeholder`):
    one statement for everyone, so PostgreSQL prepares it once."""
    return f"SELECT version FROM {VERSION.name} WHERE person_id = {placeholder}"


BATCH = 500
"""Rows per bulk insert: large imports go in batches, all in the one transaction."""


def insert_person(session: Connection, created_at: datetime) -> int:
    """Add a person with no records (data version 0) in ``session``; their id."""
    person_id = int(
        session.execute(
            insert(PEOPLE).values(created_at=created_at).returning(PEOPLE.c.id)
        ).scalar_one()
    )
    session.execute(insert(VERSION).values(person_id=person_id, version=0))
    return person_id


class TransactionBase:
    """What every part of a `Transaction` shares: its connection (a Core `Connection` in a
    transaction, `Engine.begin`; no ORM session: storage reads and writes columns, never
    entities), and whether it may write."""

    def __init__(self, session: Connection, person_id: int, *, read_only: bool = False) -> None:
        self._session = session
        self.person_id = person_id
        """Whose records this transaction reads and writes (and nobody else's)."""
        self._read_only = read_only
        self.wrote = False
        """True once anything was written (`Store.transaction` then bumps the version)."""

    def _rows(self, query: Select[Any]) -> Sequence[Any]:
        """``query``'s rows, run on the transaction's connection."""
        return self._session.execute(query).all()

    def _run(
        self, statement: Select[Any] | CompoundSelect[Any], values: Mapping[str, Any] | None = None
    ) -> Sequence[Any]:
        """The rows of a statement built once (`calfcare.storage.statements`), run with this
        person's id (``person``) and ``values`` for its other bound parameters (extra ones
        are ignored)."""
        params = {"person": self.person_id, **(values or {})}
        return self._session.execute(statement, params).all()

    def _mine(self, table: Table) -> Any:
        """The condition "this person's row" on a table with an owner column."""
        return table.c.person_id == self.person_id


def as_day(value: Any) -> date:
    """A day from a ``min``/``max`` of a date or time column (SQLite may give text)."""
    if isinstance(value, datetime):
        return convert.from_db(value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text[:10])


def select_columns(table: Table, names: Sequence[str]) -> Select[Any]:
    return select(*(table.c[name] for name in names))


def keep_newest(session: Connection, table: Table, where: ColumnElement[bool],
                newest_first: Column[Any], count: int) -> int:  # fmt: skip
    """Delete the rows of ``table`` matching ``where`` beyond the newest ``count`` (by
    ``newest_first``, descending; its primary key breaks ties); how many were deleted."""
    stored = session.execute(select(func.count()).select_from(table).where(where)).scalar_one()
    if stored <= count:
        return 0
    (key,) = table.primary_key.columns
    newest = select(key).where(where).order_by(newest_first.desc(), key).limit(count)
    result = session.execute(delete(table).where(where, key.not_in(newest)))
    return int(getattr(result, "rowcount", 0))
