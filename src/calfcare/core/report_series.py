"""The report's charts as data: soreness per calf and knee-to-wall per leg over time, each
with the band a change must leave before it is more than the measure can tell apart.

A band is drawn around a leg's first value in the period, so a later point outside it has
changed by more than the threshold: 1.4 points of soreness (the minimal important difference
for muscle soreness, Ranchordas 2017) and 1.9 cm of knee-to-wall (the smallest real change
when one person measures, Powden 2015; home tests are likely noisier). The thresholds are
the ones the insights use (`calfcare.core.insights`), and the between-leg figure the
split-leg analysis uses (1.5 cm, Chisholm 2012), so there is one number for each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcare.core.insights import MOBILITY_MDC_CM, SORENESS_THRESHOLD
from calfcare.core.levels import Leg
from calfcare.core.records import Logged
from calfcare.core.split_leg_design import SPECS
from calfcare.core.split_leg_design import Outcome as SplitOutcome
from calfcare.core.tracking import MobilityMoment, MobilityTest, SorenessCheckIn, SorenessMoment

BETWEEN_LEGS_CM = SPECS[SplitOutcome.KNEE_TO_WALL].threshold
BETWEEN_LEGS_SOURCES = SPECS[SplitOutcome.KNEE_TO_WALL].threshold_sources


@dataclass(frozen=True, slots=True)
class Line:
    """One series: a label and one value per day (the mean when a day has several)."""

    label: str
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True, slots=True)
class MeasureChart:
    """One leg's measure over the period; ``band`` is ``(low, high)`` around ``baseline``."""

    key: str
    title: str
    leg: Leg
    unit: str
    y_range: tuple[float, float]
    lines: tuple[Line, ...]
    baseline: float | None
    band: tuple[float, float] | None
    band_note: str
    sources: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not any(line.points for line in self.lines)


SORENESS_NOTE = (
    f"Shaded: within {SORENESS_THRESHOLD:g} points of the first rating before a session, the "
    "smallest change in muscle soreness judged to matter (Ranchordas 2017)."
)
MOBILITY_NOTE = (
    f"Shaded: within {MOBILITY_MDC_CM:g} cm of the first test, the smallest real change when "
    "one person measures (Powden 2015); tests at home are likely noisier."
)


def _daily(items: Iterable[tuple[date, float]]) -> tuple[tuple[date, float], ...]:
    by_day: dict[date, list[float]] = defaultdict(list)
    for day, value in items:
        by_day[day].append(value)
    return tuple((d, round(sum(v) / len(v), 2)) for d, v in sorted(by_day.items()))


def _chart(
    key: str, title: str, leg: Leg, unit: str, lines: Sequence[Line], **kw: Any
) -> MeasureChart:
    first = lines[0].points[0][1] if lines[0].points else None
    half = kw.pop("half")
    band = None if first is None else (first - half, first + half)
    return MeasureChart(key, title, leg, unit, lines=tuple(lines), baseline=first, band=band, **kw)


def soreness_charts(items: Iterable[Logged[SorenessCheckIn]]) -> tuple[MeasureChart, ...]:
    """Per calf: soreness before each session, and the next day."""
    records = [i.record for i in items]
    charts = []
    for leg in Leg:
        mine = [r for r in records if r.leg is leg]
        lines = [
            Line(label, _daily((r.day, float(r.score)) for r in mine if r.moment is moment))
            for moment, label in (
                (SorenessMoment.BEFORE, "before"),
                (SorenessMoment.NEXT_DAY, "next day"),
            )
        ]
        charts.append(
            _chart(
                f"soreness-{leg.value}", f"Soreness, {leg.value} calf (0-10)", leg, "points",
                lines, y_range=(0.0, 10.0), half=SORENESS_THRESHOLD, band_note=SORENESS_NOTE,
                sources=("ranchordas-2017",),
            )
        )  # fmt: skip
    return tuple(charts)


def mobility_charts(items: Iterable[Logged[MobilityTest]]) -> tuple[MeasureChart, ...]:
    """Per leg: knee-to-wall before a session (or on a day without one), and right after."""
    records = [i.record for i in items]
    values = [r.distance_cm for r in records]
    low = max(0.0, float(int(min(values, default=5.0))) - 3)
    high = float(int(max(values, default=12.0))) + 3
    charts = []
    for leg in Leg:
        mine = [r for r in records if r.leg is leg]
        rest = [(r.day, r.distance_cm) for r in mine if r.moment is not MobilityMoment.AFTER]
        after = [(r.day, r.distance_cm) for r in mine if r.moment is MobilityMoment.AFTER]
        lines = [Line("before, or no session", _daily(rest))]
        lines.append(Line("just after a session", _daily(after)))
        charts.append(
            _chart(
                f"knee-to-wall-{leg.value}", f"Knee-to-wall, {leg.value} leg (cm)", leg, "cm",
                lines, y_range=(low, high), half=MOBILITY_MDC_CM, band_note=MOBILITY_NOTE,
                sources=("powden-2015",),
            )
        )  # fmt: skip
    return tuple(charts)


def between_legs(items: Iterable[Logged[MobilityTest]]) -> tuple[date, float, float] | None:
    """The last day both legs were tested (not right after a session): day, left, right."""
    by_day: dict[date, dict[Leg, list[float]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        r = item.record
        if r.moment is not MobilityMoment.AFTER:
            by_day[r.day][r.leg].append(r.distance_cm)
    both = [d for d, legs in by_day.items() if len(legs) == 2]
    if not both:
        return None
    day = max(both)
    left, right = (sum(by_day[day][leg]) / len(by_day[day][leg]) for leg in Leg)
    return day, round(left, 1), round(right, 1)
