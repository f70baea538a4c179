"""The routine contract's plan checks, in one place.

The planner runs them on every plan it makes (a content edit that breaks a technique rule is
a bug, caught before a person sees it), and `calfcare session --plan FILE` runs them on the
file it is given (a plan that breaks them is bad input, exit 2). They are exactly the
contract's: a plan file may word its cues any way it likes as long as these hold.
"""

from __future__ import annotations

import re

from calfcare.core.errors import Problem
from calfcare.core.routine import (
    COUNTDOWN_MAX_SECONDS,
    HOLD_MAX_SECONDS,
    HOLD_MIN_SECONDS,
    PACE_MAX_PER_MINUTE,
    PACE_MIN_PER_MINUTE,
    SECONDS_PER_CALF_MAX,
    SECONDS_PER_CALF_MIN,
    Intensity,
    Plan,
    StepKind,
    Tool,
)

_CROSSED = re.compile(r"\bcross(es|ed|ing)?\b", re.IGNORECASE)
_UPWARD = re.compile(r"\bupwards?\b|\btowards? (the|your) heart\b", re.IGNORECASE)
_ANKLE = re.compile(r"\bankles?\b", re.IGNORECASE)
_KNEE = re.compile(r"\bknees?\b", re.IGNORECASE)


def tells_to_cross_legs(cue: str) -> bool:
    """A crossed-leg cue ("cross your right leg over..."); "across" does not count."""
    return _CROSSED.search(cue) is not None


def says_upward(cue: str) -> bool:
    return _UPWARD.search(cue) is not None


def names_ankle_and_knee(cue: str) -> bool:
    return _ANKLE.search(cue) is not None and _KNEE.search(cue) is not None


def plan_problems(plan: Plan, *, seconds_per_calf: int | None = None) -> list[Problem]:
    """Every contract check the plan fails, as problems with dotted paths.

    Without ``seconds_per_calf`` (a plan file), the calves must agree with each other, since
    one ``--seconds-per-calf`` made them.
    """
    problems: list[Problem] = []
    if not plan.calves:
        return [Problem("calves", "a plan needs at least one calf")]
    expected = seconds_per_calf if seconds_per_calf is not None else plan.calves[0].seconds
    seen = set()
    for c, calf in enumerate(plan.calves):
        where = f"calves.{c}"
        if calf.leg in seen:
            problems.append(Problem(f"{where}.leg", f"the {calf.leg} calf is planned twice"))
        seen.add(calf.leg)
        if not SECONDS_PER_CALF_MIN <= calf.seconds <= SECONDS_PER_CALF_MAX:
            problems.append(Problem(f"{where}.seconds", "must be from 120 to 180 seconds"))
        elif calf.seconds != expected:
            problems.append(
                Problem(f"{where}.seconds", f"is {calf.seconds}; every calf must have {expected}")
            )
        if calf.counted_seconds != calf.seconds:
            problems.append(
                Problem(
                    f"{where}.steps",
                    f"the counted steps sum to {calf.counted_seconds} s, "
                    f"not the calf's {calf.seconds} s",
                )
            )
        for s, step in enumerate(calf.steps):
            problems += _step_problems(
                f"{where}.steps.{s}",
                step.kind,
                step.seconds,
                calf.leg,
                step.leg,
                step.pace_per_minute,
            )
    problems += _technique_problems(plan)
    return problems


def _step_problems(
    where: str,
    kind: StepKind,
    seconds: int,
    calf_leg: object,
    step_leg: object,
    pace: int | None,
) -> list[Problem]:
    problems = []
    if kind is StepKind.HOLD and not HOLD_MIN_SECONDS <= seconds <= HOLD_MAX_SECONDS:
        problems.append(Problem(f"{where}.seconds", "a hold lasts 30 to 60 seconds"))
    if not kind.counted:
        if not 0 <= seconds <= COUNTDOWN_MAX_SECONDS:
            problems.append(Problem(f"{where}.seconds", f"a {kind} step lasts 0 to 20 seconds"))
        if step_leg != calf_leg:
            problems.append(Problem(f"{where}.leg", f"a {kind} step names the calf it prepares"))
    elif seconds < 0:
        problems.append(Problem(f"{where}.seconds", "must not be negative"))
    if pace is not None and not PACE_MIN_PER_MINUTE <= pace <= PACE_MAX_PER_MINUTE:
        problems.append(Problem(f"{where}.pace_per_minute", "must be from 10 to 30"))
    return problems


def _technique_problems(plan: Plan) -> list[Problem]:
    steps = [step for calf in plan.calves for step in calf.steps]
    kinds = {step.kind for step in steps}
    crossed = any(tells_to_cross_legs(step.cue) for step in steps)
    problems = []
    if plan.tool in (Tool.FOAM_ROLLER, Tool.BALL) and not any(
        step.kind is StepKind.PASSES and names_ankle_and_knee(step.cue) for step in steps
    ):
        problems.append(
            Problem("calves", "needs a passes step whose cue names the ankle and the knee")
        )
    if plan.tool is Tool.FOAM_ROLLER and plan.intensity is Intensity.DEEP:
        if not crossed:
            problems.append(Problem("calves", "a deep plan tells the person to cross the legs"))
        if StepKind.ACTIVE_RELEASE not in kinds:
            problems.append(Problem("calves", "a deep plan has an active_release step"))
    if plan.intensity is Intensity.GENTLE:
        for kind in (StepKind.ACTIVE_RELEASE, StepKind.PRESSURE):
            if kind in kinds:
                problems.append(Problem("calves", f"a gentle plan has no {kind} step"))
        if crossed:
            problems.append(Problem("calves", "a gentle plan has no crossed-leg cue"))
    if plan.tool is Tool.HANDS and not any(
        step.kind is StepKind.STROKES and says_upward(step.cue) for step in steps
    ):
        problems.append(
            Problem("calves", "needs a strokes step whose cue says upward, toward the heart")
        )
    return problems
