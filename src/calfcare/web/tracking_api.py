"""The JSON API for the plan, the check-ins, history, export and import: the same services,
validation and serialisation as the CLI (insights and the split-leg experiment:
`calfcare.web.split_leg_api`).

Each endpoint reads the raw JSON body (``application/json`` only: 415 otherwise, 400 when it
is not JSON) and hands the values to the same `calfcare.services` / `calfcare.core` functions
the CLI calls, so a bad field gets the same `InvalidInput` (422, every problem named at once).
Dates are ``YYYY-MM-DD`` strings. The request bodies are described with hand-written JSON
schemas (documentation, not validation), like ``POST /api/screening``.

The helpers at the top (`make_plan`, `history_rows`, `cached_json`, ...) are shared with
the HTML pages (`calfcare.web.plan_pages`, `calfcare.web.tracking_pages`).

Reads (records, stats, export) answer from the app's `calfcare.services.ReadCache`:
the encoded body is computed once per data version and filter set, and any write, from
this process or another, moves the version and so invalidates it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar, cast

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core import export_format
from calfcare.core.client_ids import client_id_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import parse_json
from calfcare.core.record_views import MAX_LIMIT
from calfcare.core.records import RecordSet
from calfcare.core.routine import Plan
from calfcare.web import schemas
from calfcare.web.api import DirectRoute
from calfcare.web.deps import StoreDep, get_read_cache

router = APIRouter(prefix="/api", tags=["tracking"])

KINDS = ("session", "soreness", "mobility", "note", "screening")
LEGS = ("left", "right")
T = TypeVar("T")
DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
JSON_TYPES = ("application/json",)


# -- helpers shared with the pages -----------------------------------------------------------


def now() -> datetime:
    """The current moment, aware, in local time (what the CLI uses)."""
    return datetime.now().astimezone()


def parse_day(value: object, default: date) -> object:
    """``"2026-11-24"`` → a date; None (the field left out) → ``default``; anything else is
    passed on unchanged for the core to refuse with its own message ("give a calendar date").

    ``""`` is not a day: the schema says ``format: date``, and a client that sends an empty
    string has a bug that "today" would hide. Only the HTML forms read a blank field as left
    out (`calfcare.web.tracking_pages`), because a browser sends every field, filled or not."""
    if value is None:
        return default
    if isinstance(value, str) and DAY_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def optional_day(value: str | None, name: str, problems: list[Problem]) -> date | None:
    """A filter date (``since``/``until``), exactly ``YYYY-MM-DD``, or None for none or
    empty; a problem names a bad one. Any calendar date reads (``9999-12-31``: no bound)."""
    if value is None or value == "":
        return None
    parsed = parse_day(value, date.min)
    if not isinstance(parsed, date):
        problems.append(Problem(name, f"{value!r}: give a calendar date (YYYY-MM-DD)"))
        return None
    return parsed


def make_plan(raw: Mapping[str, object], screening: object | None) -> Plan:
    """Options and optional screening answers (contract v1 input) in, a checked plan out;
    the same steps as ``calfcare plan --screening`` (`calfcare.cli.plan.make_plan`)."""
    from calfcare.content.routines import load_routines
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.planner import parse_plan_options, plan
    from calfcare.core.screening import screen

    problems: list[Problem] = []
    options = None
    try:
        options = parse_plan_options(raw)
    except InvalidInput as error:
        problems += error.problems
    result = None
    if screening is not None:
        try:
            result = screen(parse_answers(screening))
        except InvalidInput as error:
            problems += [Problem(f"screening.{p.field}", p.message) for p in error.problems]
    if problems:
        raise InvalidInput(problems, "The plan options are not valid.")
    assert options is not None
    content = load_routines()
    if result is None:
        return plan(options, content)
    advice = load_screening_text().advice_for(result)
    return plan(options, content, result, screening_advice=advice)


def history_rows(records: RecordSet, kinds: set[str], leg: str | None) -> list[dict[str, Any]]:
    """The rows of ``calfcare history --json`` (the CLI's own function)."""
    from calfcare.core.record_views import history_rows as rows

    return rows(records, kinds, leg)


def json_body(content: Any) -> bytes:
    """``content`` encoded exactly as `JSONResponse` encodes it (to cache the bytes)."""
    return bytes(JSONResponse(content).body)


async def cached(
    cache: services.ReadCache, key: tuple[Any, ...], compute: Callable[[], T]
) -> tuple[int, T]:
    """``(data version, value)`` for ``key`` from the read cache. A hit is answered here,
    on the event loop (one small query for the version, no thread hop: that hop cost half
    the throughput); a miss is computed in a worker thread, never on the loop."""
    version, value = cache.peek(key)
    if value is services.MISSING:
        return await run_in_threadpool(cache.get_at, key, compute)
    return version, cast(T, value)


async def cached_json(
    cache: services.ReadCache, key: tuple[Any, ...], compute: Callable[[], Any]
) -> Response:
    """A JSON response whose body is encoded once per data version and ``key``: a hit sends
    the stored bytes (`cached`, written out: this is the hot path of every cached read)."""
    _, body = cache.peek(key)
    if body is services.MISSING:
        _, body = await run_in_threadpool(cache.get_at, key, lambda: json_body(compute()))
    return Response(body, media_type="application/json")


NO_QUERY: Mapping[str, str] = {}


def query_of(request: Request) -> Mapping[str, str]:
    """The query parameters; without a query string (the usual request), none, without
    parsing an empty one."""
    return request.query_params if request.scope.get("query_string") else NO_QUERY


def history_filters(
    since: str | None, until: str | None, kind: str | None, leg: str | None, limit: str | None
) -> tuple[date | None, date | None, set[str], str | None, int | None]:
    """The history filters, checked as ``calfcare history`` checks them."""
    problems: list[Problem] = []
    kinds = [k.strip() for k in (kind or ",".join(KINDS)).split(",") if k.strip()]
    problems += [Problem("kind", f"{k!r}: use {', '.join(KINDS)}") for k in kinds if k not in KINDS]
    if leg in ("", None):
        leg = None
    elif leg not in ("left", "right"):
        problems.append(Problem("leg", f"{leg!r}: use left or right"))
    first = optional_day(since, "since", problems)
    last = optional_day(until, "until", problems)
    count = None
    if limit not in (None, ""):
        assert limit is not None
        text = limit.strip().lstrip("0")
        if text.isascii() and text.isdigit() and len(text) <= 7 and 1 <= int(text) <= MAX_LIMIT:
            count = int(text)
        else:
            problems.append(
                Problem("limit", f"{limit[:20]!r}: give a whole number from 1 to {MAX_LIMIT}")
            )
    if problems:
        raise InvalidInput(problems, "The filters are not valid.")
    return first, last, set(kinds or KINDS), leg, count


def saved_soreness_json(item: Any) -> dict[str, Any]:
    r = item.record
    return {
        "id": item.id,
        "day": r.day.isoformat(),
        "leg": r.leg.value,
        "moment": r.moment.value,
        "score": r.score,
        "session_id": r.session_id,
    }


def saved_mobility_json(item: Any) -> dict[str, Any]:
    r = item.record
    return {
        "id": item.id,
        "day": r.day.isoformat(),
        "leg": r.leg.value,
        "moment": r.moment.value,
        "distance_cm": r.distance_cm,
        "session_id": r.session_id,
    }


def log_soreness_checked(
    store: Any,
    *,
    day: object,
    scores: Mapping[str, object],
    moment: object,
    session_id: object,
    followup_raw: object,
    when: datetime,
    client_id: object = None,
) -> services.SorenessLogged:
    """Read the follow-up answers and check the ratings, naming every problem of both at
    once (as ``calfcare log soreness`` does), then save in one transaction (once per
    ``client_id``: `calfcare.core.client_ids`)."""
    from calfcare.core.followup import followup_answers

    problems: list[Problem] = client_id_problems(client_id)
    followup = None
    if followup_raw is not None:
        try:
            followup = followup_answers(followup_raw)
        except InvalidInput as error:
            problems += error.problems
    try:
        services.soreness_records(
            day=day, scores=scores, moment=moment, now=when, session_id=session_id
        )
    except InvalidInput as error:
        problems = error.problems + problems
    if moment == "next_day" and followup_raw is None:
        problems.append(
            Problem(
                "followup",
                "a next-day check-in asks about new swelling, redness or warmth, and about "
                "breathlessness or chest pain (pe_signs)",
            )
        )
    if problems:
        raise InvalidInput(problems, "The check-in is not valid; nothing was saved.")
    return services.log_soreness(
        store,
        day=day,
        scores=scores,
        moment=moment,
        now=when,
        session_id=session_id,
        followup=followup,
        client_id=cast(str | None, client_id),
    )


def save_soreness(store: Any, data: Mapping[str, Any], when: datetime) -> services.SorenessLogged:
    """A soreness check-in from its fields: the JSON body, or a form read into the same
    shape (`calfcare.web.tracking_pages`). A missing ``day`` is today, or yesterday for a
    ``next_day`` check-in; every problem is named at once."""
    moment = data.get("moment")
    today = services.today_of(when)
    default = today - timedelta(days=1) if moment == "next_day" else today
    return log_soreness_checked(
        store,
        day=parse_day(data.get("day"), default),
        scores={leg: data[leg] for leg in LEGS if leg in data},
        moment=moment,
        session_id=data.get("session_id"),
        followup_raw=data.get("followup"),
        when=when,
        client_id=data.get("client_id"),
    )


def save_mobility(store: Any, data: Mapping[str, Any], when: datetime) -> tuple[Any, ...]:
    """A knee-to-wall test from its fields (cm per leg; ``moment`` defaults to other)."""
    return services.log_mobility(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        distances={leg: data[leg] for leg in LEGS if leg in data},
        moment=data.get("moment", "other"),
        now=when,
        session_id=data.get("session_id"),
        client_id=data.get("client_id"),
    )


def save_note(store: Any, data: Mapping[str, Any], when: datetime) -> Any:
    """A note from its fields (``day`` defaults to today)."""
    return services.add_note(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        text=data.get("text"),
        now=when,
        client_id=data.get("client_id"),
    )


def is_replay(recorded_at: datetime, when: datetime) -> bool:
    """Whether a record returned by a save made at ``when`` was already stored (a client
    id's repeat: the stored record keeps the time it was first recorded at)."""
    return recorded_at != when


def save_manual_session(store: Any, data: Mapping[str, Any], when: datetime) -> Any:
    """A session done without the coach, from its fields: ``legs`` (default both) and
    ``tender_spots`` (``leg:height:side`` texts) as lists, ``seconds`` per calf (default
    150)."""
    problems: list[Problem] = []
    legs = data.get("legs", list(LEGS))
    if not isinstance(legs, list):
        problems.append(Problem("legs", 'give a list: ["left"], ["right"] or both'))
    spots = data.get("tender_spots", [])
    if not isinstance(spots, list) or not all(isinstance(s, str) for s in spots):
        problems.append(Problem("tender_spots", 'give a list of "leg:height:side" texts'))
    if problems:
        raise InvalidInput(problems, "The session is not valid; nothing was saved.")
    return services.log_session(
        store,
        day=parse_day(data.get("day"), services.today_of(when)),
        tool=data.get("tool"),
        legs=legs,
        seconds_per_calf=data.get("seconds", 150),
        now=when,
        tender_spots=spots,
    )


# -- request bodies --------------------------------------------------------------------------


async def json_object(request: Request, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The body as a JSON object with only ``allowed`` keys (415 / 400 / 422 otherwise)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise HTTPException(415, "Send the body as application/json.")
    data = parse_json(await request.body())
    if not isinstance(data, dict):
        raise InvalidInput([Problem("(root)", "expected a JSON object")])
    problems = [
        Problem(k, f"unknown field; allowed: {', '.join(allowed)}")
        for k in data
        if k not in allowed
    ]
    problems += [
        Problem(k, "must not be null; leave the field out instead")
        for k, v in data.items()
        if v is None and k in allowed and k not in NULLABLE
    ]
    if problems:
        raise InvalidInput(problems)
    return data


NULLABLE = ("session_id",)


def whole_numbers(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """JSON does not tell 150 from 150.0 (JSON Schema's "integer" accepts both), so an
    integral float in a whole-number field is read as that whole number; 150.5, true or
    "150" still reach the core as they are, and it refuses them."""
    out = dict(data)
    for key in keys:
        value = out.get(key)
        if type(value) is float and value.is_integer():
            out[key] = int(value)
    return out


_DAY = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
_SIGN = {"enum": [True, False, "unsure"]}
_SIGNS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["swelling", "redness", "warmth"],
    "properties": {"swelling": _SIGN, "redness": _SIGN, "warmth": _SIGN},
}
_SCORE = {"type": "integer", "minimum": 0, "maximum": 10}
_CM = {"type": "number", "minimum": 0, "maximum": 30, "multipleOf": 0.1}
_SESSION_ID = {
    "type": ["string", "null"],
    "minLength": 1,
    "maxLength": 100,
    "pattern": "^[^\\x00-\\x08\\x0b-\\x1f\\x7f]*$",
    "description": "the session it belongs to (1 to 100 characters, no control characters)",
}
_CLIENT_ID = {
    "type": "string",
    "pattern": "^[A-Za-z0-9_-]{1,48}$",
    "description": "an id made by the client (e.g. a UUID): a repeat with the same id and "
    "content is saved once (200 with the stored record), other content is a 409",
}


def _body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    }


PLAN_BODY = {
    "title": "PlanRequest",
    "type": "object",
    "additionalProperties": False,
    "required": ["tool"],
    "properties": {
        "tool": {"enum": ["foam-roller", "ball", "hands"]},
        "legs": {
            "type": "array",
            "items": {"enum": ["left", "right"]},
            "minItems": 1,
            "maxItems": 2,
            "uniqueItems": True,
        },
        "seconds_per_calf": {"type": "integer", "minimum": 120, "maximum": 180},
        "intensity": {"enum": ["gentle", "standard", "deep"]},
        "pace_per_minute": {"type": "integer", "minimum": 10, "maximum": 30},
        "screening": {
            **schemas.SCREENING_INPUT_SCHEMA,
            "description": "optional screening answers (contract v1) that shape the plan",
        },
    },
}
SORENESS_BODY = {
    "title": "SorenessCheckIn",
    "type": "object",
    "additionalProperties": False,
    "required": ["moment"],
    "properties": {
        "moment": {"enum": ["before", "after", "next_day"]},
        "day": {**_DAY, "description": "the session's day; default today (next_day: yesterday)"},
        "left": _SCORE,
        "right": _SCORE,
        "session_id": _SESSION_ID,
        "client_id": _CLIENT_ID,
        "followup": {
            "type": "object",
            "description": "next_day only (required then): new swelling, redness or warmth "
            "per calf, and pe_signs (sudden breathlessness, chest pain worse on breathing in, "
            'coughing up blood or fainting; true or "unsure" is an emergency)',
            "additionalProperties": False,
            "required": ["left", "right", "pe_signs"],
            "properties": {"left": _SIGNS, "right": _SIGNS, "pe_signs": _SIGN},
        },
    },
}
MOBILITY_BODY = {
    "title": "KneeToWallTest",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "moment": {"enum": ["before", "after", "other"], "default": "other"},
        "day": _DAY,
        "left": _CM,
        "right": _CM,
        "session_id": _SESSION_ID,
        "client_id": _CLIENT_ID,
    },
}
NOTE_BODY = {
    "title": "Note",
    "type": "object",
    "additionalProperties": False,
    "required": ["text"],
    "properties": {
        "day": _DAY,
        "text": {"type": "string", "minLength": 1, "maxLength": 4000, "pattern": r"\S"},
        "client_id": {**_CLIENT_ID, "description": "the note's id (see client ids)"},
    },
}
MANUAL_SESSION_BODY = {
    "title": "ManualSession",
    "type": "object",
    "additionalProperties": False,
    "required": ["tool"],
    "properties": {
        "day": _DAY,
        "tool": {"enum": ["foam-roller", "ball", "hands"]},
        "legs": {
            "type": "array",
            "items": {"enum": ["left", "right"]},
            "minItems": 1,
            "maxItems": 2,
            "uniqueItems": True,
        },
        "seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 180},
        "tender_spots": {
            "type": "array",
            "items": {"type": "string", "description": "leg:height:side, e.g. left:middle:inner"},
        },
    },
}
IMPORT_BODY = {
    "title": "ExportDocument",
    "type": "object",
    "description": "a file from GET /api/export (format calfcare-export, version 2; version 1 "
    "files are still read, without split_leg_experiments); every record is checked as it "
    "would be when made (docs/tracking.md)",
    "required": ["format", "version"],
    "properties": {
        "format": {"const": export_format.FORMAT},
        "version": {"type": "integer", "minimum": 1, "maximum": export_format.VERSION},
        **{
            section: {"type": "array", "items": {"type": "object"}}
            for section in export_format.SECTIONS
        },
    },
    "additionalProperties": False,
}


