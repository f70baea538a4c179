"""The one place where errors become HTTP statuses, and every error response its shape.

Domain errors carry no HTTP status (Fava's split: ``FavaAPIError`` in the core, the status in
``json_api.py``); this table adds it. Every error body is the screening contract's
``{"error": ..., "problems": [{"field", "message"}]}``: as JSON for the API (and for any
client that does not ask for HTML), and rendered as a page for a browser.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

from calfcare.core.errors import (
    CalfcareError,
    ClientIdConflict,
    ContentError,
    InvalidInput,
    MalformedInput,
    NotAllowed,
    PlanBlocked,
    RecordIdTaken,
    SessionConflict,
    StorageError,
    TooManyTries,
)

log = logging.getLogger("calfcare.web")
R = TypeVar("R", bound=Response)

HTTP_STATUS: dict[type[CalfcareError], int] = {
    InvalidInput: 422,
    MalformedInput: 400,
    PlanBlocked: 409,
    NotAllowed: 403,
    TooManyTries: 429,
    SessionConflict: 409,
    ClientIdConflict: 409,
    ContentError: 500,
    StorageError: 503,
    RecordIdTaken: 409,
}

HTTP_MESSAGES: dict[int, str] = {
    400: "The request could not be read.",
    403: "This request is not allowed.",
    404: "There is no page at this address.",
    405: "This address does not accept that method.",
    413: "The request is too large.",
    415: "Send the request body as application/json.",
    422: "The input is not valid.",
    500: "Internal error: this is a bug in calfcare.",
}


def status_for(error: CalfcareError) -> int:
    """The HTTP status of a domain error (the most specific class in the table wins)."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


def error_body(error: CalfcareError) -> dict[str, Any]:
    """The contract shape for any domain error; `PlanBlocked` keeps its extra keys. A
    `StorageError` says only its advice: its message, which may name the database's URL or
    file, goes to the server's log."""
    if isinstance(error, StorageError):
        log.warning("the database cannot be used: %s", error.message)
        return {"error": error.advice, "problems": []}
    body = error.to_json()
    body.setdefault("error", error.message)
    body.setdefault("problems", [])
    return body


def wants_html(scope: Scope) -> bool:
    """A browser page (not the API, and the client asked for HTML) gets an HTML error."""
    path: str = scope.get("path", "")
    if path.startswith("/api/") or path == "/openapi.json":
        return False
    accept = next((v for k, v in scope.get("headers", []) if k == b"accept"), b"")
    return b"text/html" in accept


def error_response(scope: Scope, status: int, body: dict[str, Any]) -> Response:
    """The error as JSON, or as the ``error.html`` page for a browser."""
    app = scope.get("app")
    if wants_html(scope) and app is not None and hasattr(app.state, "pages"):
        html = app.state.pages.render_error(scope, status, body)
        return HTMLResponse(html, status_code=status)
    return JSONResponse(body, status_code=status)


def wait_header(response: R, wait: timedelta) -> R:
    """``Retry-After`` on a 429: the whole seconds to wait, rounded up."""
    response.headers["Retry-After"] = str(int(wait.total_seconds()) + 1)
    return response


def install(app: FastAPI) -> None:
    """Route every error through `error_response`."""

    async def on_domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CalfcareError)
        response = error_response(request.scope, status_for(exc), error_body(exc))
        if isinstance(exc, TooManyTries):
            wait_header(response, exc.retry_after)
        return response

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in (404, 405):
            message = exc.detail
        response = error_response(
            request.scope, exc.status_code, {"error": message, "problems": []}
        )
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p not in ("body", "query"))
                or "(root)",
                "message": str(err["msg"]),
            }
            for err in exc.errors()
        ]
        return error_response(
            request.scope, 422, {"error": HTTP_MESSAGES[422], "problems": problems}
        )

    app.add_exception_handler(CalfcareError, on_domain_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
