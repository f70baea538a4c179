"""Engines for the two backends, with SQLite set up for durability.

SQLite pragmas, on every new connection:

- ``journal_mode=WAL``: readers never block the writer (the web app and a CLI command can
  share the file) and a commit is one append to the log.
- ``synchronous=FULL``: each commit fsyncs the log before it returns. ``NORMAL`` would
  already survive ``kill -9`` (the process dies, the OS still holds the written pages), but
  not a power cut or an OS crash right after the acknowledgement. A person logs a handful of
  records a day and an import is one transaction, so one fsync per commit costs nothing
  noticeable, and "saved" then means saved.
- ``foreign_keys=ON``: SQLite leaves them off unless asked.
- ``busy_timeout=5000``: wait up to 5 s for another writer instead of failing at once.

Transactions start with ``BEGIN IMMEDIATE`` (pysqlite's own deferred ``BEGIN`` is switched
off), so a transaction that reads then writes takes the write lock up front and cannot fail
half-way with "database is locked" when another process wrote in between. Read-only work
(`Store.reading`, `Store.data_version`) runs on connections with the execution option
``READ_ONLY`` and starts with a plain deferred ``BEGIN`` instead: in WAL mode it reads a
snapshot without taking the write lock, so readers neither queue behind each other nor sleep
in the busy handler while a writer commits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

READ_ONLY = "calfcare_read_only"
"""Execution option naming a connection that only reads (a deferred ``BEGIN`` on SQLite)."""
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url``; creates the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see module doc)
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
