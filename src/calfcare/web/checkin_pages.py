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

from datetime import timedelta
from functools import partial
from typing import Any, cast

from fastapi import Request
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
from calfcare.web.forms import (
    CLIENT_ID,
    DAY,
    SCORES,
    FormPage,
    given,
    see_other,
)
from calfcare.web.route_index import Router
from calfcare.web.templating import PagesDep

router = Router(include_in_schema=False)

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


def _note_context() -> tuple[dict[str, str], dict[str, Any]]:
    return {}, {"saved": None, "today": services.today_of(common.now()).isoformat()}


NOTE = FormPage("checkins.html", NOTE_IDS, _note_context, then="checkins")
"""The check-ins page, as the note form shows it again (refused)."""


def _save_note(store: Any, values: dict[str, str]) -> None:
    fields = given(values, {**DAY, **CLIENT_ID})
    save_note(store, {**fields, "text": values.get("text")}, common.now())


@router.post("/checkins/note", name="note_save")
async def note_save(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    return await NOTE.post(request, pages, partial(_save_note, store), saved="note")


def _soreness_context() -> tuple[dict[str, str], dict[str, Any]]:
    today = services.today_of(common.now()).isoformat()
    return {"day": today, "moment": "after"}, {"today": today, "moments": MOMENTS,
                                                "scores": RATINGS}  # fmt: skip


SORENESS = FormPage("checkin_soreness.html", SORENESS_IDS, _soreness_context, then="checkins")


@router.get("/checkins/soreness", name="checkin_soreness")
def checkin_soreness(request: Request, pages: PagesDep) -> HTMLResponse:
    """Soreness per calf, 0 to 10, before or right after a session."""
    moment = request.query_params.get("moment", "after")
    return SORENESS.show(request, pages, {"moment": moment if moment == "before" else "after"})


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
    return await SORENESS.post(request, pages, partial(_save_soreness, store), saved="soreness")


QUESTIONS = [
    (leg, sign, f"followup.{leg}.{sign}", SIGN_QUESTIONS[sign].format(leg=leg))
    for leg in ("left", "right")
    for sign in SIGNS
]
"""The next-day form's sign questions (leg, sign, field, question); the screening's own
breathlessness question follows them (`_pe_question`)."""
NEXT_DAY_IDS = {
    "day": "day",
    "score": "left-score-none",
    "left": "left-score-none",
    "right": "right-score-none",
    "followup": "followup-left-swelling-yes",
    f"followup.{PE_SIGNS}": f"followup-{PE_SIGNS}-yes",
} | {name: name.replace(".", "-") + "-yes" for _, _, name, _ in QUESTIONS}


def _next_day_context() -> tuple[dict[str, str], dict[str, Any]]:
    yesterday = (services.today_of(common.now()) - timedelta(days=1)).isoformat()
    questions = [*QUESTIONS, ("", PE_SIGNS, f"followup.{PE_SIGNS}", _pe_question())]
    return {"day": yesterday}, {"yesterday": yesterday, "scores": RATINGS,
                                "questions": questions, "sign_choices": SIGN_CHOICES}  # fmt: skip


NEXT_DAY = FormPage("checkin_next_day.html", NEXT_DAY_IDS, _next_day_context)


def _pe_question() -> str:
    """The screening's own ``pe_signs`` question, word for word."""
    from calfcare.content.screening import load_screening_text

    return load_screening_text().question("general", PE_SIGNS).question


@router.get("/checkins/next-day", name="checkin_next_day")
def checkin_next_day(request: Request, pages: PagesDep) -> HTMLResponse:
    """The day after a session: soreness per calf, and new swelling, redness or warmth."""
    return NEXT_DAY.show(request, pages)


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
    def done(found: str) -> Response:
        return see_other(request, "followup_result", {"screening_id": found})

    return await NEXT_DAY.post(request, pages, partial(_save_next_day, store), done)


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
