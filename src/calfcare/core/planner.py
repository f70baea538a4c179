"""The routine planner: options, content and (optionally) a screening in, a `Plan` out.

Pure: the content is passed in, nothing is read. The screening rules are the routine
contract's exactly: an urgent or emergency verdict gives no plan; a calf whose
``massage_allowed`` is false is left out with a note; no calf left gives no plan; any planned
calf without ``deep_work_allowed`` makes the whole plan gentle, with a note saying why (one
plan has one intensity). Every plan is checked against the contract before it is returned, so
a content edit that breaks a technique rule fails loudly instead of reaching a person.
"""

from __future__ import annotations

from collections.abc import Mapping

from calfcare.core.errors import ContentError, InvalidInput, PlanBlocked, Problem
from calfcare.core.levels import Leg, Level
from calfcare.core.plan_checks import plan_problems
from calfcare.core.recipes import RoutineContent, StepRecipe
from calfcare.core.routine import (
    PACE_MAX_PER_MINUTE,
    PACE_MIN_PER_MINUTE,
    SECONDS_PER_CALF_DEFAULT,
    SECONDS_PER_CALF_MAX,
    SECONDS_PER_CALF_MIN,
    CalfPlan,
    Intensity,
    Plan,
    PlanOptions,
    Step,
    StepKind,
    Tool,
)
from calfcare.core.screening import ScreeningResult
from calfcare.core.whole_number import whole_number

OPTION_FIELDS = ("tool", "legs", "seconds_per_calf", "intensity", "pace_per_minute")


def parse_plan_options(raw: Mapping[str, object]) -> PlanOptions:
    """Check what the person asked for; `InvalidInput` names every bad option at once.

    Values may be strings (the command line) or JSON values (the web API): ``legs`` as
    ``"left,right"`` or a list, numbers as whole numbers only (``150``, not ``150.0``).
    """
    problems: list[Problem] = []
    for key in raw:
        if key not in OPTION_FIELDS:
            problems.append(Problem(key, f"unknown option; allowed: {', '.join(OPTION_FIELDS)}"))
    tool = _choice(raw.get("tool"), Tool, "tool", problems, required=True)
    # null means "not given" for every optional option, as it does for the pace.
    given_intensity = raw.get("intensity")
    intensity = _choice(
        "standard" if given_intensity is None else given_intensity, Intensity, "intensity", problems
    )
    given_legs = raw.get("legs")
    legs = _legs("left,right" if given_legs is None else given_legs, problems)
    given_seconds = raw.get("seconds_per_calf")
    seconds = _whole(
        SECONDS_PER_CALF_DEFAULT if given_seconds is None else given_seconds,
        "seconds_per_calf",
        SECONDS_PER_CALF_MIN,
        SECONDS_PER_CALF_MAX,
        problems,
    )
    pace_raw = raw.get("pace_per_minute")
    pace = (
        None
        if pace_raw is None
        else _whole(pace_raw, "pace_per_minute", PACE_MIN_PER_MINUTE, PACE_MAX_PER_MINUTE, problems)
    )
    if problems:
        raise InvalidInput(problems, "The plan options are not valid.")
    assert tool is not None and intensity is not None and seconds is not None
    return PlanOptions(
        tool=Tool(tool),
        legs=legs,
        seconds_per_calf=seconds,
        intensity=Intensity(intensity),
        pace_per_minute=pace,
    )


