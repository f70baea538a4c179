"""The one way the CLI asks a question on a line: the prompt exactly as written, then a line.

Prompts show their answer keys in square brackets (``[b]oth, [l]eft``, ``[y/n/u/?]``), which
is also Rich's markup syntax: printed as markup, Rich swallowed them ("oth, eft, ight"). So a
prompt is printed as plain `rich.text.Text`, never parsed, whatever it contains (the
questions' own wording included).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

ReadLine = Callable[[], str]


def ask(console: Any, prompt: str, read_line: ReadLine | None = None) -> str | None:
    """Show ``prompt`` as written and read one line: stripped and lower-case, or None at the
    end of input (after ending the prompt's line)."""
    from rich.text import Text

    console.print(Text(prompt), end="")
    line = (read_line or sys.stdin.readline)()
    if not line:
        console.print()
        return None
    return line.strip().lower()
