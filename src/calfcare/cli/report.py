"""`calfcare report`: the one-page report for a physio or doctor, as PDF, PNG, SVG or HTML.

The same report as the web app's ``/report`` (`calfcare.core.period_report` builds it):
safety first, sessions with time per calf, where tender spots were held, soreness and
knee-to-wall over time with their measurement-error bands, and the split-leg result.
PDF, PNG and SVG are drawn by matplotlib (`calfcare.web.report_figure`), HTML by the web
page's template (`calfcare.web.report_html`); each is imported inside the command only.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from calfcare.cli.db import (
    db_option,
    now,
    open_cli_store,
    parse_optional_day,
    since_option,
    until_option,
)
from calfcare.cli.errors import reporting
from calfcare.cli.inputs import write_output
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.core.period_report import PeriodReport

FORMATS = ("pdf", "png", "svg", "html")
PAPERS = ("a4", "letter")


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def output_and_format(output: str | None, fmt: str | None) -> tuple[Path, str]:
    """``--format`` wins; otherwise the output's suffix says it; with neither, a PNG."""
    if fmt is not None and fmt not in FORMATS:
        raise InvalidInput([Problem("--format", f"{fmt!r}: use pdf, png, svg or html")])
    if output is None:
        chosen = fmt or "png"
        return Path(f"calfcare-report.{chosen}"), chosen
    path = Path(output)
    if fmt is None:
        fmt = path.suffix.lower().removeprefix(".")
        if fmt not in FORMATS:
            raise InvalidInput(
                [
                    Problem(
                        "--output",
                        f"{path.name}: use a .pdf, .png, .svg or .html file, or say --format",
                    )
                ]
            )
    return path, fmt


def report(
    output_name: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="The file to write (default calfcare-report.png, or .FORMAT).",
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="pdf, png, svg or html (default: from --output, else png)."
    ),
    name: str | None = typer.Option(
        None, "--name", help="A name or alias to print on the report (never stored)."
    ),
    since: str | None = since_option(),
    until: str | None = until_option(
        "Last day (YYYY-MM-DD; default today; the period is 28 days)."
    ),
    paper: str = typer.Option("a4", "--paper", help="a4 or letter (PDF, PNG, SVG)."),
    db: str | None = db_option(),
) -> None:
    """A one-page report for your physio or doctor: safety, sessions, soreness, knee-to-wall."""
    from calfcare import services

    with reporting():
        output, chosen = output_and_format(output_name, fmt)
        if paper not in PAPERS:
            raise InvalidInput([Problem("--paper", f"{paper!r}: use a4 or letter")])
        first = parse_optional_day(since, "--since")
        last = parse_optional_day(until, "--until")
        if first is not None and last is not None and first > last:
            raise InvalidInput([Problem("--since", f"{since} is after --until {until}")])
        when = now()
        with open_cli_store(db) as store:
            page = services.period_report(store, since=first, until=last, name=name, now=when)
        data = render(page, chosen, paper, services.today_of(when))
        write_output(output, data)
        print(f"report for {page.period} written to {output}", file=sys.stderr)


def render(page: PeriodReport, fmt: str, paper: str, made_on: date) -> bytes:
    """The report's bytes in ``fmt``."""
    from calfcare.content.sources import load_sources

    if fmt == "html":
        from calfcare.web.report_html import render_document

        return render_document(page, load_sources(), made_on).encode("utf-8")
    from calfcare.web.report_figure import render_page

    return render_page(page, load_sources(), made_on, fmt, paper)
