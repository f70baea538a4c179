"""`Router`: an `APIRouter` that a request it cannot serve skips in one set lookup.

FastAPI (0.165) tries the app's included routers in order, and each tries its routes one by
one, at about 2 µs a route: the live session page, behind 60 routes, spent about 110 µs (as
much as the rest of its answer) only finding its route. A `Router` first looks up the
request path's first segment (``plan`` in ``/plan?…``, ``api`` in ``/api/stats``) in the set
its routes start with, and answers "no match" at once when it is not there. A router with a
route whose first segment has a parameter, or with anything but plain routes (a mount, a
router included in it), is tried route by route as before. Order and matching are
FastAPI's own: the check only skips a router none of whose routes could match the path
(docs/web.md, "Performance"). Every router of the app is one (tests/web/test_route_index.py).

Routers are included in the app directly, never inside another router: FastAPI matches a
nested router's routes twice per request and walks the nesting on every match.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Route, WebSocketRoute
from starlette.types import Scope


def first_segment(path: str) -> str:
    """``/plan/from-screening`` → ``plan``; ``/`` → ``""``."""
    return path[1:].partition("/")[0]


def heads(routes: Sequence[BaseRoute]) -> frozenset[str] | None:
    """The first path segments of ``routes``, or None when one cannot be known in advance
    (a parameter in it, or a route that is not a plain one)."""
    found: set[str] = set()
    for route in routes:
        if not isinstance(route, Route | WebSocketRoute) or not route.path.startswith("/"):
            return None
        head = first_segment(route.path)
        if "{" in head:
            return None
        found.add(head)
    return frozenset(found)


class Router(APIRouter):
    """An `APIRouter` tried only for paths whose first segment one of its routes starts
    with. Routes added later are seen: the set is made again whenever their number
    changes."""

    _heads: frozenset[str] | None = None
    _counted = -1

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        count = len(self.routes)
        if count != self._counted:
            self._heads = heads(self.routes)
            self._counted = count
        if self._heads is not None and first_segment(get_route_path(scope)) not in self._heads:
            return Match.NONE, {}
        return super().matches(scope)
