"""The split-leg self-experiment's results: what `calfcare.core.split_leg` computes and
`calfcare.core.split_leg_words` words (here, below both, so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from calfcare.core.randomisation import SignFlipTest
from calfcare.core.split_leg_design import Outcome, SplitLegExperiment
from calfcare.core.split_leg_stats import Conclusion, Estimate

DAYS_FOR_OWN_SPREAD = 5
DEFAULT_SPREAD = 1.5  # the design's sigma_d (points; used for cm too: no home figure exists)
MISSING_WARNING_SHARE = 0.2


class Status(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    STOPPED = "stopped"
    NOT_PRE_REGISTERED = "not_pre_registered"


@dataclass(frozen=True, slots=True)
class DayNote:
    day: date
    reason: str


@dataclass(frozen=True, slots=True)
class SplitLegResult:
    """One outcome of one experiment: figures, verdict, and the words (headline first).

    ``mean_difference`` and ``interval`` are massaged minus control in ``unit``: negative is
    better for soreness, positive for knee-to-wall. All of them are None until due."""

    outcome: Outcome
    primary: bool
    status: Status
    unit: str
    threshold: float
    planned_days: int
    days: int
    differences: tuple[float, ...]
    mean_difference: float | None
    interval: tuple[float, float] | None
    interval_method: str | None
    test: SignFlipTest | None
    conclusion: Conclusion
    per_protocol: Estimate | None
    missing: tuple[DayNote, ...]
    left_out: tuple[DayNote, ...]
    pending: int
    after_end: int
    spread: float
    spread_is_own: bool
    headline: str = ""
    figures: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def p_value(self) -> float | None:
        return None if self.test is None else self.test.p_value

    @property
    def missing_share(self) -> float:
        counted = self.days + len(self.missing)
        return len(self.missing) / counted if counted else 0.0


@dataclass(frozen=True, slots=True)
class ExperimentResult:
    """An experiment (None: coins from before experiments were registered) and its results,
    the registered outcome first."""

    experiment: SplitLegExperiment | None
    status: Status
    coin_days: int
    complete_days: int
    results: tuple[SplitLegResult, ...] = field(default_factory=tuple)

    @property
    def primary(self) -> SplitLegResult:
        return self.results[0]
