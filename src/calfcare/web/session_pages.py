"""The live session page and the API that saves a finished session.

- ``GET /session?tool=&legs=&seconds=&intensity=&pace=&screening=`` builds the plan with the
  core planner (under a stored screening when one is named) and embeds it as JSON in a
  ``<script type="application/json">`` data block, which the CSP allows because it is never
  executed. ``static/session/app.js`` runs it with ``engine.js``. Without a query the page
  offers a small GET form to choose the plan.
- ``POST /api/sessions`` saves a finished session. The client sends the plan, its events and
  the result its engine produced; the server checks the plan (`parse_plan`) and the events
  (`parse_events`), replays them with the Python engine and refuses a result that differs
  (so no number outside the contract can be stored), then saves it under the client's id:
  a retried upload answers 200 with the stored session instead of saving it twice.
- The manifest and the service worker that keep this page for offline use: `calfcare.web.pwa`.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.plan_json import parse_plan, plan_to_json
from calfcare.core.records import (
    ID_PATTERN,
    ScreeningRecord,
    SessionRecord,
    TenderSpot,
    parse_tender_spot,
)
from calfcare.core.replay import parse_events, replay
from calfcare.core.routine import Plan
from calfcare.core.session_effort import DONE_SHARE
from calfcare.web import deps
from calfcare.web.api import schemas
from calfcare.web.safety_gate import Gate, read_gate, safety_first_page
from calfcare.web.templating import Pages, PagesDep

router = APIRouter()

QUERY_NAMES = {
    "tool": "tool",
    "legs": "legs",
    "seconds_per_calf": "seconds",
    "intensity": "intensity",
    "pace_per_minute": "pace",
}
"""Planner option → the query parameter the page reads (problems name the parameter)."""

MAX_EVENTS = 5000
FUTURE_TOLERANCE = timedelta(minutes=10)
"""How far ``ended_at`` may be ahead of the server's clock (the phone's clock may run fast)."""
MAX_AGE = timedelta(days=366)


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
    gate = await run_in_threadpool(read_gate, request.app)
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
        "advice": _sharp_pain_advice(),
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


def _sharp_pain_advice() -> str:
    from calfcare.content.routines import load_routines

    return load_routines().sharp_pain_advice


# -- saving a session ------------------------------------------------------------------------

_SAVE_REFUSED = "The session is not valid; nothing was saved."

MAX_TENDER_SPOTS = 20
"""More than any session can hold: a calf's 180 s fit at most six 30 s holds."""

SAVE_INPUT_SCHEMA: dict[str, Any] = {
    "title": "SessionUpload",
    "description": (
        "A finished live session. The server replays `events` on `plan` with the session "
        "engine and refuses a `result` that differs."
    ),
    "type": "object",
    "required": ["id", "plan", "events", "result", "ended_at"],
    "properties": {
        "id": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]{1,64}$",
            "description": "made by the client (a UUID): a retried upload is not saved twice",
        },
        "plan": {"type": "object", "description": "the routine contract's plan JSON"},
        "tender_spots": {
            "type": "array",
            "maxItems": MAX_TENDER_SPOTS,
            "description": "where the held tender spots were, as the person said after the "
            "session (optional): leg:height:side, height lower|middle|upper, side inner|outer",
            "items": {
                "type": "string",
                "pattern": "^(left|right):(lower|middle|upper):(inner|outer)$",
            },
        },
        "events": {
            "type": "array",
            "maxItems": MAX_EVENTS,
            "items": {
                "type": "object",
                "required": ["t", "event"],
                "properties": {
                    "t": {"type": "number", "minimum": 0},
                    "event": {
                        "enum": [
                            "tender_spot",
                            "release",
                            "pause",
                            "resume",
                            "skip",
                            "sharp_pain",
                            "quit",
                        ]
                    },
                },
            },
        },
        "result": {
            "type": "object",
            "description": "the routine contract's session JSON the client's engine produced",
        },
        "ended_at": {
            "type": "string",
            "format": "date-time",
            "description": "when the session ended, with a UTC offset",
        },
        "screening_id": {"type": ["string", "null"]},
    },
}


class SavedSession(BaseModel):
    """What ``POST /api/sessions`` answers: the stored session, in short."""

    id: str
    created: bool
    day: str
    outcome: str
    duration_seconds: float


def _save_responses() -> dict[int | str, dict[str, Any]]:
    described = {
        200: "This id was already saved with the same session (a retry): the stored session.",
        400: "The body is not valid JSON.",
        409: "This id is already stored with a different session.",
        413: "The body is too large.",
        415: "The body is not sent as application/json.",
        422: "The input is not valid: every offending field is named in `problems`.",
        503: "The database cannot be used right now; try again later.",
    }
    out: dict[int | str, dict[str, Any]] = {
        s: {"model": schemas.ErrorBody, "description": d} for s, d in described.items()
    }
    out[200] = {"model": SavedSession, "description": described[200]}
    return out


