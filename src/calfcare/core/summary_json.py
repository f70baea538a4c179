"""A person's clinician's-list lines (`PersonSummary`) for consecutive days as JSON text,
the one way they are stored.

`days_to_text` writes them; `days_from_text` reads them back and checks every field's type
and range, so a row written by an older calfcare (another ``FORMAT``) or damaged in any way
reads as None (recompute it), never as a wrong line. `summary_to_text` and
`summary_from_text` are the same for one day. Pure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from calfcare.core.adherence import WeekAdherence
from calfcare.core.clinic_list import Flag, PersonSummary
from calfcare.core.levels import Leg

FORMAT = 2
"""The layout of the text; a row of another layout is not read (1: one day's line)."""


class _Bad(ValueError):
    """The stored text is not a line of this `FORMAT`."""


def days_to_text(lines: Sequence[PersonSummary]) -> str:
    """``lines`` (a person's, day after day) as compact JSON text (`days_from_text` reads
    them back equal)."""
    return json.dumps(
        {"format": FORMAT, "days": [_line_object(s) for s in lines]},
        allow_nan=False,
        separators=(",", ":"),
    )


def days_from_text(text: str) -> tuple[PersonSummary, ...] | None:
    """The lines ``text`` holds (at least one), or None when it is not what this calfcare
    wrote."""
    try:
        days = _days(text)
        return tuple(_line(_object(d)) for d in days) or None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def day_from_text(text: str, index: int) -> PersonSummary | None:
    """The line for the ``index``-th day of those ``text`` holds (0: its first), checked as
    `days_from_text` checks each; None when there is none or it is not what this calfcare
    wrote. Only that line is read: a list reads one day of each person's stored run."""
    try:
        days = _days(text)
        return _line(_object(days[index])) if 0 <= index < len(days) else None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None


def _days(text: str) -> list[Any]:
    raw = _object(json.loads(text))
    if raw.get("format") != FORMAT:
        raise _Bad("another layout")
    return _list(raw["days"])


def summary_to_text(s: PersonSummary) -> str:
    """One line as text (`summary_from_text` reads it back equal)."""
    return days_to_text([s])


def summary_from_text(text: str) -> PersonSummary | None:
    """The one line ``text`` holds, or None."""
    days = days_from_text(text)
    return days[0] if days is not None and len(days) == 1 else None


def _line_object(s: PersonSummary) -> dict[str, Any]:
    week = None
    if s.week is not None:
        w = s.week
        week = {"week": w.week, "first": w.first.isoformat(), "done": w.done,
                "prescribed": w.prescribed, "running": w.running,
                "seconds": [[leg.value, sec] for leg, sec in w.seconds]}  # fmt: skip
    return {
        "person_id": s.person_id,
        "name": s.name,
        "flags": [f.value for f in s.flags],
        "week": week,
        "prescribed": s.prescribed,
        "worse": list(s.worse),
        "trends": list(s.trends),
        "split_leg": s.split_leg,
    }


def _line(raw: dict[str, Any]) -> PersonSummary:
    week = raw["week"]
    return PersonSummary(
        person_id=_int(raw["person_id"]),
        name=_str(raw["name"]),
        flags=tuple(Flag(_int(f)) for f in _list(raw["flags"])),
        week=None if week is None else _week(_object(week)),
        prescribed=_bool(raw["prescribed"]),
        worse=tuple(_str(w) for w in _list(raw["worse"])),
        trends=tuple(_str(t) for t in _list(raw["trends"])),
        split_leg=None if raw["split_leg"] is None else _str(raw["split_leg"]),
    )


def _week(raw: dict[str, Any]) -> WeekAdherence:
    seconds = []
    for pair in _list(raw["seconds"]):
        leg, sec = _list(pair)
        seconds.append((Leg(_str(leg)), _seconds(sec)))
    return WeekAdherence(
        week=_int(raw["week"]),
        first=date.fromisoformat(_str(raw["first"])),
        done=_int(raw["done"]),
        prescribed=_int(raw["prescribed"]),
        seconds=tuple(seconds),
        running=_bool(raw["running"]),
    )


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad("not an object")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad("not a list")
    return value


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _Bad("not a whole number")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad("not true or false")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad("not text")
    return value


def _seconds(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad("not a number")
    if not math.isfinite(value) or value < 0:
        raise _Bad("not a time")
    return float(value)
