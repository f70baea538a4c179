"""The clinician's list: their people, red flags first (`calfcare.core.clinic_list`).

Fast because each person's line is computed once per change and stored in the database
(`ClinicTransaction.keep_summaries`, as `calfcare.core.summary_json` text) under its key:
(data version, prescription in force, day). Lines are computed for a run of days from
the same records (read once; only the analysis runs for each day): today and tomorrow
after a write or a new prescription (the person may well write again tomorrow), and today
and the `AHEAD` days after it when nothing but the day changed (the person is idle). So the
first list of a new day reads the lines of everyone who wrote nothing since. A person who
ran a split-leg experiment gets today's line only (`_ahead`).

One read-only transaction lists the shares and reads every shared person's data version,
prescription and stored line; records are only ever added and every write adds one to the
person's data version, so a stored line with the same key is exactly what recomputing would
give, whichever process or worker stored it. A line missing, stale (a new check-in,
session, prescription, or a day no line was computed for), unreadable or of an
older calfcare is computed from the person's records, read through `Store.for_person` only
after the share was seen in the same transaction that listed them, and the new lines are
stored (replacing the old ones) in one write transaction.

The list shows only what sharing allows; opening a person's records (`services.clinic
.open_person`) is what the person's audit log records.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

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
from calfcare.storage.clinic import Prescribed, SummaryKey

LIST_KINDS = ("sessions", "screenings", "clearances", "pain_checks", "soreness", "mobility",
              "split_leg_days", "split_leg_experiments")  # fmt: skip
"""The kinds of record a person's line reads."""
RECENT_KINDS = ("sessions", "soreness", "mobility")
"""The kinds read only from the window a line needs when no split-leg experiment ran."""
AHEAD = 6
"""The days after today a line is computed for when only the day changed."""
AHEAD_AFTER_WRITE = 1
"""The days after today a line is computed for after a write (or when none is stored)."""


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


def _ahead(records: RecordSet, idle: bool) -> int:
    """How many days after today to compute a line for: none when the person ran a split-leg
    experiment (its analysis of every day is most of a line's cost, about 0.1 s: it is not
    worth paying again for a day that may never be asked)."""
    if records.split_leg_days or records.split_leg_experiments:
        return 0
    return AHEAD if idle else AHEAD_AFTER_WRITE


def lines_ahead(
    person_id: int,
    name: str,
    records: RecordSet,
    found: Prescribed | None,
    now: datetime,
    ahead: int,
) -> tuple[PersonSummary, ...]:
    """The person's line for today and each of the ``ahead`` days after it, as each of those
    days would compute it from the same records (a day whose local date is not the next one,
    across a clock change, ends the run)."""
    rx = None if found is None else found.prescription
    today = today_of(now)
    lines = []
    for n in range(ahead + 1):
        at = now + timedelta(days=n)
        if today_of(at) != today + timedelta(days=n):
            break
        lines.append(summarise(person_id, name, records, state_of(records, at), rx,
                               today_of(at)))  # fmt: skip
    return tuple(lines)


def clinician_list(store: Store, clinician: Account, now: datetime) -> list[PersonSummary]:
    """The people who share with ``clinician`` now, red flags first."""
    require_clinician(clinician)
    today = today_of(now)
    with store.clinic(read_only=True) as tx:
        shares = tx.shares_of_clinician(clinician.id)
        people = [s.person_id for s in shares]
        versions = tx.versions(people)
        prescribed = tx.prescriptions(people)
        keys = {
            pid: SummaryKey(versions[pid], None if pid not in prescribed else prescribed[pid].id,
                            today)
            for pid in people
        }  # fmt: skip
        stored = tx.summaries(keys)
    lines = []
    computed: dict[int, tuple[SummaryKey, tuple[PersonSummary, ...]]] = {}
    for share in shares:
        pid = share.person_id
        name = share.person_login or f"person {pid}"
        line = stored.get(pid)
        if line is None or line.name != name:
            found = prescribed.get(pid)
            recordset = _records(store.for_person(pid), today, found)
            days = lines_ahead(pid, name, recordset, found, now, _ahead(recordset, pid in stored))
            line = days[0]
            computed[pid] = (keys[pid], days)
        lines.append(line)
    if computed:
        with store.clinic() as tx:
            tx.keep_summaries(computed)
    return ordered(lines)
