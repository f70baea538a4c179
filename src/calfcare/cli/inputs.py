"""Reading JSON input files for commands (``-`` means standard input), and writing the
files ``--output`` names."""

from __future__ import annotations

import errno
import os
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


def write_output(path: Path, data: bytes, option: str = "--output") -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file in the same folder,
    then renamed over it, with the mode a new file would have had or the old one had); a
    folder that is missing, not writable, read-only or full is `InvalidInput` naming
    ``option`` and what to do (exit 2), never an internal error."""
    import tempfile  # not at the top: `calfcare.launcher`'s fast path imports this module

    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InvalidInput([Problem(option, _cannot_write(path, error))]) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            os.fchmod(file.fileno(), _mode_for(path))
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInput([Problem(option, _cannot_write(path, error))]) from None


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _cannot_write(path: Path, error: OSError) -> str:
    folder = path.parent
    reasons = {
        errno.ENOENT: f"the folder {folder} does not exist; create it or choose another",
        errno.ENOTDIR: f"{folder} is not a folder; choose a file in a folder",
        errno.EACCES: f"you may not write in the folder {folder}; choose another",
        errno.EPERM: f"you may not write in the folder {folder}; choose another",
        errno.EROFS: f"the folder {folder} is on a read-only file system; choose another",
        errno.ENOSPC: f"the disk holding {folder} is full; free some space or choose another",
        errno.EISDIR: f"{path} is a folder; give a file name",
    }
    return f"cannot write {path}: " + reasons.get(
        error.errno or 0, f"{error.strerror or error}; choose another file"
    )


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
