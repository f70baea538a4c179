"""Check-ins, history, export and import, as pages (insights and the split-leg experiment:
`calfcare.web.split_leg_pages`).

Every form posts with its CSRF token, is checked by the same `calfcare.services` functions as
the CLI (every bad field named at once, the form shown again with a 422 and nothing saved),
and on success redirects (303) to a page that shows what was saved (POST-redirect-GET).

The next-day check-in asks about new swelling, redness or warmth in each calf; the answers go
through the real screening rules (`calfcare.services.log_soreness`), and the page it
redirects to shows the stored follow-up: an urgent result as the screening's own red alert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare import services
from calfcare.core.client_ids import follow_up_id
from calfcare.core.errors import CalfcareError, InvalidInput, Problem
from calfcare.core.followup import PE_SIGNS, SIGNS
from calfcare.core.levels import Level
from calfcare.core.records import RecordSet, ScreeningKind
from calfcare.storage import Store
from calfcare.web import charts
from calfcare.web.api.checkins import save_mobility, save_note, save_soreness
from calfcare.web.api.common import cached, now, parse_day
from calfcare.web.api.reads import KINDS, history_filters, history_rows
from calfcare.web.api.sessions import save_manual_session
from calfcare.web.api.transfer import export_response, import_bytes
from calfcare.web.deps import ReadCacheDep, StoreDep, app_read_cache
from calfcare.web.limits import IMPORT_BYTES, size_text
from calfcare.web.safety_gate import read_gate
from calfcare.web.templating import Pages, PagesDep

router = APIRouter(include_in_schema=False)

SCORES = tuple(range(11))
HISTORY_ROWS = 50
"""Rows the history table shows unless asked for a number (the newest)."""
CHART_DAYS = 90
"""Days the history charts cover when no dates are given: the 90 up to the newest record
(not up to today, so that a pause does not leave them empty), with a link to every day.
Five years of daily charts made the page 1.5 MB; 90 days is a season of use."""
CHART_KINDS = ("sessions", "soreness", "mobility")
SIGN_CHOICES = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))
SIGN_WORDS: dict[str, object] = {"yes": True, "no": False, "unsure": "unsure"}
SIGN_QUESTIONS = {
    "swelling": "New swelling in your {leg} calf since the session, that no injury explains?",
    "redness": "New redness in your {leg} calf?",
    "warmth": "New warmth in your {leg} calf (it feels warmer than the other one)?",
}
MOMENTS = (("before", "Before the session"), ("after", "Right after the session"))
MOBILITY_MOMENTS = (
    ("before", "Just before a session"),
    ("after", "Right after a session"),
    ("other", "On another day (no session)"),
)
TOOLS = (("foam-roller", "Foam roller"), ("ball", "Massage ball"), ("hands", "Hands"))
LEGS = (("left,right", "Both calves"), ("left", "Left calf"), ("right", "Right calf"))
SAVED = {
    "soreness": "Your soreness rating is saved.",
    "mobility": "Your knee-to-wall test is saved.",
    "note": "Your note is saved.",
    "session": "Your session is saved. Rate your soreness now, and again tomorrow.",
}


def install(app: FastAPI) -> None:
    """Include these pages and give ``home.html`` its summary (recent records, next step)."""
    app.include_router(router)
    hooks = app.state.pages.env.globals
    hooks["tracking_summary"] = lambda: home_summary(app)
    hooks["tracking_summary_peek"] = lambda: peek_home_summary(app)


# -- helpers ---------------------------------------------------------------------------------


def _fields(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _score(value: str) -> object:
    """A 0-10 radio value as an int; anything odd is passed on for the core to refuse."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else value


def _cm(value: str) -> object:
    """A distance as typed (``9,5`` or ``9.5``) as a number; anything else is passed on."""
    text = value.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def _given(values: Mapping[str, str], read: Mapping[str, Any]) -> dict[str, object]:
    """A form's optional fields in the JSON API's shape, each read by ``read[name]``; a
    blank field is left out, as in a JSON body, so the same default applies (the day: today;
    a calf: not rated). The pages then save through the API's own `save_*` functions."""
    out: dict[str, object] = {}
    for name, reader in read.items():
        value = values.get(name, "")
        if value.strip() != "":
            out[name] = reader(value)
    return out


