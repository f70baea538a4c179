"""The export document (format ``calfcare-export``, version 2): records to JSON and back.

Version 2 added the split-leg experiments (``split_leg_experiments``) and, on each coin,
when it was drawn, its experiment and the calves the person said they massaged; and the
safety state's own records, ``clearances`` and ``pain_checks`` (optional: a version 2
document without them still reads). Version 1 documents (exports made before that) are
still read: their coins have none of these and are analysed as one finished experiment that
was not pre-registered.

Pure: text or parsed JSON in, a `RecordSet` (or `InvalidInput` naming every bad field by its
dotted path, e.g. ``soreness.3.score``) out. An import file may come from anywhere, so it is
treated as hostile: its size, nesting, list lengths and string lengths are bounded before
anything is built, every record goes through the same validating builders the CLI uses, and
a screening's stored verdict must be the one the screening rules give for its answers.

The document is canonical: records in `RecordSet.sorted` order, times in UTC ISO 8601 with
microseconds, knee-to-wall in cm at 0.1 cm. So export, import into an empty database and
export again gives the same bytes (with ``sort_keys``), on SQLite and PostgreSQL alike.

The rooms: the shape and version rules (`export_shape`), records to JSON (`export_write`),
JSON to records (`export_fields`, `export_read`); this module is the public face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.export_read import RecordReader
from calfcare.core.export_shape import (
    FORMAT,
    MAX_BLOB_NODES,
    MAX_BYTES,
    MAX_ITEMS,
    MAX_PROBLEMS,
    MAX_RECORDS,
    MAX_STRING,
    READS,
    SECTIONS,
    SECTIONS_V1,
    SPLIT_LEG_FIELDS_V2,
    VERSION,
)
from calfcare.core.export_write import dumps, to_document
from calfcare.core.json_input import MAX_DEPTH, depth, parse_json
from calfcare.core.records import (
    RecordSet,
)
from calfcare.core.report import ScreeningWording

__all__ = [
    "FORMAT",
    "MAX_BLOB_NODES",
    "MAX_BYTES",
    "MAX_ITEMS",
    "MAX_PROBLEMS",
    "MAX_RECORDS",
    "MAX_STRING",
    "READS",
    "SECTIONS",
    "SECTIONS_V1",
    "SPLIT_LEG_FIELDS_V2",
    "VERSION",
    "Parsed",
    "dumps",
    "from_document",
    "loads",
    "to_document",
]

_MESSAGE = "The import file is not valid; nothing was imported."


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid document: its records, and where each id first appears (for messages)."""

    records: RecordSet
    where: dict[tuple[str, str], str] = field(default_factory=dict)


def loads(text: str | bytes) -> object:
    """Parse an import file's text, refusing oversized, unreadable or absurdly nested
    documents (`calfcare.core.json_input.parse_json`, with this format's depth limit)."""
    if len(text) > MAX_BYTES:
        raise _invalid([Problem("(file)", f"larger than {MAX_BYTES // 2**20} MB")])
    return parse_json(text, field="(file)", source="The import file", max_depth=MAX_DEPTH)


def from_document(data: object, *, today: date, wording: ScreeningWording | None = None) -> Parsed:
    """Check a parsed export document; return its records or raise `InvalidInput`.

    Records repeated within the document with identical content count once; the same id with
    different content is a problem at both places. A screening's ``report`` is derived data:
    with ``wording`` (an import always passes it) it is made again from the answers, so a
    report that is empty, malformed or says something else than its verdict can never be
    stored or shown; the file's report must still be a JSON object.
    """
    if not isinstance(data, dict):
        raise _invalid([Problem("(root)", "expected a JSON object (a calfcare export)")])
    if depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise _invalid([Problem("(root)", f"nested deeper than {MAX_DEPTH} levels")])
    head: list[Problem] = []
    if data.get("format") != FORMAT:
        head.append(Problem("format", f'must be "{FORMAT}"'))
    version = data.get("version")
    if type(version) is not int or version not in READS:
        head.append(Problem("version", f"unknown version {version!r}; this calfcare reads 1 or 2"))
    if head:
        raise _invalid(head)
    assert isinstance(version, int)
    reader = RecordReader(today, version, wording)
    sections = SECTIONS if version >= 2 else SECTIONS_V1
    for key in data:
        if key not in (*sections, "format", "version"):
            reader.problems.append(Problem(str(key), "unknown field"))
    result = {name: reader.section(data, name) for name in sections}
    if reader.problems:
        raise _invalid(reader.problems)
    records = RecordSet(**{name: tuple(items) for name, items in result.items()})
    return Parsed(records.sorted(), reader.where)


def _invalid(problems: list[Problem]) -> InvalidInput:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(Problem("(more)", f"... and {len(problems) - MAX_PROBLEMS} more problems"))
    return InvalidInput(shown, _MESSAGE)
