"""Request dependencies shared by every router: the settings, the store and its read cache.

The store is opened on first use, not in `create_app`, so that pages that need no database
(screening, learn) work even when the database is unavailable, and so that building the app
in tests costs nothing. It is closed when the app shuts down (`close_store`). The read cache
(`calfcare.services.ReadCache`: derived results keyed by the database's data version) is
made with the store and lives beside it on ``app.state``.

Server mode (`Settings.server`): `calfcare.web.auth` resolves the request's account once and
sets `PERSON` for the request; `app_store` and `app_read_cache` (hence `StoreDep` and
`ReadCacheDep`) then give that person's store and cache, so routers do not change. Without
a signed-in person they raise `SignInRequired` (a page redirects to sign-in, the API answers
401): the store is never reached anonymously on a server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from calfcare.services import MISSING, ReadCache, background
from calfcare.settings import Settings
from calfcare.storage import Store, open_store

_LOCK = threading.Lock()

PERSON: ContextVar[int | None] = ContextVar("calfcare_person", default=None)
"""The signed-in person of the request being served (server mode), set by `web.auth`."""


_KEPT: ContextVar[dict[str, object] | None] = ContextVar("calfcare_request_kept", default=None)


@contextmanager
def request_kept() -> Iterator[None]:
    """Within (a server's GET request, `calfcare.web.auth`): what one part of the request
    read for another (`kept_read`, `keep_read`), e.g. the prescription the home page's one
    snapshot read beside the records. A dict, shared with the request's worker threads."""
    marker = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(marker)


def keep_read(name: str, value: object) -> None:
    """Keep ``value`` for the rest of this request (nothing outside `request_kept`)."""
    kept = _KEPT.get()
    if kept is not None:
        kept[name] = value


def kept_read(name: str) -> object:
    """What `keep_read` kept under ``name`` in this request, else `MISSING`."""
    kept = _KEPT.get()
    return MISSING if kept is None else kept.get(name, MISSING)


class SignInRequired(Exception):
    """Person data asked for on a server without a signed-in account (not a domain error:
    nothing may catch it as one and show an empty page instead)."""


def _person(app: FastAPI) -> int | None:
    """None in personal mode; the signed-in person on a server, or `SignInRequired`."""
    if not app.state.settings.server:
        return None
    person = PERSON.get()
    if person is None:
        raise SignInRequired()
    return person


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_store(app: FastAPI) -> Store:
    """The request's person's store (server mode), or the app's (personal mode)."""
    person = _person(app)
    store = base_store(app)
    return store if person is None else store.for_person(person)


def base_store(app: FastAPI) -> Store:
    """The app's store, opened (and migrated) once, on first use."""
    store: Store | None = getattr(app.state, "store", None)
    if store is None:
        with _LOCK:
            store = getattr(app.state, "store", None)
            if store is None:
                store = open_store(app.state.settings)
                app.state.store = store
    return store


def app_read_cache(app: FastAPI) -> ReadCache:
    """The app's read cache, for the request's person's store (both made on first use)."""
    person = _person(app)
    cache = _base_cache(app)
    return cache if person is None else cache.for_person(cache.store.for_person(person))


def opened_read_cache(app: FastAPI) -> ReadCache | None:
    """`app_read_cache` if it is made already, else None (safe on the event loop)."""
    if getattr(app.state, "read_cache", None) is None:
        return None
    return app_read_cache(app)


def _base_cache(app: FastAPI) -> ReadCache:
    cache: ReadCache | None = getattr(app.state, "read_cache", None)
    if cache is None:
        store = base_store(app)
        with _LOCK:
            cache = getattr(app.state, "read_cache", None)
            if cache is None or cache.store is not store:
                cache = ReadCache(store)
                app.state.read_cache = cache
    return cache


async def get_store(request: Request) -> Store:
    """``async``: FastAPI runs a plain ``def`` dependency in a worker thread, a thread hop on
    every request for one attribute read. Only the first use, which opens (and may migrate)
    the database, goes to a thread."""
    store: Store | None = getattr(request.app.state, "store", None)
    if store is None:
        await run_in_threadpool(base_store, request.app)
    return app_store(request.app)


async def get_read_cache(request: Request) -> ReadCache:
    """As `get_store`, for the read cache."""
    if getattr(request.app.state, "read_cache", None) is None:
        await run_in_threadpool(_base_cache, request.app)
    return app_read_cache(request.app)


def close_store(app: FastAPI) -> None:
    store: Store | None = getattr(app.state, "store", None)
    app.state.read_cache = None
    if store is not None:
        background.wait_idle(30.0)  # the refreshes queued after responses, on this store
        store.close()
        app.state.store = None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ReadCacheDep = Annotated[ReadCache, Depends(get_read_cache)]
