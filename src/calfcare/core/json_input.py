"""Reading JSON that comes from outside: one function for every body, file and form field.

Every place calfcare reads JSON (each API body, the screening answers inside ``/api/plan``
and the plan form, ``calfcare screen --answers``, ``calfcare plan --screening``, an import
file) calls `parse_json`, so each kind of unreadable input is refused the same way, with the
one error shape and a problem that says where:

- not UTF-8, not JSON, ``NaN``/``Infinity``, a number beyond a double, or nested deeper than
  `MAX_DEPTH`: `MalformedInput` (HTTP 400, exit 2), the problem giving the line and column;
- a lone surrogate (``"\\ud800"``) in any string or object key: `InvalidInput` (HTTP 422,
  exit 2) naming the field by its dotted path. Such a string is valid JSON syntax but not
  text (it cannot be written as UTF-8, stored, or shown), so it never gets past the edge.

Pure: bytes or text in, a value or an error out. Deep nesting cannot exhaust the stack:
the C parser's recursion guard is caught, and the depth is then measured without recursion.
"""

from __future__ import annotations

import json
import math
import re
from typing import NoReturn

from calfcare.core.errors import InvalidInput, MalformedInput, Problem

MAX_DEPTH = 24
"""Deepest nesting of arrays and objects anywhere in a JSON input. The deepest real input is
an export document, at about 8 levels; a screening is 2 and a session upload 6."""
MAX_SURROGATE_PROBLEMS = 20
"""Lone surrogates named before the rest are left out (one is enough to fix a client)."""

MAX_DIGITS = 4300
"""Digits in one whole number: CPython's own limit on reading one (a real input has 4)."""

_LONG_NUMBER = re.compile(r"\d{4301,}")  # more than MAX_DIGITS
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Refused(ValueError):
    """A literal the JSON grammar allows but calfcare does not read (raised by the hooks)."""

    def __init__(self, literal: str, message: str) -> None:
        super().__init__(message)
        self.literal = literal
        self.message = message


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Refused(literal, f"{literal[:30]} is too large a number for JSON")
    return value


def _constant(literal: str) -> float:
    raise _Refused(literal, f"{literal} is not a JSON value; give a number")


_DECODER = json.JSONDecoder(parse_float=_float, parse_constant=_constant)


def parse_json(
    raw: bytes | str,
    *,
    field: str = "(body)",
    prefix: str = "",
    source: str = "The body",
    max_depth: int = MAX_DEPTH,
) -> object:
    """The JSON value in ``raw`` (UTF-8 bytes, a UTF-8 BOM allowed, or text).

    ``field`` names the input as a whole in problems about its syntax (``(body)``,
    ``--answers``, ``screening``); ``prefix`` goes before the dotted path of a string with a
    lone surrogate (``screening`` gives ``screening.left.swelling``); ``source`` starts the
    error's message ("The body is not valid JSON.").
    """
    text = _text(raw, field, source)
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        _malformed(field, f"not valid JSON: {error.msg} at {where}", source)
    except RecursionError:
        _malformed(field, _too_deep(max_depth), source)
    except _Refused as error:
        _malformed(field, f"{error.message} ({_where(text, error.literal)})", source)
    except ValueError:  # an integer of more than 4300 digits (CPython's own limit)
        long = _LONG_NUMBER.search(text)
        literal = long.group() if long else ""
        message = f"a number of more than {MAX_DIGITS} digits ({_where(text, literal)})"
        _malformed(field, message, source)
    if _might_nest(text, max_depth) and depth(data, max_depth) > max_depth:
        _malformed(field, _too_deep(max_depth), source)
    if _SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text):
        problems = surrogate_problems(data, prefix, field)
        if problems:
            raise InvalidInput(problems, f"{source} contains text that is not valid Unicode.")
    return data


def depth(value: object, stop_after: int | None = None) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar is 0, ``[]`` is 1),
    measured without recursion; once past ``stop_after`` the walk stops and says so."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if stop_after is not None and level > stop_after:
                return level
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def surrogate_problems(value: object, prefix: str = "", field: str = "(body)") -> list[Problem]:
    """A problem for each string or key in ``value`` that holds a lone surrogate, named by
    its dotted path under ``prefix`` (``field`` when the whole value is such a string)."""
    problems: list[Problem] = []
    stack: list[tuple[object, str]] = [(value, prefix)]
    while stack and len(problems) < MAX_SURROGATE_PROBLEMS:
        item, path = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                problems.append(Problem(path or field, _surrogate_message(item, "text")))
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                key_path = _join(path, _shown(str(key)))
                if _SURROGATE.search(str(key)):
                    problems.append(Problem(key_path, _surrogate_message(str(key), "name")))
                children.append((child, key_path))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(child, _join(path, str(i))) for i, child in enumerate(item)]))
    return problems


def _text(raw: bytes | str, field: str, source: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_column(raw, error.start)
        byte = raw[error.start]
        _malformed(
            field,
            f"not UTF-8 text: byte 0x{byte:02x} at line {line}, column {column}; "
            "save the file as UTF-8",
            source,
        )


def _malformed(field: str, message: str, source: str) -> NoReturn:
    raise MalformedInput([Problem(field, message)], f"{source} is not valid JSON.")


def _too_deep(limit: int) -> str:
    return f"arrays and objects nested more than {limit} levels deep; at most {limit}"


def _might_nest(text: str, limit: int) -> bool:
    """Cheap first test: fewer opening brackets than the limit cannot nest past it."""
    return text.count("[") + text.count("{") > limit


def _where(text: str, literal: str) -> str:
    found = text.find(literal)
    if found < 0:
        return "somewhere in the input"
    line, column = _line_column(text, found)
    return f"at line {line}, column {column}"


def _line_column(data: bytes | str, offset: int) -> tuple[int, int]:
    before = data[:offset]
    text = before.decode("latin-1") if isinstance(before, bytes) else before
    return text.count("\n") + 1, offset - text.rfind("\n")


def _shown(key: str) -> str:
    """A key as a path segment, with any lone surrogate written as its escape."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def _surrogate_message(value: str, what: str) -> str:
    bad = _SURROGATE.search(value)
    assert bad is not None
    code = f"\\u{ord(bad.group()):04x}"
    return (
        f"this {what} contains a lone surrogate ({code}), which is not a character: "
        "send valid Unicode text"
    )
