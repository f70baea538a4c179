"""The CLI's Rich console: Rich's own, except for what a closed standard output does.

Rich meets a closed pipe (`calfcare history | head -1`) by pointing stdout at /dev/null and
exiting 1 itself, from whichever command was printing. calfcare handles a closed pipe once,
at the entry (`calfcare.launcher`, `calfcare.cli.main`, `cli.errors.quiet_closed_pipe`):
quiet, exit 141 like other Unix tools. So this console only stops printing and lets the
`BrokenPipeError` travel there (Rich documents overriding ``on_broken_pipe`` for this).
"""

from __future__ import annotations

from rich.console import Console as RichConsole


class Console(RichConsole):
    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError("standard output was closed")
