"""History and stats reads (``GET /api/records``, ``GET /api/stats``): the rows of
``calfcare history --json`` and the numbers of ``calfcare stats``, with the same filters.

Both answer from the app's read cache (`calfcare.web.api.common.cached_json`); the
filter helpers are shared with the history page (`calfcare.web.tracking_pages`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import Request
from starlette.responses import Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.record_views import MAX_LIMIT
from calfcare.core.records import RecordSet
from calfcare.core.whole_number import whole_number
from calfcare.web.api.common import (
    Open,
    cached_json,
    errors,
    optional_day,
    query,
    query_of,
    read,
)
from calfcare.web.deps import get_read_cache
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])

KINDS = ("session", "soreness", "mobility", "note", "screening")


def history_rows(records: RecordSet, kinds: set[str], leg: str | None) -> list[dict[str, Any]]:
    """The rows of ``calfcare history --json`` (the CLI's own function)."""
    from calfcare.core.record_views import history_rows as rows

    return rows(records, kinds, leg)


def history_filters(
    since: str | None, until: str | None, kind: str | None, leg: str | None, limit: str | None
) -> tuple[date | None, date | None, set[str], str | None, int | None]:
    """The history filters, checked as ``calfcare history`` checks them."""
    problems: list[Problem] = []
    kinds = [k.strip() for k in (kind or ",".join(KINDS)).split(",") if k.strip()]
    problems += [Problem("kind", f"{k!r}: use {', '.join(KINDS)}") for k in kinds if k not in KINDS]
    if leg in ("", None):
        leg = None
    elif leg not in ("left", "right"):
        problems.append(Problem("leg", f"{leg!r}: use left or right"))
    first = optional_day(since, "since", problems)
    last = optional_day(until, "until", problems)
    count = None
    if limit not in (None, ""):
        assert limit is not None
        count = whole_number(limit.strip().lstrip("0"), 7)
        if count is None or not 1 <= count <= MAX_LIMIT:
            count = None
            problems.append(
                Problem("limit", f"{limit[:20]!r}: give a whole number from 1 to {MAX_LIMIT}")
            )
    if problems:
        raise InvalidInput(problems, "The filters are not valid.")
    return first, last, set(kinds or KINDS), leg, count


class HistoryRow(Open):
    day: str
    kind: Literal["session", "soreness", "mobility", "note", "screening"]
    leg: str
    what: str
    id: str


class StatsOut(Open):
    counts: dict[str, int]
    first_day: str | None
    last_day: str | None
    sessions_per_week: dict[str, int]
    soreness_mean: dict[str, dict[str, float]]
    mobility: dict[str, dict[str, float]]
    tender_spots: dict[str, int]
    urgent_followups: int
    mostly_skipped_sessions: int


_DAY_OR_EMPTY = {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}
_SINCE_UNTIL = {
    "since": ("first day, YYYY-MM-DD (empty: no bound)", _DAY_OR_EMPTY),
    "until": ("last day, YYYY-MM-DD (empty: no bound)", _DAY_OR_EMPTY),
}
_KIND = "(?:" + "|".join(KINDS) + ")"
KIND_PATTERN = rf"^\s*(?:{_KIND}\s*)?(?:,\s*(?:{_KIND}\s*)?)*$"
"""``kind``: kinds separated by commas, spaces around them allowed (empty: every kind)."""
LIMIT_PATTERN = r"^(?:\s*0*(?:[1-9][0-9]{0,5}|1000000)\s*)?$"
"""``limit``: a whole number from 1 to `MAX_LIMIT` (empty: every row)."""


@read(
    router,
    "/records",
    response_model=list[HistoryRow],
    responses=errors(422),
    openapi_extra=query(
        **_SINCE_UNTIL,
        kind=("comma-separated: " + ", ".join(KINDS), {"type": "string", "pattern": KIND_PATTERN}),
        leg=("left or right (empty: both)", {"enum": ["", "left", "right"]}),
        limit=(
            f"only the last N rows, 1 to {MAX_LIMIT}",
            {"type": "string", "pattern": LIMIT_PATTERN},
        ),
    ),
)
async def api_records(request: Request) -> Response:
    """History: every record as a row (as calfcare history --json), with filters

    Rows by day, oldest first: day, kind, calf, what, id."""
    q = query_of(request)
    cache = await get_read_cache(request)
    first, last, kinds, calf, count = history_filters(
        q.get("since"), q.get("until"), q.get("kind"), q.get("leg"), q.get("limit")
    )

    def compute() -> list[dict[str, Any]]:
        return services.newest_history_rows(cache.store, first, last, kinds, calf, count).rows

    key = ("api_records", first, last, frozenset(kinds), calf, count)
    return await cached_json(cache, key, compute)


@read(
    router,
    "/stats",
    response_model=StatsOut,
    responses=errors(422),
    openapi_extra=query(**_SINCE_UNTIL),
)
async def api_stats(request: Request) -> Response:
    """Counts, sessions per week, mean soreness, knee-to-wall change (calfcare stats)

    Plain summaries, not evidence (see ``/api/insights``)."""
    cache = await get_read_cache(request)
    q = query_of(request)
    problems: list[Problem] = []
    first = optional_day(q.get("since"), "since", problems)
    last = optional_day(q.get("until"), "until", problems)
    if problems:
        raise InvalidInput(problems, "The filters are not valid.")
    return await cached_json(
        cache,
        ("api_stats", first, last),
        lambda: services.read_stats(cache.store, first, last).to_json(),
    )
