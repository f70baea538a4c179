"""A transaction's reads: records between two days, in the canonical order, as core
records (built from plain column tuples by `convert`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

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
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import MobilityTest, SorenessCheckIn, SplitLegDay
from calfcare.storage import convert, statements
from calfcare.storage.queries import (
    RECORD_KINDS,
    TABLES,
    TransactionBase,
    select_columns,
)

if TYPE_CHECKING:
    from calfcare.storage.clinic import Prescribed


class Reads(TransactionBase):
    """The record reads of a `Transaction`."""

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
        # Screenings have a time, not a day: filtered on whole UTC days (`statements.span`).
        values = statements.span(since, until)
        query = statements.kind_rows("screenings", convert.SCREENING_COLUMNS, frozenset(values))
        return convert.screening_records(self._run(query, values))

    def screening(self, screening_id: str) -> ScreeningRecord | None:
        table = TABLES["screenings"]
        query = select_columns(table, convert.SCREENING_COLUMNS).where(
            table.c.id == screening_id, self._mine(table)
        )
        found = convert.screening_records(self._rows(query))
        return found[0] if found else None

    def session(self, session_id: str) -> SessionRecord | None:
        """The session stored under ``session_id`` (any day), or None: how a client's id is
        checked before it is stored (`calfcare.services.save_session`)."""
        table = TABLES["sessions"]
        parents = self._rows(
            select_columns(table, convert.SESSION_COLUMNS).where(
                table.c.id == session_id, self._mine(table)
            )
        )
        if not parents:
            return None
        calves, holds, spots = (
            self._rows(
                select_columns(TABLES[name], columns).where(TABLES[name].c.session_id == session_id)
            )
            for name, columns in _SESSION_PARTS
        )
        return convert.session_records(parents, calves, holds, spots)[0]

    def sessions(self, since: date | None = None, until: date | None = None) -> list[SessionRecord]:
        values = statements.span(since, until)
        given = frozenset(values)
        parents = self._run(
            statements.kind_rows("sessions", convert.SESSION_COLUMNS, given), values
        )
        if not parents:
            return []
        calves, holds, spots = (
            self._run(statements.session_parts(name, columns, given), values)
            for name, columns in _SESSION_PARTS
        )
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
        stopped = Outcome.STOPPED_SHARP_PAIN.value
        parents = self._run(_stopped_sessions(stopped))
        if not parents:
            return []
        calves, holds, spots = (
            self._run(statements.stopped_parts(name, columns, stopped))
            for name, columns in _SESSION_PARTS
        )
        return convert.session_records(parents, calves, holds, spots)

    def safety_records(self) -> RecordSet:
        """What the safety state reads, in one statement (`statements.safety_rows`): every
        screening and follow-up, clearance and pain check, and the sessions stopped for
        sharp pain (any day), in the canonical order; the same records as `screenings`,
        `clearances`, `pain_checks` and `sessions_stopped_for_pain`."""
        query, places = statements.safety_rows(Outcome.STOPPED_SHARP_PAIN.value)
        parts: list[list[tuple[Any, ...]]] = [[] for _ in places]
        for row in self._run(query):
            part = row[0]
            parts[part].append(tuple(row[i] for i in places[part]))
        screenings, clearances, pain_checks, sessions, calves, holds, spots = parts
        return RecordSet(
            screenings=tuple(convert.screening_records(screenings)),
            sessions=tuple(convert.session_records(sessions, calves, holds, spots)),
            clearances=tuple(convert.clearance_records(clearances)),
            pain_checks=tuple(convert.pain_check_records(pain_checks)),
        ).sorted()

    def prescription(self) -> Prescribed | None:
        """This person's prescription in force (`calfcare.storage.clinic`), in this snapshot:
        a page that shows it beside the records reads both in one transaction."""
        from calfcare.storage.clinic import prescription_in_force

        return prescription_in_force(self._session, self.person_id)

    def by_ids(self, name: str, ids: Collection[str]) -> list[Any]:
        """The soreness check-ins, knee-to-wall tests or notes (``name``) stored under
        ``ids``: how a client id is checked before its records are stored
        (`calfcare.core.client_ids`)."""
        table = TABLES[name]
        columns, build = _BY_ID[name]
        rows = self._rows(
            select_columns(table, columns).where(table.c.id.in_(list(ids)), self._mine(table))
        )
        return list(build(rows))

    def _kind(
        self, name: str, columns: Sequence[str], since: date | None, until: date | None
    ) -> Sequence[Any]:
        values = statements.span(since, until)
        return self._run(statements.kind_rows(name, tuple(columns), frozenset(values)), values)


_SESSION_PARTS = (
    ("session_calves", convert.CALF_COLUMNS),
    ("session_holds", convert.HOLD_COLUMNS),
    ("tender_spots", convert.SPOT_COLUMNS),
)


@cache
def _stopped_sessions(outcome: str) -> Any:
    table = TABLES["sessions"]
    return select_columns(table, convert.SESSION_COLUMNS).where(
        table.c.outcome == outcome, statements.mine(table)
    )


_BY_ID: dict[str, tuple[Sequence[str], Callable[[Sequence[Any]], Sequence[Any]]]] = {
    "soreness": (convert.SORENESS_COLUMNS, convert.soreness_items),
    "mobility": (convert.MOBILITY_COLUMNS, convert.mobility_items),
    "notes": (convert.NOTE_COLUMNS, convert.note_records),
    "clearances": (convert.CLEARANCE_COLUMNS, convert.clearance_records),
    "pain_checks": (convert.PAIN_CHECK_COLUMNS, convert.pain_check_records),
}
