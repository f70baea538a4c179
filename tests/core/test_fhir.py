"""The FHIR export: valid R4B (``fhir.resources``), complete, and it round-trips: every
soreness and knee-to-wall record appears exactly once with its value, day, leg and code."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given
from hypothesis import settings as hsettings
from pydantic import ValidationError

from calfcare.content.screening import load_screening_text
from calfcare.core.fhir import (
    BASE,
    EXT_LATERALITY,
    EXT_MOMENT,
    ID_SYSTEM,
    LOINC,
    SNOMED,
    UCUM,
    full_url,
)
from calfcare.core.fhir_export import dumps, to_bundle
from calfcare.core.fhir_screening import FOLLOW_UP_URL, SCREENING_URL
from calfcare.core.followup import SIGNS
from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet, ScreeningKind
from calfcare.core.screening_rules import (
    CONTRACT_VERSION,
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
)
from calfcare.core.split_leg_design import Outcome as SplitOutcome
from calfcare.core.split_leg_design import SplitLegExperiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import MassagedCalves, SorenessMoment
from tests.month_records import a_month
from tests.storage.strategies import record_sets

SIDE_CODES = {"7771000": Leg.LEFT, "24028007": Leg.RIGHT}


def export(records: RecordSet) -> dict[str, Any]:
    """The bundle as a clinic would receive it: through JSON text."""
    data: dict[str, Any] = json.loads(dumps(to_bundle(records, load_screening_text())))
    return data


STATUS = {
    # ``fhir.resources`` checks structure, types and cardinality, not the value sets that
    # R4 binds as *required*; these are the ones the export uses.
    "Observation": {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                    "entered-in-error", "unknown"},
    "Procedure": {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed",
                  "entered-in-error", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error",
                              "stopped"},
    "Questionnaire": {"draft", "active", "retired", "unknown"},
}  # fmt: skip
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
              "string", "text", "url", "choice", "open-choice", "attachment", "reference",
              "quantity"}  # fmt: skip


def validate(bundle: dict[str, Any]) -> None:
    """The whole bundle, and each resource against its own R4B model and required codes."""
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    for e in bundle["entry"]:
        resource = e["resource"]
        kind = resource["resourceType"]
        get_fhir_model_class(kind).model_validate(resource)
        if kind in STATUS:
            assert resource["status"] in STATUS[kind], (kind, resource["status"])
        if kind == "Questionnaire":
            for item in _flatten(resource["item"]).values():
                assert item["type"] in ITEM_TYPES
                for when in item.get("enableWhen", []):
                    assert when["operator"] in {"exists", "=", "!=", ">", "<", ">=", "<="}


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_identifier(bundle: dict[str, Any], kind: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for e in bundle["entry"]:
        ids = e["resource"].get("identifier", [])
        for ident in ids if isinstance(ids, list) else [ids]:
            if ident["system"] == f"{ID_SYSTEM}/{kind}":
                found.setdefault(ident["value"], []).append(e["resource"])
    return found


def leg_of(site: dict[str, Any]) -> Leg:
    assert site["coding"] == [{"system": SNOMED, "code": "53840002", "display": "Calf of leg"}]
    (ext,) = (x for x in site["extension"] if x["url"] == EXT_LATERALITY)
    (side,) = ext["valueCodeableConcept"]["coding"]
    assert side["system"] == SNOMED
    return SIDE_CODES[side["code"]]


def check_round_trip(records: RecordSet, bundle: dict[str, Any]) -> None:
    sessions = {s.id: full_url("Procedure", "session", s.id) for s in records.sessions}
    observations = resources(bundle, "Observation")
    sore = by_identifier(bundle, "soreness")
    assert len(sore) == len(records.soreness)
    for item in records.soreness:
        (obs,) = sore[item.id]
        r = item.record
        assert obs["code"]["coding"][0]["system"] == LOINC
        assert obs["code"]["coding"][0]["code"] == "72514-3"
        q = obs["valueQuantity"]
        assert q == {"value": r.score, "unit": "{score}", "system": UCUM, "code": "{score}"}
        assert type(q["value"]) is int
        shift = 1 if r.moment is SorenessMoment.NEXT_DAY else 0
        assert date.fromisoformat(obs["effectiveDateTime"]) == r.day + timedelta(days=shift)
        assert leg_of(obs["bodySite"]) is r.leg
        (moment,) = (x for x in obs["extension"] if x["url"] == EXT_MOMENT)
        assert moment["valueCoding"]["code"] == r.moment.value
        check_session_link(obs, r.session_id, sessions)
    mob = by_identifier(bundle, "mobility")
    assert len(mob) == len(records.mobility)
    for test in records.mobility:
        (obs,) = mob[test.id]
        t = test.record
        assert obs["code"]["coding"][0] == {
            "system": f"{BASE}/CodeSystem/observation",
            "code": "knee-to-wall",
            "display": "Knee-to-wall distance (weight-bearing lunge test)",
        }
        assert obs["valueQuantity"] == {
            "value": t.distance_cm, "unit": "cm", "system": UCUM, "code": "cm",
        }  # fmt: skip
        assert date.fromisoformat(obs["effectiveDateTime"]) == t.day
        assert leg_of(obs["bodySite"]) is t.leg
        check_session_link(obs, t.session_id, sessions)
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    ktw = [o for o in observations if o["code"]["coding"][0]["code"] == "knee-to-wall"]
    assert (len(pain), len(ktw)) == (len(records.soreness), len(records.mobility))


def check_session_link(obs: dict[str, Any], session_id: str | None, urls: dict[str, str]) -> None:
    if session_id is None:
        assert "partOf" not in obs
        return
    (ref,) = obs["partOf"]
    assert ref["identifier"] == {"system": f"{ID_SYSTEM}/session", "value": session_id}
    assert ref.get("reference") == urls.get(session_id)


@hsettings(max_examples=60, deadline=None)
@given(record_sets)
def test_every_measurement_round_trips_once_and_the_bundle_validates(records: RecordSet) -> None:
    bundle = export(records)
    validate(bundle)
    check_round_trip(records, bundle)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("urn:uuid:") for u in urls)
    # Every reference inside the bundle resolves to an entry of it.
    for ref in _references(bundle):
        assert ref in urls


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_a_month_validates_and_round_trips() -> None:
    records = a_month()
    bundle = export(records)
    validate(bundle)
    check_round_trip(records, bundle)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    procedures = resources(bundle, "Procedure")
    assert len(procedures) == len(records.sessions)
    stopped = [p for p in procedures if p["status"] == "stopped"]
    assert [p["outcome"]["coding"][0]["code"] for p in stopped] == ["stopped_sharp_pain"]
    assert "Sharp pain" in stopped[0]["statusReason"]["text"]
    single = next(s for s in records.sessions if len(s.legs) == 1)
    (site,) = next(p for p in procedures if p["identifier"][0]["value"] == single.id)["bodySite"]
    side = "7771000" if Leg.LEFT in single.legs else "24028007"
    assert site["coding"][0]["code"] == f"53840002:272741003={side}"


def test_split_leg_coins_and_experiments_are_left_out() -> None:
    """docs/fhir.md: the coin tosses and the pre-registered experiments have no place in a
    clinic's record; the one-page report gives the result in words. The bundle is the same
    with or without them (the same bytes: the Patient's id does not depend on them)."""
    records = a_month()
    registered = SplitLegExperiment(
        "exp-1", datetime(2026, 3, 16, 7, tzinfo=UTC), date(2026, 3, 16), 14,
        SplitOutcome.NEXT_DAY_SORENESS,
    )  # fmt: skip
    coins = tuple(
        replace(c, drawn_at=datetime.combine(c.day, time(9), UTC), experiment_id="exp-1",
                reported=MassagedCalves.BOTH)
        for c in records.split_leg_days
    )  # fmt: skip
    with_experiment = replace(records, split_leg_days=coins, split_leg_experiments=(registered,))
    without = replace(records, split_leg_days=(), split_leg_experiments=())
    texts = load_screening_text()
    assert dumps(to_bundle(with_experiment, texts)) == dumps(to_bundle(without, texts))
    validate(export(with_experiment))


def test_the_same_records_give_the_same_bytes_and_urls_depend_only_on_the_record() -> None:
    records = a_month()
    texts = load_screening_text()
    assert dumps(to_bundle(records, texts)) == dumps(to_bundle(records, texts))
    fewer = RecordSet(soreness=records.soreness[:3])
    urls = {e["fullUrl"] for e in export(records)["entry"]}
    for e in export(fewer)["entry"][1:]:
        assert e["fullUrl"] in urls


def test_the_validator_refuses_a_broken_resource() -> None:
    """The validation above means something: a missing status, a bad date, an unknown field,
    a text value or an unknown status code is refused."""
    for field, value in [
        ("status", None), ("effectiveDateTime", "2026-13-01"), ("valueQuantityy", {}),
        ("valueQuantity", {"value": "four"}), ("status", "done"),
    ]:  # fmt: skip
        bundle = export(a_month())
        obs = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
        if value is None:
            del obs["resource"][field]
        else:
            obs["resource"][field] = value
        with pytest.raises((ValidationError, AssertionError)):
            validate(bundle)


def test_the_questionnaire_is_the_screening_content_and_the_responses_fit_it() -> None:
    records = a_month()
    bundle = export(records)
    texts = load_screening_text()
    (screening, follow_up) = resources(bundle, "Questionnaire")
    assert (screening["url"], screening["version"]) == (SCREENING_URL, str(CONTRACT_VERSION))
    assert follow_up["url"] == FOLLOW_UP_URL
    items = _flatten(screening["item"])
    for rule_id in GENERAL_QUESTION_IDS:
        assert items[f"general.{rule_id}"]["text"] == texts.question("general", rule_id).question
    for leg in Leg:
        for rule_id in LEG_QUESTION_IDS:
            wording = texts.question("leg", rule_id).question
            assert items[f"{leg}.{rule_id}"]["text"] == wording.replace("{calf}", f"{leg} calf")
    assert set(_flatten(follow_up["item"])) == {"left", "right"} | {
        f"{leg}.{sign}" for leg in Leg for sign in SIGNS
    }
    responses = resources(bundle, "QuestionnaireResponse")
    assert len(responses) == len(records.screenings)
    questionnaires = {
        f"{q['url']}|{q['version']}": _flatten(q["item"]) for q in (screening, follow_up)
    }
    for response, record in zip(responses, records.sorted().screenings, strict=True):
        assert response["identifier"]["value"] == record.id
        asked = questionnaires[response["questionnaire"]]
        answered = _flatten(response["item"])
        assert set(answered) <= set(asked)
        for link, item in answered.items():
            options = [o["valueCoding"] for o in asked[link].get("answerOption", [])]
            assert all(a["valueCoding"] in options for a in item.get("answer", []))
        if record.kind is ScreeningKind.FOLLOW_UP:
            assert not any(k.startswith("general") for k in answered)
    verdicts = [o for o in resources(bundle, "Observation") if "derivedFrom" in o]
    assert [v["valueCodeableConcept"]["coding"][0]["code"] for v in verdicts] == [
        s.verdict.value for s in records.sorted().screenings
    ]
    unsure = next(r for r in records.screenings if r.verdict.value == "urgent")
    response = next(r for r in responses if r["identifier"]["value"] == unsure.id)
    answers = {
        k: v["answer"][0]["valueCoding"]["code"]
        for k, v in _flatten(response["item"]).items()
        if "answer" in v
    }
    assert "ASKU" in answers.values()


def _flatten(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out[item["linkId"]] = item
        out.update(_flatten(item.get("item", [])))
    return out


def test_sessions_say_how_they_ended_and_the_time_per_calf() -> None:
    records = a_month()
    bundle = export(records)
    for proc, session in zip(resources(bundle, "Procedure"), records.sessions, strict=True):
        assert proc["outcome"]["coding"][0]["code"] == session.outcome.value
        assert proc["status"] == (
            "completed" if session.outcome is Outcome.COMPLETED else "stopped"
        )
        for calf in session.calves:
            assert (
                f"{calf.leg.value.capitalize()} calf: {round(calf.active_seconds) // 60} min"
                in (proc["outcome"]["text"])
            )