_DAY_FIELD = {"day": str.strip}
_CLIENT_ID = {"client_id": str.strip}
"""Each check-in form carries a client id (``fresh_id``), so that a form sent twice is saved
once (`calfcare.core.client_ids`)."""
_SCORES = {"left": _score, "right": _score}


def _saved(request: Request) -> str | None:
    return SAVED.get(request.query_params.get("saved", ""))


def _redirect(request: Request, name: str, **query: str) -> RedirectResponse:
    url = str(request.app.url_path_for(name))
    return RedirectResponse(url + ("?" + urlencode(query) if query else ""), status_code=303)


def _ids(prefix: str, names: Mapping[str, str]) -> dict[str, str]:
    return {field: f"{prefix}{target}" for field, target in names.items()}


# -- check-ins -------------------------------------------------------------------------------


@router.get("/checkins", name="checkins")
async def checkins(request: Request, pages: PagesDep) -> HTMLResponse:
    """What to record: soreness after a session, the next-day check-in, a knee-to-wall test,
    a session done without the coach, a note."""
    today = services.today_of(now()).isoformat()
    return pages.render_cached(
        request,
        "checkins.html",
        vary=("today", today),
        saved=_saved(request),
        today=today,
        problems=[],
        field_ids={"text": "note-text", "day": "note-day"},
        values={},
    )


@router.post("/checkins/note", name="note_save")
async def note_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    values = _fields(await request.form())
    when = now()
    today = services.today_of(when)
    try:
        fields = _given(values, {**_DAY_FIELD, **_CLIENT_ID})
        save_note(store, {**fields, "text": values.get("text")}, when)
    except InvalidInput as error:
        return pages.render(
            request,
            "checkins.html",
            status=422,
            saved=None,
            today=today.isoformat(),
            problems=error.problems,
            field_ids={"text": "note-text", "day": "note-day"},
            values=values,
        )
    return _redirect(request, "checkins", saved="note")


def _form_page(
    request: Request,
    pages: Pages,
    template: str,
    *,
    day: date,
    values: Mapping[str, str],
    problems: list[Problem],
    status: int,
    field_ids: Mapping[str, str],
    **context: Any,
) -> HTMLResponse:
    """A check-in form: ``values`` over the form's defaults (``day`` first), the problems
    with the fields they mark (``left.score`` marks ``left.score`` and ``left``), and the
    element each problem's link in the summary jumps to."""
    return pages.render(
        request,
        template,
        status=status,
        values={"day": day.isoformat(), **values},
        problems=problems,
        problem_fields={p.field for p in problems} | {p.field.split(".")[0] for p in problems},
        field_ids=field_ids,
        **context,
    )


def _soreness_page(
    request: Request,
    pages: Pages,
    values: Mapping[str, str],
    problems: list[Problem],
    status: int = 200,
) -> HTMLResponse:
    today = services.today_of(now())
    return _form_page(
        request,
        pages,
        "checkin_soreness.html",
        day=today,
        values={"moment": "after", **values},
        problems=problems,
        status=status,
        today=today.isoformat(),
        moments=MOMENTS,
        scores=SCORES,
        field_ids={
            "day": "day",
            "moment": "moment-0",
            "score": "left-score-none",
            "left": "left-score-none",
            "right": "right-score-none",
            "session_id": "day",
        },
    )


@router.get("/checkins/soreness", name="checkin_soreness")
def checkin_soreness(request: Request, pages: PagesDep) -> HTMLResponse:
    """Soreness per calf, 0 to 10, before or right after a session."""
    moment = request.query_params.get("moment", "after")
    return _soreness_page(request, pages, {"moment": moment if moment == "before" else "after"}, [])


