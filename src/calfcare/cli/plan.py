"""`calfcare plan`: a calf routine for a tool, optionally shaped by a screening.

Options are taken as text and checked by the core (`parse_plan_options`), so every bad option
is named at once in the contract's ``{"error", "problems"}`` shape, not as a click usage error.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.core.routine import Plan


OPTION_NAMES = {
    "tool": "--tool",
    "legs": "--legs",
    "seconds_per_calf": "--seconds-per-calf",
    "intensity": "--intensity",
    "pace_per_minute": "--pace",
}
"""Problems name the option the person typed, not the core's field."""


def register(app: typer.Typer) -> None:
    app.command(name="plan")(plan_command)


def plan_command(
    tool: str | None = typer.Option(
        None, "--tool", metavar="foam-roller|ball|hands", help="What you massage with (required)."
    ),
    legs: str = typer.Option(
        "left,right",
        "--legs",
        metavar="LEGS",
        help="Calves to plan, in order: left, right or both.",
    ),
    seconds_per_calf: str = typer.Option(
        "150", "--seconds-per-calf", metavar="N", help="Seconds per calf, 120 to 180."
    ),
    intensity: str = typer.Option(
        "standard", "--intensity", metavar="gentle|standard|deep", help="How firm the work is."
    ),
    pace: str | None = typer.Option(
        None,
        "--pace",
        metavar="N",
        help="Pace guide for passes: one-way rolls a minute, 10 to 30 (default 15, slow).",
    ),
    screening: str | None = typer.Option(
        None,
        "--screening",
        metavar="FILE",
        help="Screening answers (screening contract v1) to shape the plan; '-' reads stdin.",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the plan as JSON only."),
) -> None:
    """Plan a calf self-massage routine.

    Exit status 0 with a plan; 2 for bad options or answers; 3 when the screening rules out
    massage today (the advice is printed instead of a plan).
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
        made = make_plan(raw, screening)
        if json_output:
            from calfcare.core.plan_json import plan_to_json

            print(json.dumps(plan_to_json(made), indent=2))
        else:
            print_plan(made)


def make_plan(raw: dict[str, object], screening_source: str | None) -> Plan:
    """Options (as text) and an optional screening answers file in, a checked plan out."""
    from calfcare.content.routines import load_routines
    from calfcare.core.planner import parse_plan_options, plan

    try:
        options = parse_plan_options(raw)
    except InvalidInput as error:
        named = [Problem(OPTION_NAMES.get(p.field, p.field), p.message) for p in error.problems]
        raise InvalidInput(named, error.message) from None
    content = load_routines()
    if screening_source is None:
        return plan(options, content)
    from calfcare.cli.inputs import read_json
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.screening import screen

    result = screen(parse_answers(read_json(screening_source, "--screening")))
    advice = load_screening_text().advice_for(result)
    return plan(options, content, result, screening_advice=advice)


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
            if step.pace_per_minute:
                detail.append(f"\npace: {step.pace_per_minute} rolls a minute", style="cyan")
            if step.why:
                detail.append(f"\nwhy: {step.why}", style="dim")
            if step.sources:
                detail.append(f"\nsources: {', '.join(step.sources)}", style="dim")
            counted = "" if step.kind.counted else " (not counted)"
            table.add_row(step.kind.value.replace("_", " "), f"{step.seconds}{counted}", detail)
        console.print(table)
    for note in made.notes:
        console.print(Text.assemble(("Note: ", "bold"), note))
