"""The safety state (issue 11): holds, clearances, today's screening, sharp-pain checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.content.safety import load_safety_wording
from calfcare.core.answers import parse_answers
from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    CalfRecord,
    Clearance,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
)
from calfcare.core.routine import Tool
from calfcare.core.safety_state import (
    SafetyState,
    hold_history,
    hold_on,
    safety_json,
    safety_state,
)
from calfcare.core.screening import screen
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS
from calfcare.core.timeline import Outcome

WORDING = load_safety_wording()
DAY = date(2026, 12, 3)
T0 = datetime(2026, 12, 1, 8, tzinfo=UTC)


def answers(**changes: Any) -> dict[str, Any]:
    """All "no" on both calves; ``general_x=True`` or ``left_x=True`` change one answer."""
    data: dict[str, Any] = {
        "contract": 1,
        "legs": ["left", "right"],
        "general": dict.fromkeys(GENERAL_QUESTION_IDS, False),
        "left": dict.fromkeys(LEG_QUESTION_IDS, False),
        "right": dict.fromkeys(LEG_QUESTION_IDS, False),
    }
    for key, value in changes.items():
        scope, rule = key.split("_", 1)
        data[scope][rule] = value
    return data


OK = answers()
CAUTION = answers(general_anticoagulants=True)
AVOID_LEFT = answers(left_open_wound=True)
URGENT = answers(left_swelling=True)
EMERGENCY = answers(general_pe_signs="unsure")


def scr(
    at: datetime, data: dict[str, Any], id: str, kind: ScreeningKind = ScreeningKind.SCREENING
) -> ScreeningRecord:
    parsed = parse_answers(data)
    return ScreeningRecord(id, kind, at, 1, screen(parsed).verdict, parsed.to_json(), {})


def clear(at: datetime, id: str = "c", day: date | None = None) -> Clearance:
    return Clearance(id, day or at.date(), at)


def state(records: RecordSet, today: date = DAY) -> SafetyState:
    return safety_state(records, today, zone=UTC, wording=WORDING)


def flags(s: SafetyState) -> dict[str, tuple[bool, bool]]:
    return {leg.value: (v.massage_allowed, v.deep_work_allowed) for leg, v in s.legs.items()}


ALL_FALSE = {"left": (False, False), "right": (False, False)}
ALL_TRUE = {"left": (True, True), "right": (True, True)}
AT = datetime(2026, 12, 3, 9, tzinfo=UTC)


def test_no_records_allows_what_a_plan_without_screening_uses() -> None:
    s = state(RecordSet())
    assert (s.hold, s.screening_id, s.needs_screening) == (None, None, None)
    assert flags(s) == ALL_TRUE
    assert safety_json(s) == {
        "contract": 1,
        "day": "2026-12-03",
        "screened_today": False,
        "screening_id": None,
        "legs": {
            "left": {
                "massage_allowed": True,
                "deep_work_allowed": True,
                "pain_check_pending": False,
            },
            "right": {
                "massage_allowed": True,
                "deep_work_allowed": True,
                "pain_check_pending": False,
            },
        },
        "hold": None,
        "needs_screening": False,
        "needs_screening_text": None,
        "pain_checks": [],
    }


def test_todays_latest_screening_gives_the_flags() -> None:
    records = RecordSet(
        screenings=(scr(AT, OK, "a"), scr(AT + timedelta(hours=1), AVOID_LEFT, "b"))
    )
    s = state(records)
    assert s.screening_id == "b" and s.screened_today
    assert flags(s) == {"left": (False, False), "right": (True, True)}
    caution = state(RecordSet(screenings=(scr(AT, CAUTION, "a"),)))
    assert flags(caution) == {"left": (True, False), "right": (True, False)}


def test_yesterdays_screening_does_not_count_today() -> None:
    s = state(RecordSet(screenings=(scr(AT - timedelta(days=1), AVOID_LEFT, "a"),)))
    assert s.screening_id is None and flags(s) == ALL_TRUE


def test_a_follow_up_is_not_todays_screening() -> None:
    s = state(RecordSet(screenings=(scr(AT, OK, "f", ScreeningKind.FOLLOW_UP),)))
    assert s.screening_id is None


def test_urgent_follow_up_holds_across_days_and_an_all_clear_does_not_lift_it() -> None:
    follow = scr(AT - timedelta(days=2), URGENT, "f", ScreeningKind.FOLLOW_UP)
    records = RecordSet(screenings=(follow, scr(AT, OK, "ok")))
    s = state(records)
    assert s.hold is not None
    assert s.hold.level is Level.URGENT and s.hold.since == date(2026, 12, 1)
    assert s.hold.started_by == "f" and s.hold.kind is ScreeningKind.FOLLOW_UP
    assert flags(s) == ALL_FALSE
    assert s.screening_id == "ok"  # a screening today, but it does not lift the hold
    advice = WORDING.screening.advice(Level.URGENT)
    assert s.hold.advice == advice.text and s.hold.sources == advice.sources
    assert "next-day check-in" in s.hold.reason and "left calf" in s.hold.reason
    body = safety_json(s)["hold"]
    assert body["level"] == "urgent" and body["since"] == "2026-12-01"


def test_emergency_raises_the_level_and_keeps_the_start() -> None:
    records = RecordSet(
        screenings=(scr(AT - timedelta(days=1), URGENT, "u"), scr(AT, EMERGENCY, "e"))
    )
    s = state(records)
    assert s.hold is not None and s.hold.level is Level.EMERGENCY
    assert s.hold.since == date(2026, 12, 2) and s.hold.started_by == "e"
    assert s.hold.advice == WORDING.screening.advice(Level.EMERGENCY).text


def test_clearance_lifts_and_a_new_screening_is_needed() -> None:
    hold = scr(AT - timedelta(days=1), URGENT, "u")
    before = scr(AT, OK, "before")
    c = clear(AT + timedelta(hours=1))
    s = state(RecordSet(screenings=(hold, before), clearances=(c,)))
    assert s.hold is None and s.needs_screening == WORDING.needs_screening
    assert s.screening_id is None and not s.screened_today  # before the clearance: not counted
    assert flags(s) == ALL_FALSE
    after = scr(AT + timedelta(hours=2), CAUTION, "after")
    s = state(RecordSet(screenings=(hold, before, after), clearances=(c,)))
    assert s.needs_screening is None and s.screening_id == "after"
    assert flags(s) == {"left": (True, False), "right": (True, False)}
    # A day later, the screening no longer counts: the no-screening defaults.
    later = state(RecordSet(screenings=(hold, before, after), clearances=(c,)), DAY + timedelta(1))
    assert later.screening_id is None and flags(later) == ALL_TRUE


def test_needs_screening_lasts_across_days() -> None:
    records = RecordSet(
        screenings=(scr(AT - timedelta(days=3), URGENT, "u"),),
        clearances=(clear(AT - timedelta(days=2)),),
    )
    s = state(records)
    assert s.hold is None and s.needs_screening and flags(s) == ALL_FALSE


def test_a_clearance_dated_before_the_hold_or_recorded_before_it_does_not_lift_it() -> None:
    urgent = scr(AT, URGENT, "u")
    early_day = Clearance("c", DAY - timedelta(days=1), AT + timedelta(hours=1))
    assert state(RecordSet(screenings=(urgent,), clearances=(early_day,))).hold is not None
    recorded_before = clear(AT - timedelta(hours=1))
    assert state(RecordSet(screenings=(urgent,), clearances=(recorded_before,))).hold is not None


def test_a_clearance_with_no_hold_changes_nothing() -> None:
    records = RecordSet(screenings=(scr(AT, CAUTION, "a"),), clearances=(clear(AT + timedelta(1)),))
    s = state(records, DAY + timedelta(days=1))
    assert s.needs_screening is None and flags(s) == ALL_TRUE


def test_records_after_the_day_are_left_out() -> None:
    s = state(RecordSet(screenings=(scr(AT + timedelta(days=1), URGENT, "u"),)))
    assert s.hold is None


def session(at: datetime, outcome: Outcome, calves: tuple[tuple[Leg, float], ...]) -> SessionRecord:
    return SessionRecord(
        id=f"s{int(at.timestamp())}",
        day=at.date(),
        started_at=at,
        source=SessionSource.COACH,
        tool=Tool.FOAM_ROLLER,
        intensity=None,
        outcome=outcome,
        duration_seconds=100.0,
        calves=tuple(CalfRecord(leg, 90, seconds) for leg, seconds in calves),
    )


def test_sharp_pain_stop_waits_for_a_pain_check_on_the_calf_it_stopped_on() -> None:
    stop = session(AT, Outcome.STOPPED_SHARP_PAIN, ((Leg.LEFT, 90.0), (Leg.RIGHT, 10.0)))
    s = state(RecordSet(sessions=(stop,)))
    assert s.legs[Leg.RIGHT].pain_check is not None and s.legs[Leg.LEFT].pain_check is None
    due = s.legs[Leg.RIGHT].pain_check
    assert (
        due is not None and due.advice == WORDING.sharp_pain_advice and "right calf" in due.question
    )
    assert flags(s) == ALL_TRUE  # it asks first; it does not forbid
    assert safety_json(s)["legs"]["right"]["pain_check_pending"] is True
    before = PainCheck("p0", Leg.RIGHT, DAY, AT)  # before the stop ended: not a check of it
    assert state(RecordSet(sessions=(stop,), pain_checks=(before,))).pain_checks
    after = PainCheck("p1", Leg.RIGHT, DAY, AT + timedelta(hours=1))
    assert state(RecordSet(sessions=(stop,), pain_checks=(after,))).pain_checks == ()
    done = session(AT, Outcome.COMPLETED, ((Leg.LEFT, 90.0),))
    assert state(RecordSet(sessions=(done,))).pain_checks == ()


# -- properties ------------------------------------------------------------------------------

KINDS = st.sampled_from(["ok", "caution", "avoid", "urgent", "emergency", "follow_ok", "clear"])
ANSWERS = {
    "ok": OK,
    "caution": CAUTION,
    "avoid": AVOID_LEFT,
    "urgent": URGENT,
    "emergency": EMERGENCY,
    "follow_ok": OK,
}


@st.composite
def histories(draw: st.DrawFn) -> tuple[RecordSet, list[tuple[datetime, str, date | None]]]:
    steps = draw(
        st.lists(
            st.tuples(KINDS, st.integers(0, 6 * 24 * 60), st.integers(-3, 3)),
            max_size=12,
        )
    )
    screenings: list[ScreeningRecord] = []
    clearances: list[Clearance] = []
    story: list[tuple[datetime, str, date | None]] = []
    for i, (kind, minutes, shift) in enumerate(steps):
        at = T0 + timedelta(minutes=minutes)
        if kind == "clear":
            day = at.date() + timedelta(days=min(shift, 0))
            clearances.append(Clearance(f"c{i}", day, at))
            story.append((at, kind, day))
        else:
            follow = ScreeningKind.FOLLOW_UP if kind == "follow_ok" else ScreeningKind.SCREENING
            if kind == "urgent" and shift > 0:
                follow = ScreeningKind.FOLLOW_UP
            screenings.append(scr(at, ANSWERS[kind], f"s{i}", follow))
            story.append((at, kind, None))
    return RecordSet(screenings=tuple(screenings), clearances=tuple(clearances)), story


TODAY = st.integers(0, 7).map(lambda n: T0.date() + timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY)
def test_no_sequence_lifts_a_hold_without_a_clearance(
    history: tuple[RecordSet, list[tuple[datetime, str, date | None]]], today: date
) -> None:
    records, story = history
    s = state(records, today)
    seen = [(at, kind) for at, kind, _ in story if at.date() <= today]
    starts = [at for at, kind in seen if kind in ("urgent", "emergency")]
    if starts and not any(kind == "clear" and at > min(starts) for at, kind in seen):
        assert s.hold is not None
        assert flags(s) == ALL_FALSE


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY)
def test_flags_are_false_during_a_hold_and_deep_needs_massage(
    history: tuple[RecordSet, Any], today: date
) -> None:
    s = state(history[0], today)
    for leg in s.legs.values():
        assert leg.massage_allowed or not leg.deep_work_allowed
        if s.hold is not None or s.needs_screening is not None:
            assert not leg.massage_allowed
    body = safety_json(s)
    assert (body["hold"] is None) is (s.hold is None)
    assert body["screened_today"] is (body["screening_id"] is not None)


@settings(max_examples=200, deadline=None)
@given(histories(), TODAY, st.randoms(use_true_random=False))
def test_the_order_records_are_given_in_does_not_matter(
    history: tuple[RecordSet, Any], today: date, rnd: Any
) -> None:
    records = history[0]
    shuffled = list(records.screenings)
    rnd.shuffle(shuffled)
    again = RecordSet(screenings=tuple(shuffled), clearances=tuple(reversed(records.clearances)))
    assert safety_json(state(records, today)) == safety_json(state(again, today))


@settings(max_examples=200, deadline=None)
@given(histories(), TODAY)
def test_screening_id_is_a_full_screening_of_today(
    history: tuple[RecordSet, Any], today: date
) -> None:
    records = history[0]
    s = state(records, today)
    if s.screening_id is not None:
        (found,) = [r for r in records.screenings if r.id == s.screening_id]
        assert found.kind is ScreeningKind.SCREENING and found.taken_at.date() == today
        assert s.needs_screening is None


@settings(max_examples=200, deadline=None)
@given(histories(), TODAY, st.integers(0, 3 * 24 * 60))
def test_an_all_clear_screening_never_lifts_a_hold(
    history: tuple[RecordSet, Any], today: date, minutes: int
) -> None:
    records = history[0]
    before = state(records, today)
    at = datetime.combine(today, datetime.min.time(), UTC) + timedelta(minutes=minutes % 1440)
    more = RecordSet(
        screenings=(*records.screenings, scr(at, OK, "zz")), clearances=records.clearances
    )
    after = state(more, today)
    if before.hold is not None:
        assert after.hold is not None and after.hold.level >= before.hold.level


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY)
def test_the_hold_history_ends_in_the_states_own_hold(
    history: tuple[RecordSet, Any], today: date
) -> None:
    """The report's holds (`hold_history`) come from the same walk: its last hold is open
    exactly when the state has one, with the same start and level; lifted holds were lifted
    by a clearance dated on or after their start."""
    s = state(history[0], today)
    spans = hold_history(history[0], today, zone=UTC)
    open_spans = [h for h in spans if h.lifted_on is None]
    assert len(open_spans) == (s.hold is not None)
    if s.hold is not None:
        assert spans[-1].lifted_on is None
        assert (spans[-1].since, spans[-1].level) == (s.hold.since, s.hold.level)
    for h in spans:
        assert h.lifted_on is None or h.since <= h.lifted_on <= today
    assert [h.since for h in spans] == sorted(h.since for h in spans)


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY)
def test_hold_on_is_the_states_hold_without_its_words(
    history: tuple[RecordSet, Any], today: date
) -> None:
    """`hold_on` (what `calfcare screen` says after a check, without loading the wording)
    agrees with the state: on exactly when it is, with the same start and level."""
    s = state(history[0], today)
    hold = hold_on(history[0], today, zone=UTC)
    assert (hold is None) is (s.hold is None)
    if hold is not None and s.hold is not None:
        assert (hold.since, hold.level) == (s.hold.since, s.hold.level)
