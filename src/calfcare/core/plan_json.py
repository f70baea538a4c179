"""A plan as the contract's JSON, and back.

`parse_plan` is how a plan file enters the session engine: it reads the contract's shape
(extra keys allowed and ignored), then runs every plan check, and names every problem at once
as `InvalidInput` (exit 2). Whole numbers are JSON integers only (``45``, not ``45.0`` or
``true``), as in the screening contract.
"""

from __future__ import annotations

from typing import Any

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.plan_checks import plan_problems
from calfcare.core.routine import CONTRACT_VERSION, CalfPlan, Intensity, Plan, Step, StepKind, Tool

_MESSAGE = "The plan is not valid."


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The contract's plan JSON, with ``why``, ``sources`` and the pace as extra keys."""
    return {
        "contract": CONTRACT_VERSION,
        "planned": True,
        "tool": plan.tool.value,
        "intensity": plan.intensity.value,
        "seconds_per_calf": plan.seconds_per_calf,
        "pace_per_minute": plan.pace_per_minute,
        "calves": [
            {
                "leg": calf.leg.value,
                "seconds": calf.seconds,
                "steps": [step_to_json(step) for step in calf.steps],
            }
            for calf in plan.calves
        ],
        "total_seconds": plan.total_seconds,
        "notes": list(plan.notes),
    }


def step_to_json(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": step.kind.value, "seconds": step.seconds}
    if step.leg is not None:
        out["leg"] = step.leg.value
    out["cue"] = step.cue
    if step.pace_per_minute is not None:
        out["pace_per_minute"] = step.pace_per_minute
    out["why"] = step.why
    out["sources"] = list(step.sources)
    return out


def parse_plan(data: object) -> Plan:
    """Read a plan file's JSON; `InvalidInput` names every way it breaks the contract."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput([Problem("(root)", "expected a JSON object (a plan)")], _MESSAGE)
    if "contract" in data and not (type(data["contract"]) is int and data["contract"] == 1):
        problems.append(Problem("contract", "must be the integer 1"))
    if data.get("planned") is False:
        problems.append(Problem("planned", "this is a blocked plan (no plan was made)"))
    tool = _enum(data, "tool", Tool, "", problems)
    intensity = _enum(data, "intensity", Intensity, "", problems)
    calves = _calves(data.get("calves"), problems)
    if "total_seconds" in data and calves is not None:
        total = data["total_seconds"]
        if type(total) is not int or total != sum(calf.seconds for calf in calves):
            problems.append(Problem("total_seconds", "must be the sum of the calves' seconds"))
    pace = data.get("pace_per_minute")
    if problems or tool is None or intensity is None or calves is None:
        raise InvalidInput(problems, _MESSAGE)
    result = Plan(
        tool=Tool(tool),
        intensity=Intensity(intensity),
        calves=tuple(calves),
        notes=tuple(n for n in data.get("notes", []) if isinstance(n, str))
        if isinstance(data.get("notes"), list)
        else (),
        pace_per_minute=pace if type(pace) is int else None,
    )
    problems = plan_problems(result)
    if problems:
        raise InvalidInput(problems, _MESSAGE)
    return result


def _calves(value: object, problems: list[Problem]) -> list[CalfPlan] | None:
    if not isinstance(value, list) or not value:
        problems.append(Problem("calves", "required: a non-empty list of calves"))
        return None
    calves = []
    for c, raw in enumerate(value):
        where = f"calves.{c}"
        if not isinstance(raw, dict):
            problems.append(Problem(where, "must be an object"))
            continue
        leg = _enum(raw, "leg", Leg, f"{where}.", problems)
        seconds = _int(raw, "seconds", f"{where}.", problems)
        steps_raw = raw.get("steps")
        if not isinstance(steps_raw, list) or not steps_raw:
            problems.append(Problem(f"{where}.steps", "required: a non-empty list of steps"))
            continue
        steps = [_step(s, f"{where}.steps.{i}.", problems) for i, s in enumerate(steps_raw)]
        if leg is not None and seconds is not None and all(s is not None for s in steps):
            calves.append(CalfPlan(Leg(leg), seconds, tuple(s for s in steps if s is not None)))
    return calves


def _step(raw: object, where: str, problems: list[Problem]) -> Step | None:
    if not isinstance(raw, dict):
        problems.append(Problem(where.rstrip("."), "must be an object"))
        return None
    count = len(problems)
    kind = _enum(raw, "kind", StepKind, where, problems)
    seconds = _int(raw, "seconds", where, problems)
    cue = raw.get("cue")
    if not isinstance(cue, str) or not cue.strip():
        problems.append(Problem(f"{where}cue", "required: a plain-language cue"))
    why = raw.get("why", "")
    sources = raw.get("sources", [])
    leg = None
    if kind in (StepKind.POSITION, StepKind.SWITCH):
        leg = _enum(raw, "leg", Leg, where, problems)
    pace = None
    if kind in (StepKind.PASSES, StepKind.STROKES) and "pace_per_minute" in raw:
        pace = _int(raw, "pace_per_minute", where, problems)
    if len(problems) > count or kind is None or seconds is None or not isinstance(cue, str):
        return None
    return Step(
        kind=StepKind(kind),
        seconds=seconds,
        cue=cue,
        why=why if isinstance(why, str) else "",
        sources=tuple(s for s in sources if isinstance(s, str))
        if isinstance(sources, list)
        else (),
        leg=Leg(leg) if leg is not None else None,
        pace_per_minute=pace,
    )


def _enum(
    raw: dict[str, Any],
    key: str,
    kind: type[Tool] | type[Intensity] | type[StepKind] | type[Leg],
    where: str,
    problems: list[Problem],
) -> str | None:
    value = raw.get(key)
    allowed = [member.value for member in kind]
    if not isinstance(value, str) or value not in allowed:
        shown = "missing" if key not in raw else f"{value!r} is not allowed"
        problems.append(Problem(f"{where}{key}", f"{shown}; use one of {', '.join(allowed)}"))
        return None
    return value


def _int(raw: dict[str, Any], key: str, where: str, problems: list[Problem]) -> int | None:
    value = raw.get(key)
    if type(value) is not int or value < 0:
        shown = "missing" if key not in raw else f"{value!r} is not"
        problems.append(Problem(f"{where}{key}", f"{shown}: needs a whole number, 0 or more"))
        return None
    return value
