"""Headless replay: a plan and a script of events in, the contract's session JSON out.

This is ``calfcare session --replay`` and the generator of the shared test vectors that the
JavaScript engine must reproduce, so its output is fully determined by its input.
"""

from __future__ import annotations

import math
from typing import Any

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.routine import CONTRACT_VERSION, Plan
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import Event, EventKind, seconds

MAX_T = 1e9
"""A bound far beyond any session (31 years), so every time fits the millisecond clock."""
_EVENT_VALUES = frozenset(kind.value for kind in EventKind)
_EVENT_NAMES = ", ".join(kind.value for kind in EventKind)


def parse_events(data: object) -> list[Event]:
    """Check an events script; `InvalidInput` names every bad entry.

    Each entry is ``{"t": seconds, "event": name}`` (other keys are ignored); ``t`` is a
    number, 0 or more, and never smaller than the entry before it.
    """
    if not isinstance(data, list):
        raise InvalidInput(
            [Problem("events", 'expected a JSON list of {"t": ..., "event": ...}')],
            "The events are not valid.",
        )
    problems: list[Problem] = []
    events: list[Event] = []
    previous: float | None = None
    for i, raw in enumerate(data):
        where = f"events.{i}"
        if not isinstance(raw, dict):
            problems.append(Problem(where, 'must be an object {"t": ..., "event": ...}'))
            continue
        t = _seconds(raw.get("t"))
        name = raw.get("event")
        if t is None:
            shown = "missing" if "t" not in raw else f"{raw['t']!r} is not allowed"
            problems.append(Problem(f"{where}.t", f"{shown}: seconds since the start, 0 or more"))
        elif previous is not None and t < previous:
            problems.append(Problem(f"{where}.t", f"{t} is before the previous event's {previous}"))
        if t is not None:
            previous = t
        kind = EventKind(name) if isinstance(name, str) and name in _EVENT_VALUES else None
        if kind is None:
            shown = "missing" if "event" not in raw else f"unknown event {name!r}"
            problems.append(Problem(f"{where}.event", f"{shown}; use one of {_EVENT_NAMES}"))
        if t is not None and kind is not None:
            events.append(Event(t, kind))
    if problems:
        raise InvalidInput(problems, "The events are not valid.")
    return events


def _seconds(value: object) -> float | None:
    """A JSON number of seconds, 0 or more (not ``true``), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or not 0 <= value <= MAX_T:
        return None
    return float(value)


def run_replay(plan: Plan, events: list[Event], *, sharp_pain_advice: str) -> SessionEngine:
    """Run ``events`` on a fresh engine, then let the session play out (or be abandoned)."""
    engine = SessionEngine(plan, sharp_pain_advice=sharp_pain_advice)
    for event in events:
        engine.apply(event.kind, event.t)
    engine.finish()
    return engine


def replay_json(engine: SessionEngine) -> dict[str, Any]:
    """The contract's replay output, for a finished engine."""
    assert engine.outcome is not None and engine.end_ms is not None
    out: dict[str, Any] = {
        "contract": CONTRACT_VERSION,
        "outcome": engine.outcome.value,
        "duration_seconds": seconds(engine.end_ms),
        "active_seconds": seconds(engine.active_ms),
        "paused_seconds": seconds(engine.paused_ms),
        "calves": engine.calf_summaries(),
        "timeline": engine.timeline,
        "ignored_events": engine.ignored_events,
    }
    if engine.outcome.value == "stopped_sharp_pain":
        out["advice"] = engine.sharp_pain_advice
    return out


def replay(plan: Plan, events: list[Event], *, sharp_pain_advice: str) -> dict[str, Any]:
    return replay_json(run_replay(plan, events, sharp_pain_advice=sharp_pain_advice))