# -- response models (documentation; schemathesis checks real responses against them) -----


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class PlanStepOut(_Open):
    kind: str
    seconds: int
    cue: str
    why: str
    sources: list[str]


class PlanCalfOut(_Open):
    leg: Literal["left", "right"]
    seconds: int
    steps: list[PlanStepOut]


class PlanOut(_Open):
    """Routine contract plan JSON (as ``calfcare plan --json`` prints)."""

    contract: Literal[1]
    planned: Literal[True]
    tool: str
    intensity: str
    seconds_per_calf: int
    pace_per_minute: int | None
    calves: list[PlanCalfOut]
    total_seconds: int
    notes: list[str]


class SavedSorenessOut(_Open):
    id: str
    day: str
    leg: Literal["left", "right"]
    moment: str
    score: int
    session_id: str | None


class SorenessOut(_Open):
    saved: list[SavedSorenessOut]
    followup: schemas.ScreeningReport | None = Field(
        description="next_day: the follow-up screened by the real rules"
    )
    escalated: bool = Field(description="true when the follow-up says get medical attention")


class SavedMobilityOut(_Open):
    id: str
    day: str
    leg: Literal["left", "right"]
    moment: str
    distance_cm: float
    session_id: str | None


class MobilityOut(_Open):
    saved: list[SavedMobilityOut]


