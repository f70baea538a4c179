"""The private calendar feed (server mode): ``GET /calendar/{token}.ics``, public by its token.

A calendar application fetches it without a cookie, so the random token (192 bits, only its
hash stored: `services.clinic.create_feed`) is the whole permission. It answers the
prescription's sessions as ``text/calendar`` (`core.calendar`), or 404 for an unknown or
revoked token (or nothing prescribed), with the same short body whatever the reason: it says
nothing about the person, the clinician or whether the token ever existed. It is listed in
`web.auth`'s public routes by its exact shape, GET only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, Response

from calfcare.services import clinic
from calfcare.web import deps

router = APIRouter(include_in_schema=False)

MEDIA_TYPE = "text/calendar; charset=utf-8"
NOT_FOUND = "No calendar here: the link is unknown or was turned off."
TOKEN_MAX = 64


def ics(body: bytes, *, download: bool = False) -> Response:
    """An iCalendar answer (``download``: saved as a file rather than subscribed to)."""
    headers = {"Content-Disposition": 'attachment; filename="calf-massage.ics"'} if download else {}
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


def not_found() -> Response:
    return PlainTextResponse(NOT_FOUND, status_code=404)


@router.get("/calendar/{token}.ics", name="calendar_feed")
async def calendar_feed(request: Request, token: str) -> Response:
    """The prescribed sessions for a live feed link; 404 otherwise."""
    if not token or len(token) > TOKEN_MAX:
        return not_found()
    store = await run_in_threadpool(deps.base_store, request.app)
    body = await run_in_threadpool(clinic.feed_calendar, store, token)
    return not_found() if body is None else ics(body)
