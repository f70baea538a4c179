"""The live session page (saving a finished session: `calfcare.web.session_save`; the
manifest and the service worker that keep this page for offline use: `calfcare.web.pwa`).

- ``GET /session?tool=&legs=&seconds=&intensity=&pace=&screening=`` builds the plan with the
  core planner (under a stored screening when one is named) and embeds it as JSON in a
  ``<script type="application/json">`` data block, which the CSP allows because it is never
  executed. ``static/session/app.js`` runs it with ``engine.js``. Without a query the page
  offers a small GET form to choose the plan.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.plan_json import plan_to_json
from calfcare.core.records import ID_PATTERN, ScreeningRecord
from calfcare.core.routine import Plan
from calfcare.core.session_effort import DONE_SHARE
from calfcare.web import deps
from calfcare.web.route_index import Router
from calfcare.web.safety_gate import Gate, request_gate, safety_first_page
from calfcare.web.session_upload import sharp_pain_advice
from calfcare.web.templating import Pages, PagesDep

router = Router()

QUERY_NAMES = {
    "tool": "tool",
    "legs": "legs",
    "seconds_per_calf": "seconds",
    "intensity": "intensity",
    "pace_per_minute": "pace",
}
"""Planner option → the query parameter the page reads (problems name the parameter)."""


# -- the page --------------------------------------------------------------------------------

PRELOAD = (
    ("calfcare.css", "preload; as=style"),
    ("session/session.css", "preload; as=style"),
    ("session/engine.js", "modulepreload"),
    ("session/app.js", "modulepreload"),
)
"""What the live page needs before Start works, announced in a ``Link`` header: the browser
fetches them as soon as the response arrives, before it has parsed the HTML."""


def _link(request: Request) -> dict[str, str]:
    """The ``Link`` header naming `PRELOAD`, built once per app (routes never change)."""
    state = request.app.state
    link: str | None = getattr(state, "session_link", None)
    if link is None:
        url = request.app.url_path_for
        link = state.session_link = ", ".join(
            f"<{url('static', path=p)}>; rel={rel}" for p, rel in PRELOAD
        )
    return {"link": link}


@router.get("/session", name="session", include_in_schema=False)
async def session_page(request: Request, pages: PagesDep) -> Response:
    """The live session for the plan in the query, or a form to choose one; or, instead,
    what today's safety state asks first (`calfcare.web.safety_gate`): the hold, a new
    safety check, or a calf's sharp-pain check.

    ``async`` and served from the app's page cache (`Pages.render_cached`, per full query
    string and safety state): the page is on the way to a usable Start button, and it is a
    function of its query and the state alone (the plan is computed only when the page is
    rendered), unless a safety check governs it (today's recorded one, or one the query
    names) or a pain check waits: then it is read from the database in a worker thread and
    never cached.
    """
    gate = await request_gate(request)
    query = request.url.query
    back = "/session" + (f"?{query}" if query else "")
    if gate.blocked:
        return safety_first_page(request, pages, gate, Leg, what="session", back=back)
    if not request.query_params:
        return pages.render_cached(
            request, "session.html", vary=gate.key, data=None, plan=None, screened=False
        )
    headers = _link(request)
    if gate.state.pain_checks or gate.screening is not None or "screening" in request.query_params:
        response = await run_in_threadpool(_live_or_ask, request, pages, gate, back)
        response.headers.update(headers)
        return response
    return pages.render_cached(
        request,
        "session.html",
        vary=gate.key,
        headers=headers,
        make_context=lambda: _live_context(request, gate),
    )


def _live_or_ask(request: Request, pages: Pages, gate: Gate, back: str) -> Response:
    """The live page, or the pain check of a calf it would massage."""
    context = _live_context(request, gate)
    planned = [calf.leg for calf in context["plan"].calves]
    if gate.pain_checks(planned):
        rest = [leg for leg in planned if gate.state.legs[leg].pain_check is None]
        alternatives = []
        if rest:
            query = [(k, v) for k, v in request.query_params.multi_items() if k != "legs"]
            query.append(("legs", ",".join(leg.value for leg in rest)))
            words = " and ".join(f"{leg.value} calf" for leg in rest)
            alternatives.append((f"/session?{urlencode(query)}", f"A session of the {words} only"))
        return safety_first_page(
            request, pages, gate, planned, what="session", back=back, alternatives=alternatives
        )
    return pages.render(request, "session.html", **context)


def _live_context(request: Request, gate: Gate) -> dict[str, Any]:
    """The live page's context for the plan in the query (``InvalidInput`` names a bad
    option)."""
    plan, screening_id = _plan_from_query(request, gate)
    data = {
        "plan": plan_to_json(plan),
        "advice": sharp_pain_advice(),
        "screening_id": screening_id,
        "save_url": request.app.url_path_for("api_save_session"),
        "key": str(request.url.query),
        "done_share": DONE_SHARE,
    }
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    # Inside a <script> data block, "<" could end the element early: escape every one.
    text = text.replace("<", "\\u003c")
    total = sum(step.seconds for calf in plan.calves for step in calf.steps)
    return {
        "data": text,
        "plan": plan,
        "screened": screening_id is not None,
        "recorded": gate.screening is not None,
        "asked": request.query_params.get("intensity", "standard"),
        "total": total,
    }


def _plan_from_query(request: Request, gate: Gate) -> tuple[Plan, str | None]:
    """The plan of the query's options, under the safety check that governs: today's
    recorded one, else the stored one the query names (checked either way), else none."""
    from calfcare.content.routines import load_routines
    from calfcare.core.planner import parse_plan_options, plan

    query = request.query_params
    raw: dict[str, object] = {}
    problems: list[Problem] = []
    by_param = {v: k for k, v in QUERY_NAMES.items()}
    for name, value in query.multi_items():
        if name == "screening":
            continue
        if name not in by_param:
            problems.append(Problem(name, f"unknown; use {', '.join(QUERY_NAMES.values())}"))
        elif value != "":
            raw[by_param[name]] = value
    try:
        options = parse_plan_options(raw)
    except InvalidInput as error:
        problems += [Problem(QUERY_NAMES.get(p.field, p.field), p.message) for p in error.problems]
    if problems:
        raise InvalidInput(problems, "The session's plan options are not valid.")
    named = query.get("screening") or None
    record = _stored_screening(request, named) if named is not None else None
    if gate.screening is not None:
        record = gate.screening  # today's recorded check governs
    if record is None:
        return plan(options, load_routines()), None
    result, advice = _screening(record)
    return plan(options, load_routines(), result, screening_advice=advice), record.id


def _stored_screening(request: Request, screening_id: str) -> ScreeningRecord:
    record = None
    if ID_PATTERN.fullmatch(screening_id):
        with deps.app_store(request.app).transaction() as tx:
            record = tx.screening(screening_id)
    if record is None:
        raise InvalidInput([Problem("screening", "no stored safety check has this id")])
    return record


def _screening(record: ScreeningRecord) -> tuple[Any, str]:
    """A stored screening, screened again by today's rules, and its advice."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.screening import screen

    result = screen(parse_answers(dict(record.answers)))
    return result, load_screening_text().advice_for(result)


__all__ = ["router"]
