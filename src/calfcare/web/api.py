"""The JSON API under ``/api/``: the same functions and serialisation as the CLI's ``--json``.

``POST /api/screening`` reads the raw body and hands it to the core's `parse_answers`, so the
API rejects exactly what ``calfcare screen --answers`` rejects, naming every problem. The
OpenAPI document describes the bodies (calfcare.web.schemas) and every error status.

The screening is a pure function of the body: no clock, no database, no audit record, only
fixed content. So the encoded answer to a body is kept in a bounded LRU cache keyed by the
body's exact bytes (`_screening_body`): the same bytes always give the same answer, and a
body that fails is never stored, so each bad body is checked and refused afresh.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from functools import cache, lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from calfcare.content.learn import grade_json, load_grades, load_learn
from calfcare.content.screening import load_screening_text
from calfcare.content.sources import load_sources
from calfcare.core.answers import parse_answers
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.questionnaire import EMERGENCY_FIRST, Questionnaire
from calfcare.core.report import screening_report
from calfcare.core.screening import screen
from calfcare.core.screening_rules import PAIN, PAIN_AFTER_EXERCISE
from calfcare.web import schemas


class DirectRoute(APIRoute):
    """An `APIRoute` whose handler calls the endpoint with the request, or with nothing.

    FastAPI's own handler solves dependencies, reads parameters and serialises the return
    value on every request: about a fifth of the time of a cached answer, spent on routes
    that take no parameter and return a ready `Response`. This handler skips that layer
    (FastAPI's documented extension point, ``get_route_handler``); routing, the OpenAPI
    document, the error handlers and the middleware are unchanged. An endpoint that takes
    anything but the request, or is not ``async``, is refused when the route is made, so a
    parameter added later cannot be silently ignored.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = self.endpoint
        params = list(inspect.signature(endpoint).parameters.values())
        takes_request = [p.name for p in params] == ["request"]
        if not inspect.iscoroutinefunction(endpoint) or not (takes_request or not params):
            raise TypeError(
                f"{endpoint.__name__}: a DirectRoute endpoint must be async and take only "
                "`request` (or nothing)"
            )

        async def handler(request: Request) -> Response:
            response = await (endpoint(request) if takes_request else endpoint())
            assert isinstance(response, Response)
            return response

        return handler


router = APIRouter(prefix="/api", tags=["api"], route_class=DirectRoute)

JSON_TYPES = ("application/json",)


def _cited(ids: set[str]) -> dict[str, Any]:
    sources = load_sources()
    return {sid: sources[sid].model_dump() for sid in sorted(ids)}


@router.post(
    "/screening",
    name="api_screening",
    summary="Screen answers (screening contract v1)",
    response_model=schemas.ScreeningReport,
    responses=schemas.error_responses(400, 413, 415, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schemas.SCREENING_INPUT_SCHEMA}},
        }
    },
)
async def api_screening(request: Request) -> Response:
    """The verdict, each calf's level and flags, the findings and the advice. Any valid
    input gets a verdict (200, whatever the verdict); bad input gets no verdict (422)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise HTTPException(415, "Send the screening answers as application/json.")
    body = await request.body()
    if len(body) > MAX_CACHED_BODY:
        return _json(_screen_body(body))
    return _json(_screening_body(body))


MAX_CACHED_BODY = 4096
"""Bodies longer than this are screened every time, never kept: every valid screening input
is well under 1 KB, and the cache must not let a client store big keys."""


@lru_cache(maxsize=512)
def _screening_body(body: bytes) -> bytes:
    """`_screen_body`, remembered (at most 512 valid inputs of at most 4 KiB: a few MB)."""
    return _screen_body(body)


def _screen_body(body: bytes) -> bytes:
    """The encoded report for a request body; `InvalidInput` (`MalformedInput`: 400)."""
    data = parse_json(body)
    return _encode(screening_report(screen(parse_answers(data)), load_screening_text()))


@router.get(
    "/screening/questions",
    name="api_screening_questions",
    summary="The screening questions, in the order they are asked",
    response_model=schemas.QuestionsOut,
)
async def api_screening_questions() -> Response:
    """Every question with its "why we ask" help and sources, in the order the CLI and the
    web pages ask them (leg questions once per calf)."""
    return _json(_questions_body())


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


def _encode(data: Any) -> bytes:
    return bytes(JSONResponse(data).body)


# Content is fixed while the server runs, so each content endpoint's body is encoded once:
# async routes with a cached body run on the event loop with no thread hop and no
# re-serialisation (docs/performance.md).


@cache
def _questions_body() -> bytes:
    text = load_screening_text()
    questions: list[dict[str, Any]] = []
    for ref in Questionnaire(legs=(Leg.LEFT, Leg.RIGHT)).order():
        wording = text.question("general" if ref.scope == "general" else "leg", ref.id)
        calf = f"{ref.scope} calf"
        questions.append(
            {
                "field": ref.field,
                "scope": ref.scope,
                "id": ref.id,
                "question": wording.question.replace("{calf}", calf),
                "why": wording.why.replace("{calf}", calf),
                "sources": list(wording.sources),
                "asked_when": (
                    f"{ref.scope}.{PAIN} is true or unsure"
                    if ref.id == PAIN_AFTER_EXERCISE
                    else None
                ),
                "stops_for_emergency": ref.id == EMERGENCY_FIRST,
            }
        )
    cited = {sid for q in questions for sid in q["sources"]}
    return _encode(
        {
            "contract": 1,
            "answers": [True, False, "unsure"],
            "questions": questions,
            "sources": _cited(cited),
        }
    )


@router.get(
    "/learn",
    name="api_learn",
    summary="The guidance, with its sources",
    response_model=schemas.LearnOut,
)
async def api_learn() -> Response:
    """The same as ``calfcare learn --json``: sections of sourced items, the evidence grade
    of each health claim, and their sources."""
    return _json(_learn_body())


@cache
def _learn_body() -> bytes:
    sections = load_learn()
    grades = load_grades()
    cited = {sid for s in sections for item in s.item for sid in item.sources}
    cited |= {sid for g in grades for sid in g.sources}
    return _encode(
        {
            "sections": [s.model_dump() for s in sections],
            "grades": [grade_json(g) for g in grades],
            "sources": _cited(cited),
        }
    )


@router.get(
    "/sources", name="api_sources", summary="The source registry", response_model=schemas.SourcesOut
)
async def api_sources() -> Response:
    """Every source any content may cite, by id."""
    return _json(_sources_body())


@cache
def _sources_body() -> bytes:
    return _encode({"sources": {sid: s.model_dump() for sid, s in load_sources().items()}})
