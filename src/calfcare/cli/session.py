"""`calfcare session`: the session engine, headless (``--replay``) or as a terminal coach.

The replay prints the same timeline the coach and the web page follow; with ``--json`` it is
the routine contract's output and the shared test-vector format (docs/session-timeline.md).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli import plan as plan_options
from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem


def register(app: typer.Typer) -> None:
    app.command(name="session")(session_command)


def session_command(
    plan_file: str | None = typer.Option(
        None, "--plan", metavar="FILE", help="A plan (`calfcare plan --json`); '-' reads stdin."
    ),
    replay_file: str | None = typer.Option(
        None,
        "--replay",
        metavar="EVENTS",
        help='Run headless on a simulated clock: a JSON list of {"t": s, "event": name}.',
    ),
    json_output: bool = cli_db.json_option(),
    tool: str | None = plan_options.tool_option("Live coach: plan for this tool."),
    legs: str | None = plan_options.legs_option(None, "Live coach: calves."),
    seconds_per_calf: str | None = plan_options.seconds_per_calf_option(
        None, "Live coach: seconds per calf, 120 to 180."
    ),
    intensity: str | None = plan_options.intensity_option(None, "Live coach: how firm."),
    pace: str | None = plan_options.pace_option("Live coach: one-way rolls a minute, 10 to 30."),
    screening: str | None = plan_options.screening_option(
        "Live coach: screening answers; without it, the questions are asked first."
    ),
    voice: bool = typer.Option(False, "--voice", help="Live coach: speak cues (espeak-ng)."),
    tick: bool = typer.Option(False, "--tick", help="Live coach: a tick at each end of a pass."),
    save: bool = typer.Option(
        True,
        "--save/--no-save",
        help="Live coach: save the session, the screening and your soreness check-in.",
    ),
    db: str | None = cli_db.db_option("Live coach: database URL (default: the settings)."),
) -> None:
    """Run a massage session from a plan.

    Without --replay: the live coach in this terminal (screening first, or --screening FILE;
    then --plan FILE or the plan options). With --replay, runs the engine on a script of
    events and prints the timeline. Exit status 0 when the session ran (whatever its
    outcome); 2 for a bad plan, options or events (or no terminal); 3 when the screening
    or your safety state (calfcare safety) rules out massage today; 130 after Ctrl-C. The
    replay never reads your records.
    """
    with reporting(json_output=json_output):
        if replay_file is None:
            from calfcare.cli.coach_command import coach_command

            options = {
                "tool": tool,
                "legs": legs,
                "seconds_per_calf": seconds_per_calf,
                "intensity": intensity,
                "pace_per_minute": pace,
            }
            coach_command(
                plan_file=plan_file,
                options=options,
                screening_file=screening,
                voice=voice,
                tick=tick,
                save=save,
                db=db,
            )
            return
        result = run_replay_files(plan_file, replay_file)
        if result.get("advice"):
            print(f"calfcare: {result['advice']}", file=sys.stderr)
        if json_output:
            print(json.dumps(result, indent=2))
        else:
            print_timeline(result)


def run_replay_files(plan_source: str | None, events_source: str) -> dict[str, Any]:
    """Read and check both files (naming every problem in either), then replay."""
    from calfcare.cli.inputs import read_json
    from calfcare.content.routines import load_routines
    from calfcare.core.plan_json import parse_plan
    from calfcare.core.replay import parse_events, replay

    problems: list[Problem] = []
    if plan_source is None:
        problems.append(Problem("--plan", "required: the plan file to run"))
    elif plan_source == "-" and events_source == "-":
        problems.append(Problem("--replay", "only one of --plan and --replay can read stdin"))
    plan = events = None
    if not problems:
        assert plan_source is not None
        try:
            plan = parse_plan(read_json(plan_source, "--plan"))
        except InvalidInput as error:
            problems += error.problems
        try:
            events = parse_events(read_json(events_source, "--replay"))
        except InvalidInput as error:
            problems += error.problems
    if problems or plan is None or events is None:
        raise InvalidInput(problems, "The session cannot run: the plan or events are not valid.")
    return replay(plan, events, sharp_pain_advice=load_routines().sharp_pain_advice)


def print_timeline(result: dict[str, Any]) -> None:
    """The timeline as plain lines, one per entry, then the outcome."""
    for entry in result["timeline"]:
        details = ", ".join(
            f"{key}={value}" for key, value in entry.items() if key not in ("t", "type", "cue")
        )
        line = f"{entry['t']:8.3f}  {entry['type']:<16} {details}"
        if "cue" in entry:
            line += f"\n{'':10}{entry['cue']}"
        print(line)
    for event in result["ignored_events"]:
        print(f"{event['t']:8.3f}  ignored {event['event']} ({event['reason']})")
    calves = "; ".join(
        f"{calf['leg']} {calf['active_seconds']:g}/{calf['planned_seconds']} s"
        for calf in result["calves"]
    )
    print(f"outcome: {result['outcome']} after {result['duration_seconds']:g} s ({calves})")
