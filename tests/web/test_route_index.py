"""`calfcare.web.route_index`: every router of the app skips paths it cannot serve in one
lookup, and that changes nothing about which endpoint answers a path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.routing import Match, Route

from calfcare.settings import Settings
from calfcare.web import route_index
from calfcare.web.app import create_app
from calfcare.web.route_index import Router, first_segment, heads
from tests.web.conftest import BASE_URL, TestClient

METHODS = ("GET", "POST", "PUT", "DELETE")


def apps(tmp_path: Path) -> list[FastAPI]:
    """The app in personal mode, and in server mode with sign-up on (every route)."""
    return [
        create_app(Settings(data_dir=tmp_path / "personal")),
        create_app(Settings(data_dir=tmp_path / "server", server=True, allow_sign_up=True)),
    ]


def included(app: FastAPI) -> list[Any]:
    """The routers the app includes (FastAPI's own wrapper names each one's router)."""
    return [r.original_router for r in app.router.routes if hasattr(r, "original_router")]


def endpoint(app: FastAPI, path: str, method: str) -> Any:
    """What FastAPI's routing picks for ``method path``: the first full match, else the
    first partial one (a known path, another method), as `APIRouter.app` does."""
    scope = {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}
    partial = None
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match is Match.NONE:
            continue
        found = route._match(scope)[2] if hasattr(route, "_match") else route
        if match is Match.FULL:
            return getattr(found, "endpoint", found)
        partial = partial or ("partial", getattr(found, "endpoint", found))
    return partial


def sample_paths(app: FastAPI) -> list[str]:
    """Every route's path with its parameters filled in, and some paths no route has."""
    paths = ["/nowhere", "/api/nowhere", "/plan/nowhere", "/static/calfcare.css", "/", ""]
    for router in included(app):
        for route in router.routes:
            paths.append(re.sub(r"\{[^}]+\}", "x1", route.path))
    return paths


def test_every_router_the_app_includes_is_indexed(tmp_path: Path) -> None:
    for app in apps(tmp_path):
        routers = included(app)
        assert routers
        for router in routers:
            assert isinstance(router, Router), router
            assert heads(router.routes) is not None, router.routes


def test_the_index_changes_no_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for app in apps(tmp_path):
        paths = sample_paths(app)
        indexed = {(p, m): endpoint(app, p, m) for p in paths for m in METHODS}
        monkeypatch.setattr(route_index, "heads", lambda routes: None)  # every router tried
        for router in included(app):
            router._counted = -1
        plain = {(p, m): endpoint(app, p, m) for p in paths for m in METHODS}
        monkeypatch.undo()
        for router in included(app):
            router._counted = -1
        assert indexed == plain
        assert indexed[("/plan", "GET")] is not None and indexed[("/nowhere", "GET")] is None


def test_a_route_added_after_the_first_request_is_found(tmp_path: Path) -> None:
    router = Router()

    @router.get("/first")
    def first() -> str:
        return "first"

    app = FastAPI()
    app.include_router(router)
    with TestClient(app, base_url=BASE_URL) as client:
        assert client.get("/first").json() == "first"
        assert client.get("/later").status_code == 404

        @router.get("/later")
        def later() -> str:
            return "later"

        assert client.get("/later").json() == "later"


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["/", "/learn", "/plan/from-screening"], {"", "learn", "plan"}),
        (["/api/stats", "/api/records/{id}"], {"api"}),
        (["/{anything}"], None),
        (["/plan", "/{kind}/x"], None),
    ],
)
def test_heads(paths: list[str], expected: set[str] | None) -> None:
    routes = [Route(path, lambda request: None) for path in paths]
    assert heads(routes) == (None if expected is None else frozenset(expected))


def test_first_segment() -> None:
    assert [first_segment(p) for p in ("/", "", "/plan", "/plan/", "/api/a/b")] == [
        "",
        "",
        "plan",
        "plan",
        "api",
    ]
