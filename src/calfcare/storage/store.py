"""The store: one transaction per use case, core records in and out.

    with store.transaction() as tx:
        tx.add_note(note)
        ...

Everything inside the ``with`` commits together when the block ends, or not at all when it
raises, so a use case is never half-written. When ``transaction()`` returns, the commit is
durable (see `calfcare.storage.engine` for SQLite's settings). Reads return core dataclasses
in the canonical order of `RecordSet.sorted` (sorted in Python, because SQLite and
PostgreSQL order text differently).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Select

from calfcare.core.records import Logged, Note, RecordSet, ScreeningRecord, SessionRecord
from calfcare.core.tracking import MobilityTest, SorenessCheckIn, SplitLegDay
from calfcare.storage import convert
from calfcare.storage.errors import StorageError
from calfcare.storage.tables import (
    Base,
    HoldRow,
    MobilityRow,
    NoteRow,
    ScreeningRow,
    SessionCalfRow,
    SessionRow,
    SorenessRow,
    SplitLegRow,
    TenderSpotRow,
)

TABLES = {table.name: table for table in Base.metadata.sorted_tables}
BATCH = 500
"""Rows per bulk insert: large imports go in batches, all in the one transaction."""


class Store:
    """A database holding one person's records. Build it with `calfcare.storage.open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)

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
        """One unit of work: commits at the end of the block, rolls back if it raises."""
        try:
            with self._sessions.begin() as session:
                yield Transaction(session)
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
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Transaction:
    """What a use case can do inside `Store.transaction`."""

    def __init__(self, session: Session) -> None:
        self._session = session

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
        if rows:
            self._session.execute(insert(TABLES[table]), list(rows))

    # -- reading ----------------------------------------------------------------------------

    def records(self, since: date | None = None, until: date | None = None) -> RecordSet:
        """Everything between two days (inclusive; None is open), in the canonical order."""
        return RecordSet(
            screenings=tuple(self.screenings(since, until)),
            sessions=tuple(self.sessions(since, until)),
            soreness=tuple(self.soreness(since, until)),
            mobility=tuple(self.mobility(since, until)),
            notes=tuple(self.notes(since, until)),
            split_leg_days=tuple(self.split_leg_days(since, until)),
        ).sorted()

    def screenings(
        self, since: date | None = None, until: date | None = None
    ) -> list[ScreeningRecord]:
        # Screenings have a time, not a day: filter on whole UTC days.
        query = select(ScreeningRow)
        if since is not None:
            query = query.where(ScreeningRow.taken_at >= datetime.combine(since, time(), UTC))
        if until is not None:
            query = query.where(
                ScreeningRow.taken_at < datetime.combine(until + timedelta(days=1), time(), UTC)
            )
        return [convert.screening_record(r) for r in self._session.scalars(query)]

    def screening(self, screening_id: str) -> ScreeningRecord | None:
        row = self._session.get(ScreeningRow, screening_id)
        return None if row is None else convert.screening_record(row)

    def sessions(self, since: date | None = None, until: date | None = None) -> list[SessionRecord]:
        parents = list(self._session.scalars(_days(select(SessionRow), SessionRow, since, until)))
        if not parents:
            return []
        ids = _days(select(SessionRow.id), SessionRow, since, until).scalar_subquery()
        children: dict[str, tuple[list[Any], list[Any], list[Any]]] = {
            p.id: ([], [], []) for p in parents
        }
        child_models: tuple[Any, ...] = (SessionCalfRow, HoldRow, TenderSpotRow)
        for i, model in enumerate(child_models):
            query = select(model).where(model.session_id.in_(ids))
            for row in self._session.scalars(query):
                children[row.session_id][i].append(row)
        out = []
        for p in parents:
            calves, holds, spots = children[p.id]
            calves.sort(key=lambda r: r.position)
            holds.sort(key=lambda r: (r.calf_position, r.position))
            spots.sort(key=lambda r: r.position)
            out.append(convert.session_record(p, calves, holds, spots))
        return out

    def soreness(
        self, since: date | None = None, until: date | None = None
    ) -> list[Logged[SorenessCheckIn]]:
        rows = self._session.scalars(_days(select(SorenessRow), SorenessRow, since, until))
        return [convert.soreness_item(r) for r in rows]

    def mobility(
        self, since: date | None = None, until: date | None = None
    ) -> list[Logged[MobilityTest]]:
        rows = self._session.scalars(_days(select(MobilityRow), MobilityRow, since, until))
        return [convert.mobility_item(r) for r in rows]

    def notes(self, since: date | None = None, until: date | None = None) -> list[Note]:
        rows = self._session.scalars(_days(select(NoteRow), NoteRow, since, until))
        return [convert.note_record(r) for r in rows]

    def split_leg_days(
        self, since: date | None = None, until: date | None = None
    ) -> list[SplitLegDay]:
        rows = self._session.scalars(_days(select(SplitLegRow), SplitLegRow, since, until))
        return [convert.split_leg_record(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many records of each kind (the keys of `RecordSet.counts`)."""
        models = {
            "screenings": ScreeningRow,
            "sessions": SessionRow,
            "soreness": SorenessRow,
            "mobility": MobilityRow,
            "notes": NoteRow,
            "split_leg_days": SplitLegRow,
        }
        return {
            name: int(self._session.scalar(select(func.count()).select_from(model)) or 0)
            for name, model in models.items()
        }


def _days(query: Select[Any], model: Any, since: date | None, until: date | None) -> Select[Any]:
    if since is not None:
        query = query.where(model.day >= since)
    if until is not None:
        query = query.where(model.day <= until)
    return query