class SavedRef(_Open):
    id: str
    day: str


class SavedOut(_Open):
    saved: SavedRef


class HistoryRow(_Open):
    day: str
    kind: Literal["session", "soreness", "mobility", "note", "screening"]
    leg: str
    what: str
    id: str


class StatsOut(_Open):
    counts: dict[str, int]
    first_day: str | None
    last_day: str | None
    sessions_per_week: dict[str, int]
    soreness_mean: dict[str, dict[str, float]]
    mobility: dict[str, dict[str, float]]
    tender_spots: dict[str, int]
    urgent_followups: int
    mostly_skipped_sessions: int


class ImportOut(_Open):
    added: dict[str, int]
    already_there: dict[str, int]


def errors(*statuses: int, storage: bool = True) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for these statuses, plus 413 when the endpoint reads a body (400 is
    listed: every body is capped before it is read) and 503 when it uses the database."""
    if 400 in statuses and 413 not in statuses:
        statuses = (*statuses, 413)
    out = schemas.error_responses(*statuses)
    if storage:
        out[503] = {"model": schemas.ErrorBody, "description": "The database cannot be used."}
    return out


def replay_responses(model: type[BaseModel], what: str) -> dict[int | str, dict[str, Any]]:
    """`errors` of a write that takes a ``client_id``: 200 for a repeat, 409 for a clash."""
    out = errors(400, 409, 415, 422)
    out[200] = {
        "model": model,
        "description": f"A repeat of a stored {what} (same client_id, same content): the "
        "stored one; nothing was written.",
    }
    out[409] = {
        "model": schemas.ErrorBody,
        "description": f"The client_id is stored with a different {what}.",
    }
    return out


# -- endpoints -------------------------------------------------------------------------------


# Every request is matched against the routes in the order they are registered, twice
# (FastAPI finds the route, then finds it again to handle it), so the cached reads, the hot
# paths, are registered first and the writes after them.


# The cached reads below are `DirectRoute`s (`calfcare.web.api`): FastAPI's dependency and
# parameter layer cost more than the rest of a cache hit, so they take the request, read
# their query strings themselves (documented by `_query`) and get the read cache from the app.


def _read(path: str, **options: Any) -> Callable[[Any], Any]:
    """``@router.get(path, ...)`` as a `DirectRoute`."""

    def register(endpoint: Any) -> Any:
        router.add_api_route(
            path, endpoint, methods=["GET"], route_class_override=DirectRoute, **options
        )
        return endpoint

    return register


def _query(**described: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """``openapi_extra`` naming optional query parameters (name: description, schema)."""
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": schema,
                "description": text,
            }
            for name, (text, schema) in described.items()
        ]
    }


_DAY_OR_EMPTY = {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}
_SINCE_UNTIL = {
    "since": ("first day, YYYY-MM-DD (empty: no bound)", _DAY_OR_EMPTY),
    "until": ("last day, YYYY-MM-DD (empty: no bound)", _DAY_OR_EMPTY),
}
_KIND = "(?:" + "|".join(KINDS) + ")"
KIND_PATTERN = rf"^\s*(?:{_KIND}\s*)?(?:,\s*(?:{_KIND}\s*)?)*$"
"""``kind``: kinds separated by commas, spaces around them allowed (empty: every kind)."""
LIMIT_PATTERN = r"^(?:\s*0*(?:[1-9][0-9]{0,5}|1000000)\s*)?$"
"""``limit``: a whole number from 1 to `MAX_LIMIT` (empty: every row)."""


@_read(
    "/records",
    name="api_records",
    summary="History: every record as a row (as calfcare history --json), with filters",
    response_model=list[HistoryRow],
    responses=errors(422),
    openapi_extra=_query(
        **_SINCE_UNTIL,
        kind=("comma-separated: " + ", ".join(KINDS), {"type": "string", "pattern": KIND_PATTERN}),
        leg=("left or right (empty: both)", {"enum": ["", "left", "right"]}),
        limit=(
            f"only the last N rows, 1 to {MAX_LIMIT}",
            {"type": "string", "pattern": LIMIT_PATTERN},
        ),
    ),
)
async def api_records(request: Request) -> Response:
    """Rows by day, oldest first: day, kind, calf, what, id."""
    q = query_of(request)
    cache = await get_read_cache(request)
    first, last, kinds, calf, count = history_filters(
        q.get("since"), q.get("until"), q.get("kind"), q.get("leg"), q.get("limit")
    )

    def compute() -> list[dict[str, Any]]:
        return services.newest_history_rows(cache.store, first, last, kinds, calf, count).rows

    key = ("api_records", first, last, frozenset(kinds), calf, count)
    return await cached_json(cache, key, compute)


@_read(
    "/stats",
    name="api_stats",
    summary="Counts, sessions per week, mean soreness, knee-to-wall change (calfcare stats)",
    response_model=StatsOut,
    responses=errors(422),
    openapi_extra=_query(**_SINCE_UNTIL),
)
async def api_stats(request: Request) -> Response:
    """Plain summaries, not evidence (see ``/api/insights``)."""
    cache = await get_read_cache(request)
    q = query_of(request)
    problems: list[Problem] = []
    first = optional_day(q.get("since"), "since", problems)
    last = optional_day(q.get("until"), "until", problems)
    if problems:
        raise InvalidInput(problems, "The filters are not valid.")
    return await cached_json(
        cache,
        ("api_stats", first, last),
        lambda: services.read_stats(cache.store, first, last).to_json(),
    )


@_read(
    "/export",
    name="api_export",
    summary="Every record: JSON (lossless, re-importable), CSV or FHIR R4 (calfcare export)",
    responses={
        200: {
            "description": "The export document (JSON), a CSV table, or a FHIR R4 Bundle",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}},
                "application/fhir+json": {"schema": {"type": "object"}},
            },
        },
        **errors(422),
    },
    openapi_extra={
        "parameters": [
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"enum": list(services.EXPORT_FORMATS), "default": "json"},
                "description": "json, csv or fhir (a FHIR R4 bundle, application/fhir+json)",
            }
        ]
    },
)
async def api_export(request: Request) -> Response:
    """The same bytes as ``calfcare export --format json|csv|fhir``."""
    cache = await get_read_cache(request)
    return await export_response(cache, query_of(request).get("format", "json"))


async def export_response(cache: services.ReadCache, fmt: str) -> Response:
    """The export file, encoded once per data version (the bytes do not depend on the day;
    only the file name does)."""
    if fmt not in services.EXPORT_FORMATS:
        raise InvalidInput([Problem("format", f"{fmt!r}: use json, csv or fhir")])
    _, body = await cached(cache, ("export", fmt), lambda: services.export_bytes(cache.store, fmt))
    stamp = services.today_of(now()).isoformat()
    name = f"calfcare-export-{stamp}.{services.EXPORT_SUFFIXES[fmt]}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=services.EXPORT_MEDIA_TYPES[fmt], headers=headers)


@router.post(
    "/plan",
    name="api_plan",
    summary="Build a routine (as calfcare plan --json), optionally shaped by a screening",
    response_model=PlanOut,
    responses=errors(400, 409, 415, 422, storage=False),
    openapi_extra=_body(PLAN_BODY),
)
async def api_plan(request: Request) -> JSONResponse:
    """The plan with every step's cue, why and sources. With ``screening`` the screening
    rules apply: a calf they rule out is left out with a note, a caution makes the plan
    gentle, and an urgent or emergency verdict (or no calf left) is a 409 with the advice."""
    from calfcare.core.plan_json import plan_to_json

    data = whole_numbers(
        await json_object(request, (*_PLAN_OPTIONS, "screening")),
        ("seconds_per_calf", "pace_per_minute"),
    )
    raw = {k: v for k, v in data.items() if k != "screening"}
    return JSONResponse(plan_to_json(make_plan(raw, data.get("screening"))))


_PLAN_OPTIONS = ("tool", "legs", "seconds_per_calf", "intensity", "pace_per_minute")


@router.post(
    "/checkins/soreness",
    name="api_checkin_soreness",
    summary="Record soreness per calf (before, after, or the next day with the follow-up)",
    status_code=201,
    response_model=SorenessOut,
    responses=replay_responses(SorenessOut, "check-in"),
    openapi_extra=_body(SORENESS_BODY),
)
async def api_checkin_soreness(request: Request, store: StoreDep) -> JSONResponse:
    """Saved as ``calfcare log soreness`` saves it. A ``next_day`` check-in needs
    ``followup``: new swelling, redness or warmth per calf, screened by the real rules; an
    urgent result is returned (``escalated``) and the check-in is still saved. With a
    ``client_id``, a repeat is answered with the stored check-in (200) and saves nothing."""
    data = whole_numbers(
        await json_object(
            request, ("moment", "day", "left", "right", "session_id", "followup", "client_id")
        ),
        ("left", "right"),
    )
    result = save_soreness(store, data, now())
    body = {
        "saved": [saved_soreness_json(i) for i in result.items],
        "followup": result.followup,
        "escalated": result.escalated,
    }
    return JSONResponse(body, status_code=201 if result.created else 200)


@router.post(
    "/checkins/mobility",
    name="api_checkin_mobility",
    summary="Record a knee-to-wall test (cm per leg)",
    status_code=201,
    response_model=MobilityOut,
    responses=replay_responses(MobilityOut, "test"),
    openapi_extra=_body(MOBILITY_BODY),
)
async def api_checkin_mobility(request: Request, store: StoreDep) -> JSONResponse:
    """Saved as ``calfcare log mobility`` saves it: big toe to wall in cm, to 0.1 cm. With a
    ``client_id``, a repeat is answered with the stored test (200) and saves nothing."""
    data = await json_object(request, ("moment", "day", "left", "right", "session_id", "client_id"))
    when = now()
    items = save_mobility(store, data, when)
    status = 200 if is_replay(items[0].recorded_at, when) else 201
    return JSONResponse({"saved": [saved_mobility_json(i) for i in items]}, status_code=status)


@router.post(
    "/notes",
    name="api_notes",
    summary="Record a free note for a day",
    status_code=201,
    response_model=SavedOut,
    responses=replay_responses(SavedOut, "note"),
    openapi_extra=_body(NOTE_BODY),
)
async def api_notes(request: Request, store: StoreDep) -> JSONResponse:
    """Saved as ``calfcare log note`` saves it (at most 4000 characters). With a
    ``client_id`` (the note's id), a repeat is answered with the stored note (200)."""
    when = now()
    saved = save_note(store, await json_object(request, ("day", "text", "client_id")), when)
    status = 200 if is_replay(saved.written_at, when) else 201
    body = {"saved": {"id": saved.id, "day": saved.day.isoformat()}}
    return JSONResponse(body, status_code=status)


@router.post(
    "/manual-sessions",
    name="api_manual_sessions",
    summary="Record a session done without the coach",
    status_code=201,
    response_model=SavedOut,
    responses=errors(400, 415, 422),
    openapi_extra=_body(MANUAL_SESSION_BODY),
)
async def api_manual_sessions(request: Request, store: StoreDep) -> JSONResponse:
    """Saved as ``calfcare log session`` saves it; tender spots as ``leg:height:side``."""
    data = await json_object(request, ("day", "tool", "legs", "seconds", "tender_spots"))
    saved = save_manual_session(store, data, now())
    return JSONResponse({"saved": {"id": saved.id, "day": saved.day.isoformat()}}, status_code=201)


@router.post(
    "/import",
    name="api_import",
    summary="Import an export document: all of it or nothing (calfcare import)",
    response_model=ImportOut,
    responses=errors(400, 415, 422),
    openapi_extra=_body(IMPORT_BODY),
)
async def api_import(request: Request, store: StoreDep) -> JSONResponse:
    """Idempotent: records already stored are skipped; a record that disagrees with a stored
    one refuses the whole file (422, every problem named, up to the first 50)."""
    summary = import_bytes(store, await _import_body(request))
    return JSONResponse({"added": summary.added, "already_there": summary.already_there})


async def _import_body(request: Request) -> bytes:
    """The body (already bounded by `calfcare.web.limits`: 64 MB here)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise HTTPException(415, "Send the export document as application/json.")
    return await request.body()


def import_bytes(store: Any, body: bytes) -> services.ImportSummary:
    """Parse (with the export format's limits) and import; `InvalidInput` otherwise."""
    data = export_format.loads(body)
    return services.import_document(store, data, now())
