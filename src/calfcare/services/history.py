"""History reads: the newest history rows for a filter set, and the one-page report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from calfcare.services.common import today_of
from calfcare.services.safety import safety_records
from calfcare.storage import Store

if TYPE_CHECKING:
    from calfcare.core.period_report import PeriodReport

# -- history rows, newest first (the history page and ``limit``) ----------------------------


@dataclass(frozen=True, slots=True)
class HistoryRows:
    """The newest history rows for a filter set, and how many rows match in all."""

    rows: list[dict[str, Any]]
    """The last rows (oldest first), as `calfcare.core.record_views.history_rows` gives them."""
    total: int | None
    """How many rows match the filters (None when not asked for)."""


def newest_history_rows(
    store: Store,
    since: date | None,
    until: date | None,
    kinds: set[str],
    leg: str | None,
    count: int | None,
    *,
    total: bool = False,
) -> HistoryRows:
    """The last ``count`` history rows (every row when None), exactly as the tail of
    `history_rows` over `load_records`, but reading only the newest days they need.

    Five years are 22,000 rows and a page shows 50: loading them all made the first read
    after a write take 0.3 s. So the read starts with a window of recent days sized from
    the rows per day, and doubles it until it holds ``count`` rows or reaches the first
    stored day, all in one snapshot. A window starting on day *W* reads every record with a
    stored day from *W* on; a screening's row shows its local day, which is at most one day
    from the UTC day it is stored by, so the rows shown on days after *W* are exactly all
    the rows on those days, and they come last in the order. ``total`` counts the matching
    rows in SQL (`Transaction.counts`, the calf filter included) instead of loading them."""
    from calfcare.core.record_views import history_rows, record_kinds

    wanted = record_kinds(kinds)
    with store.reading() as tx:
        matching = sum(tx.counts(since, until, kinds=wanted, leg=leg).values()) if total else None
        if count is None or (matching is not None and count >= matching):
            rows = history_rows(tx.records(since, until, kinds=wanted), kinds, leg)
            return HistoryRows(rows[-count:] if count else rows, matching)
        span = tx.day_range(wanted, since, until)
        if span is None:
            return HistoryRows([], matching)
        first, last = span
        stored = matching if leg is None and matching is not None else None
        if stored is None:
            stored = sum(tx.counts(since, until, kinds=wanted).values())
        days = (last - first).days + 1
        width = 1 + (count * days * 5) // (4 * max(stored, 1))
        while True:
            if width >= (last - first).days:  # the window holds every day: read them all
                rows = history_rows(tx.records(since, until, kinds=wanted), kinds, leg)
                return HistoryRows(rows[-count:], matching)
            start = last - timedelta(days=width)
            after = start.isoformat()
            rows = [
                row
                for row in history_rows(tx.records(start, until, kinds=wanted), kinds, leg)
                if row["day"] > after
            ]
            if len(rows) >= count:
                return HistoryRows(rows[-count:], matching)
            width *= 2


# -- the one-page report (issue 17) ----------------------------------------------------------

REPORT_KINDS = ("screenings", "sessions", "soreness", "mobility")
"""The kinds of record the one-page report reads for its period (`calfcare.core.period_report`);
the split-leg experiments and coins are read whole."""


def period_report(
    store: Store,
    *,
    since: date | None,
    until: date | None,
    name: object = None,
    now: datetime,
) -> PeriodReport:
    """The one-page report for a period (default: the 28 days up to today). The name or
    alias is only printed, never stored. A day of margin is read on both sides because the
    store files screenings by UTC day and the report by the person's. The split-leg
    experiments that ran in the period are analysed whole, so the days of their coins are
    read too (`calfcare.core.report_split_leg.split_leg_span`). With a prescription in force
    (a clinician's, `services.prescription_of`), the sessions of its weeks that overlap the
    period are read whole, for the sessions done against it."""
    from calfcare.core.period_report import build_report
    from calfcare.core.report_period import clean_name, period_of
    from calfcare.core.report_split_leg import split_leg_span
    from calfcare.services.clinic import prescription_of

    today = today_of(now)
    first, last = period_of(since, until, today=today)
    person = clean_name(name)
    zone = now.astimezone().tzinfo
    assert zone is not None
    margin = timedelta(days=1)
    found = prescription_of(store, store.person_id)
    week = timedelta(days=6)
    with store.reading() as tx:
        experiments = tuple(tx.split_leg_experiments())
        coins = tuple(tx.split_leg_days())
        span = split_leg_span(experiments, coins, first, last, zone=zone)
        low, high = first - margin, last + margin
        if span is not None:
            low, high = min(low, span[0]), max(high, span[1])
        records = tx.records(low, high, kinds=REPORT_KINDS)
        safety = safety_records(tx)
        prescribed = () if found is None else tx.sessions(first - week, last + week)
    records = dataclasses.replace(records, split_leg_days=coins, split_leg_experiments=experiments)
    return build_report(
        records, first, last, person, zone=zone, today=today, safety_records=safety,
        prescription=None if found is None else found.prescription,
        prescribed_sessions=prescribed,
    )  # fmt: skip
