"""Rows to core records and back: the only place that knows both shapes.

Times go in as UTC and come out as UTC-aware datetimes (SQLite keeps no zone, PostgreSQL
gives the session's zone back); knee-to-wall distances are whole millimetres in the table
and 0.1 cm floats in the core.

Reading takes plain tuples of the columns named in each ``*_COLUMNS`` (a Core ``select`` of
those columns, in that order), not ORM entities: building and tracking an ORM object per row
cost about twice the whole conversion (five years of daily use, 22,000 records, loaded in
about 1 s as entities). Enum members are looked up in dicts for the same reason (``Leg(x)``
goes through ``EnumMeta.__call__``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    CalfRecord,
    Clearance,
    Hold,
    Logged,
    Note,
    PainCheck,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.routine import Intensity, Tool
from calfcare.core.split_leg_design import Outcome as SplitLegOutcome
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import (
    MassagedCalves,
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)

E = TypeVar("E", bound=Enum)


def _members(enum: type[E]) -> dict[Any, E]:
    return {member.value: member for member in enum}


LEGS = _members(Leg)
LEVELS = _members(Level)
SCREENING_KINDS = _members(ScreeningKind)
SESSION_SOURCES = _members(SessionSource)
TOOLS = _members(Tool)
INTENSITIES = _members(Intensity)
OUTCOMES = _members(Outcome)
SORENESS_MOMENTS = _members(SorenessMoment)
MOBILITY_MOMENTS = _members(MobilityMoment)
SPOT_HEIGHTS = _members(SpotHeight)
SPOT_SIDES = _members(SpotSide)
MASSAGED_CALVES = _members(MassagedCalves)
SPLIT_LEG_OUTCOMES = _members(SplitLegOutcome)


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def from_db(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite returns it naive, already in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def screening_row(r: ScreeningRecord) -> dict[str, Any]:
    return r.fields(to_utc)


SCREENING_COLUMNS = (
    "id", "kind", "taken_at", "contract_version", "verdict", "answers", "report"
)  # fmt: skip


def screening_records(rows: Iterable[Sequence[Any]]) -> list[ScreeningRecord]:
    return [
        ScreeningRecord(
            id=id_,
            kind=SCREENING_KINDS[kind],
            taken_at=from_db(taken_at),
            contract_version=contract_version,
            verdict=LEVELS[verdict],
            answers=answers,
            report=report,
        )
        for id_, kind, taken_at, contract_version, verdict, answers, report in rows
    ]


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


SESSION_COLUMNS = (
    "id", "day", "started_at", "source", "tool", "intensity", "outcome", "duration_seconds",
    "plan", "screening_id",
)  # fmt: skip
CALF_COLUMNS = ("session_id", "position", "leg", "planned_seconds", "active_seconds")
HOLD_COLUMNS = ("session_id", "calf_position", "position", "start", "end", "seconds")
SPOT_COLUMNS = ("session_id", "position", "leg", "height", "side")


def session_records(
    parents: Iterable[Sequence[Any]],
    calves: Iterable[Sequence[Any]],
    holds: Iterable[Sequence[Any]],
    spots: Iterable[Sequence[Any]],
) -> list[SessionRecord]:
    """Rebuild sessions from their rows (``*_COLUMNS``) and their child rows, in any order:
    children are put in position order here."""
    calves_of: dict[str, list[tuple[int, CalfRecord]]] = {}
    holds_of: dict[tuple[str, int], list[tuple[int, Hold]]] = {}
    spots_of: dict[str, list[tuple[int, TenderSpot]]] = {}
    for session_id, calf_position, position, start, end, seconds in holds:
        holds_of.setdefault((session_id, calf_position), []).append(
            (position, Hold(start, end, seconds))
        )
    for session_id, position, leg, planned, active in calves:
        own = holds_of.get((session_id, position), [])
        own.sort(key=_first)
        calf = CalfRecord(LEGS[leg], planned, active, tuple(h for _, h in own))
        calves_of.setdefault(session_id, []).append((position, calf))
    for session_id, position, leg, height, side in spots:
        spot = TenderSpot(LEGS[leg], SPOT_HEIGHTS[height], SPOT_SIDES[side])
        spots_of.setdefault(session_id, []).append((position, spot))
    out = []
    for id_, day, started_at, source, tool, intensity, outcome, duration, plan, sid in parents:
        own_calves = calves_of.get(id_, [])
        own_calves.sort(key=_first)
        own_spots = spots_of.get(id_, [])
        own_spots.sort(key=_first)
        out.append(
            SessionRecord(
                id=id_,
                day=day,
                started_at=from_db(started_at),
                source=SESSION_SOURCES[source],
                tool=TOOLS[tool],
                intensity=INTENSITIES[intensity] if intensity else None,
                outcome=OUTCOMES[outcome],
                duration_seconds=duration,
                calves=tuple(c for _, c in own_calves),
                tender_spots=tuple(t for _, t in own_spots),
                plan=plan,
                screening_id=sid,
            )
        )
    return out


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _check_in_row(item: Logged[Any], name: str, value: object) -> dict[str, Any]:
    """A soreness or mobility check-in's row: the columns both share, and its ``value``."""
    r = item.record
    return {
        "id": item.id,
        "recorded_at": to_utc(item.recorded_at),
        "day": r.day,
        "leg": r.leg.value,
        "moment": r.moment.value,
        name: value,
        "session_id": r.session_id,
    }


