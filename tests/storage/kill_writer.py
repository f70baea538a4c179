"""Run by test_durability: write notes forever, printing each id once it is committed."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime

from calfcare.core.records import Note
from calfcare.storage import open_store


def main() -> None:
    store = open_store(sys.argv[1])
    n = 0
    while True:
        note = Note(f"note-{n}", date(2025, 1, 1), datetime.now(UTC), "x" * 200)
        with store.transaction() as tx:
            tx.add_note(note)
        print(note.id, flush=True)  # acknowledged: the commit has returned
        n += 1


if __name__ == "__main__":
    main()
