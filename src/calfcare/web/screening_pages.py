"""The screening as HTML pages: the same questions, rules and advice as `calfcare screen`.

``GET /screening`` asks which calves; every later page is a ``POST /screening`` carrying all
answers so far (see `calfcare.web.screening_form`), and the last one shows the verdict. The
verdict is rendered from the same `screening_report` the CLI's ``--json`` and the API return.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, Response

from calfcare import services
from calfcare.content.screening import load_screening_text
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.questionnaire import EMERGENCY_FIRST, Questionnaire, QuestionRef
from calfcare.core.report import screening_report
from calfcare.core.screening import screen
from calfcare.web.api import common
from calfcare.web.deps import StoreDep
from calfcare.web.route_index import Router
from calfcare.web.safety_gate import request_gate
from calfcare.web.screening_form import (
    ASKED_FIELD,
    CHOICES,
    LEGS_CHOICES,
    LEGS_FIELD,
    FormState,
    next_page,
    parse_form,
)
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

SECTIONS = ("Calves", "Emergency check", "About you", "Left calf", "Right calf", "Result")


@dataclass(frozen=True, slots=True)
class QuestionView:
    """One question as the form shows it."""

    name: str
    dom_id: str
    question: str
    why: str
    sources: list[str]


def _question_view(ref: QuestionRef) -> QuestionView:
    text = load_screening_text().question("general" if ref.scope == "general" else "leg", ref.id)
    calf = f"{ref.scope} calf"
    return QuestionView(
        name=ref.field,
        dom_id=ref.field.replace(".", "-"),
        question=text.question.replace("{calf}", calf),
        why=text.why.replace("{calf}", calf),
        sources=list(text.sources),
    )


def _section(refs: list[QuestionRef]) -> tuple[str, str]:
    """(progress section, page heading) for a page of questions."""
    first = refs[0]
    if first.scope == "general":
        if first.id == EMERGENCY_FIRST:
            return "Emergency check", "First, an emergency check"
        return "About you", "About you"
    section = f"{first.scope.capitalize()} calf"
    if all(ref.id == "pain_after_exercise" for ref in refs):
        return section, f"Your {first.scope} calf: about the pain"
    return section, f"Your {first.scope} calf"


def _legs_context(*, missing: bool) -> dict[str, Any]:
    return {
        "sections": SECTIONS,
        "section": "Calves",
        "choices": LEGS_CHOICES,
        "legs_field": LEGS_FIELD,
        "asked_field": ASKED_FIELD,
        "missing": missing,
    }


def _legs_page(request: Request, pages: Pages, *, missing: bool) -> HTMLResponse:
    status = 422 if missing else 200
    return pages.render(
        request, "screening_legs.html", status=status, **_legs_context(missing=missing)
    )


@router.get("/screening", name="screening")
async def start(request: Request, pages: PagesDep) -> HTMLResponse:
    """Which calves: the first page of the safety check. The same for everyone but the
    CSRF token, so it comes from the page cache."""
    return pages.render_cached(request, "screening_legs.html", **_legs_context(missing=False))


@router.post("/screening", name="screening_step")
async def step(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    """Record the answers just sent; show the next page of questions, or the verdict (the
    completed screening is recorded: it governs today's plans and sessions)."""
    state = await _read_state(request)
    if state.questionnaire is None:
        return _legs_page(request, pages, missing=True)
    missing = state.missing()
    refs = next_page(state.questionnaire)
    if refs:
        section, heading = _section(refs)
        return pages.render(
            request,
            "screening_step.html",
            status=422 if missing else 200,
            sections=SECTIONS,
            section=section,
            heading=heading,
            questions=[_question_view(ref) for ref in refs],
            missing={name.replace(".", "-") for name in missing},
            hidden=state.hidden_fields(),
            asked_field=ASKED_FIELD,
            choices=CHOICES,
        )
    report = _report(state.questionnaire)
    stopped = state.questionnaire.stopped_for_emergency()
    # A write: in a worker thread, so that other requests go on while it commits.
    record = await run_in_threadpool(services.record_screening, store, report, common.now())
    gate = await request_gate(request)
    return pages.render(
        request,
        "screening_result.html",
        sections=SECTIONS,
        section="Result",
        report=report,
        findings=state.questionnaire.shown_findings(report["findings"]),
        stopped_for_emergency=stopped,
        severe=report["verdict"] in ("urgent", "emergency"),
        massage_allowed=any(leg["massage_allowed"] for leg in report["legs"].values()),
        hidden=state.hidden_fields(),
        screening_id=record.id,
        hold=gate.state.hold,  # a check with nothing found does not lift it
    )


@router.post("/screening/answers.json", name="screening_answers")
async def download_answers(request: Request) -> Response:
    """The finished answers as a contract-v1 JSON file, for ``calfcare plan --screening``."""
    state = await _read_state(request)
    if state.questionnaire is None or next_page(state.questionnaire):
        raise InvalidInput([Problem("answers", "the screening is not finished")])
    return JSONResponse(
        state.questionnaire.answers().to_json(),
        headers={"content-disposition": 'attachment; filename="calfcare-screening.json"'},
    )


async def _read_state(request: Request) -> FormState:
    form = await request.form()
    return parse_form({k: v for k, v in form.items() if isinstance(v, str)})


def _report(questionnaire: Questionnaire) -> dict[str, Any]:
    return screening_report(screen(questionnaire.answers()), load_screening_text())
