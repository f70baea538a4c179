"""The safety state: what the recorded screenings, follow-ups, clearances and sharp-pain stops
allow on a day. Every plan, session and page asks this one function (issue 11).

Pure: the records, the day, the person's time zone and the wording come in; nothing is read.

The rules, in the order the records happened (by their instants):

- **A hold.** Any ``urgent`` or ``emergency`` verdict, from a screening or a next-day
  follow-up, starts a hold on massage of both calves. It stays on across days; a later
  verdict at a higher level raises it. Nothing but a clearance lifts it: a screening with
  nothing found does not.
- **A clearance** (the person records that a clinician has ruled out a clot, on a day) lifts
  the hold that is on when it is recorded, if that day is on or after the hold's first day.
  A clearance when no hold is on changes nothing.
- **After a clearance** a new screening is needed before any massage: every screening taken
  before it no longer counts, and until one is taken every calf's flags are false
  (``needs_screening``).
- **Today's screening** is the latest full screening (not a follow-up) of today that counts;
  its calves' flags are the screening's (made again from its answers by today's rules).
  With none, each calf's flags are what a plan without a screening uses: both true (the
  planner plans any calf at any intensity when no screening is given).
- **During a hold every flag is false.**
- **A sharp-pain stop** (a session stopped for sharp pain) marks the calf it stopped on until
  the person confirms, after the stop, that the pain has gone or has been checked
  (`PainCheck`): the next plan asks first. It does not change the flags.

Records whose day (in the person's zone) is after ``today`` are left out: the state is the
state *on* that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from types import MappingProxyType
from typing import Any

from calfcare.core.answers import parse_answers
from calfcare.core.day_words import day_text
from calfcare.core.errors import InvalidInput
from calfcare.core.levels import Leg, Level
from calfcare.core.pain_stops import open_stops, stop_end
from calfcare.core.records import (
    Clearance,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
)
from calfcare.core.report import ScreeningWording, calf_name, finding_message
from calfcare.core.screening import screen

CONTRACT = 1
"""The version of the safety state's JSON object (`safety_json`)."""
HOLD_FROM = Level.URGENT
"""The lowest verdict that starts a hold."""


@dataclass(frozen=True, slots=True)
class SafetyWording:
    """The words the state needs, from content (`calfcare.content.safety`)."""

    screening: ScreeningWording
    hold_reason_screening: str
    hold_reason_follow_up: str
    hold_lifts: str
    hold_lifts_sources: tuple[str, ...]
    needs_screening: str
    pain_check_question: str
    sharp_pain_advice: str
    sharp_pain_sources: tuple[str, ...]
    plan_left_out: str
    plan_gentle: str
    plan_pain_check: str
    plan_no_calf: str


@dataclass(frozen=True, slots=True)
class PainCheckDue:
    """A calf's sharp-pain stop that no confirmation has followed yet."""

    leg: Leg
    day: date
    session_id: str
    question: str
    advice: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegSafety:
    """What one calf may have today."""

    massage_allowed: bool
    deep_work_allowed: bool
    pain_check: PainCheckDue | None = None


@dataclass(frozen=True, slots=True)
class SafetyHold:
    """A hold on massage of both calves, and what lifts it."""

    level: Level
    since: date
    started_by: str
    """The id of the screening or follow-up that started it (or raised it to ``level``)."""
    kind: ScreeningKind
    headline: str
    reason: str
    advice: str
    sources: tuple[str, ...]
    lifts: str
    lifts_sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SafetyState:
    """The safety state on ``day``."""

    day: date
    screening_id: str | None
    legs: Mapping[Leg, LegSafety]
    hold: SafetyHold | None
    needs_screening: str | None
    """The words saying a new screening is needed (after a clearance), or None."""

    @property
    def screened_today(self) -> bool:
        return self.screening_id is not None

    @property
    def massage_allowed(self) -> bool:
        """True when at least one calf may be massaged."""
        return any(leg.massage_allowed for leg in self.legs.values())

    @property
    def pain_checks(self) -> tuple[PainCheckDue, ...]:
        return tuple(s.pain_check for s in self.legs.values() if s.pain_check is not None)


