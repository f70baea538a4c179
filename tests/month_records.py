"""A realistic month of calfcare use, deterministic, for the report and FHIR tests and docs.

One person, four weeks: a safety check before each session (a caution after a long flight;
one check where they were unsure about swelling, so urgent), a next-day follow-up after
each session (one with a new sign), coach sessions on most days with tender spots held, one
stopped for sharp pain, soreness before / after / next day, knee-to-wall twice a week, and a
split-leg experiment in the last two weeks. Each urgent result starts a hold that a
clinician's clearance lifts the next day (they saw a doctor); after the sharp-pain stop the
person says the pain has been checked the day after.

    python -m tests.month_records --db sqlite:////tmp/month.sqlite3   # to look at /report
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from bench.seed import screening_answers, screening_record, seed_store
from calfcare.core.accounts import Role
from calfcare.core.followup import FollowUpAnswers, as_screening_answers
from calfcare.core.levels import Leg
from calfcare.core.prescription import prescription
from calfcare.core.records import (
    CalfRecord,
    Clearance,
    Hold,
    Logged,
    Note,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.routine import Intensity, Tool
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)
from calfcare.storage import PERSONAL, Store

LAST_DAY = date(2026, 3, 29)
DAYS = 28
SHARP_PAIN_DAY = 9
LONG_FLIGHT_DAY = 4
UNSURE_SWELLING_DAY = 12
FOLLOW_UP_SIGN_DAY = 6
REST_DAYS = {3, 10, 13, 17, 24}
SPLIT_LEG_FROM = 14


def a_month(
    seed: int = 7,
    last_day: date = LAST_DAY,
    *,
    follow_up_signs: Collection[int] = (FOLLOW_UP_SIGN_DAY,),
    long_flights: Collection[int] = (LONG_FLIGHT_DAY,),
    unsure_swelling: Collection[int] = (UNSURE_SWELLING_DAY,),
    sharp_pain: Collection[int] = (SHARP_PAIN_DAY,),
) -> RecordSet:
    """Four weeks ending on ``last_day``; the same records for the same seed. The keywords
    say on which days (0 is the first) things go wrong: none for a quiet month, many for a
    busy one (`a_quiet_month`, `a_busy_month`)."""
    rng = random.Random(seed)
    first = last_day - timedelta(days=DAYS - 1)
    screenings: list[ScreeningRecord] = []
    sessions: list[SessionRecord] = []
    soreness: list[Logged[SorenessCheckIn]] = []
    mobility: list[Logged[MobilityTest]] = []
    notes: list[Note] = []
    coins: list[SplitLegDay] = []
    clearances: list[Clearance] = []
    pain_checks: list[PainCheck] = []
    base_cm = {Leg.LEFT: 9.0, Leg.RIGHT: 10.6}
    previous_session: date | None = None
    for i in range(DAYS):
        day = first + timedelta(days=i)
        at = datetime.combine(day, time(18, 30), UTC)
        if previous_session == day - timedelta(days=1):
            signs = FollowUpAnswers.none()
            if i in follow_up_signs:
                signs = FollowUpAnswers(
                    left={"swelling": False, "redness": False, "warmth": "unsure"},
                    right=dict(signs.right),
                    pe_signs=False,
                )
            data = as_screening_answers(signs).to_json()
            follow_up = screening_record(
                f"fu{i:02d}", ScreeningKind.FOLLOW_UP, at - timedelta(hours=10), data
            )
            screenings.append(follow_up)
            if follow_up.verdict.rank >= 3:  # urgent: they see a doctor, no session that day
                clearances.append(_cleared(day, i))
                continue
        if i in REST_DAYS:
            continue
        general: dict[str, object] = {}
        if i in long_flights:
            general["long_journey"] = True
        data = screening_answers(**general)
        if i in unsure_swelling:
            data["left"]["swelling"] = "unsure"
        check = screening_record(
            f"sc{i:02d}", ScreeningKind.SCREENING, at - timedelta(minutes=4), data
        )
        screenings.append(check)
        if check.verdict.rank >= 3:  # urgent: no session that day; a doctor the next
            clearances.append(_cleared(day + timedelta(days=1), i))
            continue
        split = i >= SPLIT_LEG_FROM
        if split:
            coins.append(SplitLegDay(day, rng.choice(list(Leg))))
        legs = [coins[-1].massaged] if split else list(Leg)
        sid = f"se{i:02d}"
        outcome = Outcome.STOPPED_SHARP_PAIN if i in sharp_pain else Outcome.COMPLETED
        calves = []
        for n, leg in enumerate(legs):
            active = 180.0 if outcome is Outcome.COMPLETED else (95.0 if n == 0 else 0.0)
            start = 40.0 + rng.uniform(0, 60)
            hold = Hold(start, start + 25, 25.0)
            calves.append(CalfRecord(leg, 180, active, (hold,) if active > 60 else ()))
        spots = tuple(
            TenderSpot(
                leg,
                rng.choice([SpotHeight.MIDDLE, SpotHeight.MIDDLE, SpotHeight.UPPER]),
                rng.choice([SpotSide.INNER, SpotSide.INNER, SpotSide.OUTER]),
            )
            for leg in legs
            if rng.random() < 0.8
        )
        duration = sum(c.active_seconds for c in calves) + 20
        sessions.append(
            SessionRecord(
                sid, day, at, SessionSource.COACH, Tool.FOAM_ROLLER,
                Intensity.GENTLE if check.verdict.rank == 1 else Intensity.STANDARD,
                outcome, duration, tuple(calves), spots, None, check.id,
            )
        )  # fmt: skip
        previous_session = day
        if outcome is Outcome.STOPPED_SHARP_PAIN:
            checked = datetime.combine(day + timedelta(days=1), time(12), UTC)
            pain_checks.append(PainCheck(f"pc{i:02d}", legs[0], checked.date(), checked))
        for leg in Leg:
            before = max(0, min(10, round(4 - i / 10 + rng.gauss(0, 1))))
            massaged = leg in legs
            after = max(0, before - (1 if massaged and rng.random() < 0.6 else 0))
            next_day = max(0, min(10, before + rng.choice([-1, 0, 0, 1]) - massaged))
            moments = [(SorenessMoment.BEFORE, before), (SorenessMoment.AFTER, after)]
            if day < last_day:
                moments.append((SorenessMoment.NEXT_DAY, next_day))
            if i in sharp_pain and leg is legs[0]:
                moments[1] = (SorenessMoment.AFTER, 6)
            for moment, score in moments:
                rid = f"so{i:02d}{leg.value[0]}{moment.value[0]}"
                taken = at + (
                    timedelta(days=1) if moment is SorenessMoment.NEXT_DAY else timedelta()
                )
                soreness.append(Logged(rid, taken, SorenessCheckIn(day, leg, moment, score, sid)))
        if day.weekday() in (0, 3) or split:
            for leg in Leg:
                cm = round(base_cm[leg] + i * 0.05 + rng.gauss(0, 0.5), 1)
                rid = f"mo{i:02d}{leg.value[0]}"
                test = MobilityTest(day, leg, MobilityMoment.BEFORE, cm, sid)
                mobility.append(Logged(rid, at, test))
                if split:
                    gain = 0.6 if leg in legs else 0.1
                    after_cm = round(cm + gain + rng.gauss(0, 0.3), 1)
                    test = MobilityTest(day, leg, MobilityMoment.AFTER, after_cm, sid)
                    mobility.append(Logged(f"{rid}a", at + timedelta(minutes=9), test))
        if i % 7 == 2:
            notes.append(Note(f"no{i:02d}", day, at, "Ran 8 km; calves tight."))
    return RecordSet(
        tuple(screenings), tuple(sessions), tuple(soreness), tuple(mobility), tuple(notes),
        tuple(coins), clearances=tuple(clearances), pain_checks=tuple(pain_checks),
    ).sorted()  # fmt: skip


def a_quiet_month() -> RecordSet:
    """The same month with nothing that needed care: every check clear, no stop."""
    return a_month(follow_up_signs=(), long_flights=(), unsure_swelling=(), sharp_pain=())


def a_busy_month() -> RecordSet:
    """The same month with a lot going on: urgent checks (each with its hold and the
    clearance the next day), next-day signs, long journeys and sharp-pain stops."""
    return a_month(
        follow_up_signs=(2, 6, 16, 23),
        long_flights=(4, 11, 18, 25),
        unsure_swelling=(1, 8, 12, 15, 20, 26),
        sharp_pain=(5, 9, 19, 22),
    )


def prescribe_the_month(store: Store) -> None:
    """A physio's prescription from the month's first Monday: 3 gentle foam-roller sessions
    a week, 2:30 per calf, for 6 weeks (the report's adherence section)."""
    at = datetime(2026, 3, 1, tzinfo=UTC)
    rx = prescription(calves=["left", "right"], tools=[Tool.FOAM_ROLLER],
                      intensity_cap=Intensity.GENTLE, seconds_per_calf=150,
                      sessions_per_week=3, weeks=6, start_day=date(2026, 3, 2))  # fmt: skip
    with store.accounts() as accounts:
        physio = accounts.add_account("physio", "not-a-hash", Role.CLINICIAN, at)
    with store.clinic() as clinic:
        clinic.add_prescription(PERSONAL, physio.id, rx, at)


def _cleared(day: date, i: int) -> Clearance:
    """A clinician ruled out a clot on ``day``, recorded that afternoon."""
    return Clearance(f"cl{i:02d}", day, datetime.combine(day, time(15), UTC))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a database URL to fill (created if new)")
    args = parser.parse_args()
    seed_store(args.db, a_month())


if __name__ == "__main__":
    main()
