"""The one-page report for a clinician: what it shows, as data, for every way it is drawn.

`build_report` turns a period's records into a `PeriodReport`: safety first (screening
results, next-day follow-ups that needed attention, sessions stopped for sharp pain), the
sessions with time per calf, where tender spots were held, soreness and knee-to-wall series
with their measurement-error bands, and the split-leg result when one ran. The web page,
``calfcare report --format html`` and the PDF/PNG page all draw this one object, so they
cannot disagree. Pure: records and dates in, no clock.

Safety items are one list of `SafetyItem` of several kinds, most serious first, so that new
kinds (a hold that stays until a clinician clears it, a clearance) are one more kind and one
more builder, not a new section.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from enum import StrEnum

from calfcare.core.adherence import WeekAdherence, weeks_in_period
from calfcare.core.day_words import day_text
from calfcare.core.levels import LEVEL_WORDS, Leg, Level
from calfcare.core.pain_stops import pain_check_after, stopped_calf
from calfcare.core.prescription import Prescription
from calfcare.core.records import (
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SpotHeight,
    SpotSide,
)
from calfcare.core.report_period import clean_name
from calfcare.core.report_series import (
    BETWEEN_LEGS_CM,
    BETWEEN_LEGS_SOURCES,
    MeasureChart,
    between_legs,
    mobility_charts,
    soreness_charts,
)
from calfcare.core.report_split_leg import experiments_in_period
from calfcare.core.safety_state import hold_history
from calfcare.core.session_effort import session_words
from calfcare.core.split_leg_result import ExperimentResult
from calfcare.core.timeline import Outcome


class SafetyKind(StrEnum):
    SCREENING = "screening"
    FOLLOW_UP = "follow_up"
    SHARP_PAIN_STOP = "sharp_pain_stop"
    HOLD = "hold"


KIND_WORDS = {
    SafetyKind.SCREENING: "Safety check",
    SafetyKind.FOLLOW_UP: "Next-day check",
    SafetyKind.SHARP_PAIN_STOP: "Session stopped for sharp pain",
    SafetyKind.HOLD: "Hold on massage",
}


@dataclass(frozen=True, slots=True)
class SafetyItem:
    """One safety fact, or several alike (the same result on several days)."""

    kind: SafetyKind
    level: Level | None
    headline: str
    days: tuple[date, ...]
    details: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        level = "" if self.level is None else f"{LEVEL_WORDS[self.level]}: "
        return f"{level}{KIND_WORDS[self.kind]}"

    @property
    def attention(self) -> bool:
        """Needs a clinician's eye: urgent or emergency, or a stop for sharp pain."""
        return self.level is None or self.level >= Level.URGENT

    @property
    def rank(self) -> int:
        """For the order: emergency, then urgent results and sharp-pain stops by day."""
        return Level.URGENT.rank if self.level is None else self.level.rank


@dataclass(frozen=True, slots=True)
class CalfTotals:
    leg: Leg
    sessions: int
    active_seconds: float
    planned_seconds: int
    """Planned time of the sessions that had a plan (coach sessions); 0 when none did."""
    holds: int


@dataclass(frozen=True, slots=True)
class SpotCount:
    leg: Leg
    height: SpotHeight
    side: SpotSide
    count: int


@dataclass(frozen=True, slots=True)
class PeriodReport:
    name: str | None
    first: date
    last: date
    safety: tuple[SafetyItem, ...]
    checks: int
    follow_ups: int
    sessions: int
    session_days: int
    outcomes: tuple[tuple[str, int], ...]
    calves: tuple[CalfTotals, ...]
    spots: tuple[SpotCount, ...]
    charts: tuple[MeasureChart, ...]
    between_legs: tuple[date, float, float] | None
    split_leg: tuple[ExperimentResult, ...]
    """The experiments that ran in the period, each analysed whole as of the day the report
    was made (`calfcare.core.report_split_leg`)."""
    prescription: Prescription | None = None
    """The clinician's prescription in force, if any."""
    adherence: tuple[WeekAdherence, ...] = ()
    """Its weeks that overlap the period, each counted whole (`core.adherence`)."""

    @property
    def period(self) -> str:
        days = (self.last - self.first).days + 1
        return f"{day_text(self.first)} to {day_text(self.last)} ({days} days)"

    @property
    def between_legs_note(self) -> str | None:
        """The last day both legs were tested, as numbers against the between-leg error."""
        if self.between_legs is None:
            return None
        day, left, right = self.between_legs
        return (
            f"Between legs on {day_text(day)}: left {left:.1f} cm, right {right:.1f} cm, "
            f"{abs(left - right):.1f} cm apart. A difference under {BETWEEN_LEGS_CM:g} cm is "
            "within measurement error (people after an ankle injury, Chisholm 2012)."
        )

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source the report's figures rest on, in order of first mention."""
        ids = [s for c in self.charts for s in c.sources]
        ids += list(BETWEEN_LEGS_SOURCES) if self.between_legs else []
        ids += [s for e in self.split_leg for s in e.primary.sources]
        return tuple(dict.fromkeys(ids))

    @property
    def split_leg_lines(self) -> tuple[tuple[str, str], ...]:
        """Each experiment's title and its registered outcome's headline, as the insights
        word it (progress until it is due, then the result)."""
        return tuple((experiment_title(e), e.primary.headline) for e in self.split_leg)

    @property
    def attention(self) -> int:
        """How many safety items need a clinician's eye."""
        return sum(item.attention for item in self.safety)


