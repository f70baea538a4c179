"""The clinician's list: their people, red flags first (`calfcare.core.clinic_list`).

Fast because each person's line is computed once per change: one query reads every shared
person's data version and prescription in force, and a line is kept (`SummaryCache`) under
(person, data version, prescription id, day). Records are only ever added and every write
adds one to the person's data version, so a kept line is exactly what recomputing would
give; a new check-in, session or prescription makes a new key. A line missing from the cache
is computed from the person's records, read through `Store.for_person` only after the share
was seen in the same query that listed them.

The list shows only what sharing allows; opening a person's records (`services.clinic
.open_person`) is what the person's audit log records.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import date, datetime

from calfcare.core.clinic_list import (
    FOLLOWUP_WINDOW,
    TREND_WINDOW,
    PersonSummary,
    ordered,
    summarise,
)
from calfcare.core.records import RecordSet
from calfcare.services.clinic import require_clinician
from calfcare.services.common import today_of
from calfcare.services.safety import state_of
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import Prescribed

LIST_KINDS = ("sessions", "screenings", "clearances", "pain_checks", "soreness", "mobility",
              "split_leg_days", "split_leg_experiments")  # fmt: skip
"""The kinds of record a person's line reads."""
RECENT_KINDS = ("sessions", "soreness", "mobility")
"""The kinds read only from the window a line needs when no split-leg experiment ran."""


def _records(store: Store, today: date, found: Prescribed | None) -> RecordSet:
    """What a person's line reads, in one snapshot. Without split-leg coins or experiments,
    sessions, soreness and knee-to-wall are read only from the trends' window (or the
    prescription's start, when earlier), plus every session stopped for sharp pain (the
    safety state's): the same line as from every record, for a fraction of the reading. With
    them, everything is read (an experiment's analysis reads all its days)."""
    with store.reading() as tx:
        if tx.split_leg_days() or tx.split_leg_experiments():
            return tx.records(kinds=LIST_KINDS)
        starts = [today - TREND_WINDOW, today - FOLLOWUP_WINDOW]
        if found is not None:
            starts.append(found.prescription.start_day)
        recent = tx.records(min(starts), None, kinds=RECENT_KINDS)
        stopped = [s for s in tx.sessions_stopped_for_pain() if s.day < min(starts)]
        return RecordSet(
            screenings=tuple(tx.screenings()),
            sessions=(*stopped, *recent.sessions),
            soreness=recent.soreness,
            mobility=recent.mobility,
            clearances=tuple(tx.clearances()),
            pain_checks=tuple(tx.pain_checks()),
        ).sorted()


class SummaryCache:
    """Lines of the clinician's list, by (person, data version, prescription, day): at most
    ``max_entries`` (least recently used first out). Thread-safe."""

    def __init__(self, max_entries: int = 4096) -> None:
        self._kept: OrderedDict[Hashable, PersonSummary] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries
        self.misses = 0

    def get(self, key: Hashable) -> PersonSummary | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, line: PersonSummary) -> None:
        with self._lock:
            self.misses += 1
            self._kept[key] = line
            self._kept.move_to_end(key)
            while len(self._kept) > self._max:
                self._kept.popitem(last=False)


def clinician_list(
    store: Store, clinician: Account, now: datetime, cache: SummaryCache | None = None
) -> list[PersonSummary]:
    """The people who share with ``clinician`` now, red flags first."""
    require_clinician(clinician)
    today = today_of(now)
    with store.clinic(read_only=True) as tx:
        shares = tx.shares_of_clinician(clinician.id)
        people = [s.person_id for s in shares]
        versions = tx.versions(people)
        prescribed = tx.prescriptions(people)
    lines = []
    for share in shares:
        pid = share.person_id
        found = prescribed.get(pid)
        key = (pid, versions[pid], None if found is None else found.id, today, share.person_login)
        line = None if cache is None else cache.get(key)
        if line is None:
            recordset = _records(store.for_person(pid), today, found)
            line = summarise(
                pid,
                share.person_login or f"person {pid}",
                recordset,
                state_of(recordset, now),
                None if found is None else found.prescription,
                today,
            )
            if cache is not None:
                cache.put(key, line)
        lines.append(line)
    return ordered(lines)
