"""`calfcare export` and `calfcare import`: a lossless, idempotent JSON round trip.

JSON is the round-trip format (`calfcare.core.export_format`); CSV is a flat table of the
same records for spreadsheets, export only. Cells that a spreadsheet would run as a formula
(starting with = + - @) are prefixed with a quote, so an imported note cannot become one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli.db import db_option, json_option, now, open_cli_store
from calfcare.cli.errors import reporting
from calfcare.cli.inputs import write_output
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    pass

PROGRESS_FROM = 2_000
"""Records in a file above which the import shows a progress bar."""


def register(app: typer.Typer) -> None:
    app.command(name="export")(export)
    app.command(name="import")(import_command)


def export(
    output: str = typer.Option("-", "--output", "-o", metavar="FILE", help="'-' is stdout."),
    fmt: str = typer.Option(
        "json", "--format", help="json (lossless, re-importable), csv, or fhir (FHIR R4)."
    ),
    db: str | None = db_option(),
) -> None:
    """Export every record: JSON to import again anywhere, CSV for a spreadsheet, or FHIR for
    a clinic's system."""
    from calfcare import services

    with reporting():
        if fmt not in services.EXPORT_FORMATS:
            raise InvalidInput([Problem("--format", f"{fmt!r}: use json, csv or fhir")])
        with open_cli_store(db) as store:
            records = services.load_records(store)
        text = services.export_text(records, fmt)
        if output == "-":
            sys.stdout.write(text)
        else:
            write_output(Path(output), text.encode("utf-8"))
            print(f"exported {sum(records.counts().values())} records to {output}", file=sys.stderr)


def import_command(
    file: str = typer.Argument(..., metavar="FILE", help="A file from `calfcare export`."),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Import a JSON export: all of it or, on any problem, nothing. Importing the same file
    again changes nothing; a record that disagrees with a stored one is refused."""
    from calfcare import services

    with reporting(json_output=json_output):
        with open_cli_store(db) as store, _progress() as progress:
            summary = services.import_file(store, Path(file), now(), progress)
        if json_output:
            print(json.dumps({"added": summary.added, "already_there": summary.already_there}))
        else:
            added = sum(summary.added.values())
            skipped = sum(summary.already_there.values())
            print(f"imported {added} records ({skipped} were already there)")


class _progress:
    """A Rich progress bar on stderr, started only once an import proves large."""

    def __enter__(self) -> _progress:
        self._bar: Any = None
        self._task: Any = None
        return self

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if self._bar is None:
            from rich.progress import Progress

            from calfcare.cli.console import Console

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("importing", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()
