"""Reads of the records: a snapshot of them, and the summary numbers (`Stats`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from calfcare.core.records import RecordSet
from calfcare.core.session_effort import mostly_skipped
from calfcare.core.stats import Stats, StatsAggregates, stats, stats_from
from calfcare.storage import Store

if TYPE_CHECKING:  # the CLI's reads need no clinic module
    from calfcare.storage.clinic import Prescribed

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


@dataclass(frozen=True, slots=True)
class PageReads:
    """What a page shows, read in one snapshot (`page_reads`)."""

    records: RecordSet
    """The kinds asked for, between the two days."""
    safety: RecordSet | None
    """The safety state's records (`Transaction.safety_records`), or None: not asked for."""
    prescription: Prescribed | None
    """The person's prescription in force (None: none, or not asked for)."""


def page_reads(
    store: Store,
    since: date | None,
    until: date | None,
    *,
    kinds: Sequence[str],
    safety: bool = False,
    prescription: bool = False,
) -> PageReads:
    """The records of ``kinds`` between two days and, when asked, the safety state's records
    and the prescription in force, in ONE read-only transaction: a page that shows all three
    (the home page) pays one ``BEGIN``/``COMMIT``, not one per part."""
    with store.reading() as tx:
        records = tx.records(since, until, kinds=kinds)
        safe = tx.safety_records() if safety else None
        found = tx.prescription() if prescription else None
    return PageReads(records, safe, found)


INSIGHT_KINDS = ("sessions", "soreness", "mobility", "split_leg_days", "split_leg_experiments")
"""The kinds of record `calfcare.core.insight_report.analyse_records` reads."""


# -- stats -----------------------------------------------------------------------------------


def read_stats(store: Store, since: date | None = None, until: date | None = None) -> Stats:
    """`Stats` of the records between two days, from a few aggregates read in one snapshot
    instead of loading every record (the first read after a write on five years took
    0.18 s): counts, sums and spans in SQL, only session days, spot labels, screening
    verdicts and each leg's first and last knee-to-wall test as rows. The numbers are
    `calfcare.core.stats.stats_from`'s, as `stats(load_records(store, since, until))`'s
    are (a test compares the two sources)."""
    with store.reading() as tx:
        counts = tx.counts(since, until)
        span = tx.day_range(("sessions", "soreness", "mobility", "notes"), since, until)
        session_days = tx.session_days(since, until)
        soreness = tx.soreness_totals(since, until)
        tests, ends = tx.mobility_ends(since, until)
        spots = tx.tender_spot_labels(since, until)
        verdicts = tx.screening_verdicts(since, until)
    return stats_from(
        StatsAggregates(
            counts=counts,
            span=span,
            sessions=[(day, mostly_skipped(calves)) for day, calves in session_days],
            soreness_totals=soreness,
            mobility_tests=tests,
            mobility_ends=sorted(ends, key=lambda i: (i.record.day, i.recorded_at, i.id)),
            tender_spot_labels=spots,
            screening_verdicts=verdicts,
        )
    )


__all__ = ["INSIGHT_KINDS", "Stats", "load_records", "read_stats", "stats"]