SPLIT_LEG_TITLES = {
    "next_day_soreness": "Next-day soreness",
    "same_session_soreness": "Soreness right after the session",
    "knee_to_wall": "Knee-to-wall gain over the session",
}


def experiment_title(e: ExperimentResult) -> str:
    """What a split-leg experiment asked, and when ("Next-day soreness: 14 days planned
    from 16 Mar 2026")."""
    title = SPLIT_LEG_TITLES[e.primary.outcome.value]
    if e.experiment is None:
        return f"{title}: days from before experiments were planned (not pre-registered)"
    start = day_text(e.experiment.start_day)
    return f"{title}: {e.experiment.planned_days} days planned from {start}"


def build_report(
    records: RecordSet,
    first: date,
    last: date,
    name: str | None = None,
    *,
    zone: tzinfo = UTC,
    today: date | None = None,
    safety_records: RecordSet | None = None,
    prescription: Prescription | None = None,
    prescribed_sessions: Iterable[SessionRecord] = (),
) -> PeriodReport:
    """The report of the records from ``first`` to ``last`` (records outside are ignored);
    a screening's day is its date in ``zone`` (the person's). The split-leg experiments
    that ran in the period are analysed whole, as of ``today`` (None: every day is past),
    from every record given (`calfcare.core.report_split_leg`). Holds and pain checks come
    from ``safety_records`` (every screening, clearance and pain check, whatever its day; by
    default ``records``): a hold that began before the period and was on in it is listed.
    With a ``prescription``, its weeks that overlap the period are counted from
    ``prescribed_sessions`` (every session of those weeks, `weeks_in_period`)."""
    r = _within(records.sorted(), first, last, zone)
    everything = records.sorted() if safety_records is None else safety_records.sorted()
    sessions = r.sessions
    outcomes = Counter(session_words(s.outcome, s.mostly_skipped) for s in sessions)
    return PeriodReport(
        name=clean_name(name),
        first=first,
        last=last,
        safety=safety_items(r, zone, everything=everything, period=(first, last)),
        checks=sum(s.kind is ScreeningKind.SCREENING for s in r.screenings),
        follow_ups=sum(s.kind is ScreeningKind.FOLLOW_UP for s in r.screenings),
        sessions=len(sessions),
        session_days=len({s.day for s in sessions}),
        outcomes=tuple(outcomes.most_common()),
        calves=tuple(_calf_totals(r, leg) for leg in Leg),
        spots=_spots(r),
        charts=(*soreness_charts(r.soreness), *mobility_charts(r.mobility)),
        between_legs=between_legs(r.mobility),
        split_leg=experiments_in_period(records, first, last, today=today, zone=zone),
        prescription=prescription,
        adherence=()
        if prescription is None
        else weeks_in_period(prescription, prescribed_sessions, first, last, today or last),
    )


def _within(r: RecordSet, first: date, last: date, zone: tzinfo) -> RecordSet:
    def inside(day: date) -> bool:
        return first <= day <= last

    return RecordSet(
        screenings=tuple(s for s in r.screenings if inside(s.taken_at.astimezone(zone).date())),
        sessions=tuple(s for s in r.sessions if inside(s.day)),
        soreness=tuple(s for s in r.soreness if inside(s.record.day)),
        mobility=tuple(m for m in r.mobility if inside(m.record.day)),
        notes=tuple(n for n in r.notes if inside(n.day)),
        split_leg_days=tuple(d for d in r.split_leg_days if inside(d.day)),
    )


