"""A transaction's writes: records added (one by one or in bulk for an import), the two
updates a split-leg experiment allows, and the data version every write moves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, update

from calfcare.core.records import (
    Clearance,
    Logged,
    Note,
    PainCheck,
    RecordSet,
    ScreeningRecord,
    SessionRecord,
)
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.tracking import MassagedCalves, MobilityTest, SorenessCheckIn, SplitLegDay
from calfcare.storage import convert
from calfcare.storage.errors import StorageError
from calfcare.storage.queries import BATCH, OWNED, TABLES, VERSION, TransactionBase

_BUMP = (
    update(VERSION)
    .where(VERSION.c.person_id == bindparam("person"))
    .values(version=VERSION.c.version + 1)
)
"""Built once: a write's last statement, on every write."""
_INSERTS = {name: insert(table) for name, table in TABLES.items()}


class Writes(TransactionBase):
    """The writes of a `Transaction` (refused in `Store.reading`)."""

    def bump_version(self) -> None:
        """Add one to this person's data version (done by `Store.transaction`; a row cleared
        by hand is put back)."""
        result = self._session.execute(_BUMP, {"person": self.person_id})
        if getattr(result, "rowcount", 1) == 0:
            self._session.execute(insert(VERSION).values(person_id=self.person_id, version=1))

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
            .where(table.c.id == experiment_id, table.c.stopped_at.is_(None), self._mine(table))
            .values(stopped_at=convert.to_utc(at))
        )
        return self._update(query)

    def set_split_leg_reported(self, day: date, reported: MassagedCalves) -> bool:
        """Record once which calves the person said they massaged on a coin's day; False if
        there is no coin that day or an answer is already stored."""
        table = TABLES["split_leg_days"]
        query = (
            update(table)
            .where(table.c.day == day, table.c.reported.is_(None), self._mine(table))
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
            if table in OWNED:  # whose records they are: always this transaction's person
                rows = [{**row, "person_id": self.person_id} for row in rows]
            self._session.execute(_INSERTS[table], list(rows))
            self.wrote = True