def plan(
    options: PlanOptions,
    content: RoutineContent,
    screening: ScreeningResult | None = None,
    *,
    screening_advice: str = "",
) -> Plan:
    """Build the routine for ``options``.

    ``screening_advice`` is the screening's advice in words (the caller gets it from the
    screening content); it is what a blocked plan (`PlanBlocked`, exit 3) tells the person.
    """
    _check_options(options)
    notes: list[str] = []
    legs = list(options.legs)
    intensity = options.intensity
    if screening is not None:
        legs, gentle = _screen_legs(options, content, screening, screening_advice, notes)
        if gentle:
            intensity = Intensity.GENTLE
    tool = content.tools[options.tool]
    recipe = tool.recipes[intensity]
    has_passes = any(r.kind is StepKind.PASSES for r in recipe)
    pace = (options.pace_per_minute or content.pace.default_per_minute) if has_passes else None
    calves = []
    for i, leg in enumerate(legs):
        opener = tool.position if i == 0 else tool.switch
        steps = [_step(opener, leg, opener.seconds or 0, with_leg=True)]
        fixed = sum(r.seconds for r in recipe if r.seconds is not None)
        rest = options.seconds_per_calf - fixed
        if rest <= 0:
            raise ContentError(
                f"routine content: the {options.tool} {intensity} recipe leaves no time "
                f"for its 'rest' step at {options.seconds_per_calf} s per calf"
            )
        for r in recipe:
            step = _step(r, leg, r.seconds if r.seconds is not None else rest)
            if step.kind is StepKind.PASSES:
                step = Step(step.kind, step.seconds, step.cue, step.why, step.sources, None, pace)
            elif step.kind is StepKind.STROKES:
                strokes = content.stroke_pace.default_per_minute
                step = Step(
                    step.kind, step.seconds, step.cue, step.why, step.sources, None, strokes
                )
            steps.append(step)
        calves.append(CalfPlan(leg=leg, seconds=options.seconds_per_calf, steps=tuple(steps)))
    if pace is not None:
        notes.append(_fill(content.notes.pace, pace=pace, seconds_per_roll=_per_roll(pace)))
    if any(r.kind is StepKind.STROKES for r in recipe):
        moves = content.stroke_pace.default_per_minute
        notes.append(
            _fill(content.notes.strokes, strokes=moves // 2, seconds_per_stroke=_per_roll(moves))
        )
    notes.append(content.notes.safety)
    result = Plan(options.tool, intensity, tuple(calves), tuple(notes), pace)
    broken = plan_problems(result, seconds_per_calf=options.seconds_per_calf)
    if broken:
        listed = "; ".join(f"{p.field}: {p.message}" for p in broken)
        raise ContentError(f"routine content makes a plan that breaks the contract: {listed}")
    return result


def _screen_legs(
    options: PlanOptions,
    content: RoutineContent,
    screening: ScreeningResult,
    advice: str,
    notes: list[str],
) -> tuple[list[Leg], bool]:
    """The calves the screening allows, and whether the plan must be gentle."""
    verdict = screening.verdict
    if verdict >= Level.URGENT:
        raise PlanBlocked(verdict.value, advice, notes)
    legs = []
    for leg in options.legs:
        if leg not in screening.answers.legs:
            notes.append(_fill(content.notes.not_screened, leg=leg.value))
        elif not screening.legs[leg].massage_allowed:
            level = screening.legs[leg].level.value
            notes.append(_fill(content.notes.left_out, leg=leg.value, level=level))
        else:
            legs.append(leg)
    if not legs:
        raise PlanBlocked(verdict.value, advice, notes)
    gentle = False
    for leg in legs:
        status = screening.legs[leg]
        if not status.deep_work_allowed:
            gentle = True
            notes.append(_fill(content.notes.gentle, leg=leg.value, level=status.level.value))
    return legs, gentle


def _step(recipe: StepRecipe, leg: Leg, seconds: int, *, with_leg: bool = False) -> Step:
    names = {"leg": leg.value, "other_leg": leg.other.value}
    return Step(
        kind=recipe.kind,
        seconds=seconds,
        cue=_fill(recipe.cue, **names),
        why=_fill(recipe.why, **names),
        sources=recipe.sources,
        leg=leg if with_leg else None,
    )


def _fill(template: str, **values: object) -> str:
    return template.format(**values)


def _per_roll(pace: int) -> str:
    return f"{60 / pace:.1f}".removesuffix(".0")


def _check_options(options: PlanOptions) -> None:
    """Options built in code (the web app) get the same checks as parsed ones."""
    problems: list[Problem] = []
    if not SECONDS_PER_CALF_MIN <= options.seconds_per_calf <= SECONDS_PER_CALF_MAX:
        problems.append(Problem("seconds_per_calf", "must be a whole number from 120 to 180"))
    if not options.legs or len(set(options.legs)) != len(options.legs):
        problems.append(Problem("legs", "must name left and/or right, each at most once"))
    pace = options.pace_per_minute
    if pace is not None and not PACE_MIN_PER_MINUTE <= pace <= PACE_MAX_PER_MINUTE:
        problems.append(Problem("pace_per_minute", "must be a whole number from 10 to 30"))
    if problems:
        raise InvalidInput(problems, "The plan options are not valid.")


def _choice(
    value: object,
    kind: type[Tool] | type[Intensity],
    name: str,
    problems: list[Problem],
    *,
    required: bool = False,
) -> str | None:
    allowed = ", ".join(member.value for member in kind)
    if value is None:
        if required:
            problems.append(Problem(name, f"required; one of {allowed}"))
        return None
    if not isinstance(value, str) or value not in {member.value for member in kind}:
        problems.append(Problem(name, f"unknown {name} {value!r}; use one of {allowed}"))
        return None
    return value


def _legs(value: object, problems: list[Problem]) -> tuple[Leg, ...]:
    items: list[object]
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, list):
        items = list(value)
    else:
        problems.append(Problem("legs", 'must be "left", "right" or "left,right"'))
        return ()
    legs: list[Leg] = []
    if not items or items == [""]:
        problems.append(Problem("legs", 'name at least one calf: "left", "right" or both'))
    for item in items if items != [""] else []:
        if item not in ("left", "right") or not isinstance(item, str):
            problems.append(Problem("legs", f'unknown leg {item!r}; use "left" and/or "right"'))
        elif Leg(item) in legs:
            problems.append(Problem("legs", f'"{item}" is listed twice'))
        else:
            legs.append(Leg(item))
    return tuple(legs)


def _whole(value: object, name: str, low: int, high: int, problems: list[Problem]) -> int | None:
    number: int | None = None
    if type(value) is int:
        number = value
    elif isinstance(value, str):
        number = whole_number(value.strip(), 9)
    if number is None or not low <= number <= high:
        problems.append(
            Problem(name, f"must be a whole number from {low} to {high}, got {value!r}")
        )
        return None
    return number
