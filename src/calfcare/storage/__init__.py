"""Storage: an adapter around the core (SQLAlchemy 2, Alembic; SQLite or PostgreSQL).

The one way in is `open_store`: it builds the engine (never at import time), brings the
schema up to date, and returns a `Store` whose transactions take and give core records,
the records of one person (`PERSONAL` in personal mode; `Store.for_person` for another).
Nothing outside this package sees a table, a row or a connection.
"""

from __future__ import annotations

from calfcare.settings import Settings
from calfcare.storage.errors import StorageError
from calfcare.storage.store import PERSONAL, Store, Transaction

__all__ = ["PERSONAL", "StorageError", "Store", "Transaction", "open_store"]


def open_store(url_or_settings: str | Settings, *, migrate: bool = True) -> Store:
    """Open the database named by a URL or by settings (``effective_database_url``).

    SQLite by default (a file in the data directory, created with its folder when missing);
    any SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``, otherwise. With
    ``migrate`` (the default) the schema is upgraded automatically; `StorageError` when the
    database cannot be reached or belongs to a newer calfcare.
    """
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from calfcare.storage.engine import make_engine
    from calfcare.storage.migrate import ensure_current

    url = (
        url_or_settings.effective_database_url
        if isinstance(url_or_settings, Settings)
        else url_or_settings
    )
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError) as error:
        raise StorageError(f"Not a database URL calfcare can use: {error}") from None
    except ImportError as error:
        raise StorageError(f"No database driver for this URL: {error}") from None
    except OSError as error:  # the SQLite file's folder could not be made
        why = (
            f"{error.filename} is not a folder"
            if isinstance(error, FileExistsError)
            else f"{error.strerror or error}: {error.filename}"
        )
        raise StorageError(
            f"The database at {url} cannot be used: its folder cannot be created ({why}). "
            "Give a --db (or CALFCARE_DATA_DIR) in a folder that exists or can be made."
        ) from None
    store = Store(engine)
    if migrate:
        try:
            ensure_current(engine)
        except DBAPIError as error:
            store.close()
            detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise StorageError(
                f"The database at {store.display_url} cannot be used: {detail}"
            ) from None
        except StorageError:
            store.close()
            raise
    return store