@router.post("/checkins/soreness", name="checkin_soreness_save")
async def checkin_soreness_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    values = _fields(await request.form())
    moment = values.get("moment", "")
    data = {**_given(values, {**_DAY_FIELD, **_SCORES, **_CLIENT_ID}), "moment": moment}
    problems: list[Problem] = []
    try:
        if moment in ("before", "after"):  # (next_day has its own form, with the follow-up)
            save_soreness(store, data, now())
        else:  # name every other problem too (as the API does), saving nothing
            problems.append(Problem("moment", "choose before or right after the session"))
            when = now()
            services.soreness_records(
                day=parse_day(data.get("day"), services.today_of(when)),
                scores={leg: data[leg] for leg in ("left", "right") if leg in data},
                moment="after",
                now=when,
            )
    except InvalidInput as error:
        problems += error.problems
    if problems:
        return _soreness_page(request, pages, values, problems, 422)
    return _redirect(request, "checkins", saved="soreness")


def _next_day_page(
    request: Request,
    pages: Pages,
    values: Mapping[str, str],
    problems: list[Problem],
    status: int = 200,
) -> HTMLResponse:
    yesterday = services.today_of(now()) - timedelta(days=1)
    questions = [
        (leg, sign, f"followup.{leg}.{sign}", SIGN_QUESTIONS[sign].format(leg=leg))
        for leg in ("left", "right")
        for sign in SIGNS
    ]
    questions.append(("", PE_SIGNS, f"followup.{PE_SIGNS}", _pe_question()))
    return _form_page(
        request,
        pages,
        "checkin_next_day.html",
        day=yesterday,
        values=values,
        problems=problems,
        status=status,
        yesterday=yesterday.isoformat(),
        scores=SCORES,
        questions=questions,
        sign_choices=SIGN_CHOICES,
        field_ids={
            "day": "day",
            "score": "left-score-none",
            "left": "left-score-none",
            "right": "right-score-none",
            "followup": "followup-left-swelling-yes",
        }
        | {name: name.replace(".", "-") + "-yes" for _, _, name, _ in questions},
    )


def _pe_question() -> str:
    """The screening's own ``pe_signs`` question, word for word."""
    from calfcare.content.screening import load_screening_text

    return load_screening_text().question("general", PE_SIGNS).question


@router.get("/checkins/next-day", name="checkin_next_day")
def checkin_next_day(request: Request, pages: PagesDep) -> HTMLResponse:
    """The day after a session: soreness per calf, and new swelling, redness or warmth."""
    return _next_day_page(request, pages, {}, [])


@router.post("/checkins/next-day", name="checkin_next_day_save")
async def checkin_next_day_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    values = _fields(await request.form())
    when = now()
    followup: dict[str, object] = {"left": {}, "right": {}}
    for leg in ("left", "right"):
        for sign in SIGNS:
            word = values.get(f"followup.{leg}.{sign}")
            if word is not None and word != "":
                cast(dict[str, object], followup[leg])[sign] = SIGN_WORDS.get(word, word)
    pe_word = values.get(f"followup.{PE_SIGNS}")
    if pe_word:
        followup[PE_SIGNS] = SIGN_WORDS.get(pe_word, pe_word)
    data = {
        **_given(values, {**_DAY_FIELD, **_SCORES, **_CLIENT_ID}),
        "moment": "next_day",
        "followup": followup,
    }
    try:
        save_soreness(store, data, when)
    except InvalidInput as error:
        return _next_day_page(request, pages, values, error.problems, 422)
    client_id = data.get("client_id")
    if isinstance(client_id, str):  # the follow-up saved now, or by the first of a repeat
        record_id: str | None = follow_up_id(client_id)
    else:
        record_id = _followup_id(store, when)
    if record_id is None:  # cannot happen: saved in the same transaction
        raise HTTPException(500)
    return RedirectResponse(
        str(request.app.url_path_for("followup_result", screening_id=record_id)), status_code=303
    )


def _followup_id(store: Any, when: Any) -> str | None:
    """The follow-up screening `log_soreness` just stored (same transaction, same time)."""
    day = services.today_of(when)
    with store.reading() as tx:
        found = [
            r
            for r in tx.screenings(day - timedelta(days=1), day + timedelta(days=1))
            if r.kind is ScreeningKind.FOLLOW_UP
        ]
    exact = [r for r in found if r.taken_at == when]
    pick = exact or sorted(found, key=lambda r: r.taken_at)[-1:]
    return pick[0].id if pick else None


