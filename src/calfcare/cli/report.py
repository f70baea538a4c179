"""`calfcare report`: charts of soreness, knee-to-wall and sessions per week (PNG or SVG).

Matplotlib is imported only here, inside the command, with the non-interactive Agg backend
(no display needed) and ``layout="constrained"`` so that labels are never cut off.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli.db import db_option, open_cli_store, parse_optional_day
from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.core.records import RecordSet

FORMATS = (".png", ".svg")
LEG_COLOURS = {"left": "#1f77b4", "right": "#d62728"}
MOMENT_STYLES = {"before": "-", "after": ":", "next_day": "--", "other": "-"}


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    output_name: str = typer.Option(
        "calfcare-report.png", "--output", "-o", metavar="FILE", help="A .png or .svg file."
    ),
    since: str | None = typer.Option(None, "--since", help="First day (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Last day (YYYY-MM-DD)."),
    db: str | None = db_option(),
) -> None:
    """Draw your soreness and knee-to-wall distance over time per calf, and sessions per week."""
    from calfcare import services

    with reporting():
        output = Path(output_name)
        if output.suffix.lower() not in FORMATS:
            raise InvalidInput([Problem("--output", f"{output.name}: use a .png or .svg file")])
        first = parse_optional_day(since, "--since")
        last = parse_optional_day(until, "--until")
        store = open_cli_store(db)
        try:
            records = services.load_records(
                store, first, last, kinds=("sessions", "soreness", "mobility")
            )
        finally:
            store.close()
        draw(records, output)
        print(f"report written to {output}", file=sys.stderr)


def draw(records: RecordSet, output: Path) -> None:
    """Three charts, one above the other, into ``output`` (format from its suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, (sore, mobility, weekly) = plt.subplots(3, 1, figsize=(8, 10), layout="constrained")
    _soreness(sore, records)
    _mobility(mobility, records)
    _weekly(weekly, records)
    fig.suptitle("calfcare: is calf self-massage helping?")
    try:
        fig.savefig(output)
    except OSError as error:
        raise InvalidInput([Problem("--output", f"cannot write {output}: {error}")]) from None
    finally:
        plt.close(fig)


def _soreness(ax: Any, records: RecordSet) -> None:
    series: dict[tuple[str, str], dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item in records.soreness:
        r = item.record
        series[(r.leg.value, r.moment.value)][r.day].append(r.score)
    for (leg, moment), by_day in sorted(series.items()):
        days = sorted(by_day)
        values = [sum(by_day[d]) / len(by_day[d]) for d in days]
        ax.plot(days, values, MOMENT_STYLES[moment], marker="o", color=LEG_COLOURS[leg],
                label=f"{leg} calf, {moment.replace('_', ' ')}")  # fmt: skip
    ax.set_title("Soreness per calf (0 none - 10 worst)")
    ax.set_ylim(-0.5, 10.5)
    ax.set_ylabel("soreness")
    _finish(ax, bool(series))


def _mobility(ax: Any, records: RecordSet) -> None:
    series: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for item in records.mobility:
        t = item.record
        series[t.leg.value][t.day].append(t.distance_cm)
    for leg, by_day in sorted(series.items()):
        days = sorted(by_day)
        ax.plot(days, [max(by_day[d]) for d in days], marker="s", color=LEG_COLOURS[leg],
                label=f"{leg} leg")  # fmt: skip
    ax.set_title("Ankle mobility: knee-to-wall distance (greatest of the day)")
    ax.set_ylabel("big toe to wall, cm")
    _finish(ax, bool(series))


def _weekly(ax: Any, records: RecordSet) -> None:
    weeks: dict[date, int] = defaultdict(int)
    for s in records.sessions:
        weeks[s.day - timedelta(days=s.day.weekday())] += 1
    if weeks:
        starts = sorted(weeks)
        ax.bar(starts, [weeks[w] for w in starts], width=5, color="#2ca02c")
    ax.set_title("Sessions per week (bars at each week's Monday)")
    ax.set_ylabel("sessions")
    _finish(ax, bool(weeks), legend=False)


def _finish(ax: Any, has_data: bool, *, legend: bool = True) -> None:
    if not has_data:
        ax.text(0.5, 0.5, "nothing recorded yet", ha="center", va="center",
                transform=ax.transAxes, color="grey")  # fmt: skip
        return
    if legend:
        ax.legend(loc="best", fontsize="small")
    ax.tick_params(axis="x", labelrotation=30)
    ax.grid(True, alpha=0.3)
