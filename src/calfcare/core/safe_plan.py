"""Plans under the safety state (issue 11): what a plan or session may include today.

Pure: the state (`calfcare.core.safety_state`), the options or a plan, and the wording come
in. Applied *before* any screening given with the plan (the routine contract's rules then
apply on top), so the stricter of the recorded state and a given screening always wins:

- **A hold** (urgent or emergency, until a clinician's clearance): no plan (`SafetyBlocked`,
  exit 3 / HTTP 409), whatever else is given.
- **After a clearance, before a new screening** (``needs_screening``): no plan.
- **A calf the state does not allow** is left out, with a note; none left: no plan.
- **A calf with a pending sharp-pain check** is left out, with a note and the session's
  sharp-pain advice, unless the person has just said the pain has gone or been checked
  (``confirmed``: the adapter asks, and records the answer, first).
- **A calf without deep work allowed** makes the whole plan gentle, with a note (one plan has
  one intensity), whatever intensity was asked for.

With nothing recorded the state allows both calves at any intensity, so the options come
back unchanged and a plan is exactly what the routine contract gives.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any

from calfcare.core.day_words import day_text
from calfcare.core.errors import PlanBlocked
from calfcare.core.levels import Leg
from calfcare.core.report import calf_name
from calfcare.core.routine import Intensity, Plan, PlanOptions
from calfcare.core.safety_state import PainCheckDue, SafetyState, SafetyWording, safety_json

HOLD = "hold"
NEEDS_SCREENING = "needs_screening"
NO_CALF = "no_calf"
GENTLE_ONLY = "gentle_only"


class SafetyBlocked(PlanBlocked):
    """The recorded safety state rules out this plan today (a hold, a new screening needed,
    or no calf allowed). Its JSON is the routine contract's exit-3 object, with ``verdict``
    the hold's level (null when no verdict is the reason), plus ``blocked_by`` and the
    safety state (``safety``, the object of ``calfcare safety --json``)."""

    def __init__(
        self,
        *,
        blocked_by: str,
        verdict: str | None,
        advice: str,
        notes: list[str],
        state: SafetyState,
        message: str | None = None,
    ) -> None:
        super().__init__(verdict or "", advice, notes)
        self.verdict_level = verdict
        self.blocked_by = blocked_by
        self.state = state
        self.message = message or advice
        self.args = (self.message,)

    def with_message(self, message: str) -> SafetyBlocked:
        """The same block, told in other words (an adapter adds how to lift it)."""
        return SafetyBlocked(
            blocked_by=self.blocked_by,
            verdict=self.verdict_level,
            advice=self.advice,
            notes=self.notes,
            state=self.state,
            message=message,
        )

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        body["verdict"] = self.verdict_level
        body["blocked_by"] = self.blocked_by
        body["safety"] = safety_json(self.state)
        return body


def blocked(state: SafetyState) -> bool:
    """No plan and no session today, whatever is asked: a hold, or a new screening is needed
    first (after a clearance). `check_not_held` raises exactly then."""
    return state.hold is not None or state.needs_screening is not None


def pain_checks_due(state: SafetyState, legs: Iterable[Leg]) -> list[PainCheckDue]:
    """The pending sharp-pain checks of ``legs``, in the order given (whatever else the
    state allows them)."""
    return [p for leg in legs if (p := state.legs[leg].pain_check) is not None]


def check_not_held(state: SafetyState) -> None:
    """`SafetyBlocked` during a hold, or after a clearance until a new screening."""
    if not blocked(state):
        return
    hold = state.hold
    if hold is not None:
        advice = f"{hold.headline.rstrip('.')}. {hold.advice}"
        message = "\n".join(
            [
                advice,
                f"A hold on massage of both calves since {day_text(hold.since)}. {hold.reason}",
                f"What lifts it: {hold.lifts}",
            ]
        )
        raise SafetyBlocked(
            blocked_by=HOLD,
            verdict=hold.level.value,
            advice=advice,
            notes=[],
            state=state,
            message=message,
        )
    assert state.needs_screening is not None  # blocked without a hold
    raise SafetyBlocked(
        blocked_by=NEEDS_SCREENING,
        verdict=None,
        advice=state.needs_screening,
        notes=[],
        state=state,
    )


def pending_pain_checks(state: SafetyState, legs: Collection[Leg]) -> list[Leg]:
    """The calves among ``legs`` (that the state allows) whose sharp-pain check is pending."""
    return [p.leg for p in pain_checks_due(state, legs) if state.legs[p.leg].massage_allowed]


def options_under_safety(
    options: PlanOptions,
    state: SafetyState,
    wording: SafetyWording,
    *,
    confirmed: Collection[Leg] = (),
) -> tuple[PlanOptions, list[str]]:
    """The options the state allows today, and the notes saying what changed and why."""
    check_not_held(state)
    legs, notes = _allowed_legs(options.legs, state, wording, confirmed)
    intensity = options.intensity
    careful = [leg for leg in legs if not state.legs[leg].deep_work_allowed]
    if careful:
        notes.append(wording.plan_gentle.format(calf=calves_name(careful)))
        intensity = Intensity.GENTLE
    return replace(options, legs=tuple(legs), intensity=intensity), notes


def plan_under_safety(
    made: Plan, state: SafetyState, wording: SafetyWording, *, confirmed: Collection[Leg] = ()
) -> tuple[Plan, list[str]]:
    """A plan made earlier (a file) under today's state: calves it does not allow are left out;
    a plan that is not gentle enough is refused (plan again: the new plan will be gentle)."""
    check_not_held(state)
    legs, notes = _allowed_legs([c.leg for c in made.calves], state, wording, confirmed)
    kept = tuple(c for c in made.calves if c.leg in legs)
    if made.intensity is not Intensity.GENTLE:
        strict = [leg for leg in legs if not state.legs[leg].deep_work_allowed]
        if strict:
            advice = f"This plan is {made.intensity.value}. " + wording.plan_gentle.format(
                calf=calf_name(strict[0])
            )
            raise SafetyBlocked(
                blocked_by=GENTLE_ONLY, verdict=None, advice=advice, notes=notes, state=state
            )
    return replace(made, calves=kept), notes


def _allowed_legs(
    wanted: Collection[Leg], state: SafetyState, wording: SafetyWording, confirmed: Collection[Leg]
) -> tuple[list[Leg], list[str]]:
    legs: list[Leg] = []
    notes: list[str] = []
    for leg in wanted:
        status = state.legs[leg]
        if not status.massage_allowed:
            notes.append(wording.plan_left_out.format(calf=calf_name(leg)))
        elif status.pain_check is not None and leg not in confirmed:
            pain = wording.plan_pain_check.format(calf=calf_name(leg))
            notes.append(f"{pain} {status.pain_check.advice}")
        else:
            legs.append(leg)
    if not legs:
        raise SafetyBlocked(
            blocked_by=NO_CALF,
            verdict=None,
            advice=" ".join([wording.plan_no_calf, *notes]),
            notes=notes,
            state=state,
        )
    return legs, notes


def calves_name(legs: Collection[Leg]) -> str:
    """ "left calf", or "left and right calves"."""
    if len(legs) == 1:
        return calf_name(next(iter(legs)))
    return " and ".join(leg.value for leg in legs) + " calves"
