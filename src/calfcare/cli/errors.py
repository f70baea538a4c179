"""The one place where errors become exit statuses and messages (docs/cli.md lists them).

| exit | meaning                                                        |
|------|----------------------------------------------------------------|
| 0    | done (for `screen`: a verdict was given, whatever it is)       |
| 1    | the database, or a file or folder, could not be used (the      |
|      | message says which and why), or an internal error (a bug;      |
|      | CALFCARE_DEBUG=1 for a traceback)                              |
| 2    | bad input: the message names every offending field or setting  |
| 3    | the screening or the safety state rules out a plan today       |
| 4    | not allowed: the person does not share with this clinician,    |
|      | or the account is not a clinician's                           |
| 130  | interrupted (Ctrl-C)                                           |
| 141  | the output's reader went away (`calfcare stats | head -1`):     |
|      | quiet, as the shell reports a tool ended by SIGPIPE (128 + 13) |
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from calfcare.core.errors import (
    CalfcareError,
    ContentError,
    InvalidInput,
    NotAllowed,
    PlanBlocked,
    Problem,
    StorageError,
)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_BLOCKED = 3
EXIT_NOT_ALLOWED = 4
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141

EXIT_CODES: dict[type[CalfcareError], int] = {
    InvalidInput: EXIT_BAD_INPUT,
    PlanBlocked: EXIT_BLOCKED,
    NotAllowed: EXIT_NOT_ALLOWED,
    ContentError: EXIT_INTERNAL,
    StorageError: EXIT_INTERNAL,
}


def exit_code_for(error: CalfcareError) -> int:
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return EXIT_INTERNAL


def report_error(error: BaseException, *, json_output: bool = False) -> int | None:
    """Say what went wrong and return the exit status; None means "not ours, re-raise".

    Framework-free (no Typer) so that `calfcare.launcher` can answer `screen --answers`
    without importing the CLI, with the very same messages and statuses as `reporting`.
    A `CalfcareError` gives its message on stderr (and its JSON on stdout with ``--json``);
    Ctrl-C gives 130; anything else is a bug: one plain line, no locals, unless
    ``CALFCARE_DEBUG=1`` asks for the traceback.
    """
    if isinstance(error, CalfcareError):
        text = error.describe() if isinstance(error, InvalidInput) else error.message
        print(f"calfcare: {text}", file=sys.stderr)
        if json_output:
            print(json.dumps(error.to_json(), indent=2))
        return exit_code_for(error)
    if isinstance(error, KeyboardInterrupt):
        print("calfcare: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if isinstance(error, BrokenPipeError):
        return quiet_closed_pipe()
    if not isinstance(error, Exception) or os.environ.get("CALFCARE_DEBUG") == "1":
        return None
    if isinstance(error, OSError):  # the computer refused: a file, a folder, a device
        where = f" {error.filename}" if error.filename else ""
        print(f"calfcare: cannot use{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_INTERNAL
    print(
        f"calfcare: internal error: {type(error).__name__}: {error}\n"
        "This is a bug. Run again with CALFCARE_DEBUG=1 for details.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


def quiet_closed_pipe() -> int:
    """Standard output's reader went away (`calfcare history | head`): say nothing, as Unix
    tools do, and return 141, the status a shell shows for a tool ended by SIGPIPE.

    Standard output is pointed at /dev/null first, so that what is still buffered cannot
    fail again when Python flushes it on the way out ("Exception ignored ... BrokenPipeError").
    calfcare does not simply let SIGPIPE kill it: `calfcare serve` writes to sockets whose
    clients may leave at any time, and the coach to its speech program."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's stream): nothing to flush
        pass
    return EXIT_CLOSED_PIPE


@contextmanager
def reporting(*, json_output: bool = False) -> Iterator[None]:
    """Turn a `CalfcareError` into its message on stderr, its JSON on stdout with
    ``--json``, and its exit status (`report_error`), for a Typer command."""
    import typer  # already imported by the time a Typer command runs

    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except (Exception, KeyboardInterrupt) as error:
        code = report_error(error, json_output=json_output)
        if code is None:
            raise
        raise typer.Exit(code) from None


@contextmanager
def named_as(names: Mapping[str, str]) -> Iterator[None]:
    """Problems raised inside name the options as the person typed them (``--seconds-per-calf``
    for the core's ``seconds_per_calf``); fields not in ``names`` keep their name."""
    try:
        yield
    except InvalidInput as error:
        named = [Problem(names.get(p.field, p.field), p.message) for p in error.problems]
        raise InvalidInput(named, error.message) from None