@router.get("/checkins/follow-up/{screening_id}", name="followup_result")
def followup_result(
    request: Request, pages: PagesDep, store: StoreDep, screening_id: str
) -> HTMLResponse:
    """A stored next-day follow-up: urgent is shown as the screening shows it."""
    with store.reading() as tx:
        record = tx.screening(screening_id) if len(screening_id) <= 64 else None
    if record is None or record.kind is not ScreeningKind.FOLLOW_UP:
        raise HTTPException(404)
    report = services.stored_report(record)
    severe = record.verdict >= Level.URGENT
    findings = [f for f in report.get("findings", []) if Level(f["level"]) >= Level.URGENT]
    return pages.render(
        request,
        "checkin_followup.html",
        report=report,
        severe=severe,
        findings=findings,
        taken=record.taken_at.astimezone(),
    )


def _mobility_page(
    request: Request,
    pages: Pages,
    values: Mapping[str, str],
    problems: list[Problem],
    status: int = 200,
) -> HTMLResponse:
    today = services.today_of(now())
    return _form_page(
        request,
        pages,
        "mobility_log.html",
        day=today,
        values={"moment": "other", "left": "", "right": "", **values},
        problems=problems,
        status=status,
        today=today.isoformat(),
        moments=MOBILITY_MOMENTS,
        field_ids={
            "day": "day",
            "moment": "moment-0",
            "left": "left",
            "right": "right",
            "distance_cm": "left",
        },
    )


