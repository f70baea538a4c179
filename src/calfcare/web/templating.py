"""Rendering pages: one Jinja2 environment (autoescape on, undefined names an error), the
context every page gets (nav, CSRF token, citation numbering), and a cache of rendered pages.

Autoescaping is on for every template, so content text and form values can never become
markup; `StrictUndefined` turns a misspelt variable into an error in tests instead of an
empty string on a safety page.

**The page cache** (`Pages.render_cached`, `PageCache`). Rendering with Jinja2 costs
0.7-1.1 ms a page, several times what the rest of a request costs (docs/performance.md).
Most pages depend only on their URL and on content that is fixed while the server runs, but
every page carries the browser's CSRF token, so a whole page cannot be cached. Such a page
is rendered once with a random marker in place of the token, split at the marker, and each
request joins the pieces with its own (escaped) token: a bytes join instead of a render.
Only routes that read neither the database, the clock nor anything per browser may use it;
the cached render gets no ``request``, so a template that reaches for one fails instead of
caching one person's page for everyone.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, FastAPI
from jinja2.bccache import Bucket
from markupsafe import escape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import NoMatchFound
from starlette.types import Scope

from calfcare.content.sources import Source, load_sources
from calfcare.core.day_words import day_text
from calfcare.core.levels import LEVEL_WORDS, Level
from calfcare.core.record_views import KIND_WORDS, count_words
from calfcare.web.auth import is_public
from calfcare.web.form_words import field_words
from calfcare.web.nav import NAV, Viewer, split, visible


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


PageKey = tuple[str, str, bytes, Hashable]
"""(template, path, query string, what else the page varies on): one cached page."""

MAX_CACHED_PAGES = 2048
"""Pages kept; the least recently served goes first. Query strings are chosen by whoever
sends the request, so without a bound one client could fill the memory. A server's home
pages differ per person (their summary): 256, the bound before, held fewer than 200
people's pages with the rest (bench/multi_person.py), so most of them were rendered again."""
MAX_CACHED_BYTES = 32 * 1024 * 1024
"""And at most this many bytes in all: a history page can weigh megabytes, so a bound on the
count alone would still let 256 filtered variants of it take hundreds of MB."""
MAX_CACHED_QUERY = 512
"""A longer query string is rendered every time, never cached: real links are short."""


