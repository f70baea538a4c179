"""The hot reads' statements, built once per shape with bound parameters.

Building a SQLAlchemy select and its cache key costs more than running it: a select of one
person's knee-to-wall tests took about 150 µs of CPU built afresh, 65 µs built once and run
with new values (docs/performance.md, "Many people"). A server answers every read after a
write with 5 to 17 of them, so the statements here are made once per *shape* (which table,
which columns, which bounds are given) by cached functions, and every value (the person,
the days) is a bound parameter, given when the statement runs (`TransactionBase._run`).

Parameter names: ``person``; ``since_day``/``until_day`` for the ``day`` columns and
``since_at``/``until_at`` for screenings, which have a time, not a day, and are filtered on
whole UTC days (``taken_at`` from the start of ``since``'s UTC day to before the start of
the day after ``until``'s); `span` gives the values and `Span` names the bounds present.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    Table,
    bindparam,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql import CompoundSelect, Select

from calfcare.core.days import day_end_utc, day_start_utc
from calfcare.storage import convert
from calfcare.storage.queries import OWNED, TABLES, select_columns

Span = frozenset[str]
"""The bound parameters of a span that are given (a shape, part of the cache keys)."""


def span(since: date | None, until: date | None) -> dict[str, Any]:
    """The bound values of a span of days (inclusive; None is open): for ``day`` columns and
    for screenings' times (the start of ``since``'s UTC day, the start of the day after
    ``until``'s, none past the calendar's last day)."""
    values: dict[str, Any] = {}
    if since is not None:
        values["since_day"] = since
        values["since_at"] = day_start_utc(since)
    if until is not None:
        values["until_day"] = until
        end = day_end_utc(until)
        if end is not None:
            values["until_at"] = end
    return values


def mine(table: Table) -> Any:
    return table.c.person_id == bindparam("person")


def within(query: Select[Any], name: str, given: Span) -> Select[Any]:
    """``query`` on the person's rows of table ``name`` within the span (``given``)."""
    table = TABLES[name]
    if name == "screenings":
        if "since_at" in given:
            query = query.where(table.c.taken_at >= bindparam("since_at"))
        if "until_at" in given:
            query = query.where(table.c.taken_at < bindparam("until_at"))
    else:
        if "since_day" in given:
            query = query.where(table.c.day >= bindparam("since_day"))
        if "until_day" in given:
            query = query.where(table.c.day <= bindparam("until_day"))
    return query.where(mine(table))


@cache
def kind_rows(name: str, columns: tuple[str, ...], given: Span) -> Select[Any]:
    """``columns`` of the person's rows of ``name`` within the span."""
    return within(select_columns(TABLES[name], columns), name, given)


@cache
def session_parts(name: str, columns: tuple[str, ...], given: Span) -> Select[Any]:
    """``columns`` of a session part table (``name``) for the person's sessions in the span."""
    sessions = TABLES["sessions"]
    ids = within(select(sessions.c.id), "sessions", given).scalar_subquery()
    return select_columns(TABLES[name], columns).where(TABLES[name].c.session_id.in_(ids))


@cache
def stopped_parts(name: str, columns: tuple[str, ...], outcome: str) -> Select[Any]:
    """``columns`` of a session part table for the person's sessions with ``outcome``."""
    sessions = TABLES["sessions"]
    ids = select(sessions.c.id).where(sessions.c.outcome == outcome, mine(sessions))
    return select_columns(TABLES[name], columns).where(
        TABLES[name].c.session_id.in_(ids.scalar_subquery())
    )


@cache
def counts(names: tuple[str, ...], given: Span, leg: str | None) -> Select[Any]:
    """One row: how many of the person's records of each of ``names`` within the span (with
    ``leg``, about that calf only: `Summaries.counts`)."""
    return select(*(_count(name, given, leg) for name in names))


def _count(name: str, given: Span, leg: str | None) -> Any:
    table = TABLES[name]
    query = within(select(func.count()).select_from(table), name, given)
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


@cache
def day_range(names: tuple[str, ...], given: Span) -> Select[Any]:
    """One row: the first day (or time, for screenings) of each of ``names`` within the
    span, then the last of each."""
    firsts, lasts = [], []
    for name in names:
        table = TABLES[name]
        column = table.c.taken_at if name == "screenings" else table.c.day
        firsts.append(within(select(func.min(column)), name, given).scalar_subquery())
        lasts.append(within(select(func.max(column)), name, given).scalar_subquery())
    return select(*firsts, *lasts)


# -- the few values a summary needs (`Summaries`) ---------------------------------------------


