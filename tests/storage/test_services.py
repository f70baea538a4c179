"""Use cases on both backends: export/import round trips, idempotence, hostile files leave
the database unchanged, check-ins with the follow-up, sessions from the engine."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from calfcare import services
from calfcare.core import export_format
from calfcare.core.errors import InvalidInput, SessionConflict
from calfcare.core.followup import FollowUpAnswers, followup_answers
from calfcare.core.levels import Leg
from calfcare.core.plan_json import parse_plan
from calfcare.core.records import (
    RecordSet,
    ScreeningKind,
    SessionRecord,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.replay import parse_events, replay
from calfcare.core.routine import Plan
from calfcare.storage import Store
from tests.storage import strategies
from tests.storage.test_store import clear

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"


def counts(store: Store) -> dict[str, int]:
    with store.transaction() as tx:
        return tx.counts()


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20, deadline=None
)
@given(records=strategies.record_sets)
def test_export_import_export_is_identical_and_idempotent(store: Store, records: RecordSet) -> None:
    clear(store)
    with store.transaction() as tx:
        tx.add_all(records)
    first = services.export_document(store)
    clear(store)
    summary = services.import_document(store, json.loads(export_format.dumps(first)), NOW)
    assert summary.added == records.counts()
    second = services.export_document(store)
    assert export_format.dumps(second) == export_format.dumps(first)
    again = services.import_document(store, first, NOW)
    assert sum(again.added.values()) == 0
    assert again.already_there == records.counts()
    assert export_format.dumps(services.export_document(store)) == export_format.dumps(first)


def _some_data(store: Store) -> dict[str, Any]:
    services.add_note(store, day=date(2026, 1, 1), text="ran 10 km", now=NOW)
    services.log_soreness(
        store, day=date(2026, 1, 1), scores={"left": 3, "right": 4}, moment="before", now=NOW
    )
    services.log_mobility(
        store, day=date(2026, 1, 1), distances={"left": 9.5}, moment="other", now=NOW
    )
    return services.export_document(store)


HOSTILE: list[tuple[str, Any, str]] = [
    ("wrong type", lambda d: d["soreness"][0].update(score="4"), "soreness.0.score"),
    ("out of range", lambda d: d["soreness"][0].update(score=11), "soreness.0.score"),
    ("unknown leg", lambda d: d["mobility"][0].update(leg="middle"), "mobility.0.leg"),
    ("future day", lambda d: d["notes"][0].update(day="2099-01-01"), "notes.0.day"),
    ("huge string", lambda d: d["notes"][0].update(text="x" * 100_000), "notes.0.text"),
    ("nul in text", lambda d: d["notes"][0].update(text="a\x00b"), "notes.0.text"),
    ("unknown version", lambda d: d.update(version=3), "version"),
    (
        "coin of no experiment",
        lambda d: d["split_leg_days"].append(
            {
                "day": "2026-01-01",
                "massaged": "left",
                "drawn_at": "2026-01-01T08:00:00+00:00",
                "experiment_id": "nope",
                "reported": None,
            }
        ),
        "split_leg_days.0.experiment_id",
    ),
    (
        "experiment too short",
        lambda d: d["split_leg_experiments"].append(
            {
                "id": "e1",
                "registered_at": "2026-01-01T08:00:00+00:00",
                "start_day": "2026-01-01",
                "planned_days": 3,
                "outcome": "next_day_soreness",
                "stopped_at": None,
            }
        ),
        "split_leg_experiments.0.planned_days",
    ),
    (
        "version 1 has no draw times",
        lambda d: (
            d.update(version=1),
            d.pop("split_leg_experiments"),
            d["split_leg_days"].append({"day": "2026-01-01", "massaged": "left", "drawn_at": None}),
        ),
        "split_leg_days.0.drawn_at",
    ),
    ("unknown field", lambda d: d["notes"][0].update(extra=1), "notes.0.extra"),
    ("bad id", lambda d: d["notes"][0].update(id="../../etc"), "notes.0.id"),
    (
        "duplicate id, other content",
        lambda d: d["notes"].append({**d["notes"][0], "text": "changed"}),
        "notes.2.id",
    ),
    ("not a list", lambda d: d.update(sessions={"a": 1}), "sessions"),
]


@pytest.mark.parametrize(("name", "spoil", "field"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_bad_documents_name_the_field_and_change_nothing(
    store: Store, name: str, spoil: Any, field: str
) -> None:
    document = _some_data(store)
    before = counts(store)
    bad = copy.deepcopy(document)
    bad["notes"].append({**bad["notes"][0], "id": "another-note"})  # would be new if accepted
    spoil(bad)
    with pytest.raises(InvalidInput) as error:
        services.import_document(store, bad, NOW)
    assert field in {p.field for p in error.value.problems}, error.value.problems
    assert counts(store) == before


def test_a_record_that_disagrees_with_the_stored_one_is_refused(store: Store) -> None:
    document = _some_data(store)
    before = counts(store)
    document["soreness"][0]["score"] = 9
    document["notes"].append({**document["notes"][0], "id": "new-one"})
    with pytest.raises(InvalidInput) as error:
        services.import_document(store, document, NOW)
    assert [p.field for p in error.value.problems] == ["soreness.0.id"]
    assert counts(store) == before


def test_deeply_nested_files_are_refused(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InvalidInput, match="not valid") as error:
        services.import_file(store, path, NOW)
    assert error.value.problems[0].field == "(file)"
    assert sum(counts(store).values()) == 0


def test_a_session_must_name_a_known_screening(store: Store) -> None:
    services.log_session(
        store, day=date(2026, 1, 1), tool="ball", legs=["left"], seconds_per_calf=120, now=NOW
    )
    document = services.export_document(store)
    document["sessions"][0]["screening_id"] = "nowhere"
    document["sessions"][0]["id"] = "other"
    with pytest.raises(InvalidInput) as error:
        services.import_document(store, document, NOW)
    assert [p.field for p in error.value.problems] == ["sessions.0.screening_id"]


def test_next_day_check_in_with_a_sign_is_urgent_and_audited(store: Store) -> None:
    followup = followup_answers(
        {
            "left": {"swelling": False, "redness": False, "warmth": "unsure"},
            "right": {"swelling": False, "redness": False, "warmth": False},
            "pe_signs": False,
        }
    )
    result = services.log_soreness(
        store, day=date(2026, 1, 1), scores={"left": 2}, moment="next_day", now=NOW,
        followup=followup,
    )  # fmt: skip
    assert result.escalated
    assert result.followup is not None and result.followup["verdict"] == "urgent"
    with store.transaction() as tx:
        (audit,) = tx.screenings()
    assert audit.kind is ScreeningKind.FOLLOW_UP and audit.verdict.value == "urgent"
    assert audit.answers["left"]["warmth"] == "unsure"


def test_next_day_check_in_needs_the_follow_up(store: Store) -> None:
    with pytest.raises(InvalidInput) as error:
        services.log_soreness(
            store, day=date(2026, 1, 1), scores={"left": 12}, moment="next_day", now=NOW
        )
    assert {p.field for p in error.value.problems} == {"left.score", "followup"}
    assert sum(counts(store).values()) == 0
    ok = services.log_soreness(
        store, day=date(2026, 1, 1), scores={"left": 2}, moment="next_day", now=NOW,
        followup=FollowUpAnswers.none(),
    )  # fmt: skip
    assert not ok.escalated


def _record_session(
    store: Store,
    plan: Plan,
    result: dict[str, Any],
    now: datetime,
    *spots: TenderSpot,
    **ids: str | None,
) -> SessionRecord:
    """A coach session built and saved, as the terminal coach does after a session."""
    record = services.session_from_result(plan, result, now, spots, **ids)
    services.save_session(store, record, now)
    return record


def test_a_coach_session_is_saved_with_its_tender_spots(store: Store) -> None:
    plan_file = next(iter(sorted(PLANS.glob("*.json"))))
    plan = parse_plan(json.loads(plan_file.read_text()))
    leg = plan.calves[0].leg
    events = parse_events([{"t": 20, "event": "tender_spot"}, {"t": 50, "event": "release"}])
    result = replay(plan, events, sharp_pain_advice="stop")
    spot = TenderSpot(leg, SpotHeight.MIDDLE, SpotSide.INNER)
    saved = _record_session(store, plan, result, NOW, spot)
    with store.transaction() as tx:
        (loaded,) = tx.sessions()
    assert loaded == saved
    assert loaded.tender_spots == (spot,)
    assert loaded.duration_seconds == result["duration_seconds"]
    assert [c.active_seconds for c in loaded.calves] == [
        c["active_seconds"] for c in result["calves"]
    ]
    assert [len(c.holds) for c in loaded.calves] == [len(c["holds"]) for c in result["calves"]]
    assert loaded.plan is not None and loaded.plan["tool"] == plan.tool.value
    assert Leg(loaded.calves[0].leg) is leg


def test_a_coach_session_can_keep_the_clients_id(store: Store) -> None:
    """The web coach names a session before uploading it: the same upload again saves
    nothing, a different session under that id is a conflict, wherever it is stored."""

    plan = parse_plan(json.loads(next(iter(sorted(PLANS.glob("*.json")))).read_text()))
    result = replay(plan, parse_events([{"t": 20, "event": "skip"}]), sharp_pain_advice="stop")
    saved = _record_session(store, plan, result, NOW, session_id="web-1")
    assert saved.id == "web-1"
    with store.reading() as tx:
        assert tx.session("web-1") == saved and tx.session("nope") is None
    again = _record_session(store, plan, result, NOW, session_id="web-1")
    assert again == saved
    assert services.save_session(store, saved) is False
    with store.reading() as tx:
        assert [s.id for s in tx.sessions()] == ["web-1"]
    later = NOW + timedelta(days=3)  # another day, other content
    with pytest.raises(SessionConflict):
        _record_session(store, plan, result, later, session_id="web-1")
    with pytest.raises(InvalidInput) as refused:
        _record_session(store, plan, result, NOW, session_id="web-2", screening_id="x")
    assert [p.field for p in refused.value.problems] == ["screening_id"]
    other = _record_session(store, plan, result, NOW)
    assert other.id not in ("web-1", "web-2")
