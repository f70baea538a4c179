"""A clinician's prescription: the routine a person is sent home with, and its words.

Validated against the seed's rules (the routines contract): 120-180 seconds per calf
(`SECONDS_PER_CALF_MIN`/`MAX`), the contract's tools and intensities, 1-7 sessions a week,
1-12 weeks. A prescription never overrides the safety state: `under_safety` gives what the
person may do today, and says when the safety state changed the prescription. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.record_views import TOOL_WORDS
from calfcare.core.routine import (
    SECONDS_PER_CALF_MAX,
    SECONDS_PER_CALF_MIN,
    Intensity,
    PlanOptions,
    Tool,
)
from calfcare.core.safe_plan import options_under_safety
from calfcare.core.safety_state import SafetyState, SafetyWording

SESSIONS_PER_WEEK = range(1, 8)
WEEKS = range(1, 13)
NOTE_MAX = 1000
_INTENSITY_RANK = {Intensity.GENTLE: 0, Intensity.STANDARD: 1, Intensity.DEEP: 2}


@dataclass(frozen=True, slots=True)
class Prescription:
    """What a clinician prescribed (build it with `prescription`, which checks every field)."""

    calves: tuple[Leg, ...]
    tools: tuple[Tool, ...]
    intensity_cap: Intensity
    seconds_per_calf: int
    sessions_per_week: int
    weeks: int
    start_day: date
    note: str = ""

    @property
    def end_day(self) -> date:
        """The last day it covers."""
        return self.start_day + timedelta(weeks=self.weeks) - timedelta(days=1)

    def week_of(self, day: date) -> int | None:
        """Which week (1-based) ``day`` falls in, or None outside the prescription."""
        if not self.start_day <= day <= self.end_day:
            return None
        return (day - self.start_day).days // 7 + 1


def _choice(raw: object, kind: type[Any], field: str, problems: list[Problem]) -> Any:
    try:
        return kind(raw)
    except ValueError:
        names = ", ".join(v.value for v in kind)
        problems.append(Problem(field, f"{raw!r} is not one of: {names}."))
        return None


def _whole(raw: object, allowed: range, field: str, problems: list[Problem]) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in allowed:
        problems.append(
            Problem(field, f"Give a whole number from {allowed.start} to {allowed.stop - 1}.")
        )
        return allowed.start
    return raw


def prescription(
    *,
    calves: Sequence[object],
    tools: Sequence[object],
    intensity_cap: object,
    seconds_per_calf: object,
    sessions_per_week: object,
    weeks: object,
    start_day: date,
    note: object = "",
) -> Prescription:
    """A checked prescription, or `InvalidInput` naming every wrong field and its fix."""
    problems: list[Problem] = []
    legs = tuple(dict.fromkeys(_choice(c, Leg, "calves", problems) for c in calves))
    if not calves:
        problems.append(Problem("calves", "Choose at least one calf: left, right or both."))
    kit = tuple(dict.fromkeys(_choice(t, Tool, "tools", problems) for t in tools))
    if not tools:
        problems.append(Problem("tools", "Choose at least one tool: foam-roller, ball, hands."))
    cap = _choice(intensity_cap, Intensity, "intensity_cap", problems)
    seconds = _whole(seconds_per_calf, range(SECONDS_PER_CALF_MIN, SECONDS_PER_CALF_MAX + 1),
                     "seconds_per_calf", problems)  # fmt: skip
    per_week = _whole(sessions_per_week, SESSIONS_PER_WEEK, "sessions_per_week", problems)
    how_long = _whole(weeks, WEEKS, "weeks", problems)
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        problems.append(Problem("note", f"Write a note of at most {NOTE_MAX} characters."))
    if problems:
        raise InvalidInput(problems)
    assert isinstance(note, str)
    return Prescription(
        legs, kit, cap, seconds, per_week, how_long, start_day, note.strip()
    )  # fmt: skip


def times_words(per_week: int) -> str:
    return {1: "once a week", 2: "twice a week"}.get(per_week, f"{per_week} times a week")


def prescription_words(p: Prescription, who: str = "physio") -> str:
    """ "Your physio's routine: 3 times a week, foam roller, gentle" (and the calves, time)."""
    return f"Your {who}'s routine: {routine_words(p)}"


def routine_words(p: Prescription) -> str:
    """ "3 times a week, foam roller, gentle; both calves, 2:30 per calf, for 6 weeks." """
    kit = " or ".join(TOOL_WORDS[t.value].lower() for t in p.tools)
    calves = "both calves" if len(p.calves) == 2 else f"the {p.calves[0].value} calf"
    minutes = f"{p.seconds_per_calf // 60}:{p.seconds_per_calf % 60:02d} per calf"
    weeks = "1 week" if p.weeks == 1 else f"{p.weeks} weeks"
    return (
        f"{times_words(p.sessions_per_week)}, {kit}, "
        f"{p.intensity_cap.value}; {calves}, {minutes}, for {weeks}."
    )


def capped(asked: Intensity, cap: Intensity) -> Intensity:
    """The lower of the two intensities."""
    return asked if _INTENSITY_RANK[asked] <= _INTENSITY_RANK[cap] else cap


def options_of(p: Prescription, tool: Tool | None = None) -> PlanOptions:
    """The plan builder's starting point: the prescription's calves, time and intensity."""
    return PlanOptions(
        tool=tool if tool in p.tools else p.tools[0],
        legs=p.calves,
        seconds_per_calf=p.seconds_per_calf,
        intensity=p.intensity_cap,
    )


@dataclass(frozen=True, slots=True)
class UnderSafety:
    """What the person may do today under the prescription: ``options`` None when the safety
    state allows no massage; ``overridden`` when the safety state changed the prescription
    (the clinician sees ``notes``, which say why)."""

    options: PlanOptions | None
    overridden: bool
    notes: tuple[str, ...]


def under_safety(
    p: Prescription, state: SafetyState, wording: SafetyWording, tool: Tool | None = None
) -> UnderSafety:
    """The prescription as the safety state allows it today: the safety state always wins."""
    asked = options_of(p, tool)
    if state.hold is not None:
        return UnderSafety(None, True, (state.hold.headline, state.hold.advice))
    if state.needs_screening is not None:
        return UnderSafety(None, True, (state.needs_screening,))
    if not state.massage_allowed:
        return UnderSafety(None, True, ("The screening allows no massage today.",))
    options, notes = options_under_safety(asked, state, wording)
    if not options.legs:
        return UnderSafety(None, True, tuple(notes))
    changed = options.legs != asked.legs or options.intensity != asked.intensity
    return UnderSafety(options, changed, tuple(notes))


def prescription_json(p: Prescription) -> dict[str, Any]:
    """The prescription as JSON (for the web and the export)."""
    return {
        "calves": [leg.value for leg in p.calves],
        "tools": [t.value for t in p.tools],
        "intensity_cap": p.intensity_cap.value,
        "seconds_per_calf": p.seconds_per_calf,
        "sessions_per_week": p.sessions_per_week,
        "weeks": p.weeks,
        "start_day": p.start_day.isoformat(),
        "note": p.note,
        "words": prescription_words(p),
    }


def from_row(row: Mapping[str, Any]) -> Prescription:
    """A stored prescription (columns as `calfcare.storage` keeps them)."""
    return Prescription(
        tuple(Leg(c) for c in str(row["calves"]).split(",")),
        tuple(Tool(t) for t in str(row["tools"]).split(",")),
        Intensity(row["intensity_cap"]),
        int(row["seconds_per_calf"]),
        int(row["sessions_per_week"]),
        int(row["weeks"]),
        row["start_day"],
        str(row["note"]),
    )
