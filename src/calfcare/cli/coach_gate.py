"""The live coach's gate: screen (from a file, or by asking), record it, then plan, or fit a
given plan, under today's safety state (`calfcare.cli.safety_gate`) and the screening, the
stricter first. A verdict that rules the session out shows the verdict and raises
`PlanBlocked`."""

from __future__ import annotations

from typing import Any

from calfcare.cli.console import Console as CliConsole
from calfcare.core.errors import PlanBlocked
from calfcare.core.routine import Plan


def screened_plan(
    file_plan: Plan | None, options: Any, screening_file: str | None, *, db: str | None, save: bool
) -> tuple[Plan, list[str], str | None]:
    """Screen (from the file, or by asking) and record it, then plan or fit the given plan to
    today's safety state (`calfcare.cli.safety_gate`) and the screening, the stricter first."""
    from calfcare.cli.render import print_verdict
    from calfcare.content.routines import load_routines
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.levels import Level
    from calfcare.core.planner import plan
    from calfcare.core.report import screening_report
    from calfcare.core.screening import screen

    text = load_screening_text()
    questionnaire = None
    if screening_file is not None:
        from calfcare.cli.inputs import read_json

        answers = parse_answers(read_json(screening_file, "--screening"))
    else:
        from calfcare.cli.screen import ask_interactively

        questionnaire = ask_interactively(text)
        answers = questionnaire.answers()
    result = screen(answers)
    advice = text.advice_for(result)
    report = screening_report(result, text)
    err = CliConsole(stderr=True, highlight=False)
    try:
        from calfcare.cli.safety_gate import ask_pain_checks, coach_gate, plan_under_state

        state, screening_id = coach_gate(report, db=db, save=save)
        if result.verdict >= Level.URGENT:
            raise PlanBlocked(result.verdict.value, advice, [])
        legs = options.legs if file_plan is None else [c.leg for c in file_plan.calves]
        confirmed = ask_pain_checks(state, legs, db=db, save=save)
        if file_plan is None:
            options, first = plan_under_state(options, state, confirmed)
            made = plan(options, load_routines(), result, screening_advice=advice)
            return made, [*first, *made.notes], screening_id
        fitted, first = plan_under_state(file_plan, state, confirmed)
        made, notes = fit_plan(fitted, result, advice)
        return made, [*first, *notes], screening_id
    except PlanBlocked:
        from calfcare.cli.screen import shown_report

        # (the advice is said again last by the refusal's own message: `PlanBlocked`)
        print_verdict(shown_report(report, questionnaire)[0], console=err)
        raise


def fit_plan(made: Plan, result: Any, advice: str) -> tuple[Plan, list[str]]:
    """A plan from a file, under today's screening: calves it rules out are left out; a plan
    that is not gentle enough is refused (make a new one with the screening)."""
    from dataclasses import replace

    from calfcare.core.routine import Intensity

    notes: list[str] = []
    kept = []
    for calf in made.calves:
        status = result.legs.get(calf.leg) if calf.leg in result.answers.legs else None
        if status is None:
            notes.append(f"{calf.leg.value} calf left out: it was not part of the screening.")
        elif not status.massage_allowed:
            notes.append(
                f"{calf.leg.value} calf left out: the screening says {status.level.value}."
            )
        else:
            kept.append(calf)
    if not kept:
        raise PlanBlocked(result.verdict.value, advice, notes)
    if made.intensity is not Intensity.GENTLE and any(
        not result.legs[calf.leg].deep_work_allowed for calf in kept
    ):
        raise PlanBlocked(
            result.verdict.value,
            f"This plan is {made.intensity.value}, but today's screening allows gentle work "
            "only. Plan again with the screening (calfcare session --tool ... --screening "
            f"FILE) or with --intensity gentle. {advice}",
            notes,
        )
    return replace(made, calves=tuple(kept)), notes