def soreness_row(item: Logged[SorenessCheckIn]) -> dict[str, Any]:
    return _check_in_row(item, "score", item.record.score)


SORENESS_COLUMNS = ("id", "recorded_at", "day", "leg", "moment", "score", "session_id")


def soreness_items(rows: Iterable[Sequence[Any]]) -> list[Logged[SorenessCheckIn]]:
    return [
        Logged(
            id_,
            from_db(recorded_at),
            SorenessCheckIn(day, LEGS[leg], SORENESS_MOMENTS[moment], score, session_id),
        )
        for id_, recorded_at, day, leg, moment, score, session_id in rows
    ]


def mobility_row(item: Logged[MobilityTest]) -> dict[str, Any]:
    return _check_in_row(item, "distance_mm", round(item.record.distance_cm * 10))


MOBILITY_COLUMNS = (
    "id", "recorded_at", "day", "leg", "moment", "distance_mm", "session_id"
)  # fmt: skip


def mobility_items(rows: Iterable[Sequence[Any]]) -> list[Logged[MobilityTest]]:
    return [
        Logged(
            id_,
            from_db(recorded_at),
            MobilityTest(day, LEGS[leg], MOBILITY_MOMENTS[moment], mm / 10, session_id),
        )
        for id_, recorded_at, day, leg, moment, mm, session_id in rows
    ]


def note_row(n: Note) -> dict[str, Any]:
    return {"id": n.id, "day": n.day, "written_at": to_utc(n.written_at), "text": n.text}


NOTE_COLUMNS = ("id", "day", "written_at", "text")


def note_records(rows: Iterable[Sequence[Any]]) -> list[Note]:
    return [Note(id_, day, from_db(at), text) for id_, day, at, text in rows]


def split_leg_row(d: SplitLegDay) -> dict[str, Any]:
    return {
        "day": d.day,
        "massaged": d.massaged.value,
        "drawn_at": None if d.drawn_at is None else to_utc(d.drawn_at),
        "experiment_id": d.experiment_id,
        "reported": None if d.reported is None else d.reported.value,
    }


SPLIT_LEG_COLUMNS = ("day", "massaged", "drawn_at", "experiment_id", "reported")


def split_leg_records(rows: Iterable[Sequence[Any]]) -> list[SplitLegDay]:
    return [
        SplitLegDay(
            day,
            LEGS[massaged],
            None if drawn_at is None else from_db(drawn_at),
            experiment_id,
            None if reported is None else MASSAGED_CALVES[reported],
        )
        for day, massaged, drawn_at, experiment_id, reported in rows
    ]


def experiment_row(e: SplitLegExperiment) -> dict[str, Any]:
    return {
        "id": e.id,
        "registered_at": to_utc(e.registered_at),
        "day": e.start_day,
        "planned_days": e.planned_days,
        "outcome": e.outcome.value,
        "stopped_at": None if e.stopped_at is None else to_utc(e.stopped_at),
    }


EXPERIMENT_COLUMNS = ("id", "registered_at", "day", "planned_days", "outcome", "stopped_at")


def experiment_records(rows: Iterable[Sequence[Any]]) -> list[SplitLegExperiment]:
    return [
        SplitLegExperiment(
            id_,
            from_db(at),
            day,
            planned,
            SPLIT_LEG_OUTCOMES[outcome],
            None if stopped is None else from_db(stopped),
        )
        for id_, at, day, planned, outcome, stopped in rows
    ]


def clearance_row(c: Clearance) -> dict[str, Any]:
    return {"id": c.id, "day": c.day, "recorded_at": to_utc(c.recorded_at)}


CLEARANCE_COLUMNS = ("id", "day", "recorded_at")


def clearance_records(rows: Iterable[Sequence[Any]]) -> list[Clearance]:
    return [Clearance(id_, day, from_db(at)) for id_, day, at in rows]


def pain_check_row(p: PainCheck) -> dict[str, Any]:
    return {"id": p.id, "day": p.day, "leg": p.leg.value, "recorded_at": to_utc(p.recorded_at)}


PAIN_CHECK_COLUMNS = ("id", "day", "leg", "recorded_at")


def pain_check_records(rows: Iterable[Sequence[Any]]) -> list[PainCheck]:
    return [PainCheck(id_, LEGS[leg], day, from_db(at)) for id_, day, leg, at in rows]
