"""`calfcare stats`: counts, sessions per week, mean soreness, knee-to-wall change."""

from __future__ import annotations

import json
from datetime import date

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting

MOMENT_ORDER = ("before", "after", "next_day")
"""Soreness means in the order of a day: before the session, after it, the next day."""


def week_words(week: str) -> str:
    """An ISO week ("2026-W45") as the day it starts: "the week of 2 Nov 2026"."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return f"the week of {monday.day} {monday:%b %Y}"


def register(app: typer.Typer) -> None:
    app.command(name="stats")(stats)


def stats(
    since: str | None = cli_db.since_option(),
    until: str | None = cli_db.until_option(),
    db: str | None = cli_db.db_option(),
    json_output: bool = cli_db.json_option(),
) -> None:
    """Summarise your records: counts, sessions per week, soreness and knee-to-wall change.

    Plain summaries, not evidence: a change smaller than the measure can tell apart (about
    1.4 points of soreness, 1.9 cm knee-to-wall) may be noise (docs/insights.md).
    """
    from calfcare import services
    from calfcare.core.record_views import count_words

    with reporting(json_output=json_output):
        first = cli_db.parse_optional_day(since, "--since")
        last = cli_db.parse_optional_day(until, "--until")
        with cli_db.open_cli_store(db) as store:
            summary = services.read_stats(store, first, last)
        if json_output:
            print(json.dumps(summary.to_json(), indent=2))
            return
        counts = ", ".join(count_words(kind, n) for kind, n in summary.counts.items())
        print(f"records: {counts}")
        if summary.first_day:
            print(f"days: {summary.first_day} to {summary.last_day}")
        for week, n in summary.sessions_per_week.items():
            print(f"sessions done in {week_words(week)}: {n}")
        if summary.mostly_skipped_sessions:
            print(f"mostly skipped sessions (not counted above): {summary.mostly_skipped_sessions}")
        for leg, by_moment in summary.soreness_mean.items():
            moments = sorted(by_moment, key=lambda m: (*MOMENT_ORDER, m).index(m))
            means = ", ".join(f"{m.replace('_', ' ')} {by_moment[m]:g}" for m in moments)
            print(f"mean soreness, {leg} calf (0-10): {means}")
        for leg, m in summary.mobility.items():
            print(
                f"knee-to-wall, {leg} leg: {m['first_cm']:.1f} -> {m['latest_cm']:.1f} cm "
                f"({m['change_cm']:+.1f} cm over {int(m['tests'])} tests)"
            )
        if summary.tender_spots:
            spots = ", ".join(
                f"{k.replace(':', ' ')} x{n}" for k, n in summary.tender_spots.items()
            )
            print(f"tender spots: {spots}")
        if summary.urgent_followups:
            print(
                f"next-day follow-ups that said get medical attention: {summary.urgent_followups}"
            )
