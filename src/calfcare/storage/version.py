"""The data version's reader: one DBAPI connection kept for `Store.data_version` alone
(shared by every person's view of the store, `Store.for_person`)."""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import Engine

from calfcare.storage.errors import StorageError
from calfcare.storage.queries import read_version


class Store(Protocol):
    """What the reader needs of `calfcare.storage.store.Store` (named here, not imported:
    the store imports this module)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def display_url(self) -> str: ...

    def _errors(self) -> AbstractContextManager[None]: ...


class VersionReader:
    """The DBAPI connection `Store.data_version` reads on, opened on first use and kept.

    Taken from the engine's pool (so SQLite gets its pragmas) and never given back: it is in
    autocommit mode (SQLite's connections already are; a PostgreSQL one is switched), which
    must not leak to other users of the pool, so `close` throws it away. A connection that
    fails is thrown away too, and the next ask opens a new one.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._connection: Any = None

    def read(self, person_id: int) -> int:
        engine = self._store.engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        with self._lock:
            try:
                if self._connection is None:
                    with self._store._errors():  # SQLAlchemy's errors, from the pool
                        self._connection = self._open(engine)
                cursor = self._connection.cursor()
                try:
                    cursor.execute(read_version(person_id))
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except dbapi_error as error:  # the raw driver's own errors are not wrapped
                self._discard()
                text = str(error).strip()
                raise StorageError(
                    f"The database at {self._store.display_url} cannot be used: "
                    f"{text.splitlines()[0] if text else type(error).__name__}"
                ) from error
        return 0 if row is None else int(row[0])

    @staticmethod
    def _open(engine: Engine) -> Any:
        connection = engine.raw_connection()
        if engine.dialect.name != "sqlite":  # SQLite's are in autocommit already (engine.py)
            connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        return connection

    def close(self) -> None:
        with self._lock:
            self._discard()

    def _discard(self) -> None:
        if self._connection is not None:
            self._connection.invalidate()  # closed, not returned to the pool
            self._connection = None
