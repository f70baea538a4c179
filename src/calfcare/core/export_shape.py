"""The export document's shape and version rules (format ``calfcare-export``): its name and
version, the versions read, its sections, and the bounds an import file must keep. Shared by
the writer (`export_write`), the readers (`export_fields`, `export_read`) and the document
check (`export_format`), which is the public face."""

from __future__ import annotations

import re

FORMAT = "calfcare-export"
VERSION = 2
READS = (1, 2)
"""The versions this calfcare reads."""
SECTIONS = (
    "screenings",
    "sessions",
    "soreness",
    "mobility",
    "notes",
    "split_leg_days",
    "split_leg_experiments",
    "clearances",
    "pain_checks",
)
SECTIONS_V1 = SECTIONS[:6]
"""The sections of a version 1 document."""
SPLIT_LEG_FIELDS_V2 = ("drawn_at", "experiment_id", "reported")
MAX_BYTES = 64 * 1024 * 1024
MAX_RECORDS = 200_000
"""Per section: decades of daily records, far below what would exhaust memory."""
MAX_ITEMS = 100
"""Calves, holds and tender spots per session."""
MAX_BLOB_NODES = 5_000
"""Values inside one stored JSON object (screening answers or report, session plan)."""
MAX_STRING = 10_000
MAX_PROBLEMS = 50
"""Problems listed before "... and N more": enough to fix a file, not a wall of text."""

DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
