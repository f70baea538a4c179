"""The split-leg experiment's design: its outcomes, and the record that pre-registers it.

Before any coin is drawn the person registers the experiment: the day it starts, how many
complete days it will run and which outcome is the question (``next_day_soreness`` or
``knee_to_wall``). The analysis is then done once, when those days are in, exactly as
registered, so that looking every day cannot turn chance into a finding (stopping at the
first p < 0.05 gives 13-18% false positives by day 28-42 instead of 5%). Stopping early is
allowed and ends the experiment without a result. The design and its thresholds are
``/work/shared/evidence/SELF-EXPERIMENT.md``; docs/insights.md explains them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput, Problem

ALPHA = 0.05
MIN_DAYS_FOR_P = 6  # the smallest two-sided p with n days is 1/2^(n-1): below 0.05 from 6
MIN_PLANNED_DAYS = MIN_DAYS_FOR_P
MAX_PLANNED_DAYS = 60


class Outcome(StrEnum):
    """What a split-leg day is compared on."""

    NEXT_DAY_SORENESS = "next_day_soreness"
    SAME_SESSION_SORENESS = "same_session_soreness"
    KNEE_TO_WALL = "knee_to_wall"


REGISTRABLE = (Outcome.NEXT_DAY_SORENESS, Outcome.KNEE_TO_WALL)
"""The outcomes an experiment can be registered for (its primary question)."""


@dataclass(frozen=True, slots=True)
class OutcomeSpec:
    """How an outcome is measured and judged (threshold with the source it comes from)."""

    unit: str
    threshold: float
    threshold_sources: tuple[str, ...]
    lower_is_better: bool
    resolution: float  # the grid the differences lie on, for the exact test
    kind: str  # the records it compares: "soreness" or "mobility"
    moments: tuple[str, str]  # (first, second) rating of the change on the day


_SORENESS_SOURCES = ("ranchordas-2017", "farrar-2001")
SPECS: dict[Outcome, OutcomeSpec] = {
    Outcome.NEXT_DAY_SORENESS: OutcomeSpec(
        "points", 1.4, _SORENESS_SOURCES, True, 1.0, "soreness", ("before", "next_day")
    ),
    Outcome.SAME_SESSION_SORENESS: OutcomeSpec(
        "points", 1.4, _SORENESS_SOURCES, True, 1.0, "soreness", ("before", "after")
    ),
    Outcome.KNEE_TO_WALL: OutcomeSpec(
        "cm", 1.5, ("chisholm-2012",), False, 0.1, "mobility", ("before", "after")
    ),
}


def outcomes_in_order(primary: Outcome) -> tuple[Outcome, ...]:
    """The registered outcome first, then the others (secondary) in their usual order."""
    return (primary, *(o for o in Outcome if o is not primary))


@dataclass(frozen=True, slots=True)
class SplitLegExperiment:
    """A pre-registered experiment: recorded before its first coin, never changed except
    that it may be stopped early (``stopped_at``), which ends it without a result."""

    id: str
    registered_at: datetime
    start_day: date
    planned_days: int
    outcome: Outcome
    stopped_at: datetime | None = None

    def __post_init__(self) -> None:
        problems = _days_problems(self.planned_days) + _outcome_problems(self.outcome)
        for name in ("registered_at", "stopped_at"):
            moment = getattr(self, name)
            if moment is not None and (
                not isinstance(moment, datetime) or moment.utcoffset() is None
            ):
                problems.append(Problem(name, "give a time with a time zone"))
        if problems:
            raise InvalidInput(problems, "The experiment is not valid.")


def experiment(
    *,
    id: str,
    days: object,
    outcome: object,
    now: datetime,
    today: date,
    stopped_at: object = None,
    start_day: object = None,
) -> SplitLegExperiment:
    """Build an experiment from raw values (the CLI, a form, an import), or raise
    `InvalidInput` naming every bad field. ``start_day`` defaults to ``today``."""
    problems = _days_problems(days)
    parsed = None
    if isinstance(outcome, str) and outcome in [o.value for o in REGISTRABLE]:
        parsed = Outcome(outcome)
    else:
        problems += _outcome_problems(outcome)
    start = today if start_day is None else start_day
    problems += day_problems(start, today, "start_day")
    if stopped_at is not None and not isinstance(stopped_at, datetime):
        problems.append(Problem("stopped_at", "give a time with a time zone"))
    if problems:
        raise InvalidInput(problems, "The experiment is not valid; nothing was saved.")
    assert isinstance(days, int) and parsed is not None and isinstance(start, date)
    stop = stopped_at if isinstance(stopped_at, datetime) else None
    return SplitLegExperiment(id, now, start, days, parsed, stop)


def _days_problems(days: object) -> list[Problem]:
    if isinstance(days, bool) or not isinstance(days, int):
        return [Problem("days", "give a whole number of days")]
    if not MIN_PLANNED_DAYS <= days <= MAX_PLANNED_DAYS:
        return [
            Problem(
                "days",
                f"{days}: plan {MIN_PLANNED_DAYS} to {MAX_PLANNED_DAYS} days (with fewer than "
                f"{MIN_DAYS_FOR_P} even every day going the same way could be chance)",
            )
        ]
    return []


def _outcome_problems(outcome: object) -> list[Problem]:
    if outcome in REGISTRABLE:
        return []
    allowed = ", ".join(o.value for o in REGISTRABLE)
    return [Problem("outcome", f"{outcome!r} is not one of: {allowed}")]