@router.get("/checkins/knee-to-wall", name="mobility_log")
def mobility_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a knee-to-wall test: big toe to wall in cm, per leg."""
    moment = request.query_params.get("moment", "other")
    known = {m for m, _ in MOBILITY_MOMENTS}
    return _mobility_page(request, pages, {"moment": moment if moment in known else "other"}, [])


@router.post("/checkins/knee-to-wall", name="mobility_log_save")
async def mobility_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    values = _fields(await request.form())
    data = {
        **_given(values, {**_DAY_FIELD, **_CLIENT_ID, "left": _cm, "right": _cm}),
        "moment": values.get("moment", "other"),
    }
    try:
        save_mobility(store, data, now())
    except InvalidInput as error:
        return _mobility_page(request, pages, values, error.problems, 422)
    return _redirect(request, "checkins", saved="mobility")


def _session_page(
    request: Request,
    pages: Pages,
    values: Mapping[str, str],
    problems: list[Problem],
    status: int = 200,
) -> HTMLResponse:
    today = services.today_of(now())
    return _form_page(
        request,
        pages,
        "checkin_session.html",
        day=today,
        values={"legs": "left,right", "seconds": "150", "tool": "", "tender": "", **values},
        problems=problems,
        status=status,
        tools=TOOLS,
        legs=LEGS,
        today=today.isoformat(),
        field_ids={
            "day": "day",
            "tool": "tool-0",
            "legs": "legs-0",
            "seconds": "seconds",
            "tender": "tender",
            "tender_spot": "tender",
        },
    )


@router.get("/checkins/session", name="session_log")
def session_log(request: Request, pages: PagesDep) -> HTMLResponse:
    """Log a session done without the guided session page (as ``calfcare log session``)."""
    return _session_page(request, pages, {}, [])


@router.post("/checkins/session", name="session_log_save")
async def session_log_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    values = _fields(await request.form())
    seconds_text = values.get("seconds", "").strip()
    try:
        seconds: object = float(seconds_text) if seconds_text else None
    except ValueError:
        seconds = seconds_text
    data = {
        **_given(values, _DAY_FIELD),
        "tool": values.get("tool"),
        "legs": [x for x in values.get("legs", "").split(",") if x],
        "seconds": seconds,
        "tender_spots": [s for s in values.get("tender", "").replace(",", " ").split() if s],
    }
    try:
        save_manual_session(store, data, now())
    except InvalidInput as error:
        return _session_page(request, pages, values, error.problems, 422)
    return _redirect(request, "checkins", saved="session")


# -- history ---------------------------------------------------------------------------------


def history_charts(records: RecordSet) -> list[dict[str, Any]]:
    """The charts for the history page: soreness per calf, knee-to-wall, sessions a week;
    each with a title, a description in words and its numbers as table rows."""
    out: list[dict[str, Any]] = []
    # "right after" read as the right calf on the left calf's chart: "just after" instead.
    moments = (("before", "before a session"), ("after", "just after"), ("next_day", "next day"))
    for leg in ("left", "right"):
        by: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
        for item in records.soreness:
            r = item.record
            if r.leg.value == leg:
                by[r.moment.value][r.day].append(r.score)
        series = [
            charts.Series(label, tuple((d, sum(v) / len(v)) for d, v in sorted(by[m].items())))
            for m, label in moments
        ]
        if any(s.points for s in series):
            out.append(
                _chart_entry(
                    f"chart-soreness-{leg}",
                    f"{leg.capitalize()} calf soreness (0 to 10)",
                    series,
                    "points",
                    y_min=0,
                    y_max=10,
                )
            )
    mob: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for test in records.mobility:
        t = test.record
        key = f"{t.leg.value}, {'after a session' if t.moment.value == 'after' else 'rested'}"
        mob[key][t.day].append(t.distance_cm)
    keys = ("left, rested", "right, rested", "left, after a session", "right, after a session")
    series = [
        charts.Series(k, tuple((d, sum(v) / len(v)) for d, v in sorted(mob[k].items())))
        for k in keys
        if mob.get(k)
    ]
    if series:
        out.append(
            _chart_entry(
                "chart-knee-to-wall", "Knee-to-wall distance (cm, big toe to wall)", series, "cm"
            )
        )
    weeks = services.stats(records).sessions_per_week
    if weeks:
        bars = [charts.Bar(w.split("-")[1], n) for w, n in weeks.items()]
        desc = f"Sessions per ISO week, {len(weeks)} weeks: " + ", ".join(
            f"{w}: {n}" for w, n in weeks.items()
        )
        out.append(
            {
                "id": "chart-sessions",
                "title": "Sessions per week",
                "svg": charts.bar_chart(
                    "chart-sessions", "Sessions per week", desc, bars, unit="sessions"
                ),
                "columns": ["week", "sessions"],
                "rows": [[w, str(n)] for w, n in weeks.items()],
            }
        )
    return out


def _chart_entry(
    chart_id: str,
    title: str,
    series: list[charts.Series],
    unit: str,
    *,
    y_min: float | None = None,
    y_max: float | None = None,
) -> dict[str, Any]:
    days = sorted({d for s in series for d, _ in s.points})
    parts = []
    for s in series:
        if s.points:
            first, last = s.points[0], s.points[-1]
            parts.append(
                f"{s.label}: {len(s.points)} days, from {first[1]:.1f} on {first[0]} "
                f"to {last[1]:.1f} on {last[0]}"
            )
    desc = f"{title} from {days[0]} to {days[-1]}. " + "; ".join(parts) + "."
    values = {s.label: dict(s.points) for s in series}
    rows = [
        [d.isoformat()]
        + [
            "" if d not in values[s.label] else f"{values[s.label][d]:.1f}".removesuffix(".0")
            for s in series
        ]
        for d in days
    ]
    svg = charts.line_chart(chart_id, title, desc, series, unit=unit, y_min=y_min, y_max=y_max)
    return {
        "id": chart_id,
        "title": title,
        "svg": svg,
        "columns": ["day", *[s.label for s in series]],
        "rows": rows,
    }


@router.get("/history", name="history")
async def history(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """Charts and a filterable table of the records (as ``calfcare history``): the newest
    `HISTORY_ROWS` rows unless ``limit`` says otherwise, and charts of the last `CHART_DAYS`
    days unless dates are given or ``charts=all``."""
    q = request.query_params
    kind_values = q.getlist("kind")
    kind = ",".join(kind_values) if kind_values else None
    values = {
        "since": q.get("since", ""),
        "until": q.get("until", ""),
        "leg": q.get("leg", ""),
        "limit": q.get("limit", ""),
        "kinds": kind_values,
    }
    try:
        first, last, kinds, leg, count = history_filters(
            q.get("since"), q.get("until"), kind, q.get("leg"), q.get("limit")
        )
    except InvalidInput as error:
        return pages.render(
            request,
            "history.html",
            status=422,
            problems=error.problems,
            values=values,
            rows=[],
            charts=[],
            kinds=KINDS,
            total=0,
            filtered=True,
            show_all=None,
            chart_window=None,
            charts_all=None,
            field_ids={
                "since": "since",
                "until": "until",
                "kind": "kind-0",
                "leg": "leg",
                "limit": "limit",
            },
        )
    all_charts = q.get("charts") == "all"
    key = ("history_page", first, last, frozenset(kinds), leg, count, all_charts)
    version, page = await cached(
        cache, key, lambda: _history_page(cache, first, last, kinds, leg, count, all_charts)
    )
    show_all = None
    if count is None and page.total > HISTORY_ROWS:
        query = [(k, v) for k, v in q.multi_items() if k != "limit"] + [("limit", str(page.total))]
        show_all = urlencode(query)
    charts_all = None
    if page.chart_window is not None:
        charts_all = urlencode(
            [(k, v) for k, v in q.multi_items() if k != "charts"] + [("charts", "all")]
        )
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
        filtered=any(values[k] for k in ("since", "until", "leg", "limit", "kinds")),
        field_ids={},
        show_all=show_all,
        chart_window=page.chart_window,
        charts_all=charts_all,
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


def _history_page(
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


# -- export and import -----------------------------------------------------------------------


@router.get("/export", name="export")
async def export(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """Download everything (JSON to import again, CSV for a spreadsheet); import a file."""
    version, counts = await cached(cache, ("counts",), lambda: _counts(cache.store))
    q = request.query_params
    imported = None
    if q.get("added", "").isdigit() and q.get("skipped", "").isdigit():
        imported = (int(q["added"]), int(q["skipped"]))
    return pages.render_cached(
        request,
        "export.html",
        vary=("data", version),
        counts=counts,
        imported=imported,
        problems=[],
        error=None,
        field_ids={},
        values={},
        file_name=None,
        import_limit=size_text(IMPORT_BYTES),
    )


async def _import_input(text: str, chosen: UploadFile | None) -> bytes:
    """The document to import: the chosen file's bytes, or the pasted text."""
    if chosen is not None and text.strip():
        message = "choose a file or paste its contents, not both"
        raise InvalidInput([Problem("file", message)], "Nothing was imported.")
    if chosen is not None:
        raw = await chosen.read()
        if not raw.strip():
            raise InvalidInput([Problem("file", "the file is empty")], "Nothing was imported.")
        return raw
    if not text.strip():
        message = "choose an export file, or paste its contents"
        raise InvalidInput([Problem("document", message)], "Nothing was imported.")
    return text.strip().encode("utf-8")


