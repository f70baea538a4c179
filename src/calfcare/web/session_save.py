"""``POST /api/sessions``: save a finished live session, checked and replayed first
(`calfcare.web.session_upload.session_record`), under the client's id: a retried upload
answers 200 with the stored session instead of saving it twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from calfcare import services
from calfcare.core.json_input import parse_json
from calfcare.core.records import SessionRecord
from calfcare.web import deps
from calfcare.web.api import schemas
from calfcare.web.route_index import Router
from calfcare.web.session_upload import (
    MAX_EVENTS,
    MAX_TENDER_SPOTS,
    session_record,
    sharp_pain_advice,
)

router = Router()

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
    at = datetime.now(UTC)
    record = session_record(data, at, sharp_pain_advice())
    created = services.save_session(deps.app_store(request.app), record, at)
    return JSONResponse(_saved(record, created=created), status_code=201 if created else 200)


def _saved(record: SessionRecord, *, created: bool) -> dict[str, Any]:
    return {
        "id": record.id,
        "created": created,
        "day": record.day.isoformat(),
        "outcome": record.outcome.value,
        "duration_seconds": record.duration_seconds,
    }


__all__ = ["SavedSession", "router", "session_record"]
