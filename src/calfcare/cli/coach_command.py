"""`calfcare session` without `--replay`, as a command: check the input, screen, plan, coach,
summarise, save. The checks come first and name every problem before any question is asked;
the loop itself is `calfcare.cli.coach.run_coach`."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console

from calfcare.cli.coach import CoachInterrupted, print_summary, run_coach
from calfcare.cli.coach_gate import screened_plan
from calfcare.cli.coach_io import TerminalKeys
from calfcare.cli.console import Console as CliConsole
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.routine import Plan


def coach_command(
    *,
    plan_file: str | None,
    options: dict[str, str | None],
    screening_file: str | None,
    voice: bool,
    tick: bool,
    save: bool = True,
    db: str | None = None,
) -> dict[str, Any]:
    """The live coach as a command: check the input, screen, plan, coach, summarise, and
    (unless ``save`` is off) save the session with the soreness check-in."""
    raw = {name: value for name, value in options.items() if value is not None}
    if plan_file is not None and raw:
        from calfcare.cli.plan import OPTION_NAMES

        named = ", ".join(OPTION_NAMES.get(name, name) for name in raw)
        raise InvalidInput(
            [Problem("--plan", f"give either --plan or the plan options ({named}), not both")],
            "The session cannot start.",
        )
    if plan_file is None and "tool" not in raw:
        raise InvalidInput(
            [Problem("--tool", "required (foam-roller, ball or hands), or give --plan FILE")],
            "The session cannot start.",
        )
    if plan_file == "-" or screening_file == "-":
        raise InvalidInput(
            [
                Problem(
                    "--plan" if plan_file == "-" else "--screening",
                    "the live coach reads "
                    "the keyboard on standard input, so files cannot come from '-'",
                )
            ],
            "The session cannot start.",
        )
    file_plan, parsed_options = _read_plan_input(plan_file, raw)
    from calfcare.cli.safety_gate import refuse_during_hold

    refuse_during_hold(db)  # a hold stops the coach before any question, advice first
    not_tty = [
        name
        for name, stream in (("input", sys.stdin), ("output", sys.stdout))
        if not stream.isatty()
    ]
    if not_tty:
        raise InvalidInput(
            [Problem("terminal", f"standard {' and '.join(not_tty)} is not a terminal")],
            "The live coach needs a terminal; use --replay for scripted sessions.",
        )
    made, notes, screening_id = screened_plan(
        file_plan, parsed_options, screening_file, db=db, save=save
    )
    console = CliConsole(highlight=False)
    store = None
    before: dict[str, int] = {}
    if save:
        from calfcare.cli.coach_save import ask_soreness
        from calfcare.cli.db import open_cli_store

        store = open_cli_store(db)  # a database problem shows now, not after the session
        before = ask_soreness(console, [calf.leg for calf in made.calves], "right now")
    keys = TerminalKeys()
    import time

    try:
        with keys:
            result = run_coach(
                made,
                clock=time.monotonic,
                keys=keys,
                console=console,
                voice=voice,
                tick=tick,
                notes=notes,
            )
    except CoachInterrupted as interrupted:
        print_summary(interrupted.result, console)
        if store is not None and interrupted.result.get("started"):
            _save(store, made, interrupted.result, screening_id, before, console)
        raise
    print_summary(result, console)
    if store is not None and result.get("started"):
        _save(store, made, result, screening_id, before, console)
    return result


def _save(
    store: Any,
    made: Plan,
    result: dict[str, Any],
    screening_id: str | None,
    before: dict[str, int],
    console: Console,
) -> None:
    from datetime import UTC, datetime

    from calfcare.cli.coach_save import save_live_session

    try:
        save_live_session(
            store,
            plan=made,
            result=result,
            screening_report=None,
            screening_id=screening_id,
            before=before,
            console=console,
            now=lambda: datetime.now(UTC),
        )
    finally:
        store.close()


def _read_plan_input(plan_file: str | None, raw: dict[str, str]) -> tuple[Plan | None, Any]:
    """The plan file, or the checked plan options: every problem is named before screening."""
    if plan_file is not None:
        from calfcare.cli.inputs import read_json
        from calfcare.core.plan_json import parse_plan

        return parse_plan(read_json(plan_file, "--plan")), None
    from calfcare.cli.plan import parse_options

    defaults = {"legs": "left,right", "seconds_per_calf": "150", "intensity": "standard"}
    return None, parse_options({**defaults, **raw})
