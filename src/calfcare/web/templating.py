"""Rendering pages: one Jinja2 environment (autoescape on, undefined names an error) and
the context every page gets (nav, CSRF token, citation numbering).

Autoescaping is on for every template, so content text and form values can never become
markup; `StrictUndefined` turns a misspelt variable into an error in tests instead of an
empty string on a safety page.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound
from starlette.types import Scope

from calfcare.content.sources import Source, load_sources
from calfcare.web.nav import NAV, visible


class Citations:
    """Numbers sources in the order a page first cites them, for ``_sources.html``.

    Templates call ``cite.refs(item.sources)`` next to each claim, then the partial lists
    ``cite.listed()`` at the bottom, so numbers match reading order.
    """

    def __init__(self, registry: dict[str, Source]) -> None:
        self._registry = registry
        self._order: list[str] = []

    def refs(self, ids: Iterable[str]) -> list[tuple[int, str]]:
        numbered = []
        for source_id in ids:
            if source_id not in self._order:
                self._order.append(source_id)
            numbered.append((self._order.index(source_id) + 1, source_id))
        return numbered

    def listed(self) -> list[tuple[int, Source]]:
        return [(n, self._registry[sid]) for n, sid in enumerate(self._order, 1)]


class Pages:
    """Renders templates with the shared context; kept on ``app.state.pages``."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._routes_seen: dict[str, bool] = {}
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("calfcare.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            # Templates ship with the package and never change while the server runs: no
            # stat() of every template and include on every render (docs/performance.md).
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def has_route(self, name: str) -> bool:
        """Whether a parameterless route called ``name`` exists (FastAPI includes routers
        lazily, so ask the router to build the URL rather than list its routes)."""
        known = self._routes_seen.get(name)
        if known is None:
            try:
                self.app.url_path_for(name)
                known = True
            except NoMatchFound:
                known = False
            # Routes are fixed once the app serves; remember the answer (a miss raised an
            # exception per nav entry per page before).
            self._routes_seen[name] = known
        return known

    def _context(self, scope: Scope, current: str | None) -> dict[str, Any]:
        state = scope.get("state", {})
        return {
            "nav": visible(entry.route for entry in NAV if self.has_route(entry.route)),
            "current": current,
            "csrftoken": state.get("csrftoken", ""),
            "has_route": self.has_route,
            "url": self.app.url_path_for,
            "cite": Citations(load_sources()),
        }

    def render(
        self, request: Request, template: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        route = request.scope.get("route")
        current = getattr(route, "name", None)
        values = {**self._context(request.scope, current), "request": request, **context}
        html = self.env.get_template(template).render(values)
        return HTMLResponse(html, status_code=status)

    def render_error(self, scope: Scope, status: int, body: dict[str, Any]) -> str:
        values = {**self._context(scope, None), "status": status, "body": body}
        return self.env.get_template("error.html").render(values)


STATIC_DIR = Path(__file__).parent / "static"


def get_pages(request: Request) -> Pages:
    """The app's `Pages` (a FastAPI dependency: no globals, one per app)."""
    pages = request.app.state.pages
    assert isinstance(pages, Pages)
    return pages


PagesDep = Annotated[Pages, Depends(get_pages)]
