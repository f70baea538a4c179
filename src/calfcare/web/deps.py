"""Request dependencies shared by every router: the settings and the store.

The store is opened on first use, not in `create_app`, so that pages that need no database
(screening, learn) work even when the database is unavailable, and so that building the app
in tests costs nothing. It is closed when the app shuts down (`close_store`).
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, FastAPI, Request

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


def get_store(request: Request) -> Store:
    return app_store(request.app)


def close_store(app: FastAPI) -> None:
    store: Store | None = getattr(app.state, "store", None)
    if store is not None:
        store.close()
        app.state.store = None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
