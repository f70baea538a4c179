"""Checking a finished live session before it is saved: the client sends the plan, its
events and the result its engine produced; `session_record` checks the plan (`parse_plan`)
and the events (`parse_events`), replays them with the Python engine and refuses a result
that differs (so no number outside the contract can be stored), naming every problem.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.plan_json import parse_plan
from calfcare.core.records import ID_PATTERN, SessionRecord, TenderSpot, parse_tender_spot
from calfcare.core.replay import parse_events, replay
from calfcare.core.routine import Plan

MAX_EVENTS = 5000
FUTURE_TOLERANCE = timedelta(minutes=10)
"""How far ``ended_at`` may be ahead of the server's clock (the phone's clock may run fast)."""
MAX_AGE = timedelta(days=366)
MAX_TENDER_SPOTS = 20
"""More than any session can hold: a calf's 180 s fit at most six 30 s holds."""
SAVE_REFUSED = "The session is not valid; nothing was saved."


def sharp_pain_advice() -> str:
    """The routines' advice after a sharp-pain stop (the live page shows it; a replay
    records it)."""
    from calfcare.content.routines import load_routines

    return load_routines().sharp_pain_advice


def session_record(data: object, now: datetime, sharp_pain_advice: str) -> SessionRecord:
    """Check an upload and build the record to store; `InvalidInput` names every problem.

    The result is not trusted: the events are replayed on the plan with the Python engine and
    the upload's result must be that replay, number for number. The record is built by
    `calfcare.services.session_from_result`, under the client's id.
    """
    if not isinstance(data, dict):
        raise InvalidInput([Problem("(root)", "expected a JSON object")], SAVE_REFUSED)
    problems: list[Problem] = []
    for key in ("id", "plan", "events", "result", "ended_at"):
        if key not in data:
            problems.append(Problem(key, "required"))
    session_id = data.get("id")
    if "id" in data and not (isinstance(session_id, str) and ID_PATTERN.fullmatch(session_id)):
        problems.append(Problem("id", "an id is 1 to 64 letters, digits, '-' or '_'"))
    plan = None
    if "plan" in data:
        try:
            plan = parse_plan(data["plan"])
        except InvalidInput as error:
            problems += [_under("plan", p) for p in error.problems]
    events = None
    raw_events = data.get("events")
    if isinstance(raw_events, list) and len(raw_events) > MAX_EVENTS:
        problems.append(Problem("events", f"{len(raw_events)} events; at most {MAX_EVENTS}"))
    elif "events" in data:
        try:
            events = parse_events(raw_events)
        except InvalidInput as error:
            problems += error.problems
    ended_at = _ended_at(data.get("ended_at"), now, problems) if "ended_at" in data else None
    screening_id = data.get("screening_id")
    if screening_id is not None and not (
        isinstance(screening_id, str) and ID_PATTERN.fullmatch(screening_id)
    ):
        problems.append(Problem("screening_id", "null, or the id of a stored safety check"))
        screening_id = None
    spots = _tender_spots(data.get("tender_spots", []), plan, problems)
    result = data.get("result")
    if "result" in data and not isinstance(result, dict):
        problems.append(Problem("result", "must be the session JSON object"))
    expected = None
    if plan is not None and events is not None:
        expected = replay(plan, events, sharp_pain_advice=sharp_pain_advice)
        if isinstance(result, dict):
            where = _first_difference(expected, result, "result")
            if where is not None:
                problems.append(Problem(where[0], where[1]))
    if problems:
        raise InvalidInput(problems, SAVE_REFUSED)
    assert plan is not None and expected is not None and ended_at is not None
    assert isinstance(session_id, str)
    return services.session_from_result(
        plan, expected, ended_at, spots, screening_id=screening_id, session_id=session_id
    )


def _tender_spots(
    raw: object, plan: Plan | None, problems: list[Problem]
) -> tuple[TenderSpot, ...]:
    """Optional ``["left:middle:inner", ...]``: only calves in the plan, at most 20."""
    if not isinstance(raw, list) or len(raw) > MAX_TENDER_SPOTS:
        problems.append(
            Problem("tender_spots", f"a list of at most {MAX_TENDER_SPOTS} leg:height:side")
        )
        return ()
    spots: list[TenderSpot] = []
    for i, item in enumerate(raw):
        field = f"tender_spots.{i}"
        if not isinstance(item, str) or len(item) > 40:
            problems.append(Problem(field, "leg:height:side, e.g. left:middle:inner"))
            continue
        try:
            spot = parse_tender_spot(item, field)
        except InvalidInput as error:
            problems += error.problems
            continue
        if plan is not None and spot.leg not in {calf.leg for calf in plan.calves}:
            problems.append(Problem(field, f"the {spot.leg.value} calf is not in this plan"))
            continue
        spots.append(spot)
    return tuple(spots)


def _under(prefix: str, problem: Problem) -> Problem:
    field = prefix if problem.field == "(root)" else f"{prefix}.{problem.field}"
    return Problem(field, problem.message)


def _ended_at(value: object, now: datetime, problems: list[Problem]) -> datetime | None:
    message = "when the session ended: an ISO 8601 time with a UTC offset"
    if not isinstance(value, str) or len(value) > 40:
        problems.append(Problem("ended_at", message))
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        problems.append(Problem("ended_at", message))
        return None
    if when.tzinfo is None:
        problems.append(Problem("ended_at", message))
        return None
    if when > now + FUTURE_TOLERANCE:
        problems.append(Problem("ended_at", f"{value} is in the future"))
        return None
    if when < now - MAX_AGE:
        problems.append(Problem("ended_at", f"{value} is more than a year ago"))
        return None
    return when


def _first_difference(expected: Any, got: Any, path: str) -> tuple[str, str] | None:
    """Where ``got`` first differs from ``expected`` (JSON values; numbers by value)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return path, "must be an object"
        for key, value in expected.items():
            if key not in got:
                return f"{path}.{key}", "missing"
            found = _first_difference(value, got[key], f"{path}.{key}")
            if found:
                return found
        for key in got:
            if key not in expected:
                return f"{path}.{key}", "not part of the session JSON"
        return None
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return path, f"does not match the replay of the events ({len(expected)} entries)"
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            found = _first_difference(a, b, f"{path}.{i}")
            if found:
                return found
        return None
    same: bool
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        same = type(got) is type(expected) and got == expected
    else:
        same = (
            not isinstance(got, bool)
            and isinstance(got, int | float)
            and math.isfinite(got)
            and got == expected
        )
    if same:
        return None
    return path, f"{got!r} does not match the replay of the events ({expected!r})"
