"""How much of a session was actually done: massaged seconds per calf against the plan.

The engine's outcome says how a session *ended* (``completed`` when the last step was over,
even if every step was skipped). What was *done* is read from each calf's massaged seconds
(``active_seconds``, holds included) against its planned seconds:

- a calf is **done** when it got at least half its planned seconds
  (`DONE_SHARE`); a calf logged by hand (no plan) is done: the person says they did it;
- a session is **mostly skipped** when no calf in it is done, i.e. every calf got less than
  half its planned time.

A mostly skipped session is kept (it is part of the record) and shown as what it is, but it is
not a session *done*: it counts toward no "sessions per week", its calves count as not
massaged that day in the insights and in the split-leg analysis (`SessionRecord.legs`).
One definition, used by the history, the stats, the report, the coach's summary and the web
page (which gets `DONE_SHARE` from the server). Pure: numbers in, words out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from calfcare.core.timeline import Outcome

DONE_SHARE = 0.5
"""A calf is done when its massaged seconds reach this share of its planned seconds."""


@dataclass(frozen=True, slots=True)
class CalfEffort:
    """One calf's massaged seconds against its plan (``planned`` None: logged by hand)."""

    planned: float | None
    massaged: float

    @property
    def done(self) -> bool:
        return self.planned is None or self.massaged >= DONE_SHARE * self.planned


def calf_done(planned_seconds: float | None, active_seconds: float) -> bool:
    """Whether a calf that got ``active_seconds`` of its ``planned_seconds`` was done."""
    return CalfEffort(planned_seconds, active_seconds).done


def mostly_skipped(calves: Iterable[tuple[float | None, float]]) -> bool:
    """Whether no calf of ``(planned, massaged)`` pairs was done (an empty session too)."""
    return not any(calf_done(planned, massaged) for planned, massaged in calves)


OUTCOME_WORDS = {
    Outcome.COMPLETED: "completed",
    Outcome.STOPPED_SHARP_PAIN: "stopped for sharp pain",
    Outcome.QUIT: "ended early",
    Outcome.ABANDONED: "left unfinished",
}
"""How a session ended, in words."""
MOSTLY_SKIPPED_WORDS = "mostly skipped"


def session_words(outcome: Outcome, skipped: bool) -> str:
    """What a session was, in words: "mostly skipped" before how it ended, when it was
    (a sharp-pain stop is always named: it matters more than how much was done)."""
    if skipped and outcome is Outcome.COMPLETED:
        return MOSTLY_SKIPPED_WORDS
    if skipped:
        return f"{OUTCOME_WORDS[outcome]}, {MOSTLY_SKIPPED_WORDS}"
    return OUTCOME_WORDS[outcome]


def clock(seconds: float) -> str:
    """Seconds as m:ss, rounded to the nearest whole second (never "4.468 s")."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def calf_words(leg: str, planned: float | None, massaged: float) -> str:
    """One calf's time in words: "left calf 0:04 of 2:30" (or "left calf 2:30")."""
    done = clock(massaged)
    return f"{leg} calf {done}" if planned is None else f"{leg} calf {done} of {clock(planned)}"


def result_skipped(result: Mapping[str, Any]) -> bool:
    """Whether a session result (the routine contract's session JSON, with each calf's
    ``planned_seconds`` and ``active_seconds``) was mostly skipped."""
    calves = result.get("calves") or []
    return mostly_skipped(
        (c.get("planned_seconds"), float(c.get("active_seconds", 0))) for c in calves
    )
