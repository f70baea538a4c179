"""The plan builder's form (`calfcare.web.plan_pages`): its choices, what it is filled with,
and the calves today's safety check allows, in words.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from calfcare.core.errors import Problem
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.routine import (
    PACE_MAX_PER_MINUTE,
    PACE_MIN_PER_MINUTE,
    SECONDS_PER_CALF_DEFAULT,
    SECONDS_PER_CALF_MAX,
    SECONDS_PER_CALF_MIN,
)
from calfcare.web.forms import problem_fields
from calfcare.web.safety_gate import Gate
from calfcare.web.templating import Pages

TOOLS = (
    ("foam-roller", "Foam roller"),
    ("ball", "Massage ball"),
    ("hands", "Hands"),
)
LEGS = (("left,right", "Both calves"), ("left", "Left calf only"), ("right", "Right calf only"))
INTENSITIES = (
    ("gentle", "Gentle", "light pressure, slow passes"),
    ("standard", "Standard", "firm but comfortable"),
    ("deep", "Deep", "firmer work on tender spots"),
)
FIELD_IDS = {
    "tool": "tool-0",
    "legs": "legs-0",
    "seconds_per_calf": "seconds_per_calf",
    "intensity": "intensity-0",
    "pace_per_minute": "pace_per_minute",
}


def defaults(values: dict[str, str]) -> dict[str, str]:
    return {
        "tool": values.get("tool", ""),
        "legs": values.get("legs", "left,right"),
        "seconds_per_calf": values.get("seconds_per_calf", str(SECONDS_PER_CALF_DEFAULT)),
        "intensity": values.get("intensity", "standard"),
        "pace_per_minute": values.get("pace_per_minute", ""),
    }


def form_context(
    values: dict[str, str],
    *,
    screening: str = "",
    split_leg: Any = None,
    problems: list[Problem] | None = None,
    gate: Gate | None = None,
    prescription: str | None = None,
) -> dict[str, Any]:
    calves: list[tuple[str, str]] = []
    if gate is not None and gate.answers is not None:
        calves = screening_calves(gate.answers)  # today's recorded check governs
    elif screening:
        calves = screening_calves(parse_json(screening, field="screening", prefix="screening"))
    problems = problems or []
    return {
        "values": defaults(values),
        "tools": TOOLS,
        "legs": LEGS,
        "intensities": INTENSITIES,
        "seconds_min": SECONDS_PER_CALF_MIN,
        "seconds_max": SECONDS_PER_CALF_MAX,
        "pace_min": PACE_MIN_PER_MINUTE,
        "pace_max": PACE_MAX_PER_MINUTE,
        "screening": screening,
        "screening_calves": calves,
        "split_leg": split_leg,
        "problems": problems,
        "problem_fields": problem_fields(problems),
        "field_ids": FIELD_IDS,
        "pain_checks": [] if gate is None else gate.pain_checks(Leg),
        "back": "/plan",
        "hold": None,
        "needs_screening": None,
        "today": "" if gate is None else gate.state.day.isoformat(),
        "prescription": prescription,  # server mode: the physio's routine, in words
    }


def show_form(
    request: Request,
    pages: Pages,
    values: dict[str, str],
    *,
    screening: str = "",
    split_leg: Any = None,
    problems: list[Problem] | None = None,
    status: int = 200,
    gate: Gate | None = None,
) -> HTMLResponse:
    context = form_context(
        values, screening=screening, split_leg=split_leg, problems=problems, gate=gate
    )
    return pages.render(request, "plan_form.html", status=status, **context)


def screening_calves(answers: object) -> list[tuple[str, str]]:
    """Each screened calf and what the check allows today, in words."""
    from calfcare.core.answers import parse_answers
    from calfcare.core.screening import screen

    result = screen(parse_answers(answers))
    out = []
    for leg in result.answers.legs:
        status = result.legs[leg]
        text = (
            "massage allowed"
            if status.deep_work_allowed
            else "gentle work only"
            if status.massage_allowed
            else "no massage today"
        )
        out.append((leg.value, text))
    return out
