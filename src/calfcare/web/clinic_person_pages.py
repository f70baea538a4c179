"""A clinician's pages of one person who shares with them (server mode only): the person's
history and charts as the person sees them, the prescription in force with adherence per
week (and whether today's safety state overrides it), and the form to prescribe.

Every page opens the person's records through `services.clinic.open_person` (in
`calfcare.web.clinic_access`: the share checked and the audit event the person reads
written in one transaction). A person who does not share with this clinician (never did,
stopped, or is someone else's) is the plain 404 of an address with no page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from calfcare import services
from calfcare.core.adherence import adherence
from calfcare.core.clinic_list import FLAG_WORDS, FOLLOWUP_WINDOW, red_flags
from calfcare.core.errors import InvalidInput, NotAllowed, Problem
from calfcare.core.prescription import (
    NOTE_MAX,
    SESSIONS_PER_WEEK,
    WEEKS,
    prescription,
    prescription_words,
    under_safety,
)
from calfcare.core.routine import SECONDS_PER_CALF_MAX, SECONDS_PER_CALF_MIN
from calfcare.services import clinic
from calfcare.storage import Store
from calfcare.storage.clinic import Prescribed
from calfcare.web import auth, deps
from calfcare.web.api.common import optional_day
from calfcare.web.api.reads import KINDS
from calfcare.web.clinic_access import (
    clinician_of,
    not_shared,
    opened,
    person_id_of,
    shared_name,
)
from calfcare.web.forms import form_page, number, submit
from calfcare.web.history_pages import FIELD_IDS as HISTORY_FIELD_IDS
from calfcare.web.history_pages import filter_values, is_filtered, page_links, read_filters
from calfcare.web.plan_form import INTENSITIES, LEGS, TOOLS
from calfcare.web.route_index import Router
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

FIELD_IDS = {
    "calves": "calves-0",
    "tools": "tools-0",
    "intensity_cap": "intensity_cap-0",
    "seconds_per_calf": "seconds_per_calf",
    "sessions_per_week": "sessions_per_week",
    "weeks": "weeks",
    "start_day": "start_day",
    "note": "note",
}


def prescription_view(
    person: Store, found: Prescribed | None, now: datetime, cache: services.ReadCache
) -> dict[str, Any] | None:
    """The prescription in force, its weeks so far, and what today's safety state allows."""
    if found is None:
        return None
    from calfcare.content.safety import load_safety_wording

    p = found.prescription
    today = services.today_of(now)
    sessions = services.load_records(person, p.start_day, p.end_day, kinds=("sessions",))
    allowed = under_safety(p, services.safety_state(person, now, cache), load_safety_wording())
    return {
        "words": prescription_words(p).removeprefix("Your physio's routine: "),
        "note": p.note,
        "start": p.start_day,
        "end": p.end_day,
        "weeks": adherence(p, sessions.sessions, today),
        "under_safety": allowed,
        "in_force": p.week_of(today) is not None,
    }


def red_flag_words(person: Store, now: datetime, cache: services.ReadCache) -> list[str]:
    """The person's red flags today in the list's words (most pressing first)."""
    today = services.today_of(now)
    recent = services.load_records(
        person, today - FOLLOWUP_WINDOW, None, kinds=("sessions", "screenings")
    )
    flags = red_flags(recent, services.safety_state(person, now, cache), today)
    return [FLAG_WORDS[flag] for flag in flags]


@router.get("/clinic/people/{person_id}", name="clinic_person")
def person_page(request: Request, pages: PagesDep, person_id: str,
                saved: str = "") -> Response:  # fmt: skip
    """The person's history and charts as they see them, with the prescription: the newest
    rows and the last days' charts, filtered as their history page is (dates, kinds, calf,
    how many rows, ``charts=all``: `calfcare.web.history_pages.read_filters`)."""
    account = clinician_of(request)
    pid = person_id_of(person_id)
    base, now = deps.base_store(request.app), auth.now()
    person = opened(base, account, pid, "history", now)
    name = shared_name(base, account, pid)
    cache = deps.app_read_cache(request.app).for_person(person)
    here = str(request.app.url_path_for("clinic_person", person_id=str(pid)))
    values = filter_values(request.query_params)
    context: dict[str, Any] = {
        "name": name, "person_id": pid, "saved": saved == "1", "own": False, "here": here,
        "prescribed": prescription_view(person, clinic.prescription_of(base, pid), now, cache),
        "flags": red_flag_words(person, now, cache), "current": "clinic", "kinds": KINDS,
        "filtered": is_filtered(values),
    }  # fmt: skip
    try:
        filters = read_filters(request.query_params)
    except InvalidInput as error:
        return form_page(request, pages, "clinic_person.html", status=422, values=values,
                         problems=error.problems, field_ids=HISTORY_FIELD_IDS, rows=[],
                         charts=[], total=0, show_all=None, chart_window=None,
                         charts_all=None, **{**context, "filtered": True})  # fmt: skip
    page = cache.get(filters.key, lambda: filters.page(cache))
    return pages.render(
        request, "clinic_person.html", values=values, problems=[], field_ids={},
        rows=page.rows, total=page.total, charts=page.charts, chart_window=page.chart_window,
        **page_links(request.query_params, filters, page), **context,
    )  # fmt: skip


