"""What the tracking commands share: the ``--db`` option, opening the store, days and time.

``--db`` is an option on each tracking command (not on the root) so that commands that need
no database (`plan`, `learn`) do not show or parse it. Storage is imported inside
`open_cli_store` only, keeping `calfcare --help` free of SQLAlchemy, and Typer inside the
option helpers only (they run when the app is built), so `calfcare.launcher` can record a
screening through `open_cli_store` without the CLI framework.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.storage import Store

DB_HELP = (
    "Database URL, e.g. postgresql+psycopg://user@host/db "
    "(default: CALFCARE_DATABASE_URL, else SQLite in the data directory)."
)


def db_option(help: str = DB_HELP) -> Any:
    import typer

    return typer.Option(None, "--db", metavar="URL", help=help)


def login_option(help: str) -> Any:
    """``--login NAME``, required: the account a server-mode command acts for or on."""
    import typer

    return typer.Option(..., "--login", help=help)


def json_option(help: str = "Print the result as JSON only.") -> Any:
    import typer

    return typer.Option(False, "--json", help=help)


def since_option() -> Any:
    import typer

    return typer.Option(None, "--since", help="First day (YYYY-MM-DD).")


def until_option(help: str = "Last day (YYYY-MM-DD).") -> Any:
    import typer

    return typer.Option(None, "--until", help=help)


def open_cli_store(db: str | None) -> Store:
    """The store named by ``--db``, else by the settings."""
    from calfcare.settings import load_settings
    from calfcare.storage import open_store

    return open_store(load_settings(database_url=db))


def now() -> datetime:
    """The current local time, timezone-aware."""
    return datetime.now().astimezone()


def parse_day(value: str | None, option: str = "--day", *, today: date | None = None) -> date:
    """``today`` (the default), ``yesterday`` or YYYY-MM-DD."""
    today = today or now().date()
    if value is None or value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput([Problem(option, f"{value!r}: give YYYY-MM-DD, today or yesterday")])


def parse_optional_day(value: str | None, option: str) -> date | None:
    return None if value is None else parse_day(value, option)
