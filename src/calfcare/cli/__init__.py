"""The `calfcare` command line: a thin Typer adapter over the core.

Each command lives in its own module with a ``register(app)`` function. Command modules
import only light things at the top; anything heavy (storage, web, plotting) is imported
inside the command that needs it, so `calfcare --help` stays fast (docs/performance.md).

The Typer app itself is built on first use (``calfcare.cli.app``, or `main`), not when this
package is imported: `calfcare.launcher` answers `screen --answers` with the framework-free
parts of this package (`cli.screen`, `cli.errors`, `cli.inputs`), and importing Typer and
every command module would cost it several times its whole start-up budget.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


@cache
def build_app() -> typer.Typer:
    """The Typer app with every command registered (built once)."""
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

    _register_commands(app)
    return app


def _register_commands(app: typer.Typer) -> None:
    from calfcare.cli import (
        admin,
        clinician,
        history,
        insights,
        learn,
        log,
        plan,
        report,
        safety,
        screen,
        serve,
        session,
        split_leg,
        stats,
        transfer,
    )

    for module in (
        screen,
        safety,
        plan,
        session,
        learn,
        serve,
        log,
        history,
        stats,
        insights,
        split_leg,
        transfer,
        report,
        admin,
        clinician,
    ):
        module.register(app)


def __getattr__(name: str) -> typer.Typer:
    """``calfcare.cli.app``, built on first access (PEP 562)."""
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (arguments that are not UTF-8 text are refused first, as
    `calfcare.launcher` refuses them)."""
    import sys

    from calfcare.cli.arguments import check_arguments

    check_arguments(sys.argv[1:])
    try:
        build_app()(prog_name="calfcare")
    except SystemExit:
        # Typer meets a closed standard output (EPIPE) outside our `reporting` (help text)
        # by wrapping the streams in click's PacifyFlushWrapper and exiting 1; say it as
        # every other closed pipe is said: quietly, 141 (`calfcare.launcher`, `cli.errors`).
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            from calfcare.cli.errors import quiet_closed_pipe

            raise SystemExit(quiet_closed_pipe()) from None
        raise
