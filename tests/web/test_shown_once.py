"""`calfcare.web.shown_once`: a secret carried through a 303 is shown on the next view only,
to the same sign-in, unaltered and fresh, and to the page kind it was made for."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse, Response

from calfcare.web import auth, shown_once


def _app() -> FastAPI:
    app = FastAPI()
    app.state.signing_secret = b"s" * 32

    @app.post("/make")
    def make(request: Request) -> Response:
        return shown_once.redirect_showing(request, "/show", "code", {"code": "ABCD"})

    @app.get("/show")
    def show(request: Request, kind: str = "code") -> Response:
        found: Any = shown_once.take(request, kind)
        return shown_once.forget(request, JSONResponse({"found": found}))

    return app


def test_shown_on_the_next_view_only() -> None:
    with TestClient(_app()) as client:
        client.cookies.set(auth.COOKIE, "sign-in-1")
        made = client.post("/make", follow_redirects=False)
        assert made.status_code == 303 and made.headers["location"] == "/show"
        assert "httponly" in made.headers["set-cookie"].lower()
        assert client.get("/show?kind=calendar").json() == {"found": None}  # another page's
        client.post("/make", follow_redirects=False)
        assert client.get("/show").json() == {"found": {"code": "ABCD"}}
        assert client.get("/show").json() == {"found": None}  # a reload


def test_another_sign_in_or_an_altered_cookie_shows_nothing() -> None:
    with TestClient(_app()) as client:
        client.cookies.set(auth.COOKIE, "sign-in-1")
        client.post("/make", follow_redirects=False)
        client.cookies.set(auth.COOKIE, "sign-in-2")
        assert client.get("/show").json() == {"found": None}
        client.cookies.set(auth.COOKIE, "sign-in-1")
        client.post("/make", follow_redirects=False)
        token = client.cookies.get(shown_once.COOKIE) or ""
        payload, signature = token.split(".")
        client.cookies.delete(shown_once.COOKIE)
        client.cookies.set(shown_once.COOKIE, payload[:-2] + "xx." + signature)
        assert client.get("/show").json() == {"found": None}
