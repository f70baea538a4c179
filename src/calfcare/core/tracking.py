"""What a person records, so they can later see whether massage helps them.

Storage persists these records as they are; the insights modules read them. Each record is a
frozen dataclass that checks its own ranges, and each has a validating function that also
accepts raw values (``"left"``, ``"next_day"``) and the caller's ``today``, and names every bad
field at once in one `InvalidInput` (as the screening contract does).

Dates: every record carries ``day``, the session day it belongs to. A ``next_day`` soreness
rating is *taken* the day after ``day`` but filed under ``day``, so the split-leg analysis can
pair it with that session's allocation without date arithmetic. Knee-to-wall distances are
big-toe-to-wall in cm at 0.1 cm resolution (Bennell 1998, ``bennell-1998``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg

SORENESS_MIN, SORENESS_MAX = 0, 10
DISTANCE_MIN_CM, DISTANCE_MAX_CM = 0.0, 30.0
MAX_SESSION_ID_LENGTH = 100

E = TypeVar("E", bound=StrEnum)


class SorenessMoment(StrEnum):
    """When a soreness rating was taken, relative to the session of its ``day``."""

    BEFORE = "before"
    AFTER = "after"
    NEXT_DAY = "next_day"


class MobilityMoment(StrEnum):
    """When a knee-to-wall test was taken; ``other`` is a test on a day without a session."""

    BEFORE = "before"
    AFTER = "after"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SorenessCheckIn:
    """One calf's soreness, 0 (none) to 10 (worst imaginable)."""

    day: date
    leg: Leg
    moment: SorenessMoment
    score: int
    session_id: str | None = None

    def __post_init__(self) -> None:
        _raise_if(_score_problems(self.score, "score") + _id_problems(self.session_id))


@dataclass(frozen=True, slots=True)
class MobilityTest:
    """One knee-to-wall (weight-bearing lunge) test: the greatest big-toe-to-wall distance."""

    day: date
    leg: Leg
    moment: MobilityMoment
    distance_cm: float
    session_id: str | None = None

    def __post_init__(self) -> None:
        problems = _distance_problems(self.distance_cm, "distance_cm")
        _raise_if(problems + _id_problems(self.session_id))
        # Store on the 0.1 cm grid so that differences stay exact for the randomisation test;
        # ``+ 0.0`` turns -0.0 (``--left -0``) into 0.0, so it is never shown as "-0.0 cm".
        object.__setattr__(self, "distance_cm", round(float(self.distance_cm), 1) + 0.0)


