"""`calfcare insights`: "is it helping me?" in the terminal.

The words come from the core (`calfcare.core.insight_report`), so the CLI, the web page and
the API say the same thing: the finding first in plain words, then the figures and the
caveats; the statistics ("how this was worked out") only with ``--details``.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting

OUTCOME_TITLES = {
    "next_day_soreness": "Next-day soreness",
    "same_session_soreness": "Soreness right after the session",
    "knee_to_wall": "Knee-to-wall gain over the session",
}


def register(app: typer.Typer) -> None:
    app.command(name="insights")(insights)


def insights(
    since: str | None = cli_db.since_option(),
    until: str | None = cli_db.until_option(),
    details: bool = typer.Option(
        False, "--details", help="Also show how each result was worked out (the statistics)."
    ),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Is it helping me? The split-leg experiment and what your everyday records show.

    --since/--until limit the everyday records; an experiment is always analysed whole,
    as it was planned. Differences are judged by their whole interval (docs/insights.md).
    """
    from calfcare import services
    from calfcare.core.insight_report import analyse_records

    with reporting(json_output=json_output):
        first = cli_db.parse_optional_day(since, "--since")
        last = cli_db.parse_optional_day(until, "--until")
        with cli_db.open_cli_store(db) as store:
            records = services.load_records(store, kinds=services.INSIGHT_KINDS)
        today = services.today_of(cli_db.now())
        report = analyse_records(records, today, since=first, until=last).to_json()
        if json_output:
            print(json.dumps(report, indent=2))
            return
        print_report(report, details=details)


def print_report(report: dict[str, Any], *, details: bool = False) -> None:
    import textwrap

    from rich.markup import escape

    from calfcare.cli.console import Console

    console = Console(highlight=False)

    def item(text: str, indent: str = "  • ", rest: str = "    ", style: str = "") -> None:
        lines = textwrap.wrap(text, console.width, initial_indent=indent, subsequent_indent=rest)
        for line in lines:
            console.print(f"[{style}]{escape(line)}[/{style}]" if style else escape(line))

    console.rule("[bold]Split-leg experiment")
    experiments = report["split_leg_experiments"]
    if not report["split_leg"]:
        console.print(
            "No split-leg experiment yet. It is the one fair test of whether massage helps "
            "your calves: calfcare split-leg start"
        )
    for result in report["split_leg"]:
        title = OUTCOME_TITLES[result["outcome"]]
        if not result["pre_registered"]:
            title += " (days from before experiments were planned)"
        console.print(f"[bold]{escape(title)}[/bold]")
        item(result["headline"], "", "")
        for line in result["figures"]:
            item(line)
        if details:
            console.print("  [italic]How this was worked out[/italic]")
            for line in result["details"]:
                item(line, "    ", "    ")
    if report["split_leg"]:
        console.print("[bold]Keep in mind[/bold]")
        for caveat in report["split_leg"][0]["caveats"]:
            item(caveat, style="dim")
    for earlier in experiments[:-1]:
        item(f"Earlier experiment: {earlier['headline']}", "", "  ", style="dim")
    console.rule("[bold]Your everyday records (observational)")
    for insight in report["insights"]:
        item(insight["headline"], "", "", style="bold")
        for line in insight["figures"]:
            item(line)
        if details and insight["details"]:
            console.print("  [italic]How this was worked out[/italic]")
            for line in insight["details"]:
                item(line, "    ", "    ")
    if not details:
        console.print("[dim]How each was worked out: calfcare insights --details[/dim]")
    cited = sorted(
        {
            s
            for group in ("split_leg", "insights")
            for item in report[group]
            for s in item["sources"]
        }
    )
    item(f"Sources: {', '.join(cited)} (calfcare learn --json lists them)", "", "", style="dim")
