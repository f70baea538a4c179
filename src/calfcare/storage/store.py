"""The store: one transaction per use case, core records in and out.

    with store.transaction() as tx:
        tx.add_note(note)
        ...

Everything inside the ``with`` commits together when the block ends, or not at all when it
raises, so a use case is never half-written. When ``transaction()`` returns, the commit is
durable (see `calfcare.storage.engine` for SQLite's settings). Reads return core dataclasses
in the canonical order of `RecordSet.sorted` (sorted in Python, because SQLite and
PostgreSQL order text differently), built from plain column tuples (`convert`), not ORM
entities, which cost more than everything else about a read.

The data version: records are only ever added, so every transaction that wrote adds one to
the ``data_version`` row, last, in the same transaction (here, centrally, so that no write
path can forget it). A transaction that only read leaves it alone. `Store.data_version`
reads it in one small query; caches of derived results key on it
(`calfcare.services.ReadCache`). Concurrent writers serialise on that one row at the end of
their transactions (SQLite already holds the write lock from ``BEGIN IMMEDIATE``; on
PostgreSQL ``version = version + 1`` waits for the other writer and then adds to its
committed number, so no increment is lost and, taken last, it cannot deadlock).

`Store.reading` is a read-only transaction: on SQLite a deferred ``BEGIN`` (a WAL snapshot,
no write lock), so concurrent readers never queue behind each other or behind a writer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Select

from calfcare.core.records import Logged, Note, RecordSet, ScreeningRecord, SessionRecord
from calfcare.core.tracking import MobilityTest, SorenessCheckIn, SplitLegDay
from calfcare.storage import convert
from calfcare.storage.engine import READ_ONLY
from calfcare.storage.errors import StorageError
from calfcare.storage.tables import Base, DataVersionRow

TABLES = {
    table.name: table for table in Base.metadata.sorted_tables if table.name != "data_version"
}
"""The record tables, parents before children."""
RECORD_KINDS = ("screenings", "sessions", "soreness", "mobility", "notes", "split_leg_days")
VERSION = Base.metadata.tables[DataVersionRow.__tablename__]
_READ_VERSION = "SELECT version FROM data_version WHERE id = 1"
BATCH = 500
"""Rows per bulk insert: large imports go in batches, all in the one transaction."""


class Store:
    """A database holding one person's records. Build it with `calfcare.storage.open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False, autoflush=False)
        self._version_reader = _VersionReader(self)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One unit of work: commits at the end of the block, rolls back if it raises; adds
        one to the data version when it wrote anything."""
        with self._errors(), self._sessions.begin() as session:
            tx = Transaction(session)
            yield tx
            if tx.wrote:
                tx.bump_version()

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A transaction that only reads (its writes raise): one consistent snapshot, and on
        SQLite no write lock, so any number of readers run at once."""
        with self._errors(), self._read_sessions.begin() as session:
            yield Transaction(session, read_only=True)

    def data_version(self) -> int:
        """The number every committed write increases (0: a database never written to).

        Cheap enough to ask on every request (a few µs on SQLite): one query on a DBAPI
        connection kept for this alone (`_VersionReader`), in autocommit mode so that each
        ask reads the newest commit. It never waits for the shared pool, so an async route
        may ask on the event loop even while worker threads hold every pooled connection.
        """
        return self._version_reader.read()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as error:
            raise StorageError(
                f"The database refused the change ({type(error.orig).__name__})."
            ) from error
        except DBAPIError as error:
            raise StorageError(
                f"The database at {self.display_url} cannot be used: "
                f"{str(error.orig).strip().splitlines()[0] if error.orig else error}"
            ) from error

    def close(self) -> None:
        self._version_reader.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class _VersionReader:
    """The DBAPI connection `Store.data_version` reads on, opened on first use and kept.

    Taken from the engine's pool (so SQLite gets its pragmas) and never given back: it is in
    autocommit mode (SQLite's connections already are; a PostgreSQL one is switched), which
    must not leak to other users of the pool, so `close` throws it away. A connection that
    fails is thrown away too, and the next ask opens a new one.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._connection: Any = None

    def read(self) -> int:
        engine = self._store.engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        with self._lock:
            try:
                if self._connection is None:
                    with self._store._errors():  # SQLAlchemy's errors, from the pool
                        self._connection = self._open(engine)
                cursor = self._connection.cursor()
                try:
                    cursor.execute(_READ_VERSION)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except dbapi_error as error:  # the raw driver's own errors are not wrapped
                self._discard()
                text = str(error).strip()
                raise StorageError(
                    f"The database at {self._store.display_url} cannot be used: "
                    f"{text.splitlines()[0] if text else type(error).__name__}"
                ) from error
        return 0 if row is None else int(row[0])

    @staticmethod
    def _open(engine: Engine) -> Any:
        connection = engine.raw_connection()
        if engine.dialect.name != "sqlite":  # SQLite's are in autocommit already (engine.py)
            connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        return connection

    def close(self) -> None:
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        if self._connection is not None:
            self._connection.invalidate()  # closed, not returned to the pool
            self._connection = None


class Transaction:
    """What a use case can do inside `Store.transaction`."""

    def __init__(self, session: Session, *, read_only: bool = False) -> None:
        self._session = session
        self._read_only = read_only
        self.wrote = False
        """True once anything was written (`Store.transaction` then bumps the version)."""

    def bump_version(self) -> None:
        """Add one to the data version (done by `Store.transaction`; a row cleared by hand
        is put back)."""
        result = self._session.execute(update(VERSION).values(version=VERSION.c.version + 1))
        if getattr(result, "rowcount", 1) == 0:
            self._session.execute(insert(VERSION).values(id=1, version=1))

    # -- writing ----------------------------------------------------------------------------

    def add_screening(self, record: ScreeningRecord) -> None:
        self._insert("screenings", [convert.screening_row(record)])

    def add_session(self, record: SessionRecord) -> None:
        for table, rows in convert.session_rows(record).items():
            self._insert(table, rows)

    def add_soreness(self, item: Logged[SorenessCheckIn]) -> None:
        self._insert("soreness", [convert.soreness_row(item)])

    def add_mobility(self, item: Logged[MobilityTest]) -> None:
        self._insert("mobility", [convert.mobility_row(item)])

    def add_note(self, note: Note) -> None:
        self._insert("notes", [convert.note_row(note)])

    def add_split_leg_day(self, allocation: SplitLegDay) -> None:
        self._insert("split_leg_days", [convert.split_leg_row(allocation)])

    def add_all(self, records: RecordSet, progress: Callable[[int], None] | None = None) -> None:
        """Insert every record in bulk (an import); ``progress`` gets each batch's size."""
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        rows["screenings"] = [convert.screening_row(r) for r in records.screenings]
        for s in records.sessions:
            for table, more in convert.session_rows(s).items():
                rows[table] += more
        rows["soreness"] = [convert.soreness_row(r) for r in records.soreness]
        rows["mobility"] = [convert.mobility_row(r) for r in records.mobility]
        rows["notes"] = [convert.note_row(r) for r in records.notes]
        rows["split_leg_days"] = [convert.split_leg_row(r) for r in records.split_leg_days]
        for name in TABLES:  # sorted_tables: parents before children
            table_rows = rows[name]
            for start in range(0, len(table_rows), BATCH):
                batch = table_rows[start : start + BATCH]
                self._insert(name, batch)
                if progress is not None:
                    progress(len(batch))

    def _insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if self._read_only:
            raise StorageError("Cannot write in a read-only transaction (Store.reading).")
        if rows:
            self._session.execute(insert(TABLES[table]), list(rows))
            self.wrote = True

    # -- reading ----------------------------------------------------------------------------

    def records(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        kinds: Collection[str] | None = None,
    ) -> RecordSet:
        """Everything between two days (inclusive; None is open), in the canonical order;
        with ``kinds`` (names of `RecordSet` fields) only those kinds are read."""
        wanted = RECORD_KINDS if kinds is None else kinds
        unknown = set(wanted) - set(RECORD_KINDS)
        if unknown:
            raise ValueError(f"not kinds of record: {sorted(unknown)}")
        return RecordSet(
            **{name: tuple(getattr(self, name)(since, until)) for name in wanted}
        ).sorted()

    def screenings(
        self, since: date | None = None, until: date | None = None
    ) -> list[ScreeningRecord]:
        # Screenings have a time, not a day: filter on whole UTC days.
        table = TABLES["screenings"]
        query = _columns(table, convert.SCREENING_COLUMNS)
        if since is not None:
            query = query.where(table.c.taken_at >= datetime.combine(since, time(), UTC))
        if until is not None:
            query = query.where(
                table.c.taken_at < datetime.combine(until + timedelta(days=1), time(), UTC)
            )
        return convert.screening_records(self._rows(query))

    def screening(self, screening_id: str) -> ScreeningRecord | None:
        table = TABLES["screenings"]
        query = _columns(table, convert.SCREENING_COLUMNS).where(table.c.id == screening_id)
        found = convert.screening_records(self._rows(query))
        return found[0] if found else None

    def session(self, session_id: str) -> SessionRecord | None:
        """The session stored under ``session_id`` (any day), or None: how a client's id is
        checked before it is stored (`calfcare.services.save_session`)."""
        table = TABLES["sessions"]
        parents = self._rows(
            _columns(table, convert.SESSION_COLUMNS).where(table.c.id == session_id)
        )
        if not parents:
            return None
        calves, holds, spots = (
            self._rows(
                _columns(TABLES[name], columns).where(TABLES[name].c.session_id == session_id)
            )
            for name, columns in (
                ("session_calves", convert.CALF_COLUMNS),
                ("session_holds", convert.HOLD_COLUMNS),
                ("tender_spots", convert.SPOT_COLUMNS),
            )
        )
        return convert.session_records(parents, calves, holds, spots)[0]

    def sessions(self, since: date | None = None, until: date | None = None) -> list[SessionRecord]:
        table = TABLES["sessions"]
        parents = self._rows(_days(_columns(table, convert.SESSION_COLUMNS), table, since, until))
        if not parents:
            return []
        children = []
        for name, columns in (
            ("session_calves", convert.CALF_COLUMNS),
            ("session_holds", convert.HOLD_COLUMNS),
            ("tender_spots", convert.SPOT_COLUMNS),
        ):
            query = _columns(TABLES[name], columns)
            if since is not None or until is not None:
                ids = _days(select(table.c.id), table, since, until).scalar_subquery()
                query = query.where(TABLES[name].c.session_id.in_(ids))
            children.append(self._rows(query))
        calves, holds, spots = children
        return convert.session_records(parents, calves, holds, spots)

    def soreness(
        self, since: date | None = None, until: date | None = None
    ) -> list[Logged[SorenessCheckIn]]:
        return convert.soreness_items(
            self._kind("soreness", convert.SORENESS_COLUMNS, since, until)
        )

    def mobility(
        self, since: date | None = None, until: date | None = None
    ) -> list[Logged[MobilityTest]]:
        return convert.mobility_items(
            self._kind("mobility", convert.MOBILITY_COLUMNS, since, until)
        )

    def notes(self, since: date | None = None, until: date | None = None) -> list[Note]:
        return convert.note_records(self._kind("notes", convert.NOTE_COLUMNS, since, until))

    def split_leg_days(
        self, since: date | None = None, until: date | None = None
    ) -> list[SplitLegDay]:
        rows = self._kind("split_leg_days", convert.SPLIT_LEG_COLUMNS, since, until)
        return convert.split_leg_records(rows)

    def counts(self) -> dict[str, int]:
        """How many records of each kind (the keys of `RecordSet.counts`), in one query."""
        query = select(
            *(
                select(func.count()).select_from(TABLES[name]).scalar_subquery()
                for name in RECORD_KINDS
            )
        )
        row = self._session.execute(query).one()
        return {name: int(n or 0) for name, n in zip(RECORD_KINDS, row, strict=True)}

    def day_range(self, kinds: Collection[str] = RECORD_KINDS) -> tuple[date, date] | None:
        """The first and last day with a record of ``kinds`` (screenings count by their UTC
        day), or None when there is none; in one query."""
        firsts, lasts = [], []
        for name in kinds:
            table = TABLES[name]
            column = table.c.taken_at if name == "screenings" else table.c.day
            firsts.append(select(func.min(column)).scalar_subquery())
            lasts.append(select(func.max(column)).scalar_subquery())
        row = self._session.execute(select(*firsts, *lasts)).one()
        starts = [_as_day(v) for v in row[: len(firsts)] if v is not None]
        ends = [_as_day(v) for v in row[len(firsts) :] if v is not None]
        return (min(starts), max(ends)) if starts else None

    def _kind(
        self, name: str, columns: Sequence[str], since: date | None, until: date | None
    ) -> Sequence[Any]:
        table = TABLES[name]
        return self._rows(_days(_columns(table, columns), table, since, until))

    def _rows(self, query: Select[Any]) -> Sequence[Any]:
        return self._session.execute(query).all()


def _as_day(value: Any) -> date:
    """A day from a ``min``/``max`` of a date or time column (SQLite may give text)."""
    if isinstance(value, datetime):
        return convert.from_db(value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    return date.fromisoformat(text[:10])


def _columns(table: Table, names: Sequence[str]) -> Select[Any]:
    return select(*(table.c[name] for name in names))


def _days(query: Select[Any], table: Table, since: date | None, until: date | None) -> Select[Any]:
    if since is not None:
        query = query.where(table.c.day >= since)
    if until is not None:
        query = query.where(table.c.day <= until)
    return query
