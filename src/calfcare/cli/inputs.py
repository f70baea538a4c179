"""Reading JSON input files for commands (``-`` means standard input)."""

from __future__ import annotations

import sys
from pathlib import Path

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import parse_json


def read_json(source: str, option: str) -> object:
    """Parse the JSON in ``source``; a missing file or bad JSON is `InvalidInput` (exit 2).

    Read as bytes (standard input too), so that text that is not UTF-8 is refused by
    `parse_json` with its line and column, like every other JSON calfcare reads."""
    try:
        raw = _stdin() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InvalidInput([Problem(option, f"no such file: {source}")]) from None
    except OSError as exc:
        raise InvalidInput([Problem(option, f"cannot read {source}: {exc}")]) from None
    return parse_json(raw, field=option, source="standard input" if source == "-" else source)


def _stdin() -> bytes | str:
    """Standard input's bytes (its text when a test replaced it with a text-only stream)."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read()


def argument_problems(args: list[str]) -> list[Problem]:
    """A problem for each command-line argument that is not UTF-8 text.

    Python hands such bytes over as lone surrogates (PEP 383); every later use (printing,
    storing, JSON) would fail on them. The problem names the option the value belongs to
    (``--day``), or the argument's position, and shows the bytes as escapes."""
    problems: list[Problem] = []
    for i, arg in enumerate(args):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            option, _, value = arg.partition("=")
            if arg.startswith("--") and value and _is_text(option):
                field, arg = option, value
            elif i > 0 and args[i - 1].startswith("-") and _is_text(args[i - 1]):
                field = args[i - 1].partition("=")[0]
            else:
                field = f"argument {i + 1}"
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            message = f"'{shown}' is not UTF-8 text; type it again, or set the terminal to UTF-8"
            problems.append(Problem(field, message))
    return problems


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
