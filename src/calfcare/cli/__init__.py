"""The `calfcare` command line: a thin Typer adapter over the core.

Each command lives in its own module with a ``register(app)`` function. Command modules
import only light things at the top; anything heavy (storage, web, plotting) is imported
inside the command that needs it, so `calfcare --help` stays fast (docs/performance.md).
"""

from __future__ import annotations

import typer

from calfcare import __version__

app = typer.Typer(
    name="calfcare",
    help="Calf self-massage, safely: screening, routines, guided sessions and tracking.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"calfcare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Calf self-massage, safely: screening, routines, guided sessions and tracking."""


def _register_commands() -> None:
    from calfcare.cli import (
        history,
        insights,
        learn,
        log,
        plan,
        report,
        screen,
        serve,
        session,
        stats,
        transfer,
    )

    for module in (
        screen,
        plan,
        session,
        learn,
        serve,
        log,
        history,
        stats,
        insights,
        transfer,
        report,
    ):
        module.register(app)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="calfcare")
