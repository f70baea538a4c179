"""The console-script entry point, with fast paths that do not import the CLI framework.

Typer and click cost about 50 ms to import, several times a bare interpreter, and the CLI
imports every command module to register it. Three things people (and scripts, and shell
completion) run often are therefore answered here without them:

* `--version`;
* `--help`, printed from ``cli/help.txt``: the text Typer renders at 80 columns (the width
  click caps help at). ``tests/cli/test_startup.py`` fails if that file drifts from what Typer
  would print; `python -m calfcare.launcher --write-help` rewrites it;
* `screen --answers FILE [--json] [--no-save] [--db URL]`, by
  `calfcare.cli.screen.run_screen`, the very function the Typer command calls, with the
  wording compiled out of Pydantic (`calfcare.content.screening_wording`). The screening is
  recorded (unless ``--no-save``) by the same `calfcare.services.record_screening` in the
  same store: the storage it needs imports SQLAlchemy Core and the tables, not the
  accounts, the clinician's side or Alembic (docs/performance.md).
  `tests/cli/test_screen_fast_path.py` runs both paths on every vignette and bad input and
  compares stdout, stderr, exit status and what was stored.

Anything else, including any argument shape `fast_screen_args` does not recognise, goes to
the real CLI, which then gives exactly the answer (or usage error) it always gave.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

HELP_FILE = Path(__file__).parent / "cli" / "help.txt"


def render_help() -> str:
    """Typer's own top-level help, at the 80 columns click caps it to."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", "from calfcare.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    return done.stdout


class ScreenArgs(NamedTuple):
    """What `screen --answers X` asks of `calfcare.cli.screen.run_screen`."""

    answers: str
    json_output: bool = False
    save: bool = True
    db: str | None = None


def fast_screen_args(args: list[str]) -> ScreenArgs | None:
    """The `ScreenArgs` when ``args`` is `screen` with ``--answers X`` and any of ``--json``,
    ``--no-save`` and ``--db URL``, in any order, exactly as click would parse them; else
    None.

    Deliberately narrower than click: each option at most once, and a separate value that
    looks like an option (other than ``-``, standard input, for ``--answers``) is left to
    click, which would take it as the value. None means "let Typer answer", never an error.
    """
    if not args or args[0] != "screen":
        return None
    values: dict[str, str] = {}
    flags: set[str] = set()
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if arg in ("--json", "--no-save") and arg not in flags:
            flags.add(arg)
        elif name in ("--answers", "--db") and name not in values:
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
                if value.startswith("-") and not (name == "--answers" and value == "-"):
                    return None
            values[name] = value
        else:
            return None
    if "--answers" not in values:
        return None
    return ScreenArgs(
        values["--answers"], "--json" in flags, "--no-save" not in flags, values.get("--db")
    )


def _help_fits() -> bool:
    """Whether the terminal is at least the 80 columns ``help.txt`` was rendered at."""
    import shutil

    return shutil.get_terminal_size().columns >= 80 and HELP_FILE.exists()


def main() -> None:
    """The console script: `_main`, with a closed standard output (`calfcare stats | head
    -1`) handled once, here, for every command: quiet, exit 141 (`cli.errors`)."""
    try:
        try:
            _main()
        finally:
            sys.stdout.flush()  # now, where a closed pipe can still be caught
    except BrokenPipeError:
        from calfcare.cli.errors import quiet_closed_pipe

        sys.exit(quiet_closed_pipe())


def _main() -> None:
    args = sys.argv[1:]
    from calfcare.cli.arguments import check_arguments

    check_arguments(args)
    if args == ["--version"]:
        from calfcare import __version__

        print(f"calfcare {__version__}")
        return
    if args == ["--help"] and _help_fits():
        sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
        return
    screen_args = fast_screen_args(args)
    if screen_args is not None:
        from calfcare.cli.screen import run_screen

        status = run_screen(
            screen_args.answers,
            json_output=screen_args.json_output,
            save=screen_args.save,
            db=screen_args.db,
        )
        if status:
            sys.exit(status)
        return
    from calfcare.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-help"]:
        HELP_FILE.write_text(render_help(), encoding="utf-8")
    else:
        main()