def _counts(store: Store) -> dict[str, int]:
    with store.reading() as tx:  # counted in SQL, not by loading every record
        return tx.counts()


@router.get("/export/download", name="export_download")
async def export_download(cache: ReadCacheDep, format: str = "json") -> Response:
    """The file itself, as ``calfcare export --format json|csv|fhir``."""
    return await export_response(cache, format)


@router.post("/import", name="import_data")
async def import_data(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    """Import an export document, uploaded as a file (multipart, up to the import limit,
    checked for its CSRF token like every form) or pasted: all of it or nothing, every
    problem listed. A refused import shows the form again with the pasted text, and names
    the file chosen (a browser never lets a page choose a file for the person)."""
    form = await request.form(max_files=1, max_fields=10, max_part_size=IMPORT_BYTES)
    pasted = form.get("document")
    text = pasted if isinstance(pasted, str) else ""
    upload = form.get("file")
    chosen = upload if isinstance(upload, UploadFile) and upload.filename else None
    try:
        raw = await _import_input(text, chosen)
        summary = await run_in_threadpool(import_bytes, store, raw)
    except InvalidInput as error:
        counts = await run_in_threadpool(_counts, store)
        return pages.render(
            request,
            "export.html",
            status=422,
            counts=counts,
            imported=None,
            problems=error.problems,
            error=error.message,
            field_ids={"document": "document", "file": "file"},
            values={"document": text},
            file_name=chosen.filename if chosen else None,
            import_limit=size_text(IMPORT_BYTES),
        )
    finally:
        await form.close()
    return _redirect(
        request,
        "export",
        added=str(sum(summary.added.values())),
        skipped=str(sum(summary.already_there.values())),
    )


# -- the home page's summary -----------------------------------------------------------------


HomeSummary = tuple[dict[str, Any] | None, str]
"""What to do next and the latest records (None when the database cannot be used: the home
page then shows only the static next steps), and its ``repr``: the page cache's ``vary``,
kept with the summary so that a cached home page costs no ``repr`` per request."""

NO_SUMMARY: HomeSummary = (None, repr(None))


def home_summary(app: FastAPI) -> HomeSummary:
    """The home page's summary, computed on a miss: call it in a worker thread (it may open
    the database and reads a month of records)."""
    try:
        cache = app_read_cache(app)
        today = services.today_of(now())

        def compute() -> HomeSummary:
            summary = _home_summary(cache.store, today)
            summary["safety"] = read_gate(app).state  # the home page leads with a hold
            return summary, repr(summary)

        return cache.get(("home_summary", today), compute)
    except CalfcareError:
        return NO_SUMMARY


def peek_home_summary(app: FastAPI) -> object:
    """`home_summary` if the read cache holds it, else `services.MISSING`: safe on the
    event loop (one `Store.data_version` read, as the cached JSON reads do). Before the
    first use the store is not open yet, and opening it is a worker thread's job."""
    cache: services.ReadCache | None = getattr(app.state, "read_cache", None)
    if cache is None:
        return services.MISSING
    try:
        _, value = cache.peek(("home_summary", services.today_of(now())))
    except CalfcareError:
        return NO_SUMMARY
    return value


def _home_summary(store: Store, today: date) -> dict[str, Any]:
    records = services.load_records(store, today - timedelta(days=30), today)
    yesterday = today - timedelta(days=1)
    sessions_today = [s for s in records.sessions if s.day == today]
    sessions_yesterday = [s for s in records.sessions if s.day == yesterday]
    rated = {(i.record.day, i.record.moment.value) for i in records.soreness}
    coin = next((d for d in records.split_leg_days if d.day == today), None)
    todo: list[tuple[str, str, str]] = []
    if sessions_yesterday and (yesterday, "next_day") not in rated:
        todo.append(
            (
                "checkin_next_day",
                "",
                "Do yesterday's next-day check-in: soreness, and "
                "any new swelling, redness or warmth",
            )
        )
    if sessions_today and (today, "after") not in rated:
        todo.append(
            ("checkin_soreness", "moment=after", "Rate your soreness after today's session")
        )
    if coin is not None and not sessions_today:
        todo.append(
            (
                "plan",
                "split_leg=1",
                f"Split-leg day: massage only your {coin.massaged.value} calf today",
            )
        )
    rows = [_in_words(row, records) for row in history_rows(records, set(KINDS), None)[-5:]]
    return {"todo": todo, "recent": list(reversed(rows)), "count": sum(records.counts().values())}


SCREENING_KIND_WORDS = {"screening": "Safety check", "follow_up": "Next-day check"}


def _in_words(row: dict[str, Any], records: RecordSet) -> dict[str, Any]:
    """A safety check's row as the home page says it: "Next-day check: urgent — Do not
    massage. Get medical attention today" (the screening's own headline for its level)."""
    if row["kind"] != "screening":
        return row
    from calfcare.content.screening import load_screening_text

    record = next(s for s in records.screenings if s.id == row["id"])
    headline = load_screening_text().advice(record.verdict).headline
    kind = SCREENING_KIND_WORDS[record.kind.value]
    return {**row, "what": f"{kind}: {record.verdict.value} — {headline}"}