class PageCache:
    """A bounded LRU map from `PageKey` to a page split at its token marker.

    Bounded by count and by bytes; a page over a quarter of the byte bound is never stored
    (it would push out everything else). Thread-safe (sync routes render in worker threads);
    the lock is held only for the dictionary operations, never for a render.
    """

    def __init__(
        self, max_entries: int = MAX_CACHED_PAGES, max_bytes: int = MAX_CACHED_BYTES
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._pieces: OrderedDict[PageKey, tuple[bytes, ...]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: PageKey) -> tuple[bytes, ...] | None:
        with self._lock:
            pieces = self._pieces.get(key)
            if pieces is not None:
                self._pieces.move_to_end(key)
            return pieces

    def put(self, key: PageKey, pieces: tuple[bytes, ...]) -> None:
        size = sum(map(len, pieces))
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._pieces.pop(key, None)
            if old is not None:
                self._bytes -= sum(map(len, old))
            self._pieces[key] = pieces
            self._bytes += size
            while len(self._pieces) > self.max_entries or self._bytes > self.max_bytes:
                _, dropped = self._pieces.popitem(last=False)
                self._bytes -= sum(map(len, dropped))

    def held(self) -> list[PageKey]:
        """The keys held, least recently served first (for tests and curiosity)."""
        with self._lock:
            return list(self._pieces)

    @property
    def size_bytes(self) -> int:
        """The bytes of every page held (for tests and curiosity)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._pieces)

    def clear(self) -> None:
        with self._lock:
            self._pieces.clear()
            self._bytes = 0


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole process, shared by every `Pages`.

    Compiling the 27 templates costs about 75 ms, and each app has its own environment (the
    tests make one per test): with this, only the first environment compiles and the others
    load the code. Jinja2 checks each entry against a checksum of the template's source, so
    a template changed on disk or replaced by a loader (as tests do) is compiled afresh.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


COMPILED = _CompiledTemplates()
ROUTE_FACTS_KEPT = 4096
"""How many facts about routes `RouteFacts` remembers (paths of links with an id in them
are many; whether a route exists or is public, one each)."""

RouteFact = tuple[str, str, tuple[tuple[str, Any], ...]]
"""(what: ``url``, ``exists`` or ``public``; the route's name; the URL's parameters)."""


class RouteFacts(dict[RouteFact, Any]):
    """What pages ask about routes, each found once: a route's path, whether it exists,
    whether an anonymous visitor may open it. Routes are fixed once the app serves, and
    asking FastAPI walks every router and route (60-190 µs a call; a missing route raises
    an exception), while a page asks a dozen times or more (docs/performance.md, "Many
    people"). A fact already found is a plain dictionary lookup; at most `ROUTE_FACTS_KEPT`
    are kept."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, key: RouteFact) -> Any:
        what, name, params = key
        if what == "url":
            found: Any = str(self.app.url_path_for(name, **dict(params)))
        elif what == "exists":
            try:
                self.app.url_path_for(name)
                found = True
            except NoMatchFound:
                found = False
        else:  # "public": a GET of its path, as the auth middleware decides for a request
            found = is_public({"type": "http", "method": "GET", "path": self["url", name, ()]})
        if len(self) >= ROUTE_FACTS_KEPT:
            self.clear()
        self[key] = found
        return found


class Pages:
    """Renders templates with the shared context; kept on ``app.state.pages``."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._route_facts = RouteFacts(app)
        self.cache = PageCache()
        # Random per process and never sent (every served copy has it replaced), so no one
        # can put it into a page through a query string to move a token somewhere else.
        self._marker = f"csrf{secrets.token_hex(16)}"
        self._marker_bytes = self._marker.encode("ascii")
        # The same for ``fresh_id``, a new id per served page (a form's client id).
        self._id_marker = f"fresh{secrets.token_hex(16)}"
        self._id_marker_bytes = self._id_marker.encode("ascii")
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("calfcare.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            # Templates ship with the package and never change while the server runs: no
            # stat() of every template and include on every render (docs/performance.md).
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=COMPILED,
        )
        self.env.filters["field_words"] = field_words
        self.env.filters["kind_words"] = KIND_WORDS.__getitem__
        self.env.filters["count_words"] = count_words
        self.env.filters["level_words"] = lambda level: LEVEL_WORDS[Level(level)]
        self.env.filters["day"] = day_words

    def warm(self) -> None:
        """Load every template now, at start-up, so that no first request pays for it
        (compiled once per process: about 75 ms the first time, a few ms for a later app).
        Reads the package's template files only: no database, no request."""
        for name in self.env.list_templates(extensions=("html",)):
            self.env.get_template(name)

    def has_route(self, name: str) -> bool:
        """Whether a parameterless route called ``name`` exists (FastAPI includes routers
        lazily, so ask the router to build the URL rather than list its routes)."""
        known: bool = self._route_facts["exists", name, ()]
        return known

    def is_public_route(self, name: str) -> bool:
        """Whether an anonymous visitor may open the route ``name`` (a GET of its path, as
        `calfcare.web.auth.is_public` decides for every request)."""
        public: bool = self._route_facts["public", name, ()]
        return public

    def url(self, name: str, /, **params: Any) -> str:
        """The path of route ``name`` (``url('static', path='app.css')`` in a template)."""
        path: str = self._route_facts["url", name, tuple(sorted(params.items()))]
        return path

    def _context(
        self,
        scope: Scope,
        current: str | None,
        token: str | None = None,
        fresh_id: str | None = None,
    ) -> dict[str, Any]:
        if token is None:
            token = _token(scope)
        return {
            "nav": split(
                visible(
                    (e.route for e in NAV if self.has_route(e.route)),
                    viewer=viewer_of(scope),
                    public=self.is_public_route,
                )
            ),
            "current": current,
            "csrftoken": token,
            # A new id on every page served: a form's client id, so that a form sent twice
            # (a double click, a retry) is saved once (docs/api.md, "Idempotency").
            "fresh_id": fresh_id or uuid.uuid4().hex,
            "has_route": self.has_route,
            "url": self.url,
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

    def render_cached(
        self,
        request: Request,
        template: str,
        *,
        vary: Hashable = (),
        headers: Mapping[str, str] | None = None,
        make_context: Callable[[], Mapping[str, Any]] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """`render` for a page whose HTML depends only on the URL (path and query string),
        on ``vary`` and on fixed content: rendered once per key, then only the CSRF token is
        filled in. ``context`` must follow from those alone (a database read, the clock or
        anything from the browser must not be in it, or must be in ``vary``).

        ``make_context`` adds context that is worth computing only for a render (the live
        session's plan): it is called on a miss, never on a hit; what it raises (a bad query
        option) is raised, and nothing is stored. ``headers`` are added to every response
        (the live page's ``Link``). Compression is left to the GZip middleware: a stored
        gzip copy measured no faster (docs/web-session.md)."""
        scope = request.scope
        query: bytes = scope.get("query_string", b"")
        if len(query) > MAX_CACHED_QUERY:
            extra = make_context() if make_context is not None else {}
            response = self.render(request, template, **context, **extra)
            if headers:
                response.headers.update(headers)
            return response
        key: PageKey = (template, scope["path"], query, (vary, viewer_of(scope)))
        pieces = self.cache.get(key)
        if pieces is None:
            current = getattr(scope.get("route"), "name", None)
            values = {
                **self._context(scope, current, token=self._marker, fresh_id=self._id_marker),
                **context,
            }
            if make_context is not None:
                values.update(make_context())
            html = self.env.get_template(template).render(values)
            pieces = tuple(html.encode("utf-8").split(self._marker_bytes))
            self.cache.put(key, pieces)
        token = str(escape(_token(scope))).encode("utf-8")
        body = token.join(pieces)
        if self._id_marker_bytes in body:
            body = body.replace(self._id_marker_bytes, uuid.uuid4().hex.encode("ascii"))
        return HTMLResponse(body, headers=headers)

    def render_error(self, scope: Scope, status: int, body: dict[str, Any]) -> str:
        values = {**self._context(scope, None), "status": status, "body": body}
        return self.env.get_template("error.html").render(values)


def day_words(day: date | str) -> str:
    """``{{ row.day|day }}``: a day for people, "5 Dec 2026" (`calfcare.core.day_words`),
    from a date, a datetime (made local first: ``at.astimezone()|day``) or an ISO string (the
    history's rows carry their days as ISO strings, as the API does)."""
    return day_text(date.fromisoformat(day) if isinstance(day, str) else day)


def viewer_of(scope: Scope) -> Viewer:
    """Who the request is from (`calfcare.web.nav.Viewer`): the nav differs for each (a
    clinician's has "Your people", an anonymous visitor's only the public pages and "Sign
    in"), so a cached page varies on it. Server mode's `calfcare.web.auth` middleware puts
    the signed-in account, or None, in every request; personal mode has none."""
    if "calfcare_account" not in scope:
        return "personal"
    account = scope["calfcare_account"]
    if account is None:
        return "anonymous"
    return "clinician" if getattr(account, "role", None) == "clinician" else "person"


def _token(scope: Scope) -> str:
    """The request's CSRF token, set by the security middleware ("" without one)."""
    token: str = scope.get("state", {}).get("csrftoken", "")
    return token


STATIC_DIR = Path(__file__).parent / "static"


async def get_pages(request: Request) -> Pages:
    """The app's `Pages` (a FastAPI dependency: no globals, one per app). ``async`` because
    FastAPI runs a plain ``def`` dependency in a worker thread: a thread hop on every page
    for one attribute read."""
    pages = request.app.state.pages
    assert isinstance(pages, Pages)
    return pages


PagesDep = Annotated[Pages, Depends(get_pages)]
