"""What calfcare keeps besides the tracking records: screenings, sessions and notes.

Pure, frozen dataclasses (storage converts rows to these at its boundary, so nothing above
storage ever sees an ORM row). Every stored item has an ``id`` so that an export can be
imported again without duplicates (same id, same content: skipped; same id, different
content: refused). `tracking.py`'s check-ins and knee-to-wall tests have no id of their own,
so storage wraps them in `Logged` instead of widening those types.

Times are timezone-aware and compared as instants; storage keeps them in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg, Level
from calfcare.core.routine import Intensity, Tool
from calfcare.core.session_effort import calf_done, mostly_skipped
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import MobilityTest, SorenessCheckIn, SplitLegDay

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""Ids are short and plain so they are safe in URLs, file names and log lines."""
MAX_NOTE_CHARS = 4000
MAX_SESSION_SECONDS = 24 * 3600
"""A bound far above any real session (a plan is at most 2 x 180 s plus pauses)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than tab and newline: PostgreSQL refuses NUL in text, and the
others only hide things in a terminal."""

R = TypeVar("R", SorenessCheckIn, MobilityTest)


class ScreeningKind(StrEnum):
    """A full screening, or the next-day follow-up (swelling, redness, warmth)."""

    SCREENING = "screening"
    FOLLOW_UP = "follow_up"


class SpotHeight(StrEnum):
    """Where along the calf a tender spot was: lower (near the ankle) to upper (near the knee)."""

    LOWER = "lower"
    MIDDLE = "middle"
    UPPER = "upper"


class SpotSide(StrEnum):
    """Which side of the calf: inner (medial) or outer (lateral)."""

    INNER = "inner"
    OUTER = "outer"


class SessionSource(StrEnum):
    """How a session was recorded: timed by the coach, or logged by hand afterwards."""

    COACH = "coach"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class TenderSpot:
    """A tender spot the person found and held."""

    leg: Leg
    height: SpotHeight
    side: SpotSide

    @property
    def label(self) -> str:
        return f"{self.leg.value}:{self.height.value}:{self.side.value}"


@dataclass(frozen=True, slots=True)
class Hold:
    """A tender-spot hold, in session seconds (``seconds`` excludes paused time)."""

    start: float
    end: float
    seconds: float


@dataclass(frozen=True, slots=True)
class CalfRecord:
    """One calf's part of a session. ``planned_seconds`` is None for a hand-logged session."""

    leg: Leg
    planned_seconds: int | None
    active_seconds: float
    holds: tuple[Hold, ...] = ()


