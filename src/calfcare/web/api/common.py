"""The request plumbing every JSON API module shares: the clock, the fast read route, the
cached answers, the write route (its body from `calfcare.web.api.bodies`) and the documented
error statuses.

The time is `now` (tests replace it here; every API module calls ``common.now()``).
Reads answer from the app's `calfcare.services.ReadCache`: the encoded body is computed
once per data version and key, and any write, from this process or another, moves the
version and so invalidates it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Coroutine, Mapping
from datetime import date, datetime
from typing import Any, TypedDict, TypeVar, cast

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from calfcare import services
from calfcare.core.errors import Problem
from calfcare.web.api import schemas
from calfcare.web.api.bodies import Body

T = TypeVar("T")
E = TypeVar("E", bound=Callable[..., Any])
"""An endpoint function."""
DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


class Documented(TypedDict):
    summary: str
    description: str


def documented(endpoint: Callable[..., Any]) -> Documented:
    """A route's OpenAPI ``summary`` and ``description``: the first paragraph of its
    endpoint's docstring, and the rest (which every API endpoint has)."""
    summary, _, description = inspect.cleandoc(endpoint.__doc__ or "").partition("\n\n")
    if not (summary and description):
        raise TypeError(f"{endpoint.__name__}: say a summary, a blank line, then more")
    return Documented(summary=summary, description=description)


def read(router: APIRouter, path: str, **options: Any) -> Callable[[E], E]:
    """``@router.get(path, ...)`` as a `DirectRoute`, documented by its docstring
    (`documented`). A cached read: FastAPI's dependency and parameter layer cost more than
    the rest of a cache hit, so the endpoint takes the request, reads its query string
    itself, documented by `query`, and gets the read cache from the app. Its error
    statuses are ``errors()`` (503) unless ``responses`` says otherwise."""

    options.setdefault("responses", errors())
    return _route(router, path, "GET", route_class_override=DirectRoute, **options)


def _route(router: APIRouter, path: str, method: str, **options: Any) -> Callable[[E], E]:
    """Register the endpoint it decorates for ``method`` on ``path``, documented by its
    docstring (`documented`)."""

    def register(endpoint: E) -> E:
        router.add_api_route(path, endpoint, methods=[method], **documented(endpoint), **options)
        return endpoint

    return register


def query(**described: tuple[str, dict[str, Any]]) -> dict[str, Any]:
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


NO_QUERY: Mapping[str, str] = {}


def query_of(request: Request) -> Mapping[str, str]:
    """The query parameters; without a query string (the usual request), none, without
    parsing an empty one."""
    return request.query_params if request.scope.get("query_string") else NO_QUERY


# -- time and days ---------------------------------------------------------------------------


def now() -> datetime:
    """The current moment, aware, in local time (what the CLI uses)."""
    return datetime.now().astimezone()


def today() -> date:
    return services.today_of(now())


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


# -- cached answers --------------------------------------------------------------------------


def json_body(content: Any) -> bytes:
    """``content`` encoded exactly as `JSONResponse` encodes it (to cache the bytes)."""
    return bytes(JSONResponse(content).body)


def json_response(body: bytes) -> Response:
    """Ready JSON bytes as a response."""
    return Response(content=body, media_type="application/json")


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


# -- writes ----------------------------------------------------------------------------------


BODIES: dict[str, Body] = {}
"""Every JSON write's body, by path (``/api/notes``): what `write_route` registered, so a
test can hold each body's stated rules against what its endpoint refuses."""


def write_route(
    router: APIRouter,
    path: str,
    body: Body,
    response_model: type[BaseModel],
    *,
    created: bool = False,
    replay: str | None = None,
    statuses: tuple[int, ...] = (400, 415, 422),
    storage: bool = True,
    responses: Mapping[int | str, dict[str, Any]] | None = None,
) -> Callable[[E], E]:
    """``@router.post(path, ...)`` of a JSON write, named and documented by its endpoint
    (`documented`): the request body from ``body`` (the endpoint reads it with
    `Body.read`), 201 when it
    ``created`` something, and its error statuses (`errors`; with ``replay``, what a client
    id's repeat is called, `replay_responses`: 200 for a repeat, 409 for a clash)."""
    BODIES[router.prefix + path] = body
    listed = (
        replay_responses(response_model, replay)
        if replay is not None
        else errors(*statuses, storage=storage)
    )
    return _route(
        router,
        path,
        "POST",
        response_model=response_model,
        status_code=201 if created else None,
        responses={**(responses or {}), **listed},
        openapi_extra=body.openapi(),
    )


def is_replay(recorded_at: datetime, when: datetime) -> bool:
    """Whether a record returned by a save made at ``when`` was already stored (a client
    id's repeat: the stored record keeps the time it was first recorded at)."""
    return recorded_at != when


def saved_one(record_id: str, day: date, recorded_at: datetime, when: datetime) -> JSONResponse:
    """The answer to a write of one record made at ``when``: ``saved`` (its id and day),
    201, or 200 for a client id's repeat (`is_replay`)."""
    status = 200 if is_replay(recorded_at, when) else 201
    return JSONResponse({"saved": {"id": record_id, "day": day.isoformat()}}, status_code=status)


# -- OpenAPI pieces --------------------------------------------------------------------------


class Open(BaseModel):
    """A response model that allows extra keys (documentation; schemathesis checks real
    responses against them)."""

    model_config = ConfigDict(extra="allow")


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
