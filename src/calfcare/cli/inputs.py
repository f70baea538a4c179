"""Reading JSON input files for commands (``-`` means standard input)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from calfcare.core.errors import InvalidInput, Problem


def read_json(source: str, option: str) -> object:
    """Parse the JSON in ``source``; a missing file or bad JSON is `InvalidInput` (exit 2)."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem(option, f"no such file: {source}")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(option, f"cannot read {source}: {exc}")]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [
                Problem(
                    option, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                )
            ],
            f"{'standard input' if source == '-' else source} is not valid JSON.",
        ) from None
