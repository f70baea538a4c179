"""The history page: charts and a filterable table of the records (as ``calfcare history``),
cached per data version (the charts: `calfcare.web.history_charts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import QueryParams
from starlette.responses import HTMLResponse

from calfcare import services
from calfcare.core.errors import InvalidInput
from calfcare.web.api.common import cached
from calfcare.web.api.reads import KINDS, history_filters
from calfcare.web.deps import ReadCacheDep
from calfcare.web.forms import form_page
from calfcare.web.history_charts import history_charts
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)

HISTORY_ROWS = 50
"""Rows the history table shows unless asked for a number (the newest)."""
CHART_DAYS = 90
"""Days the history charts cover when no dates are given: the 90 up to the newest record
(not up to today, so that a pause does not leave them empty), with a link to every day.
Five years of daily charts made the page 1.5 MB; 90 days is a season of use."""
CHART_KINDS = ("sessions", "soreness", "mobility")
FIELD_IDS = {"since": "since", "until": "until", "kind": "kind-0", "leg": "leg", "limit": "limit"}


@dataclass(frozen=True, slots=True)
class HistoryFilters:
    """A history page's filters from its query string (``since``, ``until``, ``kind``,
    ``leg``, ``limit``, ``charts=all``), checked as ``calfcare history`` checks them: the one
    reading of them for a person's own page and a clinician's page of the person."""

    first: date | None
    last: date | None
    kinds: set[str]
    leg: str | None
    count: int | None
    all_charts: bool

    @property
    def key(self) -> tuple[Any, ...]:
        """The `HistoryPage`'s key in a person's read cache."""
        return ("history_page", self.first, self.last, frozenset(self.kinds), self.leg,
                self.count, self.all_charts)  # fmt: skip

    def page(self, cache: services.ReadCache) -> HistoryPage:
        return history_page(cache, self.first, self.last, self.kinds, self.leg, self.count,
                            self.all_charts)  # fmt: skip


def filter_values(q: QueryParams) -> dict[str, Any]:
    """The filters as typed, to fill the form in again."""
    return {"since": q.get("since", ""), "until": q.get("until", ""), "leg": q.get("leg", ""),
            "limit": q.get("limit", ""), "kinds": q.getlist("kind")}  # fmt: skip


def is_filtered(values: dict[str, Any]) -> bool:
    return any(values[k] for k in ("since", "until", "leg", "limit", "kinds"))


def read_filters(q: QueryParams) -> HistoryFilters:
    """The checked filters; `InvalidInput` naming each wrong field."""
    kind_values = q.getlist("kind")
    first, last, kinds, leg, count = history_filters(
        q.get("since"), q.get("until"), ",".join(kind_values) if kind_values else None,
        q.get("leg"), q.get("limit"),
    )  # fmt: skip
    return HistoryFilters(first, last, kinds, leg, count, q.get("charts") == "all")


def page_links(q: QueryParams, filters: HistoryFilters, page: HistoryPage) -> dict[str, Any]:
    """The page's "Show all N" and "charts for every day" links (query strings, None when
    there is nothing more to show), keeping the other filters."""
    show_all = None
    if filters.count is None and page.total > HISTORY_ROWS:
        query = [(k, v) for k, v in q.multi_items() if k != "limit"] + [("limit", str(page.total))]
        show_all = urlencode(query)
    charts_all = None
    if page.chart_window is not None:
        charts_all = urlencode(
            [(k, v) for k, v in q.multi_items() if k != "charts"] + [("charts", "all")]
        )
    return {"show_all": show_all, "charts_all": charts_all}


@router.get("/history", name="history")
async def history(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """Charts and a filterable table of the records (as ``calfcare history``): the newest
    `HISTORY_ROWS` rows unless ``limit`` says otherwise, and charts of the last `CHART_DAYS`
    days unless dates are given or ``charts=all``."""
    q = request.query_params
    values = filter_values(q)
    try:
        filters = read_filters(q)
    except InvalidInput as error:
        return form_page(request, pages, "history.html", status=422, values=values,
                         problems=error.problems, field_ids=FIELD_IDS, rows=[], charts=[],
                         kinds=KINDS, total=0, filtered=True, show_all=None,
                         chart_window=None, charts_all=None)  # fmt: skip
    version, page = await cached(cache, filters.key, lambda: filters.page(cache))
    return pages.render_cached(
        request,
        "history.html",
        vary=("data", version),
        problems=[],
        values=values,
        rows=page.rows,
        charts=page.charts,
        kinds=KINDS,
        total=page.total,
        filtered=is_filtered(values),
        field_ids={},
        chart_window=page.chart_window,
        **page_links(q, filters, page),
    )


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """What the history page shows for one filter set (cached per data version)."""

    rows: list[dict[str, Any]]
    """The rows shown, newest first."""
    total: int
    """How many rows match the filters."""
    charts: list[dict[str, Any]]
    chart_window: tuple[date, date] | None
    """The days the charts cover when cut to the last `CHART_DAYS` (None: every day)."""


def history_page(
    cache: services.ReadCache,
    first: date | None,
    last: date | None,
    kinds: set[str],
    leg: str | None,
    count: int | None,
    all_charts: bool,
) -> HistoryPage:
    store = cache.store
    newest = services.newest_history_rows(
        store, first, last, kinds, leg, count or HISTORY_ROWS, total=True
    )
    shown = list(reversed(newest.rows))
    chart_first, window = first, None
    if first is None and last is None and not all_charts:
        with store.reading() as tx:
            span = tx.day_range(CHART_KINDS)
        if span is not None and (span[1] - span[0]).days >= CHART_DAYS:
            chart_first = span[1] - timedelta(days=CHART_DAYS - 1)
            window = (chart_first, span[1])
    chart_records = services.load_records(store, chart_first, last, kinds=CHART_KINDS)
    assert newest.total is not None
    return HistoryPage(shown, newest.total, history_charts(chart_records), window)
