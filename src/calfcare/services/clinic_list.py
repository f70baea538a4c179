"""The clinician's list: their people, red flags first (`calfcare.core.clinic_list`).

Fast because each person's line is computed once per change and stored in the database
(`ClinicTransaction.keep_summaries`, as `calfcare.core.summary_json` text) under its key:
(data version, prescription in force, day). Lines are computed for a run of days from
the same records (read once; only the analysis runs for each day): today and tomorrow
after a write or a new prescription (the person may well write again tomorrow), and today
and the `AHEAD` days after it when nothing but the day changed (the person is idle). So the
first list of a new day reads the lines of everyone who wrote nothing since, and of everyone
who wrote: a sharing person's write stores their new lines once it committed
(`calfcare.services.person_lines.refresh_lines`), so the list computes only what that
missed. A person who ran a split-leg experiment gets today's line only (`days_ahead`).

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

from datetime import datetime

from calfcare.core.clinic_list import PersonSummary, ordered
from calfcare.services.clinic import require_clinician
from calfcare.services.common import today_of
from calfcare.services.person_lines import days_ahead, line_name, line_records, lines_ahead
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import SummaryKey


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
        name = line_name(pid, share.person_login)
        line = stored.get(pid)
        if line is None or line.name != name:
            found = prescribed.get(pid)
            recordset = line_records(store.for_person(pid), today, found)
            days = lines_ahead(pid, name, recordset, found, now,
                               days_ahead(recordset, pid in stored))  # fmt: skip
            line = days[0]
            computed[pid] = (keys[pid], days)
        lines.append(line)
    if computed:
        with store.clinic() as tx:
            tx.keep_summaries(computed)
    return ordered(lines)
