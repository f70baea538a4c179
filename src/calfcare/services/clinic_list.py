"""The clinician's list: their people, red flags first (`calfcare.core.clinic_list`).

Each person's line is computed from their records for a run of days and stored in the
database (`ClinicTransaction.keep_summaries`, as `calfcare.core.summary_json` text) under
its key: (data version, prescription in force, day). Records are only ever added and every
write adds one to the person's data version, so a stored line with the key asked is exactly
what computing it again would give, whichever process or worker stored it: the list shows
it whole. Lines are kept current in the background (`calfcare.services.person_lines
.refresh_later`): after each of the person's writes, a new prescription or share, and for
every line a list found stale; `calfcare clinician refresh` computes them all ahead.

A line that is not current (missing, for older records, another prescription or another day,
unreadable, or of an older calfcare) is never trusted for what must be current: its red
flags (active holds, sharp-pain stops, unanswered next-day follow-ups) and this week's
adherence are worked out on every list from a few queries over all such people at once
(`ClinicTransaction.flag_records`, in the transaction that saw the shares), and shown with
the older line's trends and split-leg result, labelled with the day they are from
(`core.clinic_list.with_current`), or "being worked out" when there is none. At most
`INLINE` such lines (people with nothing stored first, never a split-leg experiment's, the
costliest) are computed in the list itself; the rest are queued to be computed once the
list has been answered (`background.deferred`).

The list shows only what sharing allows; opening a person's records (`services.clinic
.open_person`) is what the person's audit log records.
"""

from __future__ import annotations

import time
from datetime import datetime

from calfcare.core.clinic_list import (
    FOLLOWUP_WINDOW,
    PersonSummary,
    current_parts,
    ordered,
    with_current,
)
from calfcare.services import background
from calfcare.services.clinic import require_clinician
from calfcare.services.common import state_of, today_of
from calfcare.services.person_lines import (
    days_ahead,
    line_name,
    line_records,
    lines_ahead,
    refresh_later,
)
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import SummaryKey

INLINE = 1
"""At most this many lines are computed by the list itself (a line costs 10-40 ms)."""
INLINE_MS = 25.0
"""... and only while the list has taken less than this (ms) when it comes to them: with
many stale lines, their red flags alone are most of a list's time."""


def clinician_list(
    store: Store, clinician: Account, now: datetime, *, inline: int | None = None
) -> list[PersonSummary]:
    """The people who share with ``clinician`` now, red flags first; at most ``inline``
    stale lines (default `INLINE`) computed before the answer."""
    require_clinician(clinician)
    with background.deferred():  # the stale lines are computed after the answer
        return _list(store, clinician, now, INLINE if inline is None else inline)


def _list(store: Store, clinician: Account, now: datetime, inline: int) -> list[PersonSummary]:
    started = time.perf_counter()
    today = today_of(now)
    with store.clinic(read_only=True) as tx:
        shares = tx.shares_of_clinician(clinician.id)
        names = {s.person_id: line_name(s.person_id, s.person_login) for s in shares}
        versions = tx.versions(list(names))
        prescribed = tx.prescriptions(list(names))
        keys = {
            pid: SummaryKey(versions[pid], None if pid not in prescribed else prescribed[pid].id,
                            today)
            for pid in names
        }  # fmt: skip
        stored = tx.summaries(keys)
        current = {
            pid: s.line
            for pid, s in stored.items()
            if s.current and s.line is not None and s.line.name == names[pid]
        }
        stale = [pid for pid in names if pid not in current]
        flag_records = tx.flag_records(stale, today - FOLLOWUP_WINDOW)
        costly = tx.split_leg_people(stale) if stale else set()

    def older_kept(pid: int) -> bool:
        return pid in stored and stored[pid].line is not None

    first = sorted((pid for pid in stale if pid not in costly), key=lambda p: (older_kept(p), p))
    computed: dict[int, tuple[SummaryKey, tuple[PersonSummary, ...]]] = {}
    if (time.perf_counter() - started) * 1000 >= INLINE_MS:
        first = []
    for pid in first[:inline]:
        found = prescribed.get(pid)
        records = line_records(store.for_person(pid), today, found)
        idle = pid in stored and stored[pid].same_records
        computed[pid] = (keys[pid], lines_ahead(pid, names[pid], records, found, now,
                                                days_ahead(idle)))  # fmt: skip
        current[pid] = computed[pid][1][0]
    if computed:
        with store.clinic() as tx:
            tx.keep_summaries(computed)
    lines = []
    for pid, name in names.items():
        if pid in current:
            lines.append(current[pid])
            continue
        found = prescribed.get(pid)
        records = flag_records[pid]
        rx = None if found is None else found.prescription
        parts = current_parts(records, state_of(records, now), rx, today)
        older = stored.get(pid)
        line = None if older is None or older.line is None else older.line
        lines.append(with_current(pid, name, parts, line, today if older is None else older.as_of))
        refresh_later(store.for_person(pid), now, idle=older is not None and older.same_records)
    return ordered(lines)