def safety_items(
    r: RecordSet,
    zone: tzinfo = UTC,
    *,
    everything: RecordSet | None = None,
    period: tuple[date, date] | None = None,
) -> tuple[SafetyItem, ...]:
    """Urgent and emergency results one by one with what was found; other results grouped
    by what they said, with their days; every stop for sharp pain, and whether its pain was
    then said to have gone or been checked; every hold on in the period, and the clinician's
    clearance that lifted it (from ``everything``, as of the period's last day, by the safety
    state's own
    walk: `calfcare.core.safety_state.hold_history`). Most serious first."""
    items: list[SafetyItem] = []
    if everything is not None and period is not None:
        items += _holds(everything, period[1], zone, first=period[0])
    checks = () if everything is None else everything.pain_checks

    def day(s: ScreeningRecord) -> date:
        return s.taken_at.astimezone(zone).date()

    grouped: dict[tuple[SafetyKind, Level, str], list[ScreeningRecord]] = defaultdict(list)
    for s in r.screenings:
        kind = SafetyKind.SCREENING if s.kind is ScreeningKind.SCREENING else SafetyKind.FOLLOW_UP
        if s.verdict >= Level.URGENT:
            items.append(SafetyItem(kind, s.verdict, _headline(s), (day(s),), _findings([s])))
        else:
            grouped[(kind, s.verdict, _headline(s))].append(s)
    for (kind, level, headline), group in grouped.items():
        details = _findings(group) if level > Level.OK else ()
        items.append(SafetyItem(kind, level, headline, tuple(day(g) for g in group), details))
    for session in r.sessions:
        if session.outcome is Outcome.STOPPED_SHARP_PAIN:
            done = [c for c in session.calves if c.active_seconds > 0]
            calves = " and ".join(f"{c.leg.value} calf" for c in done) or "no calf yet"
            text = f"Stopped at once; massaged before the stop: {calves}."
            check = pain_check_after(session, checks)
            if everything is not None:
                calf = f"{stopped_calf(session).value} calf"
                text += (
                    f" Not yet said to have gone or been checked ({calf})."
                    if check is None
                    else f" Said to have gone or been checked ({calf}) on {day_text(check.day)}."
                )
            items.append(SafetyItem(SafetyKind.SHARP_PAIN_STOP, None, text, (session.day,)))
    items.sort(key=lambda i: (-i.rank, i.days[0], i.kind is SafetyKind.HOLD, i.kind.value))
    return tuple(items)


def _holds(records: RecordSet, last: date, zone: tzinfo, *, first: date) -> list[SafetyItem]:
    items = []
    for hold in hold_history(records, last, zone=zone):
        if hold.lifted_on is not None and hold.lifted_on < first:
            continue
        started = "a safety check" if hold.kind is ScreeningKind.SCREENING else "a next-day check"
        if hold.lifted_on is None:
            text = (
                f"On both calves since {day_text(hold.since)} (started by {started}); still on "
                "at the end of the period: only a clinician ruling out a clot lifts it."
            )
        else:
            recorded = hold.lifted_recorded or hold.lifted_on
            text = (
                f"On both calves from {day_text(hold.since)} (started by {started}) until "
                f"{day_text(hold.lifted_on)}, when a clinician ruled out a clot "
                f"(recorded {day_text(recorded)})."
            )
        items.append(SafetyItem(SafetyKind.HOLD, hold.level, text, (hold.since,)))
    return items


def _headline(s: ScreeningRecord) -> str:
    headline = s.report.get("headline")
    return headline if isinstance(headline, str) and headline.strip() else LEVEL_WORDS[s.verdict]


def _findings(group: Iterable[ScreeningRecord]) -> tuple[str, ...]:
    """What was found, as the person was told it (each message once)."""
    messages: list[str] = []
    for s in group:
        findings = s.report.get("findings")
        for f in findings if isinstance(findings, list) else []:
            message = f.get("message") if isinstance(f, dict) else None
            if isinstance(message, str) and message and message not in messages:
                messages.append(message)
    return tuple(messages)


def _calf_totals(r: RecordSet, leg: Leg) -> CalfTotals:
    calves = [c for s in r.sessions for c in s.calves if c.leg is leg]
    return CalfTotals(
        leg,
        sessions=sum(c.active_seconds > 0 for c in calves),
        active_seconds=sum(c.active_seconds for c in calves),
        planned_seconds=sum(c.planned_seconds or 0 for c in calves),
        holds=sum(len(c.holds) for c in calves),
    )


def _spots(r: RecordSet) -> tuple[SpotCount, ...]:
    counts = Counter((t.leg, t.height, t.side) for s in r.sessions for t in s.tender_spots)
    return tuple(
        SpotCount(leg, height, side, counts[(leg, height, side)])
        for leg in Leg
        for height in SpotHeight
        for side in SpotSide
    )
