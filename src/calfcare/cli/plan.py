"""`calfcare plan`: a calf routine for a tool, optionally shaped by a screening.

Options are taken as text and checked by the core (`parse_plan_options`), so every bad option
is named at once in the contract's ``{"error", "problems"}`` shape, not as a click usage error.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting
from calfcare.content.source_names import source_names
from calfcare.core.routine import StepKind

if TYPE_CHECKING:
    from collections.abc import Collection

    from calfcare.core.levels import Leg
    from calfcare.core.routine import Plan, PlanOptions
    from calfcare.core.safety_state import SafetyState
    from calfcare.core.screening import ScreeningResult


OPTION_NAMES = {
    "tool": "--tool",
    "legs": "--legs",
    "seconds_per_calf": "--seconds-per-calf",
    "intensity": "--intensity",
    "pace_per_minute": "--pace",
}
"""Problems name the option the person typed, not the core's field."""


# The plan options, declared once for `calfcare plan` and the live coach (`calfcare session`);
# each command gives its own default and help.


def tool_option(help: str) -> Any:
    return typer.Option(None, "--tool", metavar="foam-roller|ball|hands", help=help)


def legs_option(default: str | None, help: str) -> Any:
    return typer.Option(default, "--legs", metavar="LEGS", help=help)


def seconds_per_calf_option(default: str | None, help: str) -> Any:
    return typer.Option(default, "--seconds-per-calf", metavar="N", help=help)


def intensity_option(default: str | None, help: str) -> Any:
    return typer.Option(default, "--intensity", metavar="gentle|standard|deep", help=help)


def pace_option(help: str) -> Any:
    return typer.Option(None, "--pace", metavar="N", help=help)


def screening_option(help: str) -> Any:
    return typer.Option(None, "--screening", metavar="FILE", help=help)


def register(app: typer.Typer) -> None:
    app.command(name="plan")(plan_command)


def plan_command(
    tool: str | None = tool_option("What you massage with (required)."),
    legs: str = legs_option("left,right", "Calves to plan, in order: left, right or both."),
    seconds_per_calf: str = seconds_per_calf_option("150", "Seconds per calf, 120 to 180."),
    intensity: str = intensity_option("standard", "How firm the work is."),
    pace: str | None = pace_option(
        "Pace guide for passes: one-way rolls a minute, 10 to 30 (default 15, slow)."
    ),
    screening: str | None = screening_option(
        "Screening answers (screening contract v1) to shape the plan; '-' reads stdin."
    ),
    json_output: bool = cli_db.json_option("Print the plan as JSON only."),
    db: str | None = cli_db.db_option(),
) -> None:
    """Plan a calf self-massage routine.

    The plan obeys your safety state today (calfcare safety): a calf it does not allow is
    left out, care asked for makes the plan gentle, and a hold on massage gives no plan.
    Exit status 0 with a plan; 2 for bad options or answers; 3 when the screening or your
    safety state rules out massage today (the advice is printed instead of a plan).
    """
    with reporting(json_output=json_output):
        raw: dict[str, object] = {
            "tool": tool,
            "legs": legs,
            "seconds_per_calf": seconds_per_calf,
            "intensity": intensity,
        }
        if pace is not None:
            raw["pace_per_minute"] = pace
        made = _plan_for_today(raw, screening, db, ask=not json_output)
        if json_output:
            from calfcare.core.plan_json import plan_to_json

            print(json.dumps(plan_to_json(made), indent=2))
        else:
            print_plan(made)


def _plan_for_today(
    raw: dict[str, object], screening_source: str | None, db: str | None, *, ask: bool
) -> Plan:
    """The plan under today's recorded safety state (`calfcare.cli.safety_gate`): every
    input checked first (exit 2), then a hold, then the sharp-pain check (asked only when a
    person can answer), then the plan."""
    from calfcare.cli import safety_gate
    from calfcare.core.safe_plan import SafetyBlocked, check_not_held

    options = parse_options(raw)
    screened = _screened(screening_source)
    state = safety_gate.current_state(db)
    hints: list[str] = []
    try:
        check_not_held(state)
        confirmed: list[Leg] = []
        if ask and safety_gate.interactive():
            confirmed = safety_gate.ask_pain_checks(state, options.legs, db=db)
        hints = safety_gate.pain_check_hints(state, options.legs, confirmed)
        made = _plan_with(options, screened, state, confirmed)
    except SafetyBlocked as error:
        raise safety_gate.told_for_cli(error, hints) from None
    return replace(made, notes=(*made.notes, *hints))


