"""The clinician's list: one summary per person, red flags first.

The order (`list_key`), most pressing first:

1. red flags: an active hold at ``emergency``, then at ``urgent`` (from a screening or a
   next-day follow-up: `calfcare.core.safety_state`), then a sharp-pain stop not yet
   checked, then a next-day follow-up not answered after the last session done;
2. adherence this week: the smallest share of prescribed sessions done first (people with
   no prescription in force after those with one);
3. trends that read worse (knee-to-wall decreasing, soreness higher on massage days), judged
   with the truthful-insights readings (`calfcare.core.interval_verdict`), before the rest;
4. then the login name, so the order never depends on the order people came in.

Pure: records, the safety state and the day come in as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import IntEnum

from calfcare.core.adherence import WeekAdherence, this_week
from calfcare.core.insight_report import analyse_records
from calfcare.core.insights import InsightKind
from calfcare.core.interval_verdict import DECREASES, INCREASES
from calfcare.core.levels import Level
from calfcare.core.prescription import Prescription
from calfcare.core.records import RecordSet, ScreeningKind, ScreeningRecord, SessionRecord
from calfcare.core.safety_state import SafetyState

FOLLOWUP_WINDOW = timedelta(days=7)
"""A follow-up missing after a session older than this is no longer flagged."""
TREND_WINDOW = timedelta(weeks=8)
"""The trends the list shows are judged over this many recent weeks."""


class Flag(IntEnum):
    """A red flag, most pressing first (`NONE`: nothing wrong)."""

    EMERGENCY_HOLD = 0
    URGENT_HOLD = 1
    SHARP_PAIN = 2
    FOLLOWUP_MISSING = 3
    NONE = 4


FLAG_WORDS = {
    Flag.EMERGENCY_HOLD: "Hold on massage: emergency signs reported",
    Flag.URGENT_HOLD: "Hold on massage: urgent signs reported (see a doctor today)",
    Flag.SHARP_PAIN: "Stopped for sharp pain, not yet checked",
    Flag.FOLLOWUP_MISSING: "Next-day follow-up not answered",
    Flag.NONE: "",
}


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """One line of the clinician's list."""

    person_id: int
    name: str
    flags: tuple[Flag, ...]
    """Every red flag that applies, most pressing first (empty: none)."""
    week: WeekAdherence | None
    prescribed: bool
    worse: tuple[str, ...]
    """Headlines of the trends that read worse."""
    trends: tuple[str, ...]
    """Headlines of the soreness and knee-to-wall readings (all of them)."""
    split_leg: str | None
    as_of: date | None = None
    """None: every part is current. Otherwise the red flags and this week are current but
    the trends and split-leg result are the ones worked out from the records of that day
    (`with_current`)."""
    pending: bool = False
    """The trends and split-leg result are being worked out and none is stored yet."""

    @property
    def flag(self) -> Flag:
        return self.flags[0] if self.flags else Flag.NONE

    @property
    def flag_words(self) -> tuple[str, ...]:
        return tuple(FLAG_WORDS[f] for f in self.flags)


def list_key(s: PersonSummary) -> tuple[int, int, float, int, str, int]:
    """The sort key of a line (smaller first): see the module's docstring."""
    share = 2.0 if s.week is None else s.week.done / s.week.prescribed
    return (s.flag.value, 0 if s.prescribed else 1, share, 0 if s.worse else 1, s.name, s.person_id)


def ordered(summaries: Iterable[PersonSummary]) -> list[PersonSummary]:
    """The clinician's list, red flags first."""
    return sorted(summaries, key=list_key)


def red_flags(records: RecordSet, state: SafetyState, today: date) -> tuple[Flag, ...]:
    """The red flags of a person on ``today`` (``records`` needs sessions and screenings)."""
    flags: list[Flag] = []
    if state.hold is not None:
        emergency = state.hold.level >= Level.EMERGENCY
        flags.append(Flag.EMERGENCY_HOLD if emergency else Flag.URGENT_HOLD)
    if state.pain_checks:
        flags.append(Flag.SHARP_PAIN)
    if followup_missing(records.sessions, records.screenings, today) is not None:
        flags.append(Flag.FOLLOWUP_MISSING)
    return tuple(flags)


def followup_missing(
    sessions: Iterable[SessionRecord], screenings: Iterable[ScreeningRecord], today: date
) -> date | None:
    """The day of the last session done before today if no next-day follow-up was answered
    after it started and it is from the last `FOLLOWUP_WINDOW`; else None."""
    done = [s for s in sessions if s.done and s.day < today]
    if not done:
        return None
    last = max(done, key=lambda s: (s.day, s.started_at))
    if today - last.day > FOLLOWUP_WINDOW:
        return None
    answered = any(
        r.kind is ScreeningKind.FOLLOW_UP and r.taken_at > last.started_at for r in screenings
    )
    return None if answered else last.day


def current_parts(
    records: RecordSet, state: SafetyState, prescription: Prescription | None, today: date
) -> tuple[tuple[Flag, ...], WeekAdherence | None, bool]:
    """A line's red flags, its week's adherence and whether a prescription is in force today:
    what a line shows that must always be current. ``records`` need only hold the safety
    state's records and the sessions of the last `FOLLOWUP_WINDOW` (they give the same as
    every record: the current week started at most 6 days ago)."""
    week = None if prescription is None else this_week(prescription, records.sessions, today)
    prescribed = prescription is not None and prescription.week_of(today) is not None
    return red_flags(records, state, today), week, prescribed


def with_current(
    person_id: int,
    name: str,
    parts: tuple[tuple[Flag, ...], WeekAdherence | None, bool],
    older: PersonSummary | None,
    as_of: date,
) -> PersonSummary:
    """A line whose stored one is not current: the current red flags, week and prescription
    (`current_parts`) with the older line's trends and split-leg result, as of the day they
    were worked out (``older`` None: nothing to show yet, they are being worked out)."""
    flags, week, prescribed = parts
    if older is None:
        return PersonSummary(person_id, name, flags, week, prescribed, (), (), None, None, True)
    return replace(older, person_id=person_id, name=name, flags=flags, week=week,
                   prescribed=prescribed, as_of=as_of, pending=False)  # fmt: skip


def summarise(
    person_id: int,
    name: str,
    records: RecordSet,
    state: SafetyState,
    prescription: Prescription | None,
    today: date,
) -> PersonSummary:
    """A person's line of the list from their records (sessions, screenings, soreness,
    knee-to-wall and split-leg records), their safety state and prescription."""
    flags, week, prescribed = current_parts(records, state, prescription, today)
    report = analyse_records(records, today, since=today - TREND_WINDOW, until=today)
    worse: list[str] = []
    trends: list[str] = []
    for insight in report.ordinary:
        if insight.kind is InsightKind.MOBILITY_BEFORE_AFTER:
            continue
        trends.append(insight.headline)
        sorer = (
            insight.kind is InsightKind.SORENESS_AFTER_MASSAGE_DAYS and insight.reading in INCREASES
        )
        stiffer = insight.kind is InsightKind.MOBILITY_TREND and insight.reading in DECREASES
        if sorer or stiffer:
            worse.append(insight.headline)
    split = report.split_leg[0].headline if report.split_leg else None
    return PersonSummary(
        person_id=person_id,
        name=name,
        flags=flags,
        week=week,
        prescribed=prescribed,
        worse=tuple(worse),
        trends=tuple(trends),
        split_leg=split or None,
    )
