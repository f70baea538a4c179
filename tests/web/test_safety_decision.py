"""One definition of the safety decision (issue 14): `blocked` and `pain_checks_due` in
`calfcare.core.safe_plan` are what the CLI's `check_not_held` / `pending_pain_checks` and the
web's gate (`calfcare.web.safety_gate.Gate`) decide from, over random histories."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet
from calfcare.core.routine import PlanOptions, Tool
from calfcare.core.safe_plan import (
    SafetyBlocked,
    blocked,
    check_not_held,
    options_under_safety,
    pain_checks_due,
    pending_pain_checks,
)
from calfcare.core.timeline import Outcome
from calfcare.web.safety_gate import Gate
from tests.core.test_safety_state import (
    AT,
    T0,
    TODAY,
    URGENT,
    WORDING,
    histories,
    scr,
    session,
    state,
)

LEG_ORDERS = st.lists(st.sampled_from(list(Leg)), min_size=1, max_size=2, unique=True)
STOPS = st.lists(
    st.tuples(st.integers(0, 6 * 24 * 60), st.sampled_from(list(Leg))), max_size=3
)  # sharp-pain stops: minutes after T0, the calf it stopped on


def _with_stops(records: RecordSet, stops: list[tuple[int, Leg]]) -> RecordSet:
    sessions = []
    for minutes, leg in stops:
        other = Leg.RIGHT if leg is Leg.LEFT else Leg.LEFT
        at = T0 + timedelta(minutes=minutes)
        sessions.append(session(at, Outcome.STOPPED_SHARP_PAIN, ((other, 90.0), (leg, 10.0))))
    return RecordSet(screenings=records.screenings, clearances=records.clearances,
                     sessions=tuple(sessions))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY)
def test_blocked_is_exactly_when_no_plan_is_made(
    history: tuple[RecordSet, Any], today: date
) -> None:
    s = state(history[0], today)
    assert Gate(s, None, "").blocked is blocked(s), "the web asks the core"
    if blocked(s):
        with pytest.raises(SafetyBlocked) as caught:
            check_not_held(s)
        assert caught.value.blocked_by in ("hold", "needs_screening")
        with pytest.raises(SafetyBlocked):
            options_under_safety(PlanOptions(tool=Tool.BALL), s, WORDING)
    else:
        check_not_held(s)  # no hold, no new screening needed: it lets the plan through


@settings(max_examples=300, deadline=None)
@given(histories(), TODAY, STOPS, LEG_ORDERS)
def test_pain_checks_due_are_the_pending_ones_in_the_order_asked(
    history: tuple[RecordSet, Any], today: date, stops: list[tuple[int, Leg]], legs: list[Leg]
) -> None:
    s = state(_with_stops(history[0], stops), today)
    due = pain_checks_due(s, legs)
    assert [p.leg for p in due] == [leg for leg in legs if s.legs[leg].pain_check is not None]
    assert all(s.legs[p.leg].pain_check == p for p in due)
    allowed = [p.leg for p in due if s.legs[p.leg].massage_allowed]
    assert pending_pain_checks(s, legs) == allowed, "the CLI's list is the allowed part"
    assert Gate(s, None, "").pain_checks(legs) == due, "the web asks the core"


def test_a_hold_blocks_and_a_pain_check_is_still_due_under_it() -> None:
    stop = session(AT, Outcome.STOPPED_SHARP_PAIN, ((Leg.LEFT, 90.0), (Leg.RIGHT, 10.0)))
    held = state(RecordSet(screenings=(scr(AT, URGENT, "u"),), sessions=(stop,)))
    assert blocked(held)
    assert [p.leg for p in pain_checks_due(held, list(Leg))] == [Leg.RIGHT]
    assert pending_pain_checks(held, list(Leg)) == [], "no calf is allowed during a hold"
    assert not blocked(state(RecordSet(sessions=(stop,))))