@cache
def session_days(given: Span) -> Select[Any]:
    table, calves = TABLES["sessions"], TABLES["session_calves"]
    query = (
        select(table.c.id, table.c.day, calves.c.planned_seconds, calves.c.active_seconds)
        .join(calves, calves.c.session_id == table.c.id)
        .order_by(table.c.id, calves.c.position)
    )
    return within(query, "sessions", given)


@cache
def soreness_totals(given: Span) -> Select[Any]:
    table = TABLES["soreness"]
    query = select(table.c.leg, table.c.moment, func.sum(table.c.score), func.count())
    return within(query, "soreness", given).group_by(table.c.leg, table.c.moment)


@cache
def mobility_spans(given: Span) -> Select[Any]:
    table = TABLES["mobility"]
    query = select(table.c.leg, func.count(), func.min(table.c.day), func.max(table.c.day))
    return within(query, "mobility", given).group_by(table.c.leg)


@cache
def mobility_on_days(columns: tuple[str, ...]) -> Select[Any]:
    """The person's tests of one leg (``leg``) on some days (``days``, a list)."""
    table = TABLES["mobility"]
    return select_columns(table, columns).where(
        table.c.leg == bindparam("leg"),
        table.c.day.in_(bindparam("days", expanding=True)),
        mine(table),
    )


@cache
def tender_spots(given: Span) -> Select[Any]:
    sessions, spots = TABLES["sessions"], TABLES["tender_spots"]
    query = select(
        sessions.c.day,
        sessions.c.started_at,
        sessions.c.id,
        spots.c.position,
        spots.c.leg,
        spots.c.height,
        spots.c.side,
    ).join(spots, spots.c.session_id == sessions.c.id)
    return within(query, "sessions", given)


@cache
def screening_verdicts(given: Span) -> Select[Any]:
    table = TABLES["screenings"]
    return within(select(table.c.kind, table.c.verdict), "screenings", given)


# -- the safety state's records, in one statement (`Reads.safety_records`) --------------------

SAFETY_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("screenings", convert.SCREENING_COLUMNS),
    ("clearances", convert.CLEARANCE_COLUMNS),
    ("pain_checks", convert.PAIN_CHECK_COLUMNS),
    ("sessions", convert.SESSION_COLUMNS),
    ("session_calves", convert.CALF_COLUMNS),
    ("session_holds", convert.HOLD_COLUMNS),
    ("tender_spots", convert.SPOT_COLUMNS),
)
"""What the safety state reads, in the statement's order of branches: every screening,
clearance and pain check, and the sessions stopped for sharp pain with their parts."""


@cache
def safety_rows(outcome: str) -> tuple[CompoundSelect[Any], tuple[tuple[int, ...], ...]]:
    """One statement for every row of `SAFETY_PARTS` (sessions: those with ``outcome``):
    a UNION ALL of one branch per table, each row's first column the number of its branch.
    A branch's columns sit in slots of their own type, which branches share; the slots a
    branch does not fill are NULLs cast to the slot's type (PostgreSQL matches a UNION's
    column types, and an untyped NULL does not match a date). Every branch is the
    person's rows only (the parts: of the person's sessions). Also gives, per branch, the
    row positions of its columns, in ``*_COLUMNS`` order."""
    slots: list[Any] = []
    placed: list[tuple[int, ...]] = []
    for name, columns in SAFETY_PARTS:
        mine_: list[int] = []
        for column in columns:
            kind = repr(TABLES[name].c[column].type)
            free = (i for i, t in enumerate(slots) if repr(t) == kind and i not in mine_)
            slot = next(free, None)
            if slot is None:
                slot = len(slots)
                slots.append(TABLES[name].c[column].type)
            mine_.append(slot)
        placed.append(tuple(mine_))
    sessions = TABLES["sessions"]
    stopped = (sessions.c.outcome == outcome, mine(sessions))
    stopped_ids = select(sessions.c.id).where(*stopped).scalar_subquery()
    branches = []
    for number, ((name, columns), at) in enumerate(zip(SAFETY_PARTS, placed, strict=True)):
        table = TABLES[name]
        filled = {slot: table.c[column] for slot, column in zip(at, columns, strict=True)}
        row = [filled.get(i, cast(null(), t)).label(f"c{i}") for i, t in enumerate(slots)]
        branch = select(literal_column(str(number), Integer).label("part"), *row)
        if name == "sessions":
            branch = branch.where(*stopped)
        elif name in OWNED:
            branch = branch.where(mine(table))
        else:
            branch = branch.where(table.c.session_id.in_(stopped_ids))
        branches.append(branch)
    return union_all(*branches), tuple(tuple(i + 1 for i in at) for at in placed)
