"""The first check on every run, before any command is parsed: each argument is UTF-8 text.

Both the launcher's fast paths (`calfcare.launcher`) and the Typer CLI (`calfcare.cli.main`)
run it, so it sits below both and imports nothing until an argument fails.
"""

from __future__ import annotations

import sys


def check_arguments(args: list[str]) -> None:
    """Exit 2 naming any argument that is not UTF-8 text (`calfcare log note $'\\xff'`);
    the common case, all text, costs one encode per argument and no import."""
    try:
        for arg in args:
            arg.encode("utf-8")
    except UnicodeEncodeError:
        from calfcare.cli.errors import report_error
        from calfcare.cli.inputs import argument_problems
        from calfcare.core.errors import InvalidInput

        error = InvalidInput(argument_problems(args), "An argument is not valid text.")
        sys.exit(report_error(error))
