"""The routine vocabulary: tools, intensities, steps and plans (routine contract v1).

The limits below are the contract's technique rules, so they are code, not content (as the
screening rule table is): a content edit can reword a cue or move a step's seconds, never let
a calf run past 180 s. Sources: ``seed-technique`` (the article's "Step-by-Step Self-Massage
Techniques": 2 to 3 minutes per calf, holds of 30 to 60 seconds) and, for the pace range,
``behm-2020`` (2-4 s per one-way roll, i.e. 15-30 a minute) widened at the slow end to 10 so a
person who prefers slower rolling may choose it (``sezik-2024`` found the slow pace lowered
tone more; ``wilke-2019`` found speed no significant moderator, so this is a preference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from calfcare.core.levels import Leg

CONTRACT_VERSION = 1

SECONDS_PER_CALF_MIN = 120
SECONDS_PER_CALF_MAX = 180
SECONDS_PER_CALF_DEFAULT = 150
"""Per calf: "Limit the total duration on each calf to between two and three minutes"."""

HOLD_MIN_SECONDS = 30
HOLD_MAX_SECONDS = 60
"""A hold on a tender spot: "hold the pressure for 30 to 60 seconds"."""

COUNTDOWN_MAX_SECONDS = 20
"""`position` and `switch` are short countdowns of 0 to 20 s (routine contract)."""

PACE_MIN_PER_MINUTE = 10
PACE_MAX_PER_MINUTE = 30
"""One-way rolls a minute a person may choose for the pace guide."""


class Tool(StrEnum):
    """What the person massages with."""

    FOAM_ROLLER = "foam-roller"
    BALL = "ball"
    HANDS = "hands"


class Intensity(StrEnum):
    """One intensity per plan; any screening caution makes it `gentle`."""

    GENTLE = "gentle"
    STANDARD = "standard"
    DEEP = "deep"


class StepKind(StrEnum):
    """The contract's step kinds."""

    POSITION = "position"
    PASSES = "passes"
    HOLD = "hold"
    ACTIVE_RELEASE = "active_release"
    PRESSURE = "pressure"
    STROKES = "strokes"
    SWITCH = "switch"

    @property
    def counted(self) -> bool:
        """Whether the step's time counts toward its calf (getting into place does not)."""
        return self not in (StepKind.POSITION, StepKind.SWITCH)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a calf's routine.

    ``leg`` is set on `position` and `switch` steps (the calf they prepare);
    ``pace_per_minute`` on `passes` steps when the plan carries a pace guide.
    """

    kind: StepKind
    seconds: int
    cue: str
    why: str = ""
    sources: tuple[str, ...] = ()
    leg: Leg | None = None
    pace_per_minute: int | None = None


@dataclass(frozen=True, slots=True)
class CalfPlan:
    """The steps for one calf, in order."""

    leg: Leg
    seconds: int
    steps: tuple[Step, ...]

    @property
    def counted_seconds(self) -> int:
        return sum(step.seconds for step in self.steps if step.kind.counted)


@dataclass(frozen=True, slots=True)
class Plan:
    """A whole routine: one tool, one intensity, the calves in the order the person gave."""

    tool: Tool
    intensity: Intensity
    calves: tuple[CalfPlan, ...]
    notes: tuple[str, ...] = ()
    pace_per_minute: int | None = None

    @property
    def total_seconds(self) -> int:
        """Massage time: the calves' seconds, without the position/switch countdowns."""
        return sum(calf.seconds for calf in self.calves)

    @property
    def seconds_per_calf(self) -> int | None:
        return self.calves[0].seconds if self.calves else None


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """What the person asked for. ``pace_per_minute`` None means the content's default."""

    tool: Tool
    legs: tuple[Leg, ...] = field(default=(Leg.LEFT, Leg.RIGHT))
    seconds_per_calf: int = SECONDS_PER_CALF_DEFAULT
    intensity: Intensity = Intensity.STANDARD
    pace_per_minute: int | None = None