def parse_options(raw: dict[str, object]) -> PlanOptions:
    """The options, checked; problems name the options as typed (``--seconds-per-calf``)."""
    from calfcare.cli.errors import named_as
    from calfcare.core.planner import parse_plan_options

    with named_as(OPTION_NAMES):
        return parse_plan_options(raw)


def make_plan(raw: dict[str, object], screening_source: str | None) -> Plan:
    """Options (as text) and an optional screening answers file in, a checked plan out
    (no safety state: the web API's pure ``POST /api/plan`` and tests)."""
    return _plan_with(parse_options(raw), _screened(screening_source), None, ())


def _screened(source: str | None) -> tuple[ScreeningResult, str] | None:
    """The screening answers file screened, and its advice in words (None without one)."""
    if source is None:
        return None
    from calfcare.cli.inputs import read_json
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.screening import screen

    result = screen(parse_answers(read_json(source, "--screening")))
    return result, load_screening_text().advice_for(result)


def _plan_with(
    options: PlanOptions,
    screened: tuple[ScreeningResult, str] | None,
    state: SafetyState | None,
    confirmed: Collection[Leg],
) -> Plan:
    """The state applies first (`calfcare.core.safe_plan`), the screening's contract rules
    on top, so the stricter of the two wins; the state's notes come first."""
    from calfcare.content.routines import load_routines
    from calfcare.core.errors import PlanBlocked
    from calfcare.core.planner import plan

    notes: list[str] = []
    if state is not None:
        from calfcare.content.safety import load_safety_wording
        from calfcare.core.safe_plan import options_under_safety

        options, notes = options_under_safety(
            options, state, load_safety_wording(), confirmed=confirmed
        )
    content = load_routines()
    try:
        if screened is None:
            made = plan(options, content)
        else:
            made = plan(options, content, screened[0], screening_advice=screened[1])
    except PlanBlocked as error:
        error.notes[:0] = notes
        raise
    return replace(made, notes=(*notes, *made.notes))


def print_plan(made: Plan) -> None:
    """The plan as a readable table per calf, with cues, why and sources."""
    from rich.table import Table
    from rich.text import Text

    from calfcare.cli.console import Console

    console = Console(highlight=False)
    console.print(
        Text.assemble(
            ("Calf routine: ", "bold"),
            f"{made.tool.value}, {made.intensity.value}, ",
            f"{made.total_seconds} s of massage ({made.seconds_per_calf} s per calf)",
        )
    )
    for calf in made.calves:
        table = Table(title=f"{calf.leg.value} calf: {calf.seconds} s", expand=True)
        table.add_column("step", no_wrap=True)
        table.add_column("s", justify="right", no_wrap=True)
        table.add_column("what to do")
        for step in calf.steps:
            detail = Text(step.cue)
            if step.pace_per_minute and step.kind is StepKind.STROKES:
                strokes = step.pace_per_minute // 2  # up with the stroke, back lifted
                detail.append(f"\npace: {strokes} upward strokes a minute", style="cyan")
            elif step.pace_per_minute:
                detail.append(f"\npace: {step.pace_per_minute} rolls a minute", style="cyan")
            if step.why:
                detail.append(f"\nwhy: {step.why}", style="dim")
            if step.sources:
                detail.append(f"\nsources: {source_names(step.sources)}", style="dim")
            counted = "" if step.kind.counted else " (not counted)"
            table.add_row(step.kind.value.replace("_", " "), f"{step.seconds}{counted}", detail)
        console.print(table)
    for note in made.notes:
        console.print(Text.assemble(("Note: ", "bold"), note))
