"""`calfcare split-leg`: plan the experiment, draw each day's coin, say what was massaged.

    calfcare split-leg                  where the experiment stands today, and what is next
    calfcare split-leg start [--days N] [--outcome next_day_soreness|knee_to_wall]
    calfcare split-leg draw             today's coin (after both calves' before-ratings)
    calfcare split-leg massaged CALVES  left, right, both or neither (when no session says)
    calfcare split-leg stop --yes       end early, without a result
    calfcare split-leg list             every coin

The rules (`calfcare.core.split_leg_today`) and the use cases
(`calfcare.services.split_leg`) are shared with the web app. The time comes from
`calfcare.cli.db.now` (tests replace it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting

if TYPE_CHECKING:
    from calfcare.core.split_leg_today import Today

split_leg_app = typer.Typer(
    help="The split-leg self-experiment: a fair coin picks which calf to massage each day.",
    invoke_without_command=True,
    rich_markup_mode=None,
)

OUTCOME_HELP = "What the experiment asks about: next_day_soreness (default) or knee_to_wall."


def register(app: typer.Typer) -> None:
    app.add_typer(split_leg_app, name="split-leg")


@split_leg_app.callback()
def split_leg(ctx: typer.Context) -> None:
    """The split-leg self-experiment: a fair coin picks which calf to massage each day.

    Plan it first (start), then each day: rate both calves, draw the coin, massage only
    that calf, rate both right after and the next day. The result comes once the planned
    days are in (calfcare insights); docs/insights.md explains why.
    """
    if ctx.invoked_subcommand is None:
        status(db=None, json_output=False)


@split_leg_app.command("status")
def status(db: str | None = cli_db.db_option(), json_output: bool = cli_db.json_option()) -> None:
    """Where the experiment stands today, and what to do next."""
    from calfcare.core.split_leg_today import today_json
    from calfcare.services import split_leg as split_leg_services

    with reporting(json_output=json_output):
        with _store(db) as store:
            state = split_leg_services.split_leg_today(store, now=_now())
        if json_output:
            print(json.dumps(today_json(state), indent=2))
            return
        print(wrapped(status_text(state)))


split_leg_app.command("today", hidden=True)(status)


@split_leg_app.command("start")
def start(
    days: int | None = typer.Option(
        None, "--days", help="Complete days to run, 6 to 60 (default: enough for an 80% chance)."
    ),
    outcome: str = typer.Option("next_day_soreness", "--outcome", help=OUTCOME_HELP),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Plan an experiment before its first coin: how many days, and what it asks about."""
    from calfcare.core.insight_report import experiment_record_json
    from calfcare.core.split_leg_words import plan_sentence
    from calfcare.services import split_leg as split_leg_services

    with reporting(json_output=json_output):
        with _store(db) as store:
            exp = split_leg_services.start_experiment(
                store, days=days, outcome=outcome.replace("-", "_"), now=_now()
            )
        if json_output:
            print(json.dumps(experiment_record_json(exp), indent=2))
            return
        what = "next-day soreness" if exp.outcome == "next_day_soreness" else "knee-to-wall"
        measure = "rate both calves" if what != "knee-to-wall" else "test both legs"
        print(
            wrapped(
                f"Experiment planned: {exp.planned_days} complete days, asking about {what}.\n"
                f"{plan_sentence(exp.outcome, exp.planned_days)}\n"
                "The result comes once those days are in, never before: looking every day would "
                "let chance pass for a finding.\n\n"
                f"Each day: {measure} before the session, then `calfcare split-leg draw`."
            )
        )


@split_leg_app.command("draw")
def draw(db: str | None = cli_db.db_option(), json_output: bool = cli_db.json_option()) -> None:
    """Draw today's coin (after both calves' before-session ratings); never redrawn."""
    from calfcare.core.split_leg_today import coin_json
    from calfcare.services import split_leg as split_leg_services

    with reporting(json_output=json_output):
        with _store(db) as store:
            coin, drawn = split_leg_services.draw_coin(store, now=_now())
            state = split_leg_services.split_leg_today(store, now=_now())
        if json_output:
            print(json.dumps({**coin_json(coin), "drawn_now": drawn}, indent=2))
            return
        how = "The coin says" if drawn else "Today's coin (already drawn) says"
        knee = state.experiment is not None and state.experiment.outcome == "knee_to_wall"
        after = (
            "test both legs: calfcare log mobility --moment after --left CM --right CM"
            if knee
            else "rate both calves: calfcare log soreness --moment after --left N --right N"
        )
        print(
            wrapped(
                f"{how}: massage your {coin.massaged.value} calf only; the "
                f"{coin.control.value} calf is today's comparison.\n"
                f"  1. Massage the {coin.massaged.value} calf: calfcare session --tool foam-roller "
                f"--legs {coin.massaged.value}\n"
                f"  2. Right after, {after}\n"
                "  3. Tomorrow, rate both calves: calfcare log soreness --moment next_day ...\n"
                "Massaged without the coach? Say which calves: calfcare split-leg massaged "
                f"{coin.massaged.value}"
            )
        )


