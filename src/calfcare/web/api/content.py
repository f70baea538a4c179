"""The fixed content as JSON: the screening questions, the guidance and the sources.

Content is fixed while the server runs, so each content endpoint's body is encoded once:
async routes with a cached body run on the event loop with no thread hop and no
re-serialisation (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from calfcare.content.learn import grade_json, load_grades, load_learn
from calfcare.content.screening import load_screening_text
from calfcare.content.sources import load_sources
from calfcare.core.levels import Leg
from calfcare.core.questionnaire import EMERGENCY_FIRST, Questionnaire
from calfcare.core.screening_rules import PAIN, PAIN_AFTER_EXERCISE
from calfcare.web.api import schemas
from calfcare.web.api.common import DirectRoute, documented, json_body, json_response
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["api"], route_class=DirectRoute)


def _cited(ids: set[str]) -> dict[str, Any]:
    sources = load_sources()
    return {sid: sources[sid].model_dump() for sid in sorted(ids)}


def fixed(path: str, model: type[BaseModel]) -> Callable[[Callable[[], bytes]], Any]:
    """``GET /api{path}`` answering the bytes ``encode`` returns, encoded once (content is
    fixed while the server runs); the route is named and documented by ``encode``."""

    def register(encode: Callable[[], bytes]) -> Any:
        body = cache(encode)

        async def endpoint() -> Response:
            return json_response(body())

        router.add_api_route(
            path, endpoint, name=encode.__name__, response_model=model, **documented(encode)
        )
        return body

    return register


@fixed("/screening/questions", schemas.QuestionsOut)
def api_screening_questions() -> bytes:
    """The screening questions, in the order they are asked

    Every question with its "why we ask" help and sources, in the order the CLI and the
    web pages ask them (leg questions once per calf)."""
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
    return json_body(
        {
            "contract": 1,
            "answers": [True, False, "unsure"],
            "questions": questions,
            "sources": _cited(cited),
        }
    )


@fixed("/learn", schemas.LearnOut)
def api_learn() -> bytes:
    """The guidance, with its sources

    The same as ``calfcare learn --json``: sections of sourced items, the evidence grade
    of each health claim, and their sources."""
    sections = load_learn()
    grades = load_grades()
    cited = {sid for s in sections for item in s.item for sid in item.sources}
    cited |= {sid for g in grades for sid in g.sources}
    return json_body(
        {
            "sections": [s.model_dump() for s in sections],
            "grades": [grade_json(g) for g in grades],
            "sources": _cited(cited),
        }
    )


@fixed("/sources", schemas.SourcesOut)
def api_sources() -> bytes:
    """The source registry

    Every source any content may cite, by id."""
    return json_body({"sources": {sid: s.model_dump() for sid, s in load_sources().items()}})