def calf_record(calf: Mapping[str, Any]) -> CalfRecord:
    """One calf's part from the routine contract's session JSON (a result's ``calves``, or
    `SessionEngine.calf_summaries` while it runs); KeyError, TypeError or ValueError when
    it is not one."""
    return CalfRecord(
        leg=Leg(calf["leg"]),
        planned_seconds=calf.get("planned_seconds"),
        active_seconds=float(calf["active_seconds"]),
        holds=tuple(
            Hold(h["start"], h["end"], h.get("seconds", h["end"] - h["start"]))
            for h in calf.get("holds", [])
        ),
    )


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session that happened: what was planned, how it ended and where it was tender."""

    id: str
    day: date
    started_at: datetime
    source: SessionSource
    tool: Tool
    intensity: Intensity | None
    outcome: Outcome
    duration_seconds: float
    calves: tuple[CalfRecord, ...]
    tender_spots: tuple[TenderSpot, ...] = ()
    plan: Mapping[str, Any] | None = None
    screening_id: str | None = None

    def __post_init__(self) -> None:
        _raise_if(session_problems(self))

    @property
    def legs(self) -> frozenset[Leg]:
        """The calves that were actually massaged: some active time, and at least half the
        planned time (`calfcare.core.session_effort`); a hand-logged calf counts."""
        return frozenset(
            c.leg
            for c in self.calves
            if c.active_seconds > 0 and calf_done(c.planned_seconds, c.active_seconds)
        )

    @property
    def mostly_skipped(self) -> bool:
        """No calf got half its planned time: kept, but not a session done."""
        return mostly_skipped((c.planned_seconds, c.active_seconds) for c in self.calves)

    @property
    def done(self) -> bool:
        """A session that counts as done (sessions per week, the report's session counts)."""
        return not self.mostly_skipped


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    """The audit trail of one screening: what was answered, what it said, under which rules.

    ``answers`` is the screening contract's input object and ``report`` its output (with the
    advice the person was shown), both as JSON-ready mappings.
    """

    id: str
    kind: ScreeningKind
    taken_at: datetime
    contract_version: int
    verdict: Level
    answers: Mapping[str, Any]
    report: Mapping[str, Any]

    def __post_init__(self) -> None:
        _raise_if(_id_problems(self.id, "id") + _time_problems(self.taken_at, "taken_at"))

    def fields(self, time: Callable[[datetime], object]) -> dict[str, Any]:
        """Its fields as plain values, the time as ``time`` gives it (the export writes ISO
        text, storage a UTC datetime)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "taken_at": time(self.taken_at),
            "contract_version": self.contract_version,
            "verdict": self.verdict.value,
            "answers": dict(self.answers),
            "report": dict(self.report),
        }


@dataclass(frozen=True, slots=True)
class Note:
    """A free note for a day ("ran 10 km", "new shoes")."""

    id: str
    day: date
    written_at: datetime
    text: str

    def __post_init__(self) -> None:
        problems = _id_problems(self.id, "id") + _time_problems(self.written_at, "written_at")
        _raise_if(problems + text_problems(self.text, "text"))


@dataclass(frozen=True, slots=True)
class Clearance:
    """The person's record that a clinician has ruled out a blood clot, on ``day``: what lifts
    a safety hold (`calfcare.core.safety_state`)."""

    id: str
    day: date
    recorded_at: datetime

    def __post_init__(self) -> None:
        _raise_if(_id_problems(self.id, "id") + _time_problems(self.recorded_at, "recorded_at"))


@dataclass(frozen=True, slots=True)
class PainCheck:
    """The person's word that a calf's sharp pain (a session stopped for it) has gone or has
    been checked by a professional."""

    id: str
    leg: Leg
    day: date
    recorded_at: datetime

    def __post_init__(self) -> None:
        _raise_if(_id_problems(self.id, "id") + _time_problems(self.recorded_at, "recorded_at"))


@dataclass(frozen=True, slots=True)
class Logged(Generic[R]):
    """A tracking record as stored: with its id and the moment it was recorded."""

    id: str
    recorded_at: datetime
    record: R

    def __post_init__(self) -> None:
        _raise_if(_id_problems(self.id, "id") + _time_problems(self.recorded_at, "recorded_at"))


def note(*, id: str, day: object, text: object, now: datetime, today: date) -> Note:
    """Build a note from raw values, or raise `InvalidInput` naming every bad field."""
    problems = day_problems(day, today) + text_problems(text, "text")
    _raise_if(problems)
    assert isinstance(day, date) and isinstance(text, str)
    return Note(id, day, now, text.strip())


def clearance(*, id: str, day: object, now: datetime, today: date) -> Clearance:
    """Build a clearance from a raw day (not after today), or raise `InvalidInput`."""
    _raise_if(day_problems(day, today))
    assert isinstance(day, date)
    return Clearance(id, day, now)


def pain_check(*, id: str, leg: object, now: datetime, today: date) -> PainCheck:
    """Build today's pain-check confirmation for a calf, or raise `InvalidInput`."""
    if leg not in [v.value for v in Leg]:
        _raise_if([Problem("leg", f"{leg!r} is not a calf; use left or right")])
    return PainCheck(id, Leg(str(leg)), today, now)


def parse_tender_spot(raw: str, field: str = "tender_spot") -> TenderSpot:
    """Read ``leg:height:side`` (``left:middle:inner``), or raise `InvalidInput`."""
    parts = raw.strip().lower().split(":")
    hint = (
        "write leg:height:side, e.g. left:middle:inner "
        "(height lower|middle|upper, side inner|outer)"
    )
    if len(parts) != 3:
        raise InvalidInput([Problem(field, f"{raw!r}: {hint}")], "The tender spot is not valid.")
    try:
        return TenderSpot(Leg(parts[0]), SpotHeight(parts[1]), SpotSide(parts[2]))
    except ValueError:
        raise InvalidInput(
            [Problem(field, f"{raw!r}: {hint}")], "The tender spot is not valid."
        ) from None


def session_problems(s: SessionRecord) -> list[Problem]:
    """Every way a session record breaks the rules of what can have happened."""
    problems = _id_problems(s.id, "id") + _time_problems(s.started_at, "started_at")
    if s.screening_id is not None:
        problems += _id_problems(s.screening_id, "screening_id")
    if not 0 <= s.duration_seconds <= MAX_SESSION_SECONDS:
        problems.append(Problem("duration_seconds", "must be 0 to 86400 seconds"))
    if not s.calves:
        problems.append(Problem("calves", "name at least one calf"))
    legs = [c.leg for c in s.calves]
    if len(set(legs)) != len(legs):
        problems.append(Problem("calves", "each calf may appear once"))
    for i, calf in enumerate(s.calves):
        if not 0 <= calf.active_seconds <= MAX_SESSION_SECONDS:
            problems.append(Problem(f"calves.{i}.active_seconds", "must be 0 to 86400 seconds"))
        for j, hold in enumerate(calf.holds):
            if not 0 <= hold.start <= hold.end <= MAX_SESSION_SECONDS or hold.seconds < 0:
                problems.append(Problem(f"calves.{i}.holds.{j}", "needs 0 <= start <= end"))
    for i, spot in enumerate(s.tender_spots):
        if spot.leg not in legs:
            problems.append(Problem(f"tender_spots.{i}.leg", "is not a calf of this session"))
    return problems


def session_id_problems(value: object, field: str = "session_id") -> list[Problem]:
    """Control characters in a tracking record's session id (tracking.py checks its length;
    PostgreSQL cannot store NUL, and no real id has one)."""
    if isinstance(value, str) and _CONTROL.search(value):
        return [Problem(field, "contains control characters")]
    return []


def text_problems(text: object, field: str) -> list[Problem]:
    if not isinstance(text, str) or not text.strip():
        return [Problem(field, "write some text")]
    if len(text) > MAX_NOTE_CHARS:
        return [Problem(field, f"{len(text)} characters; at most {MAX_NOTE_CHARS}")]
    if _CONTROL.search(text):
        return [Problem(field, "contains control characters")]
    return []


def _id_problems(value: object, field: str) -> list[Problem]:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        return [Problem(field, "an id is 1 to 64 letters, digits, '-' or '_'")]
    return []


def _time_problems(value: object, field: str) -> list[Problem]:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return [Problem(field, "give a date and time with a time zone")]
    return []


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems, "The record is not valid.")