@split_leg_app.command("massaged")
def massaged(
    calves: str = typer.Argument(..., help="left, right, both or neither."),
    day: str | None = typer.Option(None, "--day", help="The coin's day (default today)."),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Say which calves you massaged on a coin's day (when no session was recorded)."""
    from calfcare.core.split_leg_today import coin_json
    from calfcare.services import split_leg as split_leg_services

    with reporting(json_output=json_output):
        when = _now()
        the_day = cli_db.parse_day(day, today=when.date()) if day is not None else None
        with _store(db) as store:
            coin = split_leg_services.record_massaged(store, calves=calves, now=when, day=the_day)
        if json_output:
            print(json.dumps(coin_json(coin), indent=2))
            return
        assert coin.reported is not None
        match = (
            "as the coin said"
            if coin.reported.value == coin.massaged.value
            else (f"the coin said {coin.massaged.value}; the day still counts as the coin decided")
        )
        print(
            wrapped(f"Saved for {coin.day.isoformat()}: massaged {coin.reported.value} ({match}).")
        )


@split_leg_app.command("stop")
def stop(
    yes: bool = typer.Option(False, "--yes", help="Stop without asking (it cannot be undone)."),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """End the running experiment early. It ends without a result."""
    import sys

    from calfcare.core.errors import InvalidInput, Problem
    from calfcare.core.insight_report import experiment_record_json
    from calfcare.services import split_leg as split_leg_services

    with reporting(json_output=json_output):
        if not yes:
            if not sys.stdin.isatty() or json_output:
                raise InvalidInput(
                    [Problem("--yes", "stopping ends the experiment without a result: add --yes")]
                )
            if not typer.confirm("Stop the experiment? It ends without a result", default=False):
                print("Not stopped.")
                return
        with _store(db) as store:
            exp = split_leg_services.stop_experiment(store, now=_now())
        if json_output:
            print(json.dumps(experiment_record_json(exp), indent=2))
            return
        print(
            wrapped(
                "Stopped. This experiment ends without a result: part of an experiment can "
                "mislead.\nStart a new one whenever you like: calfcare split-leg start"
            )
        )


@split_leg_app.command("list")
def list_days(
    db: str | None = cli_db.db_option(), json_output: bool = cli_db.json_option()
) -> None:
    """Every stored coin: the day, the calf it picked, when it was drawn."""
    from calfcare.core.split_leg_today import coin_json

    with reporting(json_output=json_output):
        with _store(db) as store, store.reading() as tx:
            coins = tx.split_leg_days()
        rows = [coin_json(c) for c in coins]
        if json_output:
            print(json.dumps(rows, indent=2))
            return
        if not rows:
            print("No coins yet.")
        for row in rows:
            drawn = f" (drawn {row['drawn_at'][:16].replace('T', ' ')})" if row["drawn_at"] else ""
            print(f"{row['day']}: massage the {row['massaged']} calf{drawn}")


def wrapped(text: str, width: int = 80) -> str:
    """Paragraphs (lines) wrapped to ``width``; a line's leading spaces indent its rest."""
    import textwrap

    out = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        out.append(textwrap.fill(line, width, subsequent_indent=indent + "  " * (not indent))
                   if line.strip() else "")  # fmt: skip
    return "\n".join(out)


def _store(url: str | None) -> Any:
    return cli_db.open_cli_store(url)


def _now() -> Any:
    return cli_db.now()


def status_text(state: Today) -> str:
    """Where the experiment stands and the next step, in lines that fit 80 columns."""
    from calfcare.core.split_leg_today import Step

    exp, result = state.experiment, state.result
    if exp is None or result is None:
        return (
            "No split-leg experiment yet. Plan one first (its length is fixed before the\n"
            "first coin): calfcare split-leg start"
        )
    what = "next-day soreness" if exp.outcome == "next_day_soreness" else "knee-to-wall"
    lines = [f"Split-leg experiment ({what}): {result.primary.headline}"]
    if not state.running:
        tail = "calfcare insights shows the result" if result.status == "complete" else ""
        lines.append(f"{tail + '. ' if tail else ''}A new one: calfcare split-leg start")
        return "\n".join(lines)
    if state.next_day_due is not None:
        lines.append(
            f"Still to do for {state.next_day_due.isoformat()}: the next-day rating,\n"
            "  calfcare log soreness --moment next_day --left N --right N"
        )
    coin = state.coin
    before = "calfcare log soreness --moment before --left N --right N"
    if exp.outcome == "knee_to_wall":
        before = "calfcare log mobility --moment before --left CM --right CM"
    if state.step is Step.RATE_BEFORE:
        lines.append(f"Today: first rate both calves before the session:\n  {before}")
        lines.append("Then draw today's coin: calfcare split-leg draw")
    elif state.step is Step.DRAW:
        lines.append("Today: both before-ratings are in. Draw the coin: calfcare split-leg draw")
    elif coin is not None:
        lines.append(
            f"Today's coin: massage only your {coin.massaged.value} calf; the "
            f"{coin.control.value} calf is the comparison."
        )
        if state.step is Step.MASSAGE:
            lines.append(
                f"  calfcare session --tool foam-roller --legs {coin.massaged.value}\n"
                "  (massaged without the coach? calfcare split-leg massaged "
                f"{coin.massaged.value})"
            )
        elif state.step is Step.RATE_AFTER:
            after = before.replace("before", "after")
            lines.append(f"Now rate both calves right after:\n  {after}")
        else:
            lines.append("Done for today. Tomorrow: the next-day rating of both calves.")
    return "\n".join(lines)
