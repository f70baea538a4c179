"""`calfcare insights` and `calfcare split-leg`: "is it helping me?" in the terminal.

The words come from the core (`calfcare.core.insight_report`), so the CLI, the web page and
the API say the same thing: the finding first, then the figures and the caveats, and never
more than the data show.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from calfcare.cli.db import db_option, json_option, open_cli_store, parse_optional_day
from calfcare.cli.errors import reporting


def register(app: typer.Typer) -> None:
    app.command(name="insights")(insights)
    app.command(name="split-leg")(split_leg)


def insights(
    since: str | None = typer.Option(None, "--since", help="First day (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Last day (YYYY-MM-DD)."),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Is it helping me? Soreness and knee-to-wall insights, and the split-leg experiment.

    Differences smaller than the measure can tell apart are said to be so; with too little
    data it says how many more days would tell (docs/insights.md).
    """
    from calfcare import services
    from calfcare.core.insight_report import analyse_records

    with reporting(json_output=json_output):
        first = parse_optional_day(since, "--since")
        last = parse_optional_day(until, "--until")
        store = open_cli_store(db)
        try:
            report = analyse_records(
                services.load_records(store, first, last, kinds=services.INSIGHT_KINDS)
            )
        finally:
            store.close()
        if json_output:
            print(json.dumps(report.to_json(), indent=2))
            return
        _print_report(report.to_json())


def _print_report(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    console.rule("[bold]Split-leg experiment")
    for result in report["split_leg"]:
        console.print(f"[bold]{escape(result['headline'])}[/bold]")
        for line in result["figures"]:
            console.print(f"  {escape(line)}")
    caveats = report["split_leg"][0]["caveats"] if report["split_leg"] else []
    for caveat in caveats:
        console.print(f"[dim]  • {escape(caveat)}[/dim]")
    console.rule("[bold]Your records (observational)")
    for insight in report["insights"]:
        console.print(f"[bold]{escape(insight['headline'])}[/bold]")
        for line in insight["figures"]:
            console.print(f"  {escape(line)}")
    cited = sorted(
        {
            s
            for group in ("split_leg", "insights")
            for item in report[group]
            for s in item["sources"]
        }
    )
    console.print(f"[dim]Sources: {', '.join(cited)} (calfcare learn --json lists them)[/dim]")


def split_leg(
    action: str = typer.Argument(
        "today", help="today: draw (or show) today's coin; list: every stored day."
    ),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """The split-leg self-experiment: a fair coin picks which calf to massage today.

    The coin is drawn and stored before the session and never redrawn; massage only the
    calf it names and rate both calves before, right after and the next day. `calfcare
    insights` analyses the days with a randomisation test (docs/insights.md).
    """
    from datetime import UTC, datetime

    from calfcare import services
    from calfcare.core.errors import InvalidInput, Problem

    with reporting(json_output=json_output):
        if action not in ("today", "list"):
            raise InvalidInput([Problem("action", f"unknown action {action!r}; use today or list")])
        store = open_cli_store(db)
        try:
            if action == "list":
                with store.transaction() as tx:
                    days = tx.split_leg_days()
                rows = [
                    {"day": d.day.isoformat(), "massaged": d.massaged.value,
                     "control": d.control.value}
                    for d in days
                ]  # fmt: skip
                if json_output:
                    print(json.dumps(rows, indent=2))
                else:
                    for row in rows:
                        print(f"{row['day']}: massage the {row['massaged']} calf")
                return
            allocation, drawn = services.split_leg_today(store, now=datetime.now(UTC))
        finally:
            store.close()
        body = {
            "day": allocation.day.isoformat(),
            "massaged": allocation.massaged.value,
            "control": allocation.control.value,
            "drawn_now": drawn,
        }
        if json_output:
            print(json.dumps(body, indent=2))
            return
        how = "The coin says" if drawn else "Today's coin (already drawn) says"
        print(
            f"{how}: massage your {allocation.massaged.value} calf only; the "
            f"{allocation.control.value} calf is today's control.\n"
            f"  1. Rate both calves now: calfcare log soreness --moment before --left N --right N\n"
            f"  2. Run the session on the {allocation.massaged.value} calf: calfcare session "
            f"--tool foam-roller --legs {allocation.massaged.value}\n"
            f"  3. Rate both calves after it, and tomorrow (--moment after / next_day)."
        )
