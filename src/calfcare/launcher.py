"""The console-script entry point, with fast paths that do not import the CLI framework.

Typer and click cost about 50 ms to import, several times a bare interpreter, and the CLI
imports every command module to register it. Three things people (and scripts, and shell
completion) run often are therefore answered here without them:

* `--version`;
* `--help`, printed from ``cli/help.txt``: the text Typer renders at 80 columns (the width
  click caps help at). ``tests/cli/test_startup.py`` fails if that file drifts from what Typer
  would print; `python -m calfcare.launcher --write-help` rewrites it;
* `screen --answers FILE --no-save [--json]` (a screening that is not recorded), by
  `calfcare.cli.screen.run_screen`, the very function the Typer command calls, with the
  wording compiled out of Pydantic (`calfcare.content.screening_wording`).
  `tests/cli/test_screen_fast_path.py` runs both paths on every vignette and bad input and
  compares stdout, stderr and exit status byte for byte.

Anything else, including any argument shape `fast_screen_args` does not recognise, goes to
the real CLI, which then gives exactly the answer (or usage error) it always gave.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def fast_screen_args(args: list[str]) -> tuple[str, bool] | None:
    """``(answers, json_output)`` when ``args`` is `screen` with ``--answers X``,
    ``--no-save`` and an optional ``--json``, in any order, exactly as click would parse
    them; else None (a screening that is recorded needs storage: Typer's path).

    Deliberately narrower than click: each option at most once, and a separate value that
    looks like an option (other than ``-``, standard input) is left to click, which would
    take it as a file name. None means "let Typer answer", never an error.
    """
    if not args or args[0] != "screen":
        return None
    answers: str | None = None
    json_output = False
    no_save = False
    rest = args[1:]
    while rest:
        arg = rest.pop(0)
        if arg == "--json" and not json_output:
            json_output = True
        elif arg == "--no-save" and not no_save:
            no_save = True
        elif arg == "--answers" and answers is None and rest:
            value = rest.pop(0)
            if value.startswith("-") and value != "-":
                return None
            answers = value
        elif arg.startswith("--answers=") and answers is None:
            answers = arg.removeprefix("--answers=")
        else:
            return None
    return None if answers is None or not no_save else (answers, json_output)


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

        status = run_screen(screen_args[0], json_output=screen_args[1])
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
