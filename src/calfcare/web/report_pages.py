"""``/report``: the one-page report for a clinician, and its downloads (PDF, PNG, HTML).

The page is the report itself with a print stylesheet (printing it, or saving it as PDF from
the browser, gives one page); the downloads are what ``calfcare report`` writes. The name or
alias comes in the query string and is only printed: nothing about it is stored (the server
keeps no access log).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.content.sources import load_sources
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.period_report import PeriodReport
from calfcare.core.report_period import clean_name, period_of
from calfcare.web.api.common import DAY_RE, cached, now
from calfcare.web.deps import ReadCacheDep
from calfcare.web.forms import form_page
from calfcare.web.report_html import render_document, report_view
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)
DOWNLOADS = {"pdf": "application/pdf", "png": "image/png", "html": "text/html; charset=utf-8"}
FIELD_IDS = {"name": "report-name", "since": "report-since", "until": "report-until"}


def _day(value: str | None, field: str, problems: list[Problem]) -> date | None:
    """A blank form field is left out; anything else must be YYYY-MM-DD."""
    if value is None or not value.strip():
        return None
    if DAY_RE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(Problem(field, f"{value[:20]!r}: give a date as YYYY-MM-DD"))
    return None


async def _report(request: Request, cache: services.ReadCache) -> PeriodReport:
    """The report the query asks for, or `InvalidInput` naming each bad field."""
    q = request.query_params
    problems: list[Problem] = []
    since = _day(q.get("since"), "since", problems)
    until = _day(q.get("until"), "until", problems)
    try:
        name = clean_name(q.get("name"))
    except InvalidInput as error:
        problems += error.problems
    if problems:
        raise InvalidInput(problems, "The report cannot be made from these values.")
    when = now()
    today = services.today_of(when)
    first, last = period_of(since, until, today=today)

    def compute() -> PeriodReport:
        return services.period_report(cache.store, since=first, until=last, now=when)

    # (per day too: a running split-leg experiment is analysed as of today; and per
    # prescription, which a clinician writes without moving the person's data version)
    found = services.prescription_of(cache.store, cache.store.person_id)
    rx = None if found is None else found.id
    _, report = await cached(cache, ("period_report", first, last, today, rx), compute)
    return replace(report, name=name)


@router.get("/report", name="report")
async def report_page(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """The report for the chosen period (default: the last 28 days), ready to print."""
    q = request.query_params
    values = {k: q.get(k, "") for k in ("name", "since", "until")}
    try:
        report = await _report(request, cache)
    except InvalidInput as error:
        return form_page(
            request, pages, "report.html", status=422, values=values, problems=error.problems,
            field_ids=FIELD_IDS, report=None, query="", error=error.message,
        )  # fmt: skip
    values["since"], values["until"] = report.first.isoformat(), report.last.isoformat()
    query = urlencode({k: v for k, v in values.items() if v})
    view: dict[str, Any] = report_view(report, load_sources(), services.today_of(now()))
    return pages.render(
        request, "report.html", values=values, query=query, problems=[], error=None,
        field_ids=FIELD_IDS, **view,
    )  # fmt: skip


@router.get("/report/download", name="report_download")
async def report_download(request: Request, cache: ReadCacheDep) -> Response:
    """The report as a file: ``format`` pdf (default), png or html."""
    fmt = request.query_params.get("format", "pdf")
    if fmt not in DOWNLOADS:
        raise InvalidInput([Problem("format", f"{fmt[:20]!r}: use pdf, png or html")])
    report = await _report(request, cache)
    made_on = services.today_of(now())
    if fmt == "html":
        body = render_document(report, load_sources(), made_on).encode("utf-8")
    else:
        from calfcare.web.report_figure import render_page

        body = await run_in_threadpool(render_page, report, load_sources(), made_on, fmt)
    name = f"calfcare-report-{report.first.isoformat()}-{report.last.isoformat()}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=DOWNLOADS[fmt], headers=headers)
