"""The check-in pages: what to record, a note, soreness before or after a session, and the
next-day check-in with its follow-up (the knee-to-wall test and a session logged by hand:
`calfcare.web.log_pages`).

Every form goes through `calfcare.web.forms.submit`: checked by the same functions as the
JSON API (`calfcare.web.api.checkins`), refused with every bad field named, or saved and
redirected. The next-day check-in asks about new swelling, redness or warmth in each calf;
the answers go through the real screening rules (`calfcare.services.log_soreness`), and the
page it redirects to shows the stored follow-up: an urgent result as the screening's own
red alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, cast

from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.core.client_ids import follow_up_id
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.followup import PE_SIGNS, SIGNS
from calfcare.core.levels import Level
from calfcare.core.records import ScreeningKind
from calfcare.web import forms
from calfcare.web.api import common
from calfcare.web.api.checkins import save_note, save_soreness
from calfcare.web.deps import StoreDep
from calfcare.web.forms import CLIENT_ID, DAY, SCORES, form_page, given, see_other, submit
from calfcare.web.templating import Pages, PagesDep

router = APIRouter(include_in_schema=False)

RATINGS = tuple(range(11))
SIGN_CHOICES = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))
SIGN_WORDS: dict[str, object] = {"yes": True, "no": False, "unsure": "unsure"}
SIGN_QUESTIONS = {
    "swelling": "New swelling in your {leg} calf since the session, that no injury explains?",
    "redness": "New redness in your {leg} calf?",
    "warmth": "New warmth in your {leg} calf (it feels warmer than the other one)?",
}
MOMENTS = (("before", "Before the session"), ("after", "Right after the session"))
SAVED = {
    "soreness": "Your soreness rating is saved.",
    "mobility": "Your knee-to-wall test is saved.",
    "note": "Your note is saved.",
    "session": "Your session is saved. Rate your soreness now, and again tomorrow.",
}
NOTE_IDS = {"text": "note-text", "day": "note-day"}
SORENESS_IDS = {
    "day": "day",
    "moment": "moment-0",
    "score": "left-score-none",
    "left": "left-score-none",
    "right": "right-score-none",
    "session_id": "day",
}


@router.get("/checkins", name="checkins")
async def checkins(request: Request, pages: PagesDep) -> HTMLResponse:
    """What to record: soreness after a session, the next-day check-in, a knee-to-wall test,
    a session done without the coach, a note."""
    today = services.today_of(common.now()).isoformat()
    return pages.render_cached(
        request,
        "checkins.html",
        vary=("today", today),
        saved=SAVED.get(request.query_params.get("saved", "")),
        today=today,
        problems=[],
        field_ids=NOTE_IDS,
        values={},
    )


@router.post("/checkins/note", name="note_save")
async def note_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    def save(values: dict[str, str]) -> None:
        fields = given(values, {**DAY, **CLIENT_ID})
        save_note(store, {**fields, "text": values.get("text")}, common.now())

    def refused(values: dict[str, str], problems: list[Problem]) -> Response:
        today = services.today_of(common.now()).isoformat()
        return form_page(request, pages, "checkins.html", status=422, values=values,
                         problems=problems, field_ids=NOTE_IDS, saved=None,
                         today=today)  # fmt: skip

    return await submit(
        request, save, refused=refused, done=lambda _: see_other(request, "checkins", saved="note")
    )


def _soreness_page(
    request: Request, pages: Pages, values: Mapping[str, str], problems: list[Problem]
) -> HTMLResponse:
    today = services.today_of(common.now())
    return form_page(
        request,
        pages,
        "checkin_soreness.html",
        status=422 if problems else 200,
        values={"day": today.isoformat(), "moment": "after", **values},
        problems=problems,
        field_ids=SORENESS_IDS,
        today=today.isoformat(),
        moments=MOMENTS,
        scores=RATINGS,
    )


@router.get("/checkins/soreness", name="checkin_soreness")
def checkin_soreness(request: Request, pages: PagesDep) -> HTMLResponse:
    """Soreness per calf, 0 to 10, before or right after a session."""
    moment = request.query_params.get("moment", "after")
    return _soreness_page(request, pages, {"moment": moment if moment == "before" else "after"}, [])


def _save_soreness(store: Any, values: dict[str, str]) -> None:
    """Before or right after a session (the next day has its own form, with the follow-up);
    any other moment is named with every other problem (as the API does), saving nothing."""
    moment = values.get("moment", "")
    data = {**given(values, {**DAY, **SCORES, **CLIENT_ID}), "moment": moment}
    if moment in ("before", "after"):
        save_soreness(store, data, common.now())
        return
    problems = [Problem("moment", "choose before or right after the session")]
    when = common.now()
    try:
        services.soreness_records(
            day=common.parse_day(data.get("day"), services.today_of(when)),
            scores={leg: data[leg] for leg in ("left", "right") if leg in data},
            moment="after",
            now=when,
        )
    except InvalidInput as error:
        problems += error.problems
    raise InvalidInput(problems)


@router.post("/checkins/soreness", name="checkin_soreness_save")
async def checkin_soreness_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await submit(
        request,
        lambda values: _save_soreness(store, values),
        refused=lambda values, problems: _soreness_page(request, pages, values, problems),
        done=lambda _: see_other(request, "checkins", saved="soreness"),
    )


def _next_day_page(
    request: Request, pages: Pages, values: Mapping[str, str], problems: list[Problem]
) -> HTMLResponse:
    yesterday = services.today_of(common.now()) - timedelta(days=1)
    questions = [
        (leg, sign, f"followup.{leg}.{sign}", SIGN_QUESTIONS[sign].format(leg=leg))
        for leg in ("left", "right")
        for sign in SIGNS
    ]
    questions.append(("", PE_SIGNS, f"followup.{PE_SIGNS}", _pe_question()))
    return form_page(
        request,
        pages,
        "checkin_next_day.html",
        status=422 if problems else 200,
        values={"day": yesterday.isoformat(), **values},
        problems=problems,
        yesterday=yesterday.isoformat(),
        scores=RATINGS,
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


def _save_next_day(store: Any, values: dict[str, str]) -> str:
    """Save the next-day check-in; the id of the follow-up screening it stored."""
    when = common.now()
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
        **given(values, {**DAY, **SCORES, **CLIENT_ID}),
        "moment": "next_day",
        "followup": followup,
    }
    save_soreness(store, data, when)
    once = forms.client_id(values)
    # The follow-up saved now, or by the first of a repeat.
    record_id = follow_up_id(once) if once is not None else _followup_id(store, when)
    if record_id is None:  # cannot happen: saved in the same transaction
        raise HTTPException(500)
    return record_id


@router.post("/checkins/next-day", name="checkin_next_day_save")
async def checkin_next_day_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await submit(
        request,
        lambda values: _save_next_day(store, values),
        refused=lambda values, problems: _next_day_page(request, pages, values, problems),
        done=lambda found: see_other(request, "followup_result", {"screening_id": found}),
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
