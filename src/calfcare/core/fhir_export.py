"""The FHIR export as a whole: every record as one R4 ``Bundle`` (type ``collection``).

`calfcare.core.fhir` builds the sessions and measurements, `calfcare.core.fhir_screening`
the screenings; this module puts them in one bundle in a fixed order (the patient, the
Questionnaires, each screening's response and verdict, then sessions, soreness and
knee-to-wall, each kind in `RecordSet.sorted` order), so equal records give equal bytes.
"""

from __future__ import annotations

import json
from typing import Any

from calfcare.core.fhir import (
    entry,
    full_url,
    mobility_observation,
    patient_url,
    procedure,
    soreness_observation,
)
from calfcare.core.fhir_screening import QuestionTexts, screening_entries
from calfcare.core.records import RecordSet

MEDIA_TYPE = "application/fhir+json"


def to_bundle(records: RecordSet, texts: QuestionTexts) -> dict[str, Any]:
    """The bundle of ``records``; ``texts`` words the screening Questionnaires."""
    r = records.sorted()
    subject = {"reference": patient_url(r)}
    session_urls = {s.id: full_url("Procedure", "session", s.id) for s in r.sessions}
    entries = [entry(subject["reference"], {"resourceType": "Patient", "active": True})]
    entries += screening_entries(r.screenings, subject, texts)
    entries += [entry(session_urls[s.id], procedure(s, subject)) for s in r.sessions]
    for item in r.soreness:
        url = full_url("Observation", "soreness", item.id)
        entries.append(entry(url, soreness_observation(item, subject, session_urls)))
    for test in r.mobility:
        url = full_url("Observation", "mobility", test.id)
        entries.append(entry(url, mobility_observation(test, subject, session_urls)))
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as compact JSON text with sorted keys (equal records, equal bytes). Compact
    because FHIR is verbose: a year of daily use is 6 MB this way, 11 MB indented."""
    return json.dumps(bundle, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
