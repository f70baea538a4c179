"""The safety use cases on a real database (SQLite and PostgreSQL): an urgent follow-up holds
until a clearance and a new screening; a sharp-pain stop waits for a pain check; the state
is cached until the data changes; export and import carry the safety records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from calfcare import services
from calfcare.core.errors import ClientIdConflict, InvalidInput
from calfcare.core.followup import FollowUpAnswers, followup_answers
from calfcare.core.levels import Leg
from calfcare.core.records import CalfRecord, SessionRecord, SessionSource
from calfcare.core.routine import Tool
from calfcare.core.timeline import Outcome
from calfcare.services import safety as safety_services
from calfcare.storage import Store
from tests.conftest import screening_answers

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def fields(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {p.field for p in error.value.problems}


def urgent_follow_up(store: Store, now: datetime) -> None:
    signs = {"swelling": True, "redness": False, "warmth": False}
    no = dict.fromkeys(signs, False)
    services.log_soreness(
        store, day=services.today_of(now) - timedelta(days=1), scores={"left": 2},
        moment="next_day", now=now,
        followup=followup_answers({"left": signs, "right": no, "pe_signs": False}),
    )  # fmt: skip


def screen(store: Store, now: datetime, **general: Any) -> str:
    record, _ = safety_services.record_screening_answers(store, screening_answers(**general), now)
    return record.id


def test_an_urgent_follow_up_holds_until_a_clearance_and_a_new_screening(store: Store) -> None:
    with pytest.raises(InvalidInput) as nothing:
        safety_services.record_clearance(store, day=NOW.date(), now=NOW)
    assert fields(nothing) == {"hold"}
    urgent_follow_up(store, NOW)
    state = safety_services.safety_document(store, NOW)
    assert state["hold"]["level"] == "urgent" and state["screening_id"] is None
    later = NOW + timedelta(days=2)
    screen(store, later)  # nothing found: does not lift the hold
    state = safety_services.safety_document(store, later)
    assert state["hold"] is not None and state["screened_today"] is True
    assert not any(leg["massage_allowed"] for leg in state["legs"].values())
    with pytest.raises(InvalidInput) as early:
        safety_services.record_clearance(store, day=NOW.date() - timedelta(days=1), now=later)
    assert fields(early) == {"day"}
    with pytest.raises(InvalidInput) as future:
        safety_services.record_clearance(store, day=later.date() + timedelta(days=1), now=later)
    assert "day" in fields(future)
    cleared = safety_services.record_clearance(
        store, day=later.date(), now=later + timedelta(minutes=1), client_id="clr-1"
    )
    again = safety_services.record_clearance(
        store, day=later.date(), now=later + timedelta(minutes=2), client_id="clr-1"
    )
    assert again == (cleared[0], False) and cleared[1] is True
    with pytest.raises(ClientIdConflict):
        safety_services.record_clearance(
            store, day=NOW.date(), now=later + timedelta(minutes=2), client_id="clr-1"
        )
    state = safety_services.safety_document(store, later + timedelta(minutes=3))
    assert state["hold"] is None and state["needs_screening"] is True
    assert state["screening_id"] is None, "the screening before the clearance no longer counts"
    assert not any(leg["massage_allowed"] for leg in state["legs"].values())
    sid = screen(store, later + timedelta(minutes=4), anticoagulants=True)
    state = safety_services.safety_document(store, later + timedelta(minutes=5))
    assert state["screening_id"] == sid and state["needs_screening"] is False
    assert state["legs"]["left"] == {
        "massage_allowed": True,
        "deep_work_allowed": False,
        "pain_check_pending": False,
    }


def test_an_emergency_follow_up_holds_with_the_emergency_advice(store: Store) -> None:
    no = dict.fromkeys(("swelling", "redness", "warmth"), False)
    services.log_soreness(
        store, day=NOW.date() - timedelta(days=1), scores={"left": 2}, moment="next_day",
        now=NOW, followup=followup_answers({"left": no, "right": no, "pe_signs": "unsure"}),
    )  # fmt: skip
    hold = safety_services.safety_document(store, NOW)["hold"]
    assert hold["level"] == "emergency"
    assert hold["advice"].startswith("Call your local emergency number now")
    assert "nhs-dvt" in hold["sources"]


def stopped_session(store: Store, at: datetime) -> None:
    record = SessionRecord(
        id="s1", day=at.date(), started_at=at, source=SessionSource.COACH,
        tool=Tool.FOAM_ROLLER, intensity=None, outcome=Outcome.STOPPED_SHARP_PAIN,
        duration_seconds=120.0,
        calves=(CalfRecord(Leg.LEFT, 90, 90.0), CalfRecord(Leg.RIGHT, 90, 12.0)),
    )  # fmt: skip
    services.save_session(store, record)


def test_a_sharp_pain_stop_waits_for_a_pain_check(store: Store) -> None:
    with pytest.raises(InvalidInput) as none_waiting:
        safety_services.confirm_pain_checked(store, leg="right", now=NOW)
    assert fields(none_waiting) == {"leg"}
    stopped_session(store, NOW - timedelta(hours=3))
    state = safety_services.safety_document(store, NOW)
    assert state["legs"]["right"]["pain_check_pending"] is True
    assert state["legs"]["left"]["pain_check_pending"] is False
    assert [p["leg"] for p in state["pain_checks"]] == ["right"]
    with pytest.raises(InvalidInput) as bad:
        safety_services.confirm_pain_checked(store, leg="middle", now=NOW)
    assert fields(bad) == {"leg"}
    safety_services.confirm_pain_checked(store, leg="right", now=NOW, client_id="pc-1")
    assert safety_services.safety_document(store, NOW)["pain_checks"] == []
    safety_services.confirm_pain_checked(store, leg="right", now=NOW, client_id="pc-1")  # repeat


def test_the_state_is_cached_until_the_data_changes(store: Store) -> None:
    cache = services.ReadCache(store)
    first = safety_services.safety_state(store, NOW, cache)
    assert safety_services.safety_state(store, NOW, cache) is first
    urgent_follow_up(store, NOW)
    assert safety_services.safety_state(store, NOW, cache).hold is not None


def test_export_and_import_carry_the_safety_records(store: Store, tmp_path: Any) -> None:
    urgent_follow_up(store, NOW)
    stopped_session(store, NOW - timedelta(hours=1))
    safety_services.record_clearance(store, day=NOW.date(), now=NOW + timedelta(minutes=1))
    safety_services.confirm_pain_checked(store, leg="right", now=NOW + timedelta(minutes=2))
    text = services.export_text(services.load_records(store), "json")
    from calfcare.core import export_format
    from calfcare.storage import open_store

    other = open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        summary = services.import_document(other, export_format.loads(text), NOW)
        assert summary.added["clearances"] == 1 and summary.added["pain_checks"] == 1
        assert services.export_text(services.load_records(other), "json") == text
        assert services.import_document(
            other, export_format.loads(text), NOW
        ).added == dict.fromkeys(export_format.SECTIONS, 0)
        later = NOW + timedelta(minutes=5)
        assert safety_services.safety_document(other, later) == safety_services.safety_document(
            store, later
        )
    finally:
        other.close()


def test_no_new_signs_keeps_no_hold(store: Store) -> None:
    services.log_soreness(
        store, day=date(2026, 12, 2), scores={"left": 1}, moment="next_day", now=NOW,
        followup=FollowUpAnswers.none(),
    )  # fmt: skip
    assert safety_services.safety_document(store, NOW)["hold"] is None


def test_the_state_names_the_screening_it_read_with_it(store: Store) -> None:
    assert safety_services.state_with_screening(store, NOW) == (
        safety_services.safety_state(store, NOW),
        None,
    )
    screen(store, NOW - timedelta(days=1))  # yesterday's: not today's check
    newest = screen(store, NOW)
    state, record = safety_services.state_with_screening(store, NOW)
    assert state == safety_services.safety_state(store, NOW) and state.screening_id == newest
    with store.reading() as tx:
        assert record is not None and record == tx.screening(newest)
