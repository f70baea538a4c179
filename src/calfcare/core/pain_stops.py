"""Sharp-pain stops: which calf a session stopped on for sharp pain, and whether the person
has since said the pain has gone or been checked (`PainCheck`). The safety state marks such
a calf until they do (`calfcare.core.safety_state`); the one-page report lists each stop.

Pure: the records, the day and the person's time zone come in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from calfcare.core.levels import Leg
from calfcare.core.records import PainCheck, RecordSet, SessionRecord
from calfcare.core.timeline import Outcome


def open_stops(records: RecordSet, today: date, zone: tzinfo) -> dict[Leg, SessionRecord]:
    """Per calf, its latest sharp-pain stop up to ``today`` that no pain check recorded
    after it has followed."""
    due: dict[Leg, tuple[datetime, SessionRecord]] = {}
    for session in records.sessions:
        if session.outcome is not Outcome.STOPPED_SHARP_PAIN:
            continue
        at = stop_end(session)
        if at.astimezone(zone).date() > today:
            continue
        leg = stopped_calf(session)
        if leg not in due or at > due[leg][0]:
            due[leg] = (at, session)
    for check in records.pain_checks:
        if check.leg in due and check.recorded_at > due[check.leg][0]:
            del due[check.leg]
    return {leg: session for leg, (_, session) in due.items()}


def pain_check_after(stop: SessionRecord, checks: Iterable[PainCheck]) -> PainCheck | None:
    """The first pain check of the calf ``stop`` stopped on, recorded after it ended."""
    leg, end = stopped_calf(stop), stop_end(stop)
    after = [c for c in checks if c.leg is leg and c.recorded_at > end]
    return min(after, key=lambda c: c.recorded_at, default=None)


def stop_end(session: SessionRecord) -> datetime:
    return session.started_at + timedelta(seconds=session.duration_seconds)


def stopped_calf(session: SessionRecord) -> Leg:
    """The calf a session stopped on: the last one with massage time (the first, if none)."""
    worked = [c.leg for c in session.calves if c.active_seconds > 0]
    return worked[-1] if worked else session.calves[0].leg
