"""Schema upgrades: Alembic, configured in code (no alembic.ini), run when a store opens.

Opening a store costs one cheap query when the schema is current (``alembic_version`` equals
`HEAD`); only then is Alembic imported (about 0.2 s) and run. Upgrades run inside one
transaction that holds the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory
lock), so two processes opening a new database at once cannot both create it.

On SQLite, foreign keys are switched off while a migration runs (batch mode copies a table,
and dropping the old copy would otherwise cascade to, or be refused by, the rows that point
at it) and checked with ``PRAGMA foreign_key_check`` before the commit: a migration that
left a dangling reference rolls back whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from calfcare.storage.engine import READ_ONLY
from calfcare.storage.errors import StorageError

HEAD = "0012"
"""The newest revision in ``migrations/versions`` (a test checks it is Alembic's head)."""
SCRIPT_LOCATION = Path(__file__).parent / "migrations"
_LOCK_ID = 0x_CA1F_CA2E
"""PostgreSQL advisory lock key held while migrating."""


def alembic_config(connection: Connection | None = None) -> Any:
    """A programmatic Alembic config; ``connection`` is the one migrations run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The schema's revision, or None for a database calfcare has not set up yet."""
    try:
        with connection.begin_nested():
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest)."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to ``revision`` ("base" drops everything calfcare made)."""
    _run(engine, "downgrade", revision)


def ensure_current(engine: Engine) -> None:
    """Upgrade when needed; refuse a database written by a newer calfcare.

    The check reads on a ``READ_ONLY`` connection: on SQLite a deferred ``BEGIN``, so
    opening a current database takes no write lock (and never waits for another writer)."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        revision = current_revision(connection)
        connection.rollback()
    if revision == HEAD:
        return
    upgrade(engine)


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:  # outside any transaction, where SQLite honours it
                _foreign_keys(connection, on=False)
            try:
                with connection.begin():
                    if not sqlite:
                        connection.execute(
                            text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID}
                        )
                    getattr(command, action)(alembic_config(connection), revision)
                    if sqlite:
                        _check_foreign_keys(connection)
            finally:
                if sqlite:
                    _foreign_keys(connection, on=True)
    except CommandError as error:
        raise StorageError(
            f"The database's schema is not one this calfcare knows ({error}). "
            "It may have been written by a newer calfcare: upgrade calfcare.",
            advice="The database may have been written by a newer calfcare: upgrade calfcare.",
        ) from None


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    finally:
        cursor.close()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise StorageError(
            f"Upgrading the database would leave {len(broken)} records pointing at nothing "
            f"(first in {broken[0][0]}); nothing was changed."
        )
