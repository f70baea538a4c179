"""A transaction's summaries: counts, spans and the few values `calfcare.services.read_stats`
needs, computed in SQL instead of by loading every record."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import false, func, select

from calfcare.core.levels import Level
from calfcare.core.records import Logged, ScreeningKind
from calfcare.core.tracking import MobilityTest
from calfcare.storage import convert
from calfcare.storage.queries import (
    RECORD_KINDS,
    TABLES,
    TransactionBase,
    as_day,
    select_columns,
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
        row = (
            self._session.connection()
            .execute(select(*(self._count(name, since, until, leg) for name in wanted)))
            .one()
        )
        return {name: int(n or 0) for name, n in zip(wanted, row, strict=True)}

    def _count(self, name: str, since: date | None, until: date | None, leg: str | None) -> Any:
        table = TABLES[name]
        query = self._when(select(func.count()).select_from(table), name, since, until)
        if leg is not None:
            if name == "sessions":
                calves = TABLES["session_calves"]
                query = query.where(
                    select(calves.c.session_id)
                    .where(calves.c.session_id == table.c.id, calves.c.leg == leg)
                    .exists()
                )
            elif name in ("soreness", "mobility", "pain_checks"):
                query = query.where(table.c.leg == leg)
            elif name == "split_leg_days":
                query = query.where(table.c.massaged == leg)
            else:
                query = query.where(false())
        return query.scalar_subquery()

    def day_range(
        self,
        kinds: Collection[str] = RECORD_KINDS,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[date, date] | None:
        """The first and last day with a record of ``kinds`` between two days (inclusive;
        None is open; screenings count by their UTC day, as `screenings` filters them), or
        None when there is none; in one query."""
        firsts, lasts = [], []
        for name in kinds:
            table = TABLES[name]
            column = table.c.taken_at if name == "screenings" else table.c.day
            firsts.append(
                self._when(select(func.min(column)), name, since, until).scalar_subquery()
            )
            lasts.append(self._when(select(func.max(column)), name, since, until).scalar_subquery())
        row = self._session.connection().execute(select(*firsts, *lasts)).one()
        starts = [as_day(v) for v in row[: len(firsts)] if v is not None]
        ends = [as_day(v) for v in row[len(firsts) :] if v is not None]
        return (min(starts), max(ends)) if starts else None

    # -- the few values a summary needs (`calfcare.services.read_stats`) -------------------

    def session_days(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[date, list[tuple[int | None, float]]]]:
        """Each session's day and its calves' ``(planned, active)`` seconds (one item per
        session, any order): what `calfcare.core.session_effort` needs to tell a session
        done from a mostly skipped one."""
        table, calves = TABLES["sessions"], TABLES["session_calves"]
        query = self._days(
            select(table.c.id, table.c.day, calves.c.planned_seconds, calves.c.active_seconds)
            .join(calves, calves.c.session_id == table.c.id)
            .order_by(table.c.id, calves.c.position),
            table,
            since,
            until,
        )
        out: dict[str, tuple[date, list[tuple[int | None, float]]]] = {}
        for id_, day, planned, active in self._rows(query):
            out.setdefault(id_, (as_day(day), []))[1].append((planned, float(active)))
        return list(out.values())

    def soreness_totals(
        self, since: date | None = None, until: date | None = None
    ) -> dict[tuple[str, str], tuple[int, int]]:
        """``(leg, moment) -> (sum of scores, number of check-ins)``, summed in SQL."""
        table = TABLES["soreness"]
        query = self._days(
            select(table.c.leg, table.c.moment, func.sum(table.c.score), func.count()),
            table,
            since,
            until,
        ).group_by(table.c.leg, table.c.moment)
        return {(leg, moment): (int(total), int(n)) for leg, moment, total, n in self._rows(query)}

    def mobility_ends(
        self, since: date | None = None, until: date | None = None
    ) -> tuple[dict[str, int], list[Logged[MobilityTest]]]:
        """Per leg, how many knee-to-wall tests, and the tests of each leg's first and last
        day (in any order): the canonical first and latest test are among them, picked in
        Python because SQLite and PostgreSQL order ids differently."""
        table = TABLES["mobility"]
        spans = self._rows(
            self._days(
                select(table.c.leg, func.count(), func.min(table.c.day), func.max(table.c.day)),
                table,
                since,
                until,
            ).group_by(table.c.leg)
        )
        items: list[Logged[MobilityTest]] = []
        for leg, _, first, last in spans:
            query = select_columns(table, convert.MOBILITY_COLUMNS).where(
                table.c.leg == leg, table.c.day.in_({first, last}), self._mine(table)
            )
            items += convert.mobility_items(self._rows(query))
        return {leg: int(n) for leg, n, _, _ in spans}, items

    def tender_spot_labels(self, since: date | None = None, until: date | None = None) -> list[str]:
        """Every tender spot's label (``leg:height:side``), in the canonical order of the
        sessions and then their own order."""
        sessions, spots = TABLES["sessions"], TABLES["tender_spots"]
        query = self._days(
            select(
                sessions.c.day,
                sessions.c.started_at,
                sessions.c.id,
                spots.c.position,
                spots.c.leg,
                spots.c.height,
                spots.c.side,
            ).join(spots, spots.c.session_id == sessions.c.id),
            sessions,
            since,
            until,
        )
        rows = sorted(
            self._rows(query),
            key=lambda r: (as_day(r[0]), convert.from_db(r[1]), r[2], r[3]),
        )
        return [f"{leg}:{height}:{side}" for *_, leg, height, side in rows]

    def screening_verdicts(
        self, since: date | None = None, until: date | None = None
    ) -> list[tuple[ScreeningKind, Level]]:
        """Each screening's kind and verdict (any order), filtered as `screenings` is."""
        table = TABLES["screenings"]
        query = self._when(select(table.c.kind, table.c.verdict), "screenings", since, until)
        return [
            (convert.SCREENING_KINDS[kind], convert.LEVELS[verdict])
            for kind, verdict in self._rows(query)
        ]
