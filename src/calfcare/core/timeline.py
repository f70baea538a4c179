"""The session's events, outcomes, clock units and what a front end shows (`SessionView`).

Kept apart from the engine so that the shared vocabulary (docs/session-timeline.md) reads in
one place. Times are whole milliseconds inside, seconds (rounded to the millisecond) outside:
``to_ms(t) = floor(t * 1000 + 0.5)``, the same in Python and JavaScript, so both engines see
identical instants and their timelines compare exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from calfcare.core.levels import Leg
from calfcare.core.routine import HOLD_MAX_SECONDS, HOLD_MIN_SECONDS, SECONDS_PER_CALF_MAX, Step

CALF_MAX_MS = SECONDS_PER_CALF_MAX * 1000
HOLD_MAX_MS = HOLD_MAX_SECONDS * 1000
HOLD_MAY_RELEASE_MS = HOLD_MIN_SECONDS * 1000
COUNTDOWN_AT = (3, 2, 1)
"""Seconds before a step ends at which a ``countdown`` entry is due (a spoken 3-2-1)."""


class EventKind(StrEnum):
    """What the person can do during a session (routine contract)."""

    TENDER_SPOT = "tender_spot"
    RELEASE = "release"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    SHARP_PAIN = "sharp_pain"
    QUIT = "quit"


class Outcome(StrEnum):
    COMPLETED = "completed"
    STOPPED_SHARP_PAIN = "stopped_sharp_pain"
    QUIT = "quit"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class Event:
    """One action of the person, ``t`` seconds after the start."""

    t: float
    kind: EventKind


@dataclass(frozen=True, slots=True)
class SessionView:
    """What the person should see and hear now.

    ``step_left`` is the current step's time left (frozen during a hold, when the passes clock
    stops); ``pace_position`` runs 0 (just above the ankle) to 1 (back of the knee) and back,
    for `passes` outside a hold; ``session_planned`` counts every step, countdowns included.
    """

    t: float
    outcome: str | None
    paused: bool
    step_index: int | None
    step: Step | None
    leg: Leg | None
    step_left: float
    calf_elapsed: float
    calf_planned: int
    session_elapsed: float
    session_planned: int
    next_step: Step | None
    holding: bool
    hold_seconds: float
    may_release: bool
    pace_position: float | None
    pace_direction: str | None


def to_ms(t: float) -> int:
    """Seconds to whole milliseconds, rounding half up (as ``Math.floor(t * 1000 + 0.5)``)."""
    return math.floor(t * 1000 + 0.5)


def seconds(ms: int) -> float:
    return ms / 1000


def pace_position(elapsed: float, pace_per_minute: int) -> tuple[float, str]:
    """Where the pace guide's marker is after ``elapsed`` seconds of passes.

    One one-way roll (ankle to knee, or back) takes ``60 / pace`` seconds; the marker starts at
    the ankle going up. Returns the position (0 ankle .. 1 knee, 3 decimals) and "up"/"down".
    """
    roll = 60 / pace_per_minute
    phase = (elapsed % (2 * roll)) / roll
    if phase < 1:
        return round(phase, 3), "up"
    return round(2 - phase, 3), "down"
