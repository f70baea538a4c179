"""``POST /api/plan``: build a routine as ``calfcare plan --json`` does, optionally shaped by
a screening. `make_plan` is shared with the plan page (`calfcare.web.plan_pages`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from fastapi import Request
from starlette.responses import JSONResponse

from calfcare.core import routine
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.routine import Plan
from calfcare.web.api.bodies import LEGS_SCHEMA, SCREENING, Body, choice, described, integer
from calfcare.web.api.common import Open, write_route
from calfcare.web.route_index import Router

router = Router(prefix="/api", tags=["tracking"])


def make_plan(raw: Mapping[str, object], screening: object | None) -> Plan:
    """Options and optional screening answers (contract v1 input) in, a checked plan out;
    the same steps as ``calfcare plan --screening`` (`calfcare.cli.plan.make_plan`)."""
    from calfcare.content.routines import load_routines
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.planner import parse_plan_options, plan
    from calfcare.core.screening import screen

    problems: list[Problem] = []
    options = None
    try:
        options = parse_plan_options(raw)
    except InvalidInput as error:
        problems += error.problems
    result = None
    if screening is not None:
        try:
            result = screen(parse_answers(screening))
        except InvalidInput as error:
            problems += [Problem(f"screening.{p.field}", p.message) for p in error.problems]
    if problems:
        raise InvalidInput(problems, "The plan options are not valid.")
    assert options is not None
    content = load_routines()
    if result is None:
        return plan(options, content)
    advice = load_screening_text().advice_for(result)
    return plan(options, content, result, screening_advice=advice)


PLAN = Body(
    "PlanRequest",
    {
        "tool": choice(routine.Tool),
        "legs": LEGS_SCHEMA,
        "seconds_per_calf": integer(routine.SECONDS_PER_CALF_MIN, routine.SECONDS_PER_CALF_MAX),
        "intensity": choice(routine.Intensity),
        "pace_per_minute": integer(routine.PACE_MIN_PER_MINUTE, routine.PACE_MAX_PER_MINUTE),
        "screening": described(
            SCREENING.schema, "optional screening answers (contract v1) that shape the plan"
        ),
    },
    required=("tool",),
)


class PlanStepOut(Open):
    kind: str
    seconds: int
    cue: str
    why: str
    sources: list[str]


class PlanCalfOut(Open):
    leg: Literal["left", "right"]
    seconds: int
    steps: list[PlanStepOut]


class PlanOut(Open):
    """Routine contract plan JSON (as ``calfcare plan --json`` prints)."""

    contract: Literal[1]
    planned: Literal[True]
    tool: str
    intensity: str
    seconds_per_calf: int
    pace_per_minute: int | None
    calves: list[PlanCalfOut]
    total_seconds: int
    notes: list[str]


@write_route(router, "/plan", PLAN, PlanOut, statuses=(400, 409, 415, 422), storage=False)
async def api_plan(request: Request) -> JSONResponse:
    """Build a routine (as calfcare plan --json), optionally shaped by a screening

    The plan with every step's cue, why and sources. With ``screening`` the screening
    rules apply: a calf they rule out is left out with a note, a caution makes the plan
    gentle, and an urgent or emergency verdict (or no calf left) is a 409 with the advice."""
    from calfcare.core.plan_json import plan_to_json

    data = await PLAN.read(request)
    raw = {k: v for k, v in data.items() if k != "screening"}
    return JSONResponse(plan_to_json(make_plan(raw, data.get("screening"))))
