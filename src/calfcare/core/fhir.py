"""The records as a FHIR R4 (4.0.1) ``Bundle`` of type ``collection``, as plain dicts.

Pure: records (and the screening wording, for the `Questionnaire`) in, JSON-ready dicts out;
no FHIR library at run time (tests validate the output with ``fhir.resources``' R4B models).
What each record becomes (docs/fhir.md has an example):

- a soreness check-in: an ``Observation``, LOINC 72514-3 (0-10 numeric rating), an integer
  ``valueQuantity`` in UCUM ``{score}``;
- a knee-to-wall test: an ``Observation`` with a calfcare code (no LOINC code exists), in
  UCUM ``cm``;
- a session: a ``Procedure`` (calfcare code "calf self-massage"); check-ins and tests that
  name a session point to it with ``partOf``;
- a screening or next-day follow-up: a ``QuestionnaireResponse`` to the ``Questionnaire``
  calfcare publishes, and its verdict as an ``Observation`` derived from it
  (`calfcare.core.fhir_screening`).

Every resource's ``fullUrl`` is a ``urn:uuid:`` made from its record's kind and id (UUID v5),
so the same records always give the same bundle, byte for byte. The calf is SNOMED CT
53840002 "calf of leg"; its side is SNOMED CT 7771000 (left) or 24028007 (right), in HL7's
``observation-structureLaterality`` extension on an Observation and as a post-coordinated
expression on a Procedure (R4 has no laterality element or extension for it).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from calfcare.core.levels import Leg
from calfcare.core.records import Logged, RecordSet, SessionRecord
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import MobilityTest, SorenessCheckIn, SorenessMoment

FHIR_VERSION = "4.0.1"
BASE = "https://calfcare.example/fhir"
"""The root of calfcare's own URIs. ``.example`` is reserved (RFC 2606): nobody can own it,
so these names cannot clash with anyone else's, and they say plainly that they are local.
Change this one constant when calfcare has a domain of its own (docs/fhir.md)."""
CS_OBSERVATION = f"{BASE}/CodeSystem/observation"
CS_PROCEDURE = f"{BASE}/CodeSystem/procedure"
CS_MOMENT = f"{BASE}/CodeSystem/moment"
CS_TOOL = f"{BASE}/CodeSystem/tool"
CS_SESSION_OUTCOME = f"{BASE}/CodeSystem/session-outcome"
EXT_MOMENT = f"{BASE}/StructureDefinition/moment"
ID_SYSTEM = f"{BASE}/record-id"
"""Identifier systems: ``{ID_SYSTEM}/soreness`` and so on, the value being calfcare's id."""
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
EXT_LATERALITY = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"

PAIN_CODE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
KNEE_TO_WALL = ("knee-to-wall", "Knee-to-wall distance (weight-bearing lunge test)")
SELF_MASSAGE = ("calf-self-massage", "Calf self-massage")
CALF = ("53840002", "Calf of leg")
LATERALITY_ATTRIBUTE = "272741003"
SIDES = {Leg.LEFT: ("7771000", "Left"), Leg.RIGHT: ("24028007", "Right")}
MOMENTS = {
    "before": "Before the session",
    "after": "Right after the session",
    "next_day": "The day after the session",
    "other": "On a day without a session",
}
OUTCOMES = {
    Outcome.COMPLETED: "Completed",
    Outcome.STOPPED_SHARP_PAIN: "Stopped for sharp pain",
    Outcome.QUIT: "Ended early by the person",
    Outcome.ABANDONED: "Left unfinished",
}
TOOLS = {"foam-roller": "Foam roller", "ball": "Massage ball", "hands": "Hands"}


def full_url(resource_type: str, kind: str, record_id: str) -> str:
    """The stable ``urn:uuid:`` of one record's resource."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{resource_type}/{kind}/{record_id}')}"


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def concept(system: str, code: str, display: str, text: str | None = None) -> dict[str, Any]:
    return {"coding": [coding(system, code, display)], "text": text or display}


def identifier(kind: str, record_id: str) -> dict[str, str]:
    return {"system": f"{ID_SYSTEM}/{kind}", "value": record_id}


def instant(moment: datetime) -> str:
    """A FHIR ``instant`` in UTC, to the microsecond (lossless)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def calf_site(leg: Leg, *, expression: bool = False) -> dict[str, Any]:
    """The calf as a ``bodySite``: laterality in the extension, or post-coordinated."""
    side_code, side = SIDES[leg]
    text = f"{leg.value} calf"
    if expression:
        code = f"{CALF[0]}:{LATERALITY_ATTRIBUTE}={side_code}"
        return {"coding": [coding(SNOMED, code, f"{CALF[1]}, {side.lower()}")], "text": text}
    return {
        "extension": [
            {"url": EXT_LATERALITY, "valueCodeableConcept": concept(SNOMED, side_code, side)}
        ],
        "coding": [coding(SNOMED, *CALF)],
        "text": text,
    }


def entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": url, "resource": resource}


