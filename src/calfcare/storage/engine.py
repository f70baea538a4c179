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

PostgreSQL: each process keeps a pool of `POOL_SIZE` connections (one of them held by the
data version's reader, `calfcare.storage.version`) and opens no more; a
transaction that finds them all in use waits for one (up to 30 s, then the store says the
database is busy). A worker is one Python process, busy on one core at a time, so more
transactions at once only make it and PostgreSQL switch between them. SQLAlchemy's default
would open up to 10 more and close each on return: with 200 people on 4 workers that opened
a new PostgreSQL backend (a process) many times a second, and the 4 workers served no more
than one (bench/multi_person.py, docs/performance.md).

A database whose file or folder cannot be written (a read-only file system, a backup mounted
read-only, a folder of another user's) is opened read-only, so that reading, `history`,
`stats` and `export` still work: SQLite needs to write the WAL's ``-shm`` file even to read,
so it is opened with ``mode=ro``, plus ``immutable=1`` when there is no ``-wal`` file (then
nothing is waiting in a log, and nobody can be writing to a file this process cannot write
either). Every connection of such an engine is ``READ_ONLY``; a write fails with SQLite's
"attempt to write a readonly database", which the store reports as read-only
(`calfcare.storage.store`), and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

READ_ONLY = "calfcare_read_only"
"""Execution option naming a connection that only reads (a deferred ``BEGIN`` on SQLite)."""
POOL_SIZE = 4
"""Connections a process keeps open to PostgreSQL, and the most it uses at once (see the
module doc)."""
WRITING_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL")
SQLITE_PRAGMAS = (*WRITING_PRAGMAS, "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000")


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url``; creates the SQLite file's folder when needed, and opens an
    existing SQLite file that cannot be written read-only (see the module doc). `OSError`
    when the folder cannot be made."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_size=POOL_SIZE, max_overflow=0)
    database = parsed.database
    read_only = False
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and not _writable(path):
            read_only = True
            parsed = _read_only_url(path)
    engine = create_engine(parsed, execution_options={READ_ONLY: True} if read_only else {})
    event.listen(engine, "connect", _sqlite_read_only_connect if read_only else _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_read_only(engine: Engine) -> bool:
    """Whether `make_engine` opened this database read-only."""
    return bool(engine.get_execution_options().get(READ_ONLY, False))


def display_url(engine: Engine) -> str:
    """The URL for messages: password hidden; a read-only SQLite file by its path."""
    url = engine.url
    if is_read_only(engine) and url.database and url.database.startswith("file:"):
        return f"sqlite:///{unquote(url.database.removeprefix('file:'))}"
    return url.render_as_string(hide_password=True)


def _writable(path: Path) -> bool:
    """Whether this process may write the file and its folder (``-wal``, ``-shm``, journal);
    False on a read-only file system, even for root."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_url(path: Path) -> URL:
    wal_waiting = path.with_name(path.name + "-wal").exists()
    query = {"mode": "ro", "uri": "true"} | ({} if wal_waiting else {"immutable": "1"})
    return URL.create("sqlite", database=f"file:{quote(str(path.resolve()))}", query=query)


def _sqlite_connect(dbapi_connection: Any, _record: Any, pragmas: tuple[str, ...] = ()) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see module doc)
    cursor = dbapi_connection.cursor()
    try:
        for pragma in pragmas or SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_read_only_connect(dbapi_connection: Any, record: Any) -> None:
    """A read-only file keeps its journal mode: no WAL switch, no ``synchronous``."""
    _sqlite_connect(dbapi_connection, record, SQLITE_PRAGMAS[len(WRITING_PRAGMAS) :])


def _sqlite_begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
