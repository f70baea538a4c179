"""`calfcare admin`: accounts on a server, made by whoever runs it (there is no mail server).

    calfcare admin create-account --login NAME [--role person|clinician|admin] [--password-stdin]
    calfcare admin reset-password --login NAME [--password-stdin]

The password is asked twice, hidden, or read from the first line of standard input with
``--password-stdin`` (for scripts). Bad input is exit 2 naming the option; a database that
cannot be used is exit 1 (docs/cli.md). The accounts service (`calfcare.services.accounts`)
and argon2 are imported only when a command runs.
"""

from __future__ import annotations

import sys

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import named_as, reporting
from calfcare.core.errors import InvalidInput, Problem

admin_app = typer.Typer(
    help="Accounts on a server: create one, reset a password.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
NAMES = {"login": "--login", "password": "password", "role": "--role"}
ROLES = ("person", "clinician", "admin")
LOGIN_HELP = "The login name (3 to 64 of a-z, 0-9 and . _ - @; case does not matter)."
STDIN_HELP = "Read the password from the first line of standard input (for scripts)."


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")


@admin_app.command("create-account")
def create_account(
    login: str = cli_db.login_option(LOGIN_HELP),
    role: str = typer.Option("person", "--role", help="person, clinician or admin."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
    db: str | None = cli_db.db_option(),
) -> None:
    """Create an account (and its person, with no records yet)."""
    from calfcare.core.accounts import Role
    from calfcare.services import accounts

    with reporting(), named_as(NAMES):
        if role not in ROLES:
            raise InvalidInput([Problem("role", "Choose person, clinician or admin.")])
        password = _password(password_stdin)
        store = cli_db.open_cli_store(db)
        try:
            account = accounts.sign_up(store, login, password, cli_db.now(), role=Role(role))
        finally:
            store.close()
    print(f"Created the {account.role.value} account {account.login}.")


@admin_app.command("reset-password")
def reset_password(
    login: str = cli_db.login_option(LOGIN_HELP),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
    db: str | None = cli_db.db_option(),
) -> None:
    """Set a new password for an account and sign it out everywhere."""
    from calfcare.services import accounts

    with reporting(), named_as(NAMES):
        password = _password(password_stdin)
        store = cli_db.open_cli_store(db)
        try:
            account = accounts.reset_password(store, login, password, cli_db.now())
        finally:
            store.close()
    print(
        f"The password of {account.login} is changed; every session of it has ended and its "
        "passkeys are removed."
    )


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("The same password again", hide_input=True)
    if first != second:
        raise InvalidInput([Problem("password", "The two passwords differ: nothing was saved.")])
    return str(first)
