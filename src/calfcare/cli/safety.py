"""`calfcare safety`: what today's safety state allows, and recording what lifts a hold.

    calfcare safety [--json]                    the state today (a hold, each calf's flags)
    calfcare safety clear --clinician-ruled-out-clot [--day D] [--json]
    calfcare safety pain-checked --leg left|right [--json]

The rules (`calfcare.core.safety_state`) and the use cases (`calfcare.services.safety`) are
shared with the web app; ``--json`` prints the same object as ``GET /api/safety``.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import named_as, reporting
from calfcare.core.errors import InvalidInput, Problem

safety_app = typer.Typer(
    help="Your safety state today: a hold on massage, and what each calf may have.",
    invoke_without_command=True,
    rich_markup_mode=None,
)


_OPTIONS = {"day": "--day", "leg": "--leg"}
"""The services' field names as this command's options."""


def register(app: typer.Typer) -> None:
    app.add_typer(safety_app, name="safety")


@safety_app.callback()
def safety(
    ctx: typer.Context,
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Your safety state today: a hold on massage, and what each calf may have.

    An urgent or emergency result (a safety check, or a next-day check-in) puts a hold on
    massage of both calves until you record that a clinician has ruled out a blood clot
    (safety clear), and then do a new safety check.
    """
    if ctx.invoked_subcommand is not None:
        return
    from calfcare.services import safety as safety_services

    with reporting(json_output=json_output):
        with cli_db.open_cli_store(db) as store:
            document = safety_services.safety_document(store, cli_db.now())
        if json_output:
            print(json.dumps(document, indent=2))
        else:
            print("\n".join(state_lines(document)))


@safety_app.command("clear")
def clear(
    clinician_ruled_out_clot: bool = typer.Option(
        False,
        "--clinician-ruled-out-clot",
        help="Required: a doctor or nurse has examined you and ruled out a blood clot.",
    ),
    day: str | None = typer.Option(
        None, "--day", help="The day they ruled it out (YYYY-MM-DD, today, yesterday)."
    ),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Record that a clinician has ruled out a blood clot: it lifts the hold on massage.

    Then do a new safety check (calfcare screen) before any massage.
    """
    from calfcare.services import safety as safety_services

    with reporting(json_output=json_output):
        problems: list[Problem] = []
        if not clinician_ruled_out_clot:
            problems.append(
                Problem(
                    "--clinician-ruled-out-clot",
                    "required: only a clinician ruling out a clot lifts a hold",
                )
            )
        the_day = None
        try:
            the_day = cli_db.parse_day(day)
        except InvalidInput as error:
            problems += error.problems
        if problems:
            raise InvalidInput(problems, "The clearance was not recorded; nothing was saved.")
        with cli_db.open_cli_store(db) as store:
            with named_as(_OPTIONS):
                record, _ = safety_services.record_clearance(store, day=the_day, now=cli_db.now())
            document = safety_services.safety_document(store, cli_db.now())
        if json_output:
            print(json.dumps({"clearance": {"id": record.id, "day": record.day.isoformat()},
                              "safety": document}, indent=2))  # fmt: skip
        else:
            print(
                f"Recorded: a clinician ruled out a blood clot on {_day(record.day.isoformat())}."
            )
            print("\n".join(state_lines(document)))


@safety_app.command("pain-checked")
def pain_checked(
    leg: str = typer.Option(..., "--leg", help="The calf: left or right."),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Say that a calf's sharp pain (a session stopped for it) has gone or been checked."""
    from calfcare.services import safety as safety_services

    with reporting(json_output=json_output):
        with cli_db.open_cli_store(db) as store, named_as(_OPTIONS):
            record, _ = safety_services.confirm_pain_checked(store, leg=leg, now=cli_db.now())
        if json_output:
            print(json.dumps({"id": record.id, "leg": record.leg.value}, indent=2))
        else:
            calf = f"{record.leg.value} calf"
            print(f"Recorded: the sharp pain in your {calf} has gone or been checked.")


def state_lines(document: dict[str, Any]) -> list[str]:
    """The state for a person, in words."""
    from calfcare.cli.verdict_words import LEVEL_MARK

    lines = [f"Your safety today ({_day(document['day'])})", ""]
    hold = document["hold"]
    if hold is not None:
        lines += [
            f"{LEVEL_MARK[hold['level']]}: {hold['headline']}",
            f"A hold on massage of both calves since {_day(hold['since'])}.",
            "",
            hold["advice"],
            "",
            hold["reason"],
            "",
            f"What lifts it: {hold['lifts']}",
            f"Sources: {_sources(hold['sources'])}",
        ]
        return lines
    if document["needs_screening"]:
        lines += [document["needs_screening_text"], "No massage until then."]
    else:
        checked = "a safety check today" if document["screened_today"] else "no safety check today"
        lines.append(f"No hold on massage ({checked}).")
        for leg, flags in document["legs"].items():
            lines.append(f"  {leg} calf: {_allowed(flags)}")
        if not document["screened_today"]:
            lines.append("Do a safety check (calfcare screen) before you massage.")
    for check in document["pain_checks"]:
        lines += ["", check["question"], check["advice"]]
        lines.append(f"When it has: calfcare safety pain-checked --leg {check['leg']}")
    return lines


def _allowed(flags: dict[str, bool]) -> str:
    if flags.get("pain_check_pending"):
        return "not until its sharp pain has gone or been checked (below)"
    if flags["deep_work_allowed"]:
        return "may be massaged"
    if flags["massage_allowed"]:
        return "gentle work only"
    return "no massage"


def _sources(ids: list[str]) -> str:
    from calfcare.content.sources import load_sources

    known = load_sources()
    return "; ".join(known[i].title if i in known else i for i in ids)


def _day(iso: str) -> str:
    from datetime import date

    from calfcare.core.day_words import day_text

    return day_text(date.fromisoformat(iso))
