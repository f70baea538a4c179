"""The plan builder: a routine for a tool, shaped by today's safety check when there is one.

``GET /plan`` shows the options form. The screening's verdict page posts its answers to
``POST /plan/from-screening``, which shows the same form carrying them as one hidden field
(the contract-v1 answers as JSON: the same trust as ``calfcare plan --screening FILE``,
checked again by ``parse_answers`` on every post). ``POST /plan`` builds the plan with the
same functions as the CLI (`calfcare.web.api.plan.make_plan`) and shows it with each
step's cue, why and sources, and a link that starts the live session with these options.
Building a plan saves nothing, so the result is rendered directly (no redirect needed). The
form itself: `calfcare.web.plan_form`.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, PlanBlocked, Problem
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.prescription import prescription_words
from calfcare.core.routine import Plan
from calfcare.core.tracking import SplitLegDay
from calfcare.web.api.common import now
from calfcare.web.api.plan import make_plan
from calfcare.web.deps import app_store
from calfcare.web.forms import form_values
from calfcare.web.plan_form import FIELD_IDS, TOOLS, form_context, show_form
from calfcare.web.prescribed import cap_intensity, plan_values, prescribed_for
from calfcare.web.safety_gate import Gate, read_gate, safety_first_page
from calfcare.web.screening_form import next_page, parse_form
from calfcare.web.templating import Pages, PagesDep

router = APIRouter(include_in_schema=False)
STEP_NAMES = {
    "position": "Get into position",
    "passes": "Passes",
    "hold": "Hold a tender spot",
    "active_release": "Active release",
    "pressure": "Pressure",
    "strokes": "Strokes",
    "switch": "Switch calves",
}


def _today_coin(request: Request) -> SplitLegDay | None:
    today = services.today_of(now())
    store = app_store(request.app)
    with store.transaction() as tx:
        found = tx.split_leg_days(today, today)
    return found[0] if found else None


@router.get("/plan", name="plan")
async def plan_form(request: Request, pages: PagesDep) -> HTMLResponse:
    """The options: tool, calves, seconds per calf, intensity, pace. ``?split_leg=1`` plans
    only the calf today's stored coin picked.

    Without ``split_leg`` the form depends only on the query string, so it comes from the
    page cache; with it, today's coin is read from the database in a worker thread and the
    page is rendered for this request only."""
    params = {k: v for k, v in request.query_params.items() if k in FIELD_IDS}
    gate = await run_in_threadpool(read_gate, request.app)
    if gate.blocked:
        return safety_first_page(request, pages, gate, Leg, what="routine", back="/plan")
    if request.query_params.get("split_leg") != "1":
        found = await prescribed_for(request)  # server mode: the form starts from it
        vary: object = gate.key
        if found is None:
            context = form_context(params, gate=gate)
        else:
            words = prescription_words(found.prescription)
            values = {**plan_values(found.prescription), **params}
            context, vary = form_context(values, gate=gate, prescription=words), (gate.key, words)
        return pages.render_cached(request, "plan_form.html", vary=vary, **context)
    coin = await run_in_threadpool(_today_coin, request)
    if coin is not None:
        params["legs"] = coin.massaged.value
    return show_form(request, pages, params, split_leg=coin or False, gate=gate)


@router.post("/plan/from-screening", name="plan_from_screening")
async def plan_from_screening(request: Request, pages: PagesDep) -> HTMLResponse:
    """The plan form, carrying the answers of the safety check just finished."""
    state = parse_form(await form_values(request))
    if state.questionnaire is None or next_page(state.questionnaire):
        raise InvalidInput([Problem("answers", "the safety check is not finished")])
    answers = state.questionnaire.answers()
    gate = await run_in_threadpool(read_gate, request.app)
    if gate.blocked:
        return safety_first_page(request, pages, gate, Leg, what="routine", back="/plan")
    legs = ",".join(leg.value for leg in answers.legs)
    screening = json.dumps(answers.to_json(), separators=(",", ":"))
    return show_form(request, pages, {"legs": legs}, screening=screening, gate=gate)


@router.post("/plan", name="plan_build")
async def plan_build(request: Request, pages: PagesDep) -> Response:
    """Build and show the plan; bad options come back on the form (422), a plan the
    screening rules out shows its advice (409)."""
    values = await form_values(request)
    screening_text = values.get("screening", "")
    split = values.get("split_leg") == "1"
    raw: dict[str, object] = {k: values[k] for k in FIELD_IDS if values.get(k, "") != ""}
    problems: list[Problem] = []
    screening: object | None = None
    if screening_text:
        try:
            screening = parse_json(
                screening_text, field="screening", prefix="screening", source="The answers"
            )
        except InvalidInput as error:
            problems += error.problems
    gate = await run_in_threadpool(read_gate, request.app)
    if gate.blocked:
        return safety_first_page(
            request, pages, gate, Leg, what="routine", back="/plan", status=409
        )
    if gate.answers is not None:
        screening = gate.answers  # today's recorded check governs (module docstring)
    coin = _today_coin(request) if split else None
    if split and coin is None:
        problems.append(Problem("split_leg", "draw today's coin first (Insights → split-leg)"))
    elif coin is not None and raw.get("legs") != coin.massaged.value:
        problems.append(
            Problem("legs", f"today's coin picked your {coin.massaged.value} calf: plan only it")
        )
    found = await prescribed_for(request)  # never firmer than the physio's cap
    lowered = None if found is None else cap_intensity(raw, found.prescription)
    made: Plan | None = None
    try:
        made = make_plan(raw, screening)
    except InvalidInput as error:
        problems += error.problems
    except PlanBlocked as blocked:
        if not problems:
            return _blocked_page(request, pages, blocked, screening)
    if problems or made is None:
        if any(p.field.startswith("screening") for p in problems):
            # Hidden answers that do not parse were altered: no form to send them back on.
            raise InvalidInput(problems, "The plan options are not valid.")
        return show_form(
            request,
            pages,
            values,
            screening=screening_text,
            split_leg=(coin or False) if split else None,
            problems=problems,
            status=422,
        )
    change_query = urlencode(
        {k: v for k, v in values.items() if k in FIELD_IDS} | ({"split_leg": "1"} if split else {})
    )
    planned = [calf.leg for calf in made.calves]
    if gate.pain_checks(planned):
        return safety_first_page(
            request,
            pages,
            gate,
            planned,
            what="routine",
            back=f"/plan?{change_query}",
            alternatives=_without_sore_calf(values, gate, planned),
            status=409,
        )
    return pages.render(
        request,
        "plan.html",
        plan=made,
        step_names=STEP_NAMES,
        tool_name=dict(TOOLS)[made.tool.value],
        session_query=session_query(made, split_leg=split),
        change_query=change_query,
        split_leg=coin,
        screened=screening is not None,
        recorded=gate.answers is not None,
        asked=str(raw.get("intensity", values.get("intensity", "standard"))),
        lowered=lowered,
    )


def _without_sore_calf(
    values: dict[str, str], gate: Gate, planned: list[Leg]
) -> list[tuple[str, str]]:
    """A link to the same plan without the calves whose pain check is pending (if any
    calf is left)."""
    rest = [leg for leg in planned if gate.state.legs[leg].pain_check is None]
    if not rest:
        return []
    query = {k: v for k, v in values.items() if k in FIELD_IDS and k != "legs"}
    query["legs"] = ",".join(leg.value for leg in rest)
    words = " and ".join(f"{leg.value} calf" for leg in rest)
    return [(f"/plan?{urlencode(query)}", f"Plan the {words} only")]


def session_query(made: Plan, *, split_leg: bool) -> str:
    """The live session page's query: tool, legs, seconds, intensity, pace[, split_leg]."""
    query: dict[str, str] = {
        "tool": made.tool.value,
        "legs": ",".join(c.leg.value for c in made.calves),
        "seconds": str(made.seconds_per_calf),
        "intensity": made.intensity.value,
    }
    if made.pace_per_minute is not None:
        query["pace"] = str(made.pace_per_minute)
    if split_leg:
        query["split_leg"] = "1"
    return urlencode(query)


def _blocked_page(
    request: Request, pages: Pages, blocked: PlanBlocked, screening: object
) -> HTMLResponse:
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.report import screening_report
    from calfcare.core.screening import screen

    report = screening_report(screen(parse_answers(screening)), load_screening_text())
    return pages.render(
        request,
        "plan_blocked.html",
        status=409,
        blocked=blocked,
        report=report,
        severe=blocked.verdict in ("urgent", "emergency"),
    )
