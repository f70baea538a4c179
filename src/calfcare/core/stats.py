"""The summary numbers (`calfcare stats`, the web app's overview), defined once.

`Stats` is made by `stats_from` out of a few aggregates (`StatsAggregates`): counts, the
span of days, each session's day and whether it was mostly skipped, soreness sums, each
leg's first and latest knee-to-wall test, tender-spot labels and screening verdicts. Two
sources feed it: the database (`calfcare.services.reads.read_stats`, the aggregates in
SQL, so five years are not loaded) and records in memory (`aggregates_of`). A test keeps
the two sources equal. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcare.core.levels import Leg, Level
from calfcare.core.records import Logged, RecordSet, ScreeningKind
from calfcare.core.tracking import MobilityTest


@dataclass(frozen=True, slots=True)
class Stats:
    """A summary for `calfcare stats` and the web app's overview."""

    counts: dict[str, int]
    first_day: date | None
    last_day: date | None
    sessions_per_week: dict[str, int]
    """Sessions done per ISO week: a mostly skipped session is not counted
    (`calfcare.core.session_effort`; ``mostly_skipped_sessions`` counts those)."""
    soreness_mean: dict[str, dict[str, float]]
    mobility: dict[str, dict[str, float]]
    tender_spots: dict[str, int]
    urgent_followups: int
    mostly_skipped_sessions: int = 0

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["first_day"] = self.first_day.isoformat() if self.first_day else None
        out["last_day"] = self.last_day.isoformat() if self.last_day else None
        return out


@dataclass(frozen=True, slots=True)
class StatsAggregates:
    """What `Stats` is computed from, however it was gathered."""

    counts: dict[str, int]
    """Records per kind (`RecordSet.counts`)."""
    span: tuple[date, date] | None
    """The first and last day of any session, check-in, knee-to-wall test or note."""
    sessions: Sequence[tuple[date, bool]]
    """Each session's day, and whether it was mostly skipped."""
    soreness_totals: Mapping[tuple[str, str], tuple[int, int]]
    """(leg, moment) → (sum of the ratings, how many)."""
    mobility_tests: Mapping[str, int]
    """Knee-to-wall tests per leg."""
    mobility_ends: Sequence[Logged[MobilityTest]]
    """Tests in their canonical order, holding at least each leg's first and latest."""
    tender_spot_labels: Sequence[str]
    """One label per tender spot noted in a session."""
    screening_verdicts: Sequence[tuple[ScreeningKind, Level]]
    """Each screening's and follow-up's kind and verdict."""


def stats_from(agg: StatsAggregates) -> Stats:
    """Counts, sessions per ISO week, mean soreness per calf and moment, knee-to-wall first,
    latest and change per leg, where the tender spots were."""
    weeks: Counter[str] = Counter()
    for day, skipped in agg.sessions:
        if not skipped:  # a mostly skipped session is kept, not counted (core/session_effort.py)
            year, week, _ = day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
    soreness: dict[str, dict[str, float]] = defaultdict(dict)
    for (leg, moment), (total, n) in sorted(agg.soreness_totals.items()):
        soreness[leg][moment] = round(total / n, 2)
    mobility: dict[str, dict[str, float]] = {}
    for leg in Leg:
        own = [i.record for i in agg.mobility_ends if i.record.leg is leg]
        if own:
            first, last = own[0].distance_cm, own[-1].distance_cm
            mobility[leg.value] = {
                "first_cm": first,
                "latest_cm": last,
                "change_cm": round(last - first, 1),
                "tests": agg.mobility_tests[leg.value],
            }
    spots = Counter(agg.tender_spot_labels)
    return Stats(
        counts=dict(agg.counts),
        first_day=None if agg.span is None else agg.span[0],
        last_day=None if agg.span is None else agg.span[1],
        sessions_per_week=dict(sorted(weeks.items())),
        soreness_mean=dict(soreness),
        mobility=mobility,
        tender_spots=dict(spots.most_common()),
        urgent_followups=sum(
            1
            for kind, verdict in agg.screening_verdicts
            if kind is ScreeningKind.FOLLOW_UP and verdict >= Level.URGENT
        ),
        mostly_skipped_sessions=sum(skipped for _, skipped in agg.sessions),
    )


def aggregates_of(records: RecordSet) -> StatsAggregates:
    """The aggregates of records in memory (what the database gives `read_stats` in SQL)."""
    days = [r.day for r in records.sessions] + [i.record.day for i in records.soreness]
    days += [i.record.day for i in records.mobility] + [n.day for n in records.notes]
    totals: dict[tuple[str, str], tuple[int, int]] = {}
    for item in records.soreness:
        key = (item.record.leg.value, item.record.moment.value)
        total, n = totals.get(key, (0, 0))
        totals[key] = (total + item.record.score, n + 1)
    return StatsAggregates(
        counts=records.counts(),
        span=(min(days), max(days)) if days else None,
        sessions=[(s.day, s.mostly_skipped) for s in records.sessions],
        soreness_totals=totals,
        mobility_tests=Counter(i.record.leg.value for i in records.mobility),
        mobility_ends=records.mobility,
        tender_spot_labels=[t.label for s in records.sessions for t in s.tender_spots],
        screening_verdicts=[(r.kind, r.verdict) for r in records.screenings],
    )


def stats(records: RecordSet) -> Stats:
    """`Stats` of records in memory. Pure: no store needed."""
    return stats_from(aggregates_of(records))


__all__ = ["Stats", "StatsAggregates", "aggregates_of", "stats", "stats_from"]