def _defaults(found: Prescribed | None, today: date) -> dict[str, str]:
    """The form's fields: the prescription in force, or a gentle start."""
    if found is None:
        return {"calves": "left,right", "tools": "foam-roller", "intensity_cap": "gentle",
                "seconds_per_calf": "150", "sessions_per_week": "3", "weeks": "4",
                "start_day": today.isoformat(), "note": ""}  # fmt: skip
    p = found.prescription
    return {
        "calves": ",".join(c.value for c in p.calves),
        "tools": ",".join(t.value for t in p.tools),
        "intensity_cap": p.intensity_cap.value,
        "seconds_per_calf": str(p.seconds_per_calf),
        "sessions_per_week": str(p.sessions_per_week),
        "weeks": str(p.weeks),
        "start_day": today.isoformat(),
        "note": p.note,
    }


def _form(request: Request, pages: Pages, name: str, pid: int, values: dict[str, str],
          problems: list[Problem]) -> HTMLResponse:  # fmt: skip
    return form_page(
        request, pages, "clinic_prescribe.html", values=values, problems=problems,
        field_ids=FIELD_IDS, name=name, person_id=pid,
        current="clinic",
        legs=LEGS, tools=TOOLS, intensities=INTENSITIES, note_max=NOTE_MAX,
        seconds=(SECONDS_PER_CALF_MIN, SECONDS_PER_CALF_MAX),
        per_week=(SESSIONS_PER_WEEK.start, SESSIONS_PER_WEEK.stop - 1),
        weeks=(WEEKS.start, WEEKS.stop - 1),
    )  # fmt: skip


@router.get("/clinic/people/{person_id}/prescribe", name="clinic_prescribe")
def prescribe_page(request: Request, pages: PagesDep, person_id: str) -> HTMLResponse:
    """The prescription form, filled with the prescription in force (if any)."""
    account = clinician_of(request)
    pid = person_id_of(person_id)
    base, now = deps.base_store(request.app), auth.now()
    opened(base, account, pid, "prescription", now)
    name = shared_name(base, account, pid)
    values = _defaults(clinic.prescription_of(base, pid), services.today_of(now))
    return _form(request, pages, name, pid, values, [])


@router.post("/clinic/people/{person_id}/prescribe", name="clinic_prescribe_post")
async def prescribe_post(request: Request, pages: PagesDep, person_id: str) -> Response:
    """Save the prescription (it supersedes the one in force), or the form again naming
    each field to fix, with what was typed."""
    account = clinician_of(request)
    pid = person_id_of(person_id)
    base = deps.base_store(request.app)
    form = await request.form()
    tools = [t for t in form.getlist("tools") if isinstance(t, str)]

    def save(values: dict[str, str]) -> object:
        shared_name(base, account, pid)  # the 404 first: no word about anyone else
        now = auth.now()
        problems: list[Problem] = []
        start = optional_day(values.get("start_day", "").strip(), "start_day", problems)
        fields: dict[str, Any] = {
            "calves": [c for c in values.get("calves", "").split(",") if c], "tools": tools,
            "intensity_cap": values.get("intensity_cap", ""),
            "seconds_per_calf": number(values.get("seconds_per_calf", "")),
            "sessions_per_week": number(values.get("sessions_per_week", "")),
            "weeks": number(values.get("weeks", "")), "note": values.get("note", ""),
            "start_day": start or services.today_of(now),
        }  # fmt: skip
        if problems:  # a bad first day: name it with every other field to fix, save nothing
            try:
                prescription(**fields)
            except InvalidInput as error:
                problems += error.problems
            raise InvalidInput(problems)
        try:
            return clinic.prescribe(base, account, pid, now=now, **fields)
        except NotAllowed:
            raise not_shared() from None

    def refused(values: dict[str, str], problems: list[Problem]) -> Response:
        name = shared_name(base, account, pid)
        return _form(request, pages, name, pid, {**values, "tools": ",".join(tools)}, problems)

    return await submit(
        request, save, in_thread=True, refused=refused,
        done=lambda _: RedirectResponse(f"/clinic/people/{pid}?saved=1", status_code=303),
    )  # fmt: skip
