"""`calfcare export` and `calfcare import`: a lossless, idempotent JSON round trip.

JSON is the round-trip format (`calfcare.core.export_format`); CSV is a flat table of the
same records for spreadsheets, export only. Cells that a spreadsheet would run as a formula
(starting with = + - @) are prefixed with a quote, so an imported note cannot become one.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli.db import db_option, json_option, now, open_cli_store
from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.core.records import RecordSet

CSV_COLUMNS = ("kind", "id", "day", "time", "leg", "moment", "value", "unit", "details")
PROGRESS_FROM = 2_000
"""Records in a file above which the import shows a progress bar."""


def register(app: typer.Typer) -> None:
    app.command(name="export")(export)
    app.command(name="import")(import_command)


def export(
    output: str = typer.Option("-", "--output", "-o", metavar="FILE", help="'-' is stdout."),
    fmt: str = typer.Option("json", "--format", help="json (lossless, re-importable) or csv."),
    db: str | None = db_option(),
) -> None:
    """Export every record: JSON to import again anywhere, or CSV for a spreadsheet."""
    from calfcare import services
    from calfcare.core import export_format

    with reporting():
        if fmt not in ("json", "csv"):
            raise InvalidInput([Problem("--format", f"{fmt!r}: use json or csv")])
        store = open_cli_store(db)
        try:
            records = services.load_records(store)
        finally:
            store.close()
        if fmt == "json":
            text = export_format.dumps(export_format.to_document(records))
        else:
            text = to_csv(records)
        if output == "-":
            sys.stdout.write(text)
        else:
            Path(output).write_text(text, encoding="utf-8")
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
        store = open_cli_store(db)
        try:
            with _progress() as progress:
                summary = services.import_file(store, Path(file), now(), progress)
        finally:
            store.close()
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
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("importing", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def to_csv(records: RecordSet) -> str:
    """One row per measurement, session or note, in the canonical order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in records.sessions:
        details = f"tool={s.tool.value}; tender={' '.join(t.label for t in s.tender_spots)}"
        for c in s.calves:
            writer.writerow(_safe(["session", s.id, s.day, s.started_at.isoformat(), c.leg.value,
                                   s.outcome.value, c.active_seconds, "s", details]))  # fmt: skip
    for i in records.soreness:
        r = i.record
        writer.writerow(_safe(["soreness", i.id, r.day, i.recorded_at.isoformat(), r.leg.value,
                               r.moment.value, r.score, "0-10", r.session_id or ""]))  # fmt: skip
    for m in records.mobility:
        t = m.record
        writer.writerow(
            _safe(
                [
                    "mobility",
                    m.id,
                    t.day,
                    m.recorded_at.isoformat(),
                    t.leg.value,
                    t.moment.value,
                    t.distance_cm,
                    "cm",
                    t.session_id or "",
                ]
            )
        )
    for n in records.notes:
        writer.writerow(_safe(["note", n.id, n.day, n.written_at.isoformat(), "", "", "", "",
                               n.text]))  # fmt: skip
    for sc in records.screenings:
        writer.writerow(_safe(["screening", sc.id, sc.taken_at.date(), sc.taken_at.isoformat(),
                               "", sc.kind.value, sc.verdict.value, "", ""]))  # fmt: skip
    for d in records.split_leg_days:
        writer.writerow(_safe(["split_leg_day", "", d.day, "", d.massaged.value, "", "", "", ""]))
    return out.getvalue()


def _safe(cells: list[Any]) -> list[str]:
    text = [str(c) for c in cells]
    return ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in text]
