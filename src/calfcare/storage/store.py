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
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, Table, false, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Select

from calfcare.core.days import day_end_utc, day_start_utc
from calfcare.core.levels import Level
from calfcare.core.records import (
    Clearance,
    Logged,
    Note,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
)
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import MassagedCalves, MobilityTest, SorenessCheckIn, SplitLegDay
from calfcare.storage import convert
from calfcare.storage.engine import READ_ONLY, display_url
from calfcare.storage.errors import StorageError
from calfcare.storage.tables import Base, DataVersionRow

TABLES = {
    table.name: table for table in Base.metadata.sorted_tables if table.name != "data_version"
}
"""The record tables, parents before children."""
RECORD_KINDS = (
    "screenings",
    "sessions",
    "soreness",
    "mobility",
    "notes",
    "split_leg_days",
    "split_leg_experiments",
    "clearances",
    "pain_checks",
)
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
        """The URL with any password hidden, for messages (a database opened read-only is
        named by its file, as the person gave it, not by the ``file:...?mode=ro`` URI)."""
        return display_url(self.engine)

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
            detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            if "readonly" in detail:  # SQLite: "attempt to write a readonly database"
                raise StorageError(
                    f"The database at {self.display_url} is read-only (a read-only file "
                    "system, or a folder this user cannot write), so nothing was saved. "
                    "Reading and export still work.",
                    advice="The database is read-only, so nothing was saved; reading still "
                    "works. Whoever runs calfcare can make its data folder writable.",
                ) from error
            raise StorageError(
                f"The database at {self.display_url} cannot be used: {detail}"
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

    def add_split_leg_experiment(self, experiment: SplitLegExperiment) -> None:
        self._insert("split_leg_experiments", [convert.experiment_row(experiment)])

    def add_clearance(self, record: Clearance) -> None:
        self._insert("clearances", [convert.clearance_row(record)])

    def add_pain_check(self, record: PainCheck) -> None:
        self._insert("pain_checks", [convert.pain_check_row(record)])

    def stop_split_leg_experiment(self, experiment_id: str, at: datetime) -> bool:
        """Set the experiment's ``stopped_at`` once; False if it is unknown or was stopped."""
        table = TABLES["split_leg_experiments"]
        query = (
            update(table)
            .where(table.c.id == experiment_id, table.c.stopped_at.is_(None))
            .values(stopped_at=convert.to_utc(at))
        )
        return self._update(query)

    def set_split_leg_reported(self, day: date, reported: MassagedCalves) -> bool:
        """Record once which calves the person said they massaged on a coin's day; False if
        there is no coin that day or an answer is already stored."""
        table = TABLES["split_leg_days"]
        query = (
            update(table)
            .where(table.c.day == day, table.c.reported.is_(None))
            .values(reported=reported.value)
        )
        return self._update(query)

    def _update(self, query: Any) -> bool:
        if self._read_only:
            raise StorageError("Cannot write in a read-only transaction (Store.reading).")
        changed = getattr(self._session.execute(query), "rowcount", 0) == 1
        self.wrote = self.wrote or changed
        return changed

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
        rows["split_leg_experiments"] = [
            convert.experiment_row(r) for r in records.split_leg_experiments
        ]
        rows["clearances"] = [convert.clearance_row(r) for r in records.clearances]
        rows["pain_checks"] = [convert.pain_check_row(r) for r in records.pain_checks]
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
        query = _when(_columns(table, convert.SCREENING_COLUMNS), "screenings", since, until)
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

    def split_leg_experiments(
        self, since: date | None = None, until: date | None = None
    ) -> list[SplitLegExperiment]:
        """Experiments that started between two days (by their start day)."""
        rows = self._kind("split_leg_experiments", convert.EXPERIMENT_COLUMNS, since, until)
        return convert.experiment_records(rows)

    def clearances(self, since: date | None = None, until: date | None = None) -> list[Clearance]:
        rows = self._kind("clearances", convert.CLEARANCE_COLUMNS, since, until)
        return convert.clearance_records(rows)

    def pain_checks(self, since: date | None = None, until: date | None = None) -> list[PainCheck]:
        rows = self._kind("pain_checks", convert.PAIN_CHECK_COLUMNS, since, until)
        return convert.pain_check_records(rows)

    def sessions_stopped_for_pain(self) -> list[SessionRecord]:
        """Every session stopped for sharp pain (any day): what the safety state reads of the
        sessions, without loading years of them."""
        table = TABLES["sessions"]
        stopped = table.c.outcome == Outcome.STOPPED_SHARP_PAIN.value
        parents = self._rows(_columns(table, convert.SESSION_COLUMNS).where(stopped))
        if not parents:
            return []
        ids = select(table.c.id).where(stopped).scalar_subquery()
        calves, holds, spots = (
            self._rows(_columns(TABLES[name], columns).where(TABLES[name].c.session_id.in_(ids)))
            for name, columns in (
                ("session_calves", convert.CALF_COLUMNS),
                ("session_holds", convert.HOLD_COLUMNS),
                ("tender_spots", convert.SPOT_COLUMNS),
            )
        )
        return convert.session_records(parents, calves, holds, spots)

    def counts(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        kinds: Collection[str] = RECORD_KINDS,
        leg: str | None = None,
    ) -> dict[str, int]:
        """How many records of each of ``kinds`` (the keys of `RecordSet.counts`, in its
        order) between two days, in one query, counted as `records` would read them: a
        history page's total without loading every row.

        With ``leg`` (``left``/``right``) only records about that calf: a session that
        massaged it, its check-ins and knee-to-wall tests, a split-leg day that chose it.
        Notes and screenings are about neither calf, so they count 0 (as history rows
        filtered by calf leave them out)."""
        wanted = [name for name in RECORD_KINDS if name in kinds]
        if not wanted:
            return {}
        row = self._session.execute(
            select(*(self._count(name, since, until, leg) for name in wanted))
        ).one()
        return {name: int(n or 0) for name, n in zip(wanted, row, strict=True)}

    def _count(self, name: str, since: date | None, until: date | None, leg: str | None) -> Any:
        table = TABLES[name]
        query = _when(select(func.count()).select_from(table), name, since, until)
        if leg is not None:
            if name == "sessions":
                calves = TABLES["session_calves"]
                query = query.where(
                    select(calves.c.session_id)
                    .where(calves.c.session_id == table.c.id, calves.c.leg == leg)
                    .exists()
                )
            elif name in ("soreness", "mobility", "pain_checks"):
                query = query.where(table.c.leg == leg)
            elif name == "split_leg_days":
                query = query.where(table.c.massaged == leg)
            else:
                query = query.where(false())
        return query.scalar_subquery()

    def day_range(
        self,
        kinds: Collection[str] = RECORD_KINDS,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[date, date] | None:
        """The first and last day with a record of ``kinds`` between two days (inclusive;
        None is open; screenings count by their UTC day, as `screenings` filters them), or
        None when there is none; in one query."""
        firsts, lasts = [], []
        for name in kinds:
            table = TABLES[name]
            column = table.c.taken_at if name == "screenings" else table.c.day
            firsts.append(_when(select(func.min(column)), name, since, until).scalar_subquery())
            lasts.append(_when(select(func.max(column)), name, since, until).scalar_subquery())
        row = self._session.execute(select(*firsts, *lasts)).one()
        starts = [_as_day(v) for v in row[: len(firsts)] if v is not None]
        ends = [_as_day(v) for v in row[len(firsts) :] if v is not None]
        return (min(starts), max(ends)) if starts else None

    # -- summaries (`calfcare.services.read_stats`): the few values a summary needs -------

    def session_days(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[date, list[tuple[int | None, float]]]]:
        """Each session's day and its calves' ``(planned, active)`` seconds (one item per
        session, any order): what `calfcare.core.session_effort` needs to tell a session
        done from a mostly skipped one."""
        table, calves = TABLES["sessions"], TABLES["session_calves"]
        query = _days(
            select(table.c.id, table.c.day, calves.c.planned_seconds, calves.c.active_seconds)
            .join(calves, calves.c.session_id == table.c.id)
            .order_by(table.c.id, calves.c.position),
            table,
            since,
            until,
        )
        out: dict[str, tuple[date, list[tuple[int | None, float]]]] = {}
        for id_, day, planned, active in self._rows(query):
            out.setdefault(id_, (_as_day(day), []))[1].append((planned, float(active)))
        return list(out.values())

    def soreness_totals(
        self, since: date | None = None, until: date | None = None
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """``(leg, moment) -> (sum of scores, number of check-ins)``, summed in SQL."""
        table = TABLES["soreness"]
        query = _days(
            select(table.c.leg, table.c.moment, func.sum(table.c.score), func.count()),
            table,
            since,
            until,
        ).group_by(table.c.leg, table.c.moment)
        return {(leg, moment): (int(total), int(n)) for leg, moment, total, n in self._rows(query)}

    def mobility_ends(
        self, since: date | None = None, until: date | None = None
    ) -> tuple[dict[str, int], list[Logged[MobilityTest]]]:
        """Per leg, how many knee-to-wall tests, and the tests of each leg's first and last
        day (in any order): the canonical first and latest test are among them, picked in
        Python because SQLite and PostgreSQL order ids differently."""
        table = TABLES["mobility"]
        spans = self._rows(
            _days(
                select(table.c.leg, func.count(), func.min(table.c.day), func.max(table.c.day)),
                table,
                since,
                until,
            ).group_by(table.c.leg)
        )
        items: list[Logged[MobilityTest]] = []
        for leg, _, first, last in spans:
            query = _columns(table, convert.MOBILITY_COLUMNS).where(
                table.c.leg == leg, table.c.day.in_({first, last})
            )
            items += convert.mobility_items(self._rows(query))
        return {leg: int(n) for leg, n, _, _ in spans}, items

    def tender_spot_labels(self, since: date | None = None, until: date | None = None) -> list[str]:
        """Every tender spot's label (``leg:height:side``), in the canonical order of the
        sessions and then their own order."""
        sessions, spots = TABLES["sessions"], TABLES["tender_spots"]
        query = _days(
            select(
                sessions.c.day,
                sessions.c.started_at,
                sessions.c.id,
                spots.c.position,
                spots.c.leg,
                spots.c.height,
                spots.c.side,
            ).join(spots, spots.c.session_id == sessions.c.id),
            sessions,
            since,
            until,
        )
        rows = sorted(
            self._rows(query),
            key=lambda r: (_as_day(r[0]), convert.from_db(r[1]), r[2], r[3]),
        )
        return [f"{leg}:{height}:{side}" for *_, leg, height, side in rows]

    def screening_verdicts(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[ScreeningKind, Level]]:
        """Each screening's kind and verdict (any order), filtered as `screenings` is."""
        table = TABLES["screenings"]
        query = _when(select(table.c.kind, table.c.verdict), "screenings", since, until)
        return [
            (convert.SCREENING_KINDS[kind], convert.LEVELS[verdict])
            for kind, verdict in self._rows(query)
        ]

    def by_ids(self, name: str, ids: Collection[str]) -> list[Any]:
        """The soreness check-ins, knee-to-wall tests or notes (``name``) stored under
        ``ids``: how a client id is checked before its records are stored
        (`calfcare.core.client_ids`)."""
        table = TABLES[name]
        columns, build = _BY_ID[name]
        rows = self._rows(_columns(table, columns).where(table.c.id.in_(list(ids))))
        return list(build(rows))

    def _kind(
        self, name: str, columns: Sequence[str], since: date | None, until: date | None
    ) -> Sequence[Any]:
        table = TABLES[name]
        return self._rows(_days(_columns(table, columns), table, since, until))

    def _rows(self, query: Select[Any]) -> Sequence[Any]:
        return self._session.execute(query).all()


_BY_ID: dict[str, tuple[Sequence[str], Callable[[Sequence[Any]], Sequence[Any]]]] = {
    "soreness": (convert.SORENESS_COLUMNS, convert.soreness_items),
    "mobility": (convert.MOBILITY_COLUMNS, convert.mobility_items),
    "notes": (convert.NOTE_COLUMNS, convert.note_records),
    "clearances": (convert.CLEARANCE_COLUMNS, convert.clearance_records),
    "pain_checks": (convert.PAIN_CHECK_COLUMNS, convert.pain_check_records),
}


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


def _when(query: Select[Any], name: str, since: date | None, until: date | None) -> Select[Any]:
    """``query`` on table ``name`` limited to two days (inclusive; None is open): by ``day``,
    or for screenings (a time, not a day) by whole UTC days of ``taken_at``."""
    table = TABLES[name]
    if name != "screenings":
        return _days(query, table, since, until)
    if since is not None:
        query = query.where(table.c.taken_at >= day_start_utc(since))
    end = None if until is None else day_end_utc(until)  # None: the calendar's last day
    if end is not None:
        query = query.where(table.c.taken_at < end)
    return query


def _days(query: Select[Any], table: Table, since: date | None, until: date | None) -> Select[Any]:
    if since is not None:
        query = query.where(table.c.day >= since)
    if until is not None:
        query = query.where(table.c.day <= until)
    return query
