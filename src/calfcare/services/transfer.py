"""Export and import: every record as a file (JSON, CSV, FHIR), and a file's records added
all or none in one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from calfcare.core import export_format
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.records import RecordSet, ScreeningRecord
from calfcare.services.common import Progress, today_of
from calfcare.services.person_lines import writing
from calfcare.services.reads import load_records
from calfcare.storage import Store


def export_document(store: Store) -> dict[str, Any]:
    """Everything, as the canonical export document (`calfcare.core.export_format`)."""
    return export_format.to_document(load_records(store))


EXPORT_FORMATS = ("json", "csv", "fhir")
"""What `export_text` writes: calfcare's own JSON, a CSV table, or a FHIR R4 bundle."""
EXPORT_MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "fhir": "application/fhir+json",
}
EXPORT_SUFFIXES = {"json": "json", "csv": "csv", "fhir": "fhir.json"}


def export_text(records: RecordSet, fmt: str) -> str:
    """The export file's text: ``json`` (canonical, re-importable), ``csv``, or ``fhir``
    (an R4 bundle for a clinic's system, docs/fhir.md; export only)."""
    from calfcare.core.record_views import to_csv

    if fmt == "json":
        return export_format.dumps(export_format.to_document(records))
    if fmt == "csv":
        return to_csv(records)
    if fmt == "fhir":
        return fhir_text(records)
    raise InvalidInput([Problem("format", f"{fmt!r}: use json, csv or fhir")])


def fhir_text(records: RecordSet) -> str:
    """The records as a FHIR R4 bundle (compact JSON, sorted keys: equal records, equal
    bytes)."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.fhir_export import dumps, to_bundle

    return dumps(to_bundle(records, load_screening_text()))


def export_bytes(store: Store, fmt: str) -> bytes:
    """Every record as the export file's bytes (UTF-8), as ``calfcare export`` writes them."""
    return export_text(load_records(store), fmt).encode("utf-8")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)


def import_file(
    store: Store, path: Path, now: datetime, progress: Progress | None = None
) -> ImportSummary:
    """Import an export file (JSON); see `import_document`."""
    try:
        size = path.stat().st_size
        if size > export_format.MAX_BYTES:
            raise InvalidInput(
                [Problem("FILE", f"{size} bytes; at most {export_format.MAX_BYTES}")],
                "The import file is too large; nothing was imported.",
            )
        data = export_format.loads(path.read_bytes())
    except FileNotFoundError:
        raise InvalidInput([Problem("FILE", f"no such file: {path}")]) from None
    except (IsADirectoryError, PermissionError, OSError) as error:
        raise InvalidInput([Problem("FILE", f"cannot read {path}: {error}")]) from None
    return import_document(store, data, now, progress)


def import_document(
    store: Store, data: object, now: datetime, progress: Progress | None = None
) -> ImportSummary:
    """Add a document's records: all of them or, on any problem, none.

    Idempotent: a record already stored with the same id and content is skipped; the same id
    with different content is refused (naming the field), as is a session whose screening is
    in neither the file nor the database.
    """
    from calfcare.content.screening import load_screening_text

    wording = load_screening_text()
    parsed = export_format.from_document(data, today=today_of(now), wording=wording)
    with writing(store, now) as tx:
        stored = tx.records()
        new, problems, skipped = _new_records(parsed, stored)
        if problems:
            raise InvalidInput(problems[: export_format.MAX_PROBLEMS], _IMPORT_REFUSED)
        total = sum(new.counts().values())
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        tx.add_all(new, step)
    return ImportSummary(new.counts(), skipped)


_LINKS: tuple[tuple[str, Callable[[Any], str], str, str], ...] = (
    ("sessions", lambda r: r.id, "screenings", "screening_id"),
    ("split_leg_days", lambda r: r.day.isoformat(), "split_leg_experiments", "experiment_id"),
)
"""Records that name a parent: (kind, its key in the file, the parent's kind, the field)."""
_IMPORT_REFUSED = "The import file disagrees with what is stored; nothing was imported."


def _same_stored(stored: object, record: object) -> bool:
    """Whether an imported record is the stored one. A screening's report is derived from
    its answers (and made again on import), so it is not compared: the same screening
    exported by an older calfcare, with other wording, is still the same record."""
    if isinstance(stored, ScreeningRecord) and isinstance(record, ScreeningRecord):
        return dataclasses.replace(stored, report={}) == dataclasses.replace(record, report={})
    return stored == record


def _new_records(
    parsed: export_format.Parsed, stored: RecordSet
) -> tuple[RecordSet, list[Problem], dict[str, int]]:
    problems: list[Problem] = []
    new: dict[str, list[Any]] = {}
    skipped: dict[str, int] = {}
    for name in export_format.SECTIONS:
        key_of: Callable[[Any], str] = (
            (lambda r: r.day.isoformat()) if name == "split_leg_days" else (lambda r: r.id)
        )
        have = {key_of(r): r for r in getattr(stored, name)}
        new[name] = []
        skipped[name] = 0
        for record in getattr(parsed.records, name):
            key = key_of(record)
            if key not in have:
                new[name].append(record)
            elif _same_stored(have[key], record):
                skipped[name] += 1
            else:
                where = parsed.where[(name, key)]
                field_name = "day" if name == "split_leg_days" else "id"
                problems.append(
                    Problem(f"{where}.{field_name}", f"{key!r} is stored with different content")
                )
    for child, child_key, parent, link in _LINKS:
        known = {r.id for r in getattr(stored, parent)}
        known |= {r.id for r in getattr(parsed.records, parent)}
        for record in getattr(parsed.records, child):
            value = getattr(record, link)
            if value is not None and value not in known:
                where = parsed.where[(child, child_key(record))]
                problems.append(
                    Problem(f"{where}.{link}", f"{value!r} is neither in the file nor stored")
                )
    records = RecordSet(**{name: tuple(items) for name, items in new.items()})
    return records, problems, skipped
