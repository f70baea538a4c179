"""A sharing person's line on the clinician's list (`calfcare.services.clinic_list`):
computed from their records for a run of days, and refreshed when they write.

`refresh_later` queues `refresh_lines` in the background (`calfcare.services.background`:
in a web request, once the response went out) after each of the person's writes has
committed (`writing`, and the use cases that save once under a client id), after a new
prescription or share, and for the lines a list found stale. When the person shares with a
clinician then, their line is computed for today and the days after it and stored under the
data version read, so the clinician's list reads it instead of computing it. It is outside
the write's transaction and never raises: a refresh that fails is logged, and the list shows
the person's current red flags with their older trends until a refresh succeeds. A person
who shares with nobody pays one indexed query (their shares), in the background.
`refresh_all` computes every sharing person's line ahead (`calfcare clinician refresh`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from calfcare.core.records import RecordSet
from calfcare.services import background
from calfcare.services.common import state_of, today_of
from calfcare.storage import Store, Transaction

if TYPE_CHECKING:  # imported when a line is computed: most writers share with nobody
    from calfcare.core.clinic_list import PersonSummary
    from calfcare.storage.clinic import Prescribed

LIST_KINDS = ("sessions", "screenings", "clearances", "pain_checks", "soreness", "mobility",
              "split_leg_days", "split_leg_experiments")  # fmt: skip
"""The kinds of record a person's line reads."""
RECENT_KINDS = ("sessions", "soreness", "mobility")
"""The kinds read only from the window a line needs when no split-leg experiment ran."""
AHEAD = 6
"""The days after today a line is computed for when only the day changed."""
AHEAD_AFTER_WRITE = 1
"""The days after today a line is computed for after a write (or when none is stored)."""

log = logging.getLogger(__name__)


def line_records(store: Store, today: date, found: Prescribed | None) -> RecordSet:
    """What a person's line reads, in one snapshot. Without split-leg coins or experiments,
    sessions, soreness and knee-to-wall are read only from the trends' window (or the
    prescription's start, when earlier), plus every session stopped for sharp pain (the
    safety state's): the same line as from every record, for a fraction of the reading. With
    them, everything is read (an experiment's analysis reads all its days)."""
    from calfcare.core.clinic_list import FOLLOWUP_WINDOW, TREND_WINDOW

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


def days_ahead(idle: bool) -> int:
    """How many days after today to compute a line for: the week ahead when nothing but the
    day changed, tomorrow after a write. A split-leg experiment's too: its analysis, most of
    a line's cost (the exact interval of every day: about 25 ms a year), is the same for
    every day of the run and remembered (`core.split_leg_stats.estimate`), so each further
    day costs what any other line's day does."""
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
    from calfcare.core.clinic_list import summarise

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


def line_name(person_id: int, login: str | None) -> str:
    """The name a person's line shows: their sign-in name."""
    return login or f"person {person_id}"


def refresh_lines(store: Store, now: datetime, *, idle: bool = False) -> bool:
    """When ``store``'s person shares with a clinician now, compute and store their lines for
    today and the days after it (`days_ahead`: the week ahead when ``idle``, nothing but the
    day changed; tomorrow after a write). True when lines were stored; a failure is logged
    and ignored (the list shows the older line's trends, labelled, until one succeeds)."""
    from calfcare.storage.clinic import SummaryKey

    pid = store.person_id
    if store.closed:  # closed since this was queued: nothing to open it again for
        return False
    try:
        with store.clinic(read_only=True) as tx:
            shares = [s for s in tx.shares_of_person(pid) if s.stopped_at is None]
            if not shares:
                return False
            version = tx.versions([pid])[pid]
            found = tx.prescriptions([pid]).get(pid)
        records = line_records(store, today_of(now), found)
        name = line_name(pid, shares[0].person_login)
        days = lines_ahead(pid, name, records, found, now, days_ahead(idle))
        key = SummaryKey(version, None if found is None else found.id, today_of(now))
        with store.clinic() as tx:
            tx.keep_summaries({pid: (key, days)})
    except Exception:  # the write is kept whatever happens here
        log.exception("The clinician's list line of person %s was not refreshed", pid)
        return False
    return True


def refresh_later(store: Store, now: datetime, *, idle: bool = False) -> None:
    """`refresh_lines` for ``store``'s person in the background (after the response)."""
    key = ("line", id(store.engine), store.person_id)
    background.later(key, lambda: refresh_lines(store, now, idle=idle))


def refresh_all(store: Store, now: datetime) -> int:
    """Compute and store now, for today and the week ahead, the line of every person who
    shares with a clinician (a nightly job, so that no list finds them all stale at once):
    how many were stored."""
    with store.clinic(read_only=True) as tx:
        people = tx.sharing_people()
    return sum(refresh_lines(store.for_person(pid), now, idle=True) for pid in people)


@contextmanager
def writing(store: Store, now: datetime) -> Iterator[Transaction]:
    """`Store.transaction`, then (once it committed a write) `refresh_later`."""
    with store.transaction() as tx:
        yield tx
    if tx.wrote:
        refresh_later(store, now)