@dataclass(frozen=True, slots=True)
class HoldSpan:
    """One hold, from the verdict that started it to the clearance that lifted it (if any):
    what the one-page report lists (`hold_history`)."""

    level: Level
    """The highest level it reached."""
    since: date
    started_by: str
    kind: ScreeningKind
    """Whether a screening or a next-day follow-up started it."""
    lifted_on: date | None
    """The day the clinician ruled out a clot (None: still on)."""
    lifted_recorded: date | None
    """The day that clearance was recorded."""


@dataclass(frozen=True, slots=True)
class _Open:
    since: date
    record: ScreeningRecord
    first: ScreeningRecord


def safety_state(
    records: RecordSet, today: date, *, zone: tzinfo, wording: SafetyWording
) -> SafetyState:
    """The state on ``today`` from ``records`` (screenings, clearances, sessions and pain
    checks are read; other kinds are ignored)."""
    hold, cleared, latest, _ = _replay(records, today, zone)
    screening = latest if latest is not None and _day(latest.taken_at, zone) == today else None
    flags = _flags(screening) if hold is None and not cleared else _NONE
    pains = _pain_checks(records, today, zone, wording)
    legs = {leg: LegSafety(flags[leg][0], flags[leg][1], pains.get(leg)) for leg in Leg}
    return SafetyState(
        day=today,
        screening_id=None if screening is None else screening.id,
        legs=MappingProxyType(legs),
        hold=None if hold is None else _hold(hold, wording, zone),
        needs_screening=wording.needs_screening if cleared and hold is None else None,
    )


def hold_history(records: RecordSet, today: date, *, zone: tzinfo) -> tuple[HoldSpan, ...]:
    """Every hold up to ``today``, oldest first: the same walk as `safety_state`, so the
    report's holds are the ones that governed each day."""
    return _replay(records, today, zone)[3]


def hold_on(records: RecordSet, today: date, *, zone: tzinfo) -> HoldSpan | None:
    """The hold on ``today``, without its words (None: none is on): the same walk as
    `safety_state`, for what needs only its level and first day."""
    spans = hold_history(records, today, zone=zone)
    return spans[-1] if spans and spans[-1].lifted_on is None else None


def _replay(
    records: RecordSet, today: date, zone: tzinfo
) -> tuple[_Open | None, bool, ScreeningRecord | None, tuple[HoldSpan, ...]]:
    """Walk the verdicts and clearances in time order: the open hold, whether a clearance
    still waits for a screening, the latest full screening that counts, and every hold."""
    events: list[tuple[datetime, int, str, ScreeningRecord | Clearance]] = [
        (c.recorded_at, 0, c.id, c)
        for c in records.clearances
        if _day(c.recorded_at, zone) <= today
    ]
    events += [
        (s.taken_at, 1, s.id, s) for s in records.screenings if _day(s.taken_at, zone) <= today
    ]
    events.sort(key=lambda e: e[:3])
    hold: _Open | None = None
    cleared = False
    latest: ScreeningRecord | None = None
    spans: list[HoldSpan] = []
    for _, _, _, item in events:
        if isinstance(item, Clearance):
            if hold is not None and item.day >= hold.since:
                spans.append(_span(hold, item, zone))
                hold, cleared, latest = None, True, None
            continue
        if item.verdict >= HOLD_FROM:
            if hold is None:
                hold = _Open(_day(item.taken_at, zone), item, item)
            elif item.verdict >= hold.record.verdict:
                hold = _Open(hold.since, item, hold.first)
        if item.kind is ScreeningKind.SCREENING:
            latest = item
            if hold is None:
                cleared = False
    if hold is not None:
        spans.append(_span(hold, None, zone))
    return hold, cleared, latest, tuple(spans)


def _span(hold: _Open, lifted: Clearance | None, zone: tzinfo) -> HoldSpan:
    return HoldSpan(
        level=hold.record.verdict,
        since=hold.since,
        started_by=hold.first.id,
        kind=hold.first.kind,
        lifted_on=None if lifted is None else lifted.day,
        lifted_recorded=None if lifted is None else _day(lifted.recorded_at, zone),
    )