@dataclass(frozen=True, slots=True)
class RecordSet:
    """Everything stored (or a filtered part of it), each kind in a fixed order: by time, then
    id, so that two exports of the same data are byte-identical on any backend."""

    screenings: tuple[ScreeningRecord, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    soreness: tuple[Logged[SorenessCheckIn], ...] = ()
    mobility: tuple[Logged[MobilityTest], ...] = ()
    notes: tuple[Note, ...] = ()
    split_leg_days: tuple[SplitLegDay, ...] = ()
    split_leg_experiments: tuple[SplitLegExperiment, ...] = ()
    clearances: tuple[Clearance, ...] = ()
    pain_checks: tuple[PainCheck, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "screenings": len(self.screenings),
            "sessions": len(self.sessions),
            "soreness": len(self.soreness),
            "mobility": len(self.mobility),
            "notes": len(self.notes),
            "split_leg_days": len(self.split_leg_days),
            "split_leg_experiments": len(self.split_leg_experiments),
            "clearances": len(self.clearances),
            "pain_checks": len(self.pain_checks),
        }

    def sorted(self) -> RecordSet:
        """The same records in the canonical order."""
        return RecordSet(
            screenings=tuple(sorted(self.screenings, key=lambda r: (r.taken_at, r.id))),
            sessions=tuple(sorted(self.sessions, key=lambda r: (r.day, r.started_at, r.id))),
            soreness=tuple(sorted(self.soreness, key=_logged_key)),
            mobility=tuple(sorted(self.mobility, key=_logged_key)),
            notes=tuple(sorted(self.notes, key=lambda r: (r.day, r.written_at, r.id))),
            split_leg_days=tuple(sorted(self.split_leg_days, key=lambda r: r.day)),
            split_leg_experiments=tuple(
                sorted(self.split_leg_experiments, key=lambda r: (r.registered_at, r.id))
            ),
            clearances=tuple(sorted(self.clearances, key=lambda r: (r.day, r.recorded_at, r.id))),
            pain_checks=tuple(sorted(self.pain_checks, key=lambda r: (r.day, r.recorded_at, r.id))),
        )


def _logged_key(item: Logged[Any]) -> tuple[date, datetime, str]:
    return (item.record.day, item.recorded_at, item.id)
