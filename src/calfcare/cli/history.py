"""`calfcare history`: every record, newest last, as a table (or JSON rows), with filters."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    pass

from calfcare.core.record_views import KINDS, MAX_LIMIT


def register(app: typer.Typer) -> None:
    app.command(name="history")(history)


def history(
    since: str | None = cli_db.since_option(),
    until: str | None = cli_db.until_option(),
    kind: str | None = typer.Option(
        None, "--kind", help="Only these kinds, comma-separated: " + ", ".join(KINDS) + "."
    ),
    leg: str | None = typer.Option(
        None, "--leg", help="Only records about this calf: left or right."
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, max=MAX_LIMIT, help=f"Only the last N rows (at most {MAX_LIMIT})."
    ),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Show what you recorded: sessions, soreness, knee-to-wall tests, notes, screenings."""
    from calfcare import services

    with reporting(json_output=json_output):
        kinds = [k.strip() for k in (kind or ",".join(KINDS)).split(",") if k.strip()]
        problems = [
            Problem("--kind", f"{k!r}: use {', '.join(KINDS)}") for k in kinds if k not in KINDS
        ]
        if leg is not None and leg not in ("left", "right"):
            problems.append(Problem("--leg", f"{leg!r}: use left or right"))
        first = cli_db.parse_optional_day(since, "--since")
        last = cli_db.parse_optional_day(until, "--until")
        if problems:
            raise InvalidInput(problems)
        with cli_db.open_cli_store(db) as store:
            rows = services.newest_history_rows(store, first, last, set(kinds), leg, limit).rows
        if json_output:
            print(json.dumps(rows, indent=2))
        else:
            print_rows(rows)


def print_rows(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    from calfcare.cli.console import Console

    console = Console()
    if not rows:
        console.print("Nothing recorded yet (or nothing matches the filters).")
        return
    table = Table(show_edge=False, header_style="bold")
    for column in ("day", "kind", "leg", "what", "id"):
        table.add_column(column, overflow="fold", no_wrap=column == "id")
    for row in rows:
        table.add_row(row["day"], row["kind"], row["leg"], row["what"], row["id"][:8])
    console.print(table)
