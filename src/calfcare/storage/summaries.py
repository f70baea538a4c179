"""A transaction's summaries: counts, spans and the few values `calfcare.services.read_stats`
needs, computed in SQL instead of by loading every record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from calfcare.core.levels import Level
from calfcare.core.records import Logged, ScreeningKind
from calfcare.core.tracking import MobilityTest
from calfcare.storage import convert, statements
from calfcare.storage.queries import (
    RECORD_KINDS,
    TransactionBase,
    as_day,
)


class Summaries(TransactionBase):
    """The counts and aggregates of a `Transaction`."""

    def counts(
        self,
        since: date | None = None,
        until: date | None = None,
        *,
        kinds: Collection[str] = RECORD_KINDS,
        leg: str | None = None,
    ) -> dict[str, int]:
        """How many records of each of ``kinds`` (the keys of `RecordSet.counts`, in its
        order) between two days, in one query, counted as `records` would read them: a
        history page's total without loading every row.

        With ``leg`` (``left``/``right``) only records about that calf: a session that
        massaged it, its check-ins and knee-to-wall tests, a split-leg day that chose it.
        Notes and screenings are about neither calf, so they count 0 (as history rows
        filtered by calf leave them out)."""
        wanted = [name for name in RECORD_KINDS if name in kinds]
        if not wanted:
            return {}
        values = statements.span(since, until)
        (row,) = self._run(statements.counts(tuple(wanted), frozenset(values), leg), values)
        return {name: int(n or 0) for name, n in zip(wanted, row, strict=True)}

    def day_range(
        self,
        kinds: Collection[str] = RECORD_KINDS,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[date, date] | None:
        """The first and last day with a record of ``kinds`` between two days (inclusive;
        None is open; screenings count by their UTC day, as `screenings` filters them), or
        None when there is none; in one query."""
        names = tuple(kinds)
        values = statements.span(since, until)
        (row,) = self._run(statements.day_range(names, frozenset(values)), values)
        starts = [as_day(v) for v in row[: len(names)] if v is not None]
        ends = [as_day(v) for v in row[len(names) :] if v is not None]
        return (min(starts), max(ends)) if starts else None

    # -- the few values a summary needs (`calfcare.services.read_stats`) -------------------

    def session_days(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[date, list[tuple[int | None, float]]]]:
        """Each session's day and its calves' ``(planned, active)`` seconds (one item per
        session, any order): what `calfcare.core.session_effort` needs to tell a session
        done from a mostly skipped one."""
        values = statements.span(since, until)
        query = statements.session_days(frozenset(values))
        out: dict[str, tuple[date, list[tuple[int | None, float]]]] = {}
        for id_, day, planned, active in self._run(query, values):
            out.setdefault(id_, (as_day(day), []))[1].append((planned, float(active)))
        return list(out.values())

    def soreness_totals(
        self, since: date | None = None, until: date | None = None
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """``(leg, moment) -> (sum of scores, number of check-ins)``, summed in SQL."""
        values = statements.span(since, until)
        rows = self._run(statements.soreness_totals(frozenset(values)), values)
        return {(leg, moment): (int(total), int(n)) for leg, moment, total, n in rows}

    def mobility_ends(
        self, since: date | None = None, until: date | None = None
    ) -> tuple[dict[str, int], list[Logged[MobilityTest]]]:
        """Per leg, how many knee-to-wall tests, and the tests of each leg's first and last
        day (in any order): the canonical first and latest test are among them, picked in
        Python because SQLite and PostgreSQL order ids differently."""
        values = statements.span(since, until)
        spans = self._run(statements.mobility_spans(frozenset(values)), values)
        items: list[Logged[MobilityTest]] = []
        on_days = statements.mobility_on_days(convert.MOBILITY_COLUMNS)
        for leg, _, first, last in spans:
            rows = self._run(on_days, {"leg": leg, "days": sorted({first, last})})
            items += convert.mobility_items(rows)
        return {leg: int(n) for leg, n, _, _ in spans}, items

    def tender_spot_labels(self, since: date | None = None, until: date | None = None) -> list[str]:
        """Every tender spot's label (``leg:height:side``), in the canonical order of the
        sessions and then their own order."""
        values = statements.span(since, until)
        rows = sorted(
            self._run(statements.tender_spots(frozenset(values)), values),
            key=lambda r: (as_day(r[0]), convert.from_db(r[1]), r[2], r[3]),
        )
        return [f"{leg}:{height}:{side}" for *_, leg, height, side in rows]

    def screening_verdicts(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[ScreeningKind, Level]]:
        """Each screening's kind and verdict (any order), filtered as `screenings` is."""
        values = statements.span(since, until)
        rows = self._run(statements.screening_verdicts(frozenset(values)), values)
        return [(convert.SCREENING_KINDS[kind], convert.LEVELS[verdict]) for kind, verdict in rows]
