"""Request dependencies shared by every router: the settings, the store and its read cache.

The store is opened on first use, not in `create_app`, so that pages that need no database
(screening, learn) work even when the database is unavailable, and so that building the app
in tests costs nothing. It is closed when the app shuts down (`close_store`). The read cache
(`calfcare.services.ReadCache`: derived results keyed by the database's data version) is
made with the store and lives beside it on ``app.state``.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from calfcare.services import ReadCache
from calfcare.settings import Settings
from calfcare.storage import Store, open_store

_LOCK = threading.Lock()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_store(app: FastAPI) -> Store:
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
    """The app's read cache, for its store (both made on first use)."""
    cache: ReadCache | None = getattr(app.state, "read_cache", None)
    if cache is None:
        store = app_store(app)
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
        store = await run_in_threadpool(app_store, request.app)
    return store


async def get_read_cache(request: Request) -> ReadCache:
    """As `get_store`, for the read cache."""
    cache: ReadCache | None = getattr(request.app.state, "read_cache", None)
    if cache is None:
        cache = await run_in_threadpool(app_read_cache, request.app)
    return cache


def close_store(app: FastAPI) -> None:
    store: Store | None = getattr(app.state, "store", None)
    app.state.read_cache = None
    if store is not None:
        store.close()
        app.state.store = None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ReadCacheDep = Annotated[ReadCache, Depends(get_read_cache)]
