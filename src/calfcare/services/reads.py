"""Reads of the records: a snapshot of them, and the summary numbers (`Stats`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from calfcare.core.levels import Leg, Level
from calfcare.core.records import RecordSet, ScreeningKind
from calfcare.core.session_effort import mostly_skipped
from calfcare.storage import Store

# -- the records, read -------------------------------------------------------------------


def load_records(
    store: Store,
    since: date | None = None,
    until: date | None = None,
    *,
    kinds: Sequence[str] | None = None,
) -> RecordSet:
    """Every record between two days (inclusive; None is open), in one read-only snapshot;
    with ``kinds`` (names of `RecordSet` fields) only those kinds, the others left empty."""
    with store.reading() as tx:
        return tx.records(since, until, kinds=kinds)


INSIGHT_KINDS = ("sessions", "soreness", "mobility", "split_leg_days", "split_leg_experiments")
"""The kinds of record `calfcare.core.insight_report.analyse_records` reads."""


# -- stats -----------------------------------------------------------------------------------


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


def stats(records: RecordSet) -> Stats:
    """Counts, sessions per ISO week, mean soreness per calf and moment, knee-to-wall first,
    latest and change per leg, where the tender spots were. Pure: no store needed."""
    days = [r.day for r in records.sessions] + [i.record.day for i in records.soreness]
    days += [i.record.day for i in records.mobility] + [n.day for n in records.notes]
    weeks: Counter[str] = Counter()
    for s in records.sessions:
        if s.done:  # a mostly skipped session is kept, not counted (core/session_effort.py)
            year, week, _ = s.day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item in records.soreness:
        scores[item.record.leg.value][item.record.moment.value].append(item.record.score)
    mobility: dict[str, dict[str, float]] = {}
    for leg in Leg:
        tests = [i.record for i in records.mobility if i.record.leg is leg]
        if tests:
            first, last = tests[0].distance_cm, tests[-1].distance_cm
            mobility[leg.value] = {
                "first_cm": first,
                "latest_cm": last,
                "change_cm": round(last - first, 1),
                "tests": len(tests),
            }
    spots = Counter(t.label for s in records.sessions for t in s.tender_spots)
    return Stats(
        counts=records.counts(),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        sessions_per_week=dict(sorted(weeks.items())),
        soreness_mean={
            leg: {m: round(sum(v) / len(v), 2) for m, v in sorted(by.items())}
            for leg, by in sorted(scores.items())
        },
        mobility=mobility,
        tender_spots=dict(spots.most_common()),
        urgent_followups=sum(
            1
            for r in records.screenings
            if r.kind is ScreeningKind.FOLLOW_UP and r.verdict >= Level.URGENT
        ),
        mostly_skipped_sessions=sum(s.mostly_skipped for s in records.sessions),
    )


def read_stats(store: Store, since: date | None = None, until: date | None = None) -> Stats:
    """`stats` of the records between two days, read as a few aggregates in one snapshot
    instead of loading every record (the first read after a write on five years took
    0.18 s): counts, sums and spans in SQL, only session days, spot labels, screening
    verdicts and each leg's first and last knee-to-wall day as rows. The same `Stats`
    `stats(load_records(store, since, until))` gives (a test compares them)."""
    with store.reading() as tx:
        counts = tx.counts(since, until)
        span = tx.day_range(("sessions", "soreness", "mobility", "notes"), since, until)
        session_days = tx.session_days(since, until)
        soreness = tx.soreness_totals(since, until)
        tests, ends = tx.mobility_ends(since, until)
        spots = Counter(tx.tender_spot_labels(since, until))
        verdicts = tx.screening_verdicts(since, until)
    weeks: Counter[str] = Counter()
    for day, calves in session_days:
        if not mostly_skipped(calves):
            year, week, _ = day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
    by_leg: dict[str, dict[str, float]] = defaultdict(dict)
    for (leg, moment), (total, n) in sorted(soreness.items()):
        by_leg[leg][moment] = round(total / n, 2)
    ordered = sorted(ends, key=lambda i: (i.record.day, i.recorded_at, i.id))
    mobility: dict[str, dict[str, float]] = {}
    for leg in Leg:
        own = [i.record for i in ordered if i.record.leg is leg]
        if own:
            first, last = own[0].distance_cm, own[-1].distance_cm
            mobility[leg.value] = {
                "first_cm": first,
                "latest_cm": last,
                "change_cm": round(last - first, 1),
                "tests": tests[leg.value],
            }
    return Stats(
        counts=counts,
        first_day=None if span is None else span[0],
        last_day=None if span is None else span[1],
        sessions_per_week=dict(sorted(weeks.items())),
        soreness_mean=dict(by_leg),
        mobility=mobility,
        tender_spots=dict(spots.most_common()),
        urgent_followups=sum(
            1
            for kind, verdict in verdicts
            if kind is ScreeningKind.FOLLOW_UP and verdict >= Level.URGENT
        ),
        mostly_skipped_sessions=sum(mostly_skipped(calves) for _, calves in session_days),
    )


__all__ = ["INSIGHT_KINDS", "Stats", "load_records", "read_stats", "stats"]
