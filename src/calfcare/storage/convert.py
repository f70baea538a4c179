"""Rows to core records and back: the only place that knows both shapes.

Times go in as UTC and come out as UTC-aware datetimes (SQLite keeps no zone, PostgreSQL
gives the session's zone back); knee-to-wall distances are whole millimetres in the table
and 0.1 cm floats in the core.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    CalfRecord,
    Hold,
    Logged,
    Note,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.routine import Intensity, Tool
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)
from calfcare.storage.tables import (
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


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def from_db(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite returns it naive, already in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def screening_row(r: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind.value,
        "taken_at": to_utc(r.taken_at),
        "contract_version": r.contract_version,
        "verdict": r.verdict.value,
        "answers": dict(r.answers),
        "report": dict(r.report),
    }


def screening_record(row: ScreeningRow) -> ScreeningRecord:
    return ScreeningRecord(
        id=row.id,
        kind=ScreeningKind(row.kind),
        taken_at=from_db(row.taken_at),
        contract_version=row.contract_version,
        verdict=Level(row.verdict),
        answers=row.answers,
        report=row.report,
    )


def session_rows(s: SessionRecord) -> dict[str, list[dict[str, Any]]]:
    """The session's rows for each table, ready for bulk inserts."""
    return {
        "sessions": [
            {
                "id": s.id,
                "day": s.day,
                "started_at": to_utc(s.started_at),
                "source": s.source.value,
                "tool": s.tool.value,
                "intensity": s.intensity.value if s.intensity else None,
                "outcome": s.outcome.value,
                "duration_seconds": s.duration_seconds,
                "plan": dict(s.plan) if s.plan is not None else None,
                "screening_id": s.screening_id,
            }
        ],
        "session_calves": [
            {
                "session_id": s.id,
                "position": i,
                "leg": c.leg.value,
                "planned_seconds": c.planned_seconds,
                "active_seconds": c.active_seconds,
            }
            for i, c in enumerate(s.calves)
        ],
        "session_holds": [
            {
                "session_id": s.id,
                "calf_position": i,
                "position": j,
                "start": h.start,
                "end": h.end,
                "seconds": h.seconds,
            }
            for i, c in enumerate(s.calves)
            for j, h in enumerate(c.holds)
        ],
        "tender_spots": [
            {
                "session_id": s.id,
                "position": i,
                "leg": t.leg.value,
                "height": t.height.value,
                "side": t.side.value,
            }
            for i, t in enumerate(s.tender_spots)
        ],
    }


def session_record(
    row: SessionRow,
    calves: Sequence[SessionCalfRow],
    holds: Sequence[HoldRow],
    spots: Sequence[TenderSpotRow],
) -> SessionRecord:
    """Rebuild a session from its row and its child rows (each already in position order)."""
    return SessionRecord(
        id=row.id,
        day=row.day,
        started_at=from_db(row.started_at),
        source=SessionSource(row.source),
        tool=Tool(row.tool),
        intensity=Intensity(row.intensity) if row.intensity else None,
        outcome=Outcome(row.outcome),
        duration_seconds=row.duration_seconds,
        calves=tuple(
            CalfRecord(
                leg=Leg(c.leg),
                planned_seconds=c.planned_seconds,
                active_seconds=c.active_seconds,
                holds=tuple(
                    Hold(h.start, h.end, h.seconds) for h in holds if h.calf_position == c.position
                ),
            )
            for c in calves
        ),
        tender_spots=tuple(
            TenderSpot(Leg(t.leg), SpotHeight(t.height), SpotSide(t.side)) for t in spots
        ),
        plan=row.plan,
        screening_id=row.screening_id,
    )


def soreness_row(item: Logged[SorenessCheckIn]) -> dict[str, Any]:
    r = item.record
    return {
        "id": item.id,
        "recorded_at": to_utc(item.recorded_at),
        "day": r.day,
        "leg": r.leg.value,
        "moment": r.moment.value,
        "score": r.score,
        "session_id": r.session_id,
    }


def soreness_item(row: SorenessRow) -> Logged[SorenessCheckIn]:
    record = SorenessCheckIn(
        row.day, Leg(row.leg), SorenessMoment(row.moment), row.score, row.session_id
    )
    return Logged(row.id, from_db(row.recorded_at), record)


def mobility_row(item: Logged[MobilityTest]) -> dict[str, Any]:
    r = item.record
    return {
        "id": item.id,
        "recorded_at": to_utc(item.recorded_at),
        "day": r.day,
        "leg": r.leg.value,
        "moment": r.moment.value,
        "distance_mm": round(r.distance_cm * 10),
        "session_id": r.session_id,
    }


def mobility_item(row: MobilityRow) -> Logged[MobilityTest]:
    record = MobilityTest(
        row.day, Leg(row.leg), MobilityMoment(row.moment), row.distance_mm / 10, row.session_id
    )
    return Logged(row.id, from_db(row.recorded_at), record)


def note_row(n: Note) -> dict[str, Any]:
    return {"id": n.id, "day": n.day, "written_at": to_utc(n.written_at), "text": n.text}


def note_record(row: NoteRow) -> Note:
    return Note(row.id, row.day, from_db(row.written_at), row.text)


def split_leg_row(d: SplitLegDay) -> dict[str, Any]:
    return {"day": d.day, "massaged": d.massaged.value}


def split_leg_record(row: SplitLegRow) -> SplitLegDay:
    return SplitLegDay(row.day, Leg(row.massaged))