def patient_url(records: RecordSet) -> str:
    """The bundle's one ``Patient``: calfcare keeps no identity, so its uuid comes from the
    records themselves (stable for the same records)."""
    ids = sorted(
        f"{kind}/{getattr(item, 'id', '')}"
        for kind in ("screenings", "sessions", "soreness", "mobility")
        for item in getattr(records, kind)
    )
    return full_url("Patient", "person", "\n".join(ids))


def _observation(
    kind: str,
    item: Logged[Any],
    subject: dict[str, str],
    session_urls: dict[str, str],
    *,
    category: str,
    code: dict[str, Any],
    effective: date,
    value: dict[str, Any],
) -> dict[str, Any]:
    record = item.record
    moment = record.moment.value
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [
            {"url": EXT_MOMENT, "valueCoding": coding(CS_MOMENT, moment, MOMENTS[moment])}
        ],
        "identifier": [identifier(kind, item.id)],
        "status": "final",
        "category": [concept(OBSERVATION_CATEGORY, category, category.capitalize())],
        "code": code,
        "subject": subject,
        "effectiveDateTime": effective.isoformat(),
        "issued": instant(item.recorded_at),
        "valueQuantity": value,
        "bodySite": calf_site(record.leg),
    }
    if record.session_id is not None:
        ref: dict[str, Any] = {"identifier": identifier("session", record.session_id)}
        if record.session_id in session_urls:
            ref = {"reference": session_urls[record.session_id], **ref}
        obs["partOf"] = [ref]
    return obs


def soreness_observation(
    item: Logged[SorenessCheckIn], subject: dict[str, str], session_urls: dict[str, str]
) -> dict[str, Any]:
    """A 0-10 soreness rating. A next-day rating is effective the day after its session day
    (when it was taken); calfcare files it under the session day (``day`` = effective - 1)."""
    r = item.record
    effective = r.day + timedelta(days=1) if r.moment is SorenessMoment.NEXT_DAY else r.day
    code = concept(LOINC, *PAIN_CODE, text=f"Soreness of the {r.leg.value} calf, 0 to 10")
    value = {"value": r.score, "unit": "{score}", "system": UCUM, "code": "{score}"}
    return _observation(
        "soreness", item, subject, session_urls,
        category="survey", code=code, effective=effective, value=value,
    )  # fmt: skip


def mobility_observation(
    item: Logged[MobilityTest], subject: dict[str, str], session_urls: dict[str, str]
) -> dict[str, Any]:
    """A knee-to-wall test: the greatest big-toe-to-wall distance, in cm (0.1 cm grid)."""
    r = item.record
    code = concept(CS_OBSERVATION, *KNEE_TO_WALL, text=f"Knee-to-wall, {r.leg.value} leg")
    value = {"value": r.distance_cm, "unit": "cm", "system": UCUM, "code": "cm"}
    obs = _observation(
        "mobility", item, subject, session_urls,
        category="exam", code=code, effective=r.day, value=value,
    )  # fmt: skip
    obs["method"] = {"text": "Self-measured at home: big toe to wall, heel down"}
    return obs


def session_summary(s: SessionRecord) -> str:
    """The session in words: how it ended, time per calf, and the tender spots held."""
    parts = [f"{OUTCOMES[s.outcome]}."]
    for calf in s.calves:
        done = _duration(calf.active_seconds)
        planned = (
            "" if calf.planned_seconds is None else f" of {_duration(calf.planned_seconds)} planned"
        )
        parts.append(f"{calf.leg.value.capitalize()} calf: {done}{planned}.")
    spots = [f"{t.leg.value} {t.height.value} {t.side.value}" for t in s.tender_spots]
    if spots:
        parts.append("Tender spots held: " + ", ".join(spots) + ".")
    return " ".join(parts)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60} s"


def procedure(s: SessionRecord, subject: dict[str, str]) -> dict[str, Any]:
    """A session: performed period, the calves massaged, the tool, and how it ended."""
    legs = sorted(s.legs or {c.leg for c in s.calves})
    end = s.started_at + timedelta(seconds=s.duration_seconds)
    proc: dict[str, Any] = {
        "resourceType": "Procedure",
        "identifier": [identifier("session", s.id)],
        "status": "completed" if s.outcome is Outcome.COMPLETED else "stopped",
        "code": concept(CS_PROCEDURE, *SELF_MASSAGE),
        "subject": subject,
        "performedPeriod": {"start": instant(s.started_at), "end": instant(end)},
        "bodySite": [calf_site(leg, expression=True) for leg in legs],
        "outcome": concept(
            CS_SESSION_OUTCOME, s.outcome.value, OUTCOMES[s.outcome], session_summary(s)
        ),
        "usedCode": [concept(CS_TOOL, s.tool.value, TOOLS[s.tool.value])],
    }
    if s.outcome is Outcome.STOPPED_SHARP_PAIN:
        proc["statusReason"] = {"text": "Sharp pain: the session stopped at once"}
    return proc
