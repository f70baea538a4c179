"""The export document: canonical, strict, and bounded against hostile files."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings

from calfcare.core import export_format
from calfcare.core.errors import InvalidInput
from calfcare.core.records import RecordSet
from tests.storage import strategies

TODAY = date(2026, 1, 2)


def problems(data: object) -> set[str]:
    with pytest.raises(InvalidInput) as error:
        export_format.from_document(data, today=TODAY)
    return {p.field for p in error.value.problems}


@settings(max_examples=50, deadline=None)
@given(records=strategies.record_sets)
def test_any_records_survive_the_document(records: RecordSet) -> None:
    text = export_format.dumps(export_format.to_document(records))
    parsed = export_format.from_document(export_format.loads(text), today=TODAY)
    assert parsed.records == records
    assert export_format.dumps(export_format.to_document(parsed.records)) == text


def test_empty_document() -> None:
    empty = export_format.to_document(RecordSet())
    assert export_format.from_document(empty, today=TODAY).records == RecordSet()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ([], {"(root)"}),
        ({"format": "other", "version": 1}, {"format"}),
        ({"format": "calfcare-export", "version": 3}, {"version"}),
        (
            {"format": "calfcare-export", "version": 1, "split_leg_experiments": []},
            {"split_leg_experiments"},
        ),
        ({"format": "calfcare-export", "version": True}, {"version"}),
        ({"format": "calfcare-export", "version": 1, "extra": []}, {"extra"}),
        ({"format": "calfcare-export", "version": 1, "notes": [1]}, {"notes.0"}),
    ],
)
def test_bad_documents(data: object, fields: set[str]) -> None:
    assert problems(data) == fields


def _doc(**sections: Any) -> dict[str, Any]:
    return {"format": "calfcare-export", "version": 1, **sections}


def test_a_version_1_document_still_imports_its_coins_without_times() -> None:
    old = _doc(split_leg_days=[{"day": "2025-12-01", "massaged": "left"}])
    (coin,) = export_format.from_document(old, today=TODAY).records.split_leg_days
    assert coin.drawn_at is None and coin.experiment_id is None
    assert problems(
        _doc(split_leg_days=[{"day": "2025-12-01", "massaged": "left", "drawn_at": None}])
    ) == {"split_leg_days.0.drawn_at"}


def test_version_2_experiments_and_coins() -> None:
    experiment = {
        "id": "e1",
        "registered_at": "2025-12-01T07:00:00+00:00",
        "start_day": "2025-12-01",
        "planned_days": 14,
        "outcome": "next_day_soreness",
        "stopped_at": None,
    }
    coin = {
        "day": "2025-12-01",
        "massaged": "left",
        "drawn_at": "2025-12-01T08:00:00+00:00",
        "experiment_id": "e1",
        "reported": "both",
    }
    doc = {**_doc(split_leg_days=[coin], split_leg_experiments=[experiment]), "version": 2}
    records = export_format.from_document(doc, today=TODAY).records
    assert records.split_leg_experiments[0].planned_days == 14
    assert records.split_leg_days[0].reported == "both"
    bad = {
        **experiment,
        "planned_days": 61,
        "outcome": "same_session_soreness",
        "start_day": "2099-01-01",
    }
    bad_coin = {**coin, "reported": "one", "drawn_at": "noon"}
    doc = {**_doc(split_leg_days=[bad_coin], split_leg_experiments=[bad]), "version": 2}
    assert problems(doc) == {
        "split_leg_experiments.0.planned_days", "split_leg_experiments.0.outcome",
        "split_leg_experiments.0.start_day", "split_leg_days.0.drawn_at",
        "split_leg_days.0.reported",
    }  # fmt: skip
    # An experiment's start day is never filled in (it would start on the day of the import).
    no_start = {k: v for k, v in experiment.items() if k != "start_day"}
    doc = {**_doc(split_leg_experiments=[no_start]), "version": 2}
    assert problems(doc) == {"split_leg_experiments.0.start_day"}
    doc = {**_doc(split_leg_experiments=[{**experiment, "start_day": None}]), "version": 2}
    assert problems(doc) == {"split_leg_experiments.0.start_day"}


def test_safety_records_are_optional_sections_of_version_2() -> None:
    clearance = {"id": "c1", "day": "2025-12-01", "recorded_at": "2025-12-02T07:00:00+00:00"}
    check = {
        "id": "p1",
        "day": "2025-12-02",
        "leg": "left",
        "recorded_at": "2025-12-02T08:00:00+00:00",
    }
    doc = {**_doc(clearances=[clearance], pain_checks=[check]), "version": 2}
    records = export_format.from_document(doc, today=TODAY).records
    assert records.clearances[0].day == date(2025, 12, 1)
    assert records.pain_checks[0].leg == "left"
    text = export_format.dumps(export_format.to_document(records))
    assert export_format.loads(text)["clearances"][0]["recorded_at"].endswith(".000000+00:00")  # type: ignore[index]
    # Without the sections (a version 2 export from before them) it still reads.
    assert export_format.from_document({**_doc(), "version": 2}, today=TODAY).records == RecordSet()
    # Version 1 had no such sections.
    assert problems(_doc(clearances=[])) == {"clearances"}
    bad = {**check, "leg": "middle", "day": "2099-01-01"}
    bad_clearance = {**clearance, "recorded_at": "soon"}
    doc = {**_doc(clearances=[bad_clearance], pain_checks=[bad]), "version": 2}
    assert problems(doc) == {
        "clearances.0.recorded_at", "pain_checks.0.leg", "pain_checks.0.day",
    }  # fmt: skip


def test_every_bad_field_is_named_with_its_path() -> None:
    soreness = {"id": "s1", "recorded_at": "2026-01-01T08:00:00+00:00", "day": "2026-01-01",
                "leg": "middle", "moment": "before", "score": 11, "session_id": None}  # fmt: skip
    session = {"id": "x", "day": "2030-01-01", "started_at": "yesterday", "source": "manual",
               "tool": "stick", "intensity": None, "outcome": "completed",
               "duration_seconds": float("inf"),
               "calves": [{"leg": "left", "planned_seconds": None, "active_seconds": 1,
                           "holds": [{"start": "a", "end": 1, "seconds": 1}]}],
               "tender_spots": [], "plan": None, "screening_id": None}  # fmt: skip
    found = problems(_doc(soreness=[soreness], sessions=[session]))
    assert found == {
        "soreness.0.leg", "soreness.0.score", "sessions.0.day", "sessions.0.started_at",
        "sessions.0.tool", "sessions.0.duration_seconds", "sessions.0.calves.0.holds.0.start",
    }  # fmt: skip


def test_a_screening_verdict_must_match_the_rules() -> None:
    answers = {
        "legs": ["left"],
        "general": dict.fromkeys(
            [
                "pe_signs",
                "clot_suspected",
                "clot_diagnosed",
                "fever_or_unwell",
                "anticoagulants",
                "bleeding_disorder",
                "poor_sensation_or_circulation",
                "recent_surgery_or_immobility",
                "long_journey",
                "pregnant_or_postpartum",
                "active_cancer",
                "previous_clot",
            ],
            False,
        ),
    }
    leg = dict.fromkeys(["swelling", "redness", "warmth", "hard_veins", "pain", "open_wound",
                         "skin_infection", "acute_inflammation", "recent_injury",
                         "severe_varicose_veins"], False)  # fmt: skip
    answers.update(left={**leg, "swelling": True}, right=leg)
    screening = {"id": "a", "kind": "screening", "taken_at": "2026-01-01T08:00:00Z",
                 "contract_version": 1, "verdict": "ok", "answers": answers,
                 "report": {}}  # fmt: skip
    assert problems(_doc(screenings=[screening])) == {"screenings.0.verdict"}
    screening["answers"] = {**answers, "left": {**leg, "swelling": "maybe"}}
    assert problems(_doc(screenings=[screening])) == {"screenings.0.answers.left.swelling"}
    # A report that is not an object, with everything else valid, is named (fuzzing found
    # that it failed an assert instead, which would have been a 500 from POST /api/import).
    screening.update(answers=answers, verdict="urgent", report=[])
    assert problems(_doc(screenings=[screening])) == {"screenings.0.report"}


def test_hostile_sizes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="not valid"):
        export_format.loads("[" * 50_000 + "]" * 50_000)
    with pytest.raises(InvalidInput):
        export_format.loads("[" * 30 + "1" + "]" * 30)  # parses, but deeper than allowed
    with pytest.raises(InvalidInput):
        export_format.loads(b"\xff\xfe not json")
    big = {"id": "n", "day": "2026-01-01", "written_at": "2026-01-01T08:00Z", "text": "x" * 10**6}
    assert problems(_doc(notes=[big])) == {"notes.0.text"}


def test_problems_are_capped() -> None:
    notes = [{"id": "!"} for _ in range(200)]
    with pytest.raises(InvalidInput) as error:
        export_format.from_document(_doc(notes=notes), today=TODAY)
    assert len(error.value.problems) == export_format.MAX_PROBLEMS + 1
    assert error.value.problems[-1].field == "(more)"
