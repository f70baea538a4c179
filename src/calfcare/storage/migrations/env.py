"""Alembic environment: runs on the connection calfcare passes in, or on the settings' URL.

`calfcare.storage.migrate` passes the connection (inside its locked transaction). Run by hand
(``alembic`` with ``script_location`` pointing here), the URL comes from calfcare's settings
(``CALFCARE_DATABASE_URL`` or the SQLite file in the data directory), never from an ini file.
"""

from __future__ import annotations

from alembic import context

from calfcare.storage.tables import METADATA


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=METADATA,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from calfcare.settings import load_settings
    from calfcare.storage.engine import make_engine

    engine = make_engine(load_settings().effective_database_url)
    with engine.begin() as own_connection:
        _run(own_connection)
    engine.dispose()
