"""The console-script entry point, with a fast path for `--version` and `--help`.

Typer and click cost about 50 ms to import, several times a bare interpreter, and people
(and shell completion) run `calfcare --help` and `--version` often. Both answers are static,
so they are printed without importing the CLI at all: `--help` from ``cli/help.txt``, the
text Typer renders at 80 columns (the width click caps help at). ``tests/cli/test_startup.py``
fails if that file drifts from what Typer would print; `python -m calfcare.launcher
--write-help` rewrites it. Anything else goes to the real CLI.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HELP_FILE = Path(__file__).parent / "cli" / "help.txt"


def render_help() -> str:
    """Typer's own top-level help, at the 80 columns click caps it to."""
    import os
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", "from calfcare.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    return done.stdout


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from calfcare import __version__

        print(f"calfcare {__version__}")
        return
    if args == ["--help"] and shutil.get_terminal_size().columns >= 80 and HELP_FILE.exists():
        sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
        return
    from calfcare.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-help"]:
        HELP_FILE.write_text(render_help(), encoding="utf-8")
    else:
        main()
