"""The quick reader: one DBAPI connection kept for the two reads a server makes on every
request, `Store.data_version` and `Store.signed_in` (shared by every person's view of the
store, `Store.for_person`). Each is one statement in autocommit mode: one round trip, no
``BEGIN``/``COMMIT``, no ORM session (through SQLAlchemy a sign-in lookup cost about 1 ms of
CPU, as much as the rest of a cached page; raw, about 60 µs: docs/performance.md).

Within `versions_kept` (a server's GET request, `calfcare.web.auth`), a person's data version
is read once: the sign-in lookup gives it in the same statement, and later asks reuse it
until a transaction of that request writes (`forget`): a request is answered from one data
version, one round trip fewer per cached read."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from sqlalchemy import Engine

from calfcare.storage.errors import StorageError
from calfcare.storage.queries import read_version

_KEPT: ContextVar[dict[int, int] | None] = ContextVar("calfcare_versions", default=None)
"""The data versions this request read, by person (None: outside `versions_kept`). A dict,
so a worker thread's copy of the context (``run_in_threadpool``) shares it."""


@contextmanager
def versions_kept() -> Iterator[None]:
    """Within: each person's data version is read once, then reused (`kept`); for a request
    that does not write (a write `forget`s it: the next ask reads it again)."""
    marker = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(marker)


def kept(person_id: int, read: Callable[[], int]) -> int:
    """``person_id``'s version as kept within `versions_kept`, else ``read()`` (kept)."""
    versions = _KEPT.get()
    if versions is None:
        return read()
    version = versions.get(person_id)
    if version is None:
        version = versions[person_id] = read()
    return version


def keep(person_id: int, version: int | None) -> None:
    """Keep a version read by another statement (the sign-in lookup's), within scope."""
    versions = _KEPT.get()
    if versions is not None:
        versions[person_id] = 0 if version is None else int(version)


def forget(person_id: int) -> None:
    """``person_id`` wrote: the next ask reads the version again."""
    versions = _KEPT.get()
    if versions is not None:
        versions.pop(person_id, None)


class Store(Protocol):
    """What the reader needs of `calfcare.storage.store.Store` (named here, not imported:
    the store imports this module)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def display_url(self) -> str: ...

    def _errors(self) -> AbstractContextManager[None]: ...


class VersionReader:
    """The DBAPI connection `Store.data_version` and `Store.signed_in` read on, opened on
    first use and kept (one at a time: a lock).

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
        """``person_id``'s data version (0 when there is no row)."""
        row = self.one(read_version(self.placeholder), (int(person_id),))
        return 0 if row is None else int(row[0])

    @property
    def placeholder(self) -> str:
        """The driver's parameter marker: ``?`` for sqlite3, ``%s`` for psycopg."""
        style = self._store.engine.dialect.loaded_dbapi.paramstyle
        return "?" if style == "qmark" else "%s"

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row of ``sql`` (a single statement, in autocommit: its own snapshot),
        or None; `StorageError` when the database cannot be used."""
        engine = self._store.engine
        dbapi_error = engine.dialect.loaded_dbapi.Error
        with self._lock:
            try:
                if self._connection is None:
                    with self._store._errors():  # SQLAlchemy's errors, from the pool
                        self._connection = self._open(engine)
                cursor = self._connection.cursor()
                try:
                    cursor.execute(sql, tuple(params)) if params else cursor.execute(sql)
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
        return row

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