@router.post(
    "/api/sessions",
    name="api_save_session",
    tags=["api"],
    summary="Save a finished live session (idempotent on the client's id)",
    status_code=201,
    response_model=SavedSession,
    responses=_save_responses(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SAVE_INPUT_SCHEMA}},
        }
    },
)
async def api_save_session(request: Request) -> JSONResponse:
    """201 with the saved session; 200 when this id was already saved with the same session
    (the client retried); 409 when the id is taken by another session."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HTTPException(415, "Send the session as application/json.")
    data = parse_json(await request.body())  # bounded first: `calfcare.web.limits`
    record = session_record(data, datetime.now(UTC), _sharp_pain_advice())
    created = services.save_session(deps.app_store(request.app), record)
    return JSONResponse(_saved(record, created=created), status_code=201 if created else 200)


def _saved(record: SessionRecord, *, created: bool) -> dict[str, Any]:
    return {
        "id": record.id,
        "created": created,
        "day": record.day.isoformat(),
        "outcome": record.outcome.value,
        "duration_seconds": record.duration_seconds,
    }


def session_record(data: object, now: datetime, sharp_pain_advice: str) -> SessionRecord:
    """Check an upload and build the record to store; `InvalidInput` names every problem.

    The result is not trusted: the events are replayed on the plan with the Python engine and
    the upload's result must be that replay, number for number. The record is built like
    `calfcare.services.record_session` does, but under the client's id.
    """
    if not isinstance(data, dict):
        raise InvalidInput([Problem("(root)", "expected a JSON object")], _SAVE_REFUSED)
    problems: list[Problem] = []
    for key in ("id", "plan", "events", "result", "ended_at"):
        if key not in data:
            problems.append(Problem(key, "required"))
    session_id = data.get("id")
    if "id" in data and not (isinstance(session_id, str) and ID_PATTERN.fullmatch(session_id)):
        problems.append(Problem("id", "an id is 1 to 64 letters, digits, '-' or '_'"))
    plan = None
    if "plan" in data:
        try:
            plan = parse_plan(data["plan"])
        except InvalidInput as error:
            problems += [_under("plan", p) for p in error.problems]
    events = None
    raw_events = data.get("events")
    if isinstance(raw_events, list) and len(raw_events) > MAX_EVENTS:
        problems.append(Problem("events", f"{len(raw_events)} events; at most {MAX_EVENTS}"))
    elif "events" in data:
        try:
            events = parse_events(raw_events)
        except InvalidInput as error:
            problems += error.problems
    ended_at = _ended_at(data.get("ended_at"), now, problems) if "ended_at" in data else None
    screening_id = data.get("screening_id")
    if screening_id is not None and not (
        isinstance(screening_id, str) and ID_PATTERN.fullmatch(screening_id)
    ):
        problems.append(Problem("screening_id", "null, or the id of a stored safety check"))
        screening_id = None
    spots = _tender_spots(data.get("tender_spots", []), plan, problems)
    result = data.get("result")
    if "result" in data and not isinstance(result, dict):
        problems.append(Problem("result", "must be the session JSON object"))
    expected = None
    if plan is not None and events is not None:
        expected = replay(plan, events, sharp_pain_advice=sharp_pain_advice)
        if isinstance(result, dict):
            where = _first_difference(expected, result, "result")
            if where is not None:
                problems.append(Problem(where[0], where[1]))
    if problems:
        raise InvalidInput(problems, _SAVE_REFUSED)
    assert plan is not None and expected is not None and ended_at is not None
    assert isinstance(session_id, str)
    return services.session_from_result(
        plan, expected, ended_at, spots, screening_id=screening_id, session_id=session_id
    )


def _tender_spots(
    raw: object, plan: Plan | None, problems: list[Problem]
) -> tuple[TenderSpot, ...]:
    """Optional ``["left:middle:inner", ...]``: only calves in the plan, at most 20."""
    if not isinstance(raw, list) or len(raw) > MAX_TENDER_SPOTS:
        problems.append(
            Problem("tender_spots", f"a list of at most {MAX_TENDER_SPOTS} leg:height:side")
        )
        return ()
    spots: list[TenderSpot] = []
    for i, item in enumerate(raw):
        field = f"tender_spots.{i}"
        if not isinstance(item, str) or len(item) > 40:
            problems.append(Problem(field, "leg:height:side, e.g. left:middle:inner"))
            continue
        try:
            spot = parse_tender_spot(item, field)
        except InvalidInput as error:
            problems += error.problems
            continue
        if plan is not None and spot.leg not in {calf.leg for calf in plan.calves}:
            problems.append(Problem(field, f"the {spot.leg.value} calf is not in this plan"))
            continue
        spots.append(spot)
    return tuple(spots)


def _under(prefix: str, problem: Problem) -> Problem:
    field = prefix if problem.field == "(root)" else f"{prefix}.{problem.field}"
    return Problem(field, problem.message)


def _ended_at(value: object, now: datetime, problems: list[Problem]) -> datetime | None:
    message = "when the session ended: an ISO 8601 time with a UTC offset"
    if not isinstance(value, str) or len(value) > 40:
        problems.append(Problem("ended_at", message))
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        problems.append(Problem("ended_at", message))
        return None
    if when.tzinfo is None:
        problems.append(Problem("ended_at", message))
        return None
    if when > now + FUTURE_TOLERANCE:
        problems.append(Problem("ended_at", f"{value} is in the future"))
        return None
    if when < now - MAX_AGE:
        problems.append(Problem("ended_at", f"{value} is more than a year ago"))
        return None
    return when


def _first_difference(expected: Any, got: Any, path: str) -> tuple[str, str] | None:
    """Where ``got`` first differs from ``expected`` (JSON values; numbers by value)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return path, "must be an object"
        for key, value in expected.items():
            if key not in got:
                return f"{path}.{key}", "missing"
            found = _first_difference(value, got[key], f"{path}.{key}")
            if found:
                return found
        for key in got:
            if key not in expected:
                return f"{path}.{key}", "not part of the session JSON"
        return None
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return path, f"does not match the replay of the events ({len(expected)} entries)"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            found = _first_difference(a, b, f"{path}.{i}")
            if found:
                return found
        return None
    same: bool
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        same = type(got) is type(expected) and got == expected
    else:
        same = (
            not isinstance(got, bool)
            and isinstance(got, int | float)
            and math.isfinite(got)
            and got == expected
        )
    if same:
        return None
    return path, f"{got!r} does not match the replay of the events ({expected!r})"


__all__ = ["SavedSession", "router", "session_record"]