_NONE = dict.fromkeys(Leg, (False, False))
_ANY = dict.fromkeys(Leg, (True, True))


def _flags(record: ScreeningRecord | None) -> Mapping[Leg, tuple[bool, bool]]:
    """A screening's per-calf flags, made again from its answers by today's rules (answers
    that no longer read as a screening allow nothing: unknown is not "no")."""
    if record is None:
        return _ANY
    try:
        result = screen(parse_answers(dict(record.answers)))
    except InvalidInput:
        return _NONE
    if result.verdict >= HOLD_FROM or record.verdict >= HOLD_FROM:
        return _NONE
    return {
        leg: (status.massage_allowed, status.deep_work_allowed)
        for leg, status in result.legs.items()
    }


def _hold(hold: _Open, wording: SafetyWording, zone: tzinfo) -> SafetyHold:
    record = hold.record
    advice = wording.screening.advice(record.verdict)
    template = (
        wording.hold_reason_follow_up
        if record.kind is ScreeningKind.FOLLOW_UP
        else wording.hold_reason_screening
    )
    return SafetyHold(
        level=record.verdict,
        since=hold.since,
        started_by=record.id,
        kind=record.kind,
        headline=advice.headline,
        reason=template.format(
            day=day_text(_day(record.taken_at, zone)), findings=_findings(record, wording)
        ),
        advice=advice.text,
        sources=advice.sources,
        lifts=wording.hold_lifts,
        lifts_sources=wording.hold_lifts_sources,
    )


def _findings(record: ScreeningRecord, wording: SafetyWording) -> str:
    """The findings at the hold's level or above, in the screening's own words."""
    try:
        result = screen(parse_answers(dict(record.answers)))
    except InvalidInput:
        return wording.screening.advice(record.verdict).headline
    found = [
        finding_message(f, result.answers, wording.screening)
        for f in result.findings
        if f.level >= HOLD_FROM
    ]
    return " ".join(dict.fromkeys(found)) or wording.screening.advice(record.verdict).headline


def _pain_checks(
    records: RecordSet, today: date, zone: tzinfo, wording: SafetyWording
) -> dict[Leg, PainCheckDue]:
    """Per calf, its latest sharp-pain stop that no pain check has followed, in words."""
    return {
        leg: PainCheckDue(
            leg=leg,
            day=_day(stop_end(session), zone),
            session_id=session.id,
            question=wording.pain_check_question.format(calf=calf_name(leg)),
            advice=wording.sharp_pain_advice,
            sources=wording.sharp_pain_sources,
        )
        for leg, session in open_stops(records, today, zone).items()
    }


def _day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def safety_json(state: SafetyState) -> dict[str, Any]:
    """The fixed JSON object of `calfcare safety --json` and ``GET /api/safety`` (contract
    1; keys beyond the contract's are extras a client may ignore)."""
    hold = state.hold
    return {
        "contract": CONTRACT,
        "day": state.day.isoformat(),
        "screened_today": state.screened_today,
        "screening_id": state.screening_id,
        "legs": {
            leg.value: {
                "massage_allowed": s.massage_allowed,
                "deep_work_allowed": s.deep_work_allowed,
                "pain_check_pending": s.pain_check is not None,
            }
            for leg, s in state.legs.items()
        },
        "hold": None
        if hold is None
        else {
            "level": hold.level.value,
            "since": hold.since.isoformat(),
            "reason": hold.reason,
            "advice": hold.advice,
            "sources": list(hold.sources),
            "headline": hold.headline,
            "started_by": hold.started_by,
            "kind": hold.kind.value,
            "lifts": hold.lifts,
            "lifts_sources": list(hold.lifts_sources),
        },
        "needs_screening": state.needs_screening is not None,
        "needs_screening_text": state.needs_screening,
        "pain_checks": [
            {
                "leg": p.leg.value,
                "day": p.day.isoformat(),
                "session_id": p.session_id,
                "question": p.question,
                "advice": p.advice,
                "sources": list(p.sources),
            }
            for p in state.pain_checks
        ],
    }
