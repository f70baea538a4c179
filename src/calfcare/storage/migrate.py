"""Schema upgrades: Alembic, configured in code (no alembic.ini), run when a store opens.

Opening a store costs one cheap query when the schema is current (``alembic_version`` equals
`HEAD`); only then is Alembic imported (about 0.2 s) and run. Upgrades run inside one
transaction that holds the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory
lock), so two processes opening a new database at once cannot both create it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from calfcare.storage.errors import StorageError

HEAD = "0005"
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
    """Upgrade when needed; refuse a database written by a newer calfcare."""
    with engine.connect() as connection:
        revision = current_revision(connection)
        connection.rollback()
    if revision == HEAD:
        return
    upgrade(engine)


def _run(engine: Engine, action: str, revision: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
            config = alembic_config(connection)
            getattr(command, action)(config, revision)
    except CommandError as error:
        raise StorageError(
            f"The database's schema is not one this calfcare knows ({error}). "
            "It may have been written by a newer calfcare: upgrade calfcare.",
            advice="The database may have been written by a newer calfcare: upgrade calfcare.",
        ) from None
