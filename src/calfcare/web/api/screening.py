"""``POST /api/screening``: screen answers, a pure function of the body.

The route reads the raw body and hands it to the core's `parse_answers`, so the API rejects
exactly what ``calfcare screen --answers`` rejects, naming every problem. The OpenAPI
document describes the body (`calfcare.web.api.bodies.SCREENING`).

The screening is a pure function of the body: no clock, no database, no audit record, only
fixed content. So the encoded answer to a body is kept in a bounded LRU cache keyed by the
body's exact bytes (`_screening_body`): the same bytes always give the same answer, and a
body that fails is never stored, so each bad body is checked and refused afresh.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from starlette.responses import Response

from calfcare.content.screening import load_screening_text
from calfcare.core.answers import parse_answers
from calfcare.core.json_input import parse_json
from calfcare.core.report import screening_report
from calfcare.core.screening import screen
from calfcare.web.api import schemas
from calfcare.web.api.bodies import SCREENING, json_bytes
from calfcare.web.api.common import DirectRoute, json_body, json_response, write_route
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["api"], route_class=DirectRoute)


@write_route(router, "/screening", SCREENING, schemas.ScreeningReport, storage=False)
async def api_screening(request: Request) -> Response:
    """Screen answers (screening contract v1)

    The verdict, each calf's level and flags, the findings and the advice. Any valid
    input gets a verdict (200, whatever the verdict); bad input gets no verdict (422)."""
    data = await json_bytes(request, "the screening answers")
    if len(data) > MAX_CACHED_BODY:
        return json_response(_screen_body(data))
    return json_response(_screening_body(data))


MAX_CACHED_BODY = 4096
"""Bodies longer than this are screened every time, never kept: every valid screening input
is well under 1 KB, and the cache must not let a client store big keys."""


@lru_cache(maxsize=512)
def _screening_body(data: bytes) -> bytes:
    """`_screen_body`, remembered (at most 512 valid inputs of at most 4 KiB: a few MB)."""
    return _screen_body(data)


def _screen_body(data: bytes) -> bytes:
    """The encoded report for a request body; `InvalidInput` (`MalformedInput`: 400)."""
    answers = parse_json(data)
    return json_body(screening_report(screen(parse_answers(answers)), load_screening_text()))