class MassagedCalves(StrEnum):
    """Which calves a person says they massaged on a split-leg day (asked when no session
    was recorded that day)."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NEITHER = "neither"


@dataclass(frozen=True, slots=True)
class SplitLegDay:
    """The stored coin toss of a split-leg day: drawn *before* the session, never redrawn.

    ``drawn_at`` is when the coin was drawn and ``experiment_id`` the pre-registered
    experiment it belongs to; both are None on coins stored before experiments were
    registered (their allocation cannot be verified). ``reported`` is which calves the
    person said they massaged, when no session of that day says so."""

    day: date
    massaged: Leg
    drawn_at: datetime | None = None
    experiment_id: str | None = None
    reported: MassagedCalves | None = None

    def __post_init__(self) -> None:
        if self.drawn_at is not None and self.drawn_at.utcoffset() is None:
            _raise_if([Problem("drawn_at", "give a time with a time zone")])

    @property
    def control(self) -> Leg:
        return self.massaged.other


@dataclass(frozen=True, slots=True)
class SessionDay:
    """A day on which the person massaged one or both calves."""

    day: date
    legs: frozenset[Leg]

    def __post_init__(self) -> None:
        if not self.legs:
            _raise_if([Problem("legs", "name at least one calf: left or right")])


def soreness_check_in(
    *,
    day: object,
    leg: object,
    moment: object,
    score: object,
    today: date,
    session_id: object = None,
) -> SorenessCheckIn:
    """Build a check-in from raw values, or raise `InvalidInput` naming every bad field."""
    problems = day_problems(day, today)
    # Only a day that passed `day_problems` is compared: a `datetime` is a `date` too, and
    # comparing one with ``today`` raises TypeError (Hypothesis found it).
    next_day = moment == SorenessMoment.NEXT_DAY
    if not problems and isinstance(day, date) and next_day and not day < today:
        problems.append(Problem("day", "a next-day rating can only be given after that day"))
    parsed_leg = _parse_enum(Leg, leg, "leg", problems)
    parsed_moment = _parse_enum(SorenessMoment, moment, "moment", problems)
    problems += _score_problems(score, "score") + _id_problems(session_id)
    _raise_if(problems)
    assert isinstance(day, date) and isinstance(score, int)
    assert parsed_leg is not None and parsed_moment is not None
    sid = session_id if isinstance(session_id, str) else None
    return SorenessCheckIn(day, parsed_leg, parsed_moment, score, sid)


def mobility_test(
    *,
    day: object,
    leg: object,
    moment: object,
    distance_cm: object,
    today: date,
    session_id: object = None,
) -> MobilityTest:
    """Build a knee-to-wall record from raw values, or raise `InvalidInput`."""
    problems = day_problems(day, today)
    parsed_leg = _parse_enum(Leg, leg, "leg", problems)
    parsed_moment = _parse_enum(MobilityMoment, moment, "moment", problems)
    problems += _distance_problems(distance_cm, "distance_cm") + _id_problems(session_id)
    _raise_if(problems)
    assert isinstance(day, date) and isinstance(distance_cm, int | float)
    assert parsed_leg is not None and parsed_moment is not None
    sid = session_id if isinstance(session_id, str) else None
    return MobilityTest(day, parsed_leg, parsed_moment, float(distance_cm), sid)


def split_leg_day(
    *,
    day: object,
    massaged: object,
    today: date,
    drawn_at: object = None,
    experiment_id: object = None,
    reported: object = None,
) -> SplitLegDay:
    """Rebuild a stored allocation from raw values (storage, import), or raise `InvalidInput`."""
    problems = day_problems(day, today)
    leg = _parse_enum(Leg, massaged, "massaged", problems)
    if drawn_at is not None and (
        not isinstance(drawn_at, datetime) or drawn_at.utcoffset() is None
    ):
        problems.append(Problem("drawn_at", "give a time with a time zone"))
    if experiment_id is not None and not (
        isinstance(experiment_id, str) and 0 < len(experiment_id) <= 64
    ):
        problems.append(Problem("experiment_id", "give the experiment's id, or none"))
    said = None if reported is None else _parse_enum(MassagedCalves, reported, "reported", problems)
    _raise_if(problems)
    assert isinstance(day, date) and leg is not None
    when = drawn_at if isinstance(drawn_at, datetime) else None
    eid = experiment_id if isinstance(experiment_id, str) else None
    return SplitLegDay(day, leg, when, eid, said)


def draw_split_leg_day(
    day: date,
    rng: random.Random,
    *,
    today: date,
    drawn_at: datetime | None = None,
    experiment_id: str | None = None,
) -> SplitLegDay:
    """Toss the fair coin for ``day``; the caller must store the result before the session.

    The analysis is only valid because this coin, not the person, chose the calf (Senn 2016,
    ``senn-2016``), so the draw is one call to a caller-seeded generator and nothing else.
    When and whether a coin may be drawn (today only, after both "before" ratings) is
    `calfcare.core.split_leg_design.draw_problems`.
    """
    _raise_if(day_problems(day, today))
    leg = Leg.LEFT if rng.getrandbits(1) == 0 else Leg.RIGHT
    return SplitLegDay(day, leg, drawn_at, experiment_id)


def session_day(*, day: object, legs: object, today: date) -> SessionDay:
    """Build a session day from raw values (a list of calf names), or raise `InvalidInput`."""
    problems = day_problems(day, today)
    parsed: set[Leg] = set()
    if isinstance(legs, str) or not isinstance(legs, list | tuple | set | frozenset):
        problems.append(Problem("legs", "give a list of calves: left, right or both"))
    elif not legs:
        problems.append(Problem("legs", "name at least one calf: left or right"))
    else:
        for i, raw in enumerate(legs):
            leg = _parse_enum(Leg, raw, f"legs[{i}]", problems)
            if leg is not None:
                parsed.add(leg)
    _raise_if(problems)
    assert isinstance(day, date)
    return SessionDay(day, frozenset(parsed))


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems, "The record is not valid.")


def _parse_enum(kind: type[E], raw: object, field: str, problems: list[Problem]) -> E | None:
    if isinstance(raw, kind):
        return raw
    if isinstance(raw, str):
        try:
            return kind(raw)
        except ValueError:
            pass
    allowed = ", ".join(m.value for m in kind)
    problems.append(Problem(field, f"{raw!r} is not one of: {allowed}"))
    return None


def _score_problems(score: object, field: str) -> list[Problem]:
    if isinstance(score, bool) or not isinstance(score, int):
        return [Problem(field, "give a whole number from 0 to 10")]
    if not SORENESS_MIN <= score <= SORENESS_MAX:
        return [Problem(field, f"{score} is outside 0 to 10")]
    return []


def _distance_problems(distance: object, field: str) -> list[Problem]:
    if isinstance(distance, bool) or not isinstance(distance, int | float):
        return [Problem(field, "give a distance in cm, e.g. 9.5")]
    value = float(distance)
    if not math.isfinite(value) or not DISTANCE_MIN_CM <= value <= DISTANCE_MAX_CM:
        return [Problem(field, f"{distance} cm is outside 0 to 30 cm")]
    if abs(value * 10 - round(value * 10)) > 1e-6:
        return [Problem(field, f"{distance} cm is finer than 0.1 cm; round it to one decimal")]
    return []


def _id_problems(session_id: object) -> list[Problem]:
    if session_id is None:
        return []
    if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_SESSION_ID_LENGTH:
        return [Problem("session_id", "give a session id of 1 to 100 characters, or none")]
    return []
