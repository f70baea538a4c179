"""Screenings in FHIR: the `Questionnaire`s calfcare publishes, each screening as a
`QuestionnaireResponse`, and its verdict as an `Observation` derived from the response.

The Questionnaires are generated from the screening wording (``content/data/screening.toml``,
passed in as `QuestionTexts`) and the contract's question ids, never written by hand, so
they always ask what calfcare asks. Canonical URLs: ``{BASE}/Questionnaire/screening`` and
``{BASE}/Questionnaire/next-day-follow-up``, version = the screening contract's version. The
next-day follow-up asks only about swelling, redness and warmth in each calf, so its response
answers only those (calfcare stores the rest of its screening input as "no", which the person
was never asked: exporting it would put words in their mouth).

Answers use HL7's expanded yes/no table (v2-0532): Y, N, and ASKU "asked but unknown" for
"unsure" (which the screening counts as the less reassuring answer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from calfcare.core.answers import Answer, parse_answers
from calfcare.core.fhir import (
    BASE,
    CS_OBSERVATION,
    OBSERVATION_CATEGORY,
    SIDES,
    SNOMED,
    coding,
    concept,
    entry,
    full_url,
    identifier,
    instant,
)
from calfcare.core.followup import SIGNS
from calfcare.core.levels import Leg, Level
from calfcare.core.records import ScreeningKind, ScreeningRecord
from calfcare.core.screening_rules import (
    CONTRACT_VERSION,
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
    PAIN,
    PAIN_AFTER_EXERCISE,
)

SCREENING_URL = f"{BASE}/Questionnaire/screening"
FOLLOW_UP_URL = f"{BASE}/Questionnaire/next-day-follow-up"
CS_VERDICT = f"{BASE}/CodeSystem/verdict"
YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0532"
ANSWER_CODES: dict[object, tuple[str, str]] = {
    True: ("Y", "Yes"),
    False: ("N", "No"),
    "unsure": ("ASKU", "asked but unknown"),
}
VERDICTS = {
    Level.OK: "No reason found not to massage",
    Level.CAUTION: "Caution: gentle work only",
    Level.AVOID: "Do not massage one or both calves",
    Level.URGENT: "Urgent: get medical attention today",
    Level.EMERGENCY: "Emergency: call the local emergency number now",
}
VERDICT_CODE = ("screening-verdict", "calfcare safety screening verdict")


class Worded(Protocol):
    @property
    def question(self) -> str: ...


class QuestionTexts(Protocol):
    """What the Questionnaire needs from content: each question's wording."""

    def question(self, scope: str, rule_id: str) -> Worded: ...


def _answer_options() -> list[dict[str, Any]]:
    return [{"valueCoding": coding(YES_NO, *ANSWER_CODES[a])} for a in (True, False, "unsure")]


def _item(texts: QuestionTexts, scope: str, rule_id: str) -> dict[str, Any]:
    words = texts.question("general" if scope == "general" else "leg", rule_id).question
    item: dict[str, Any] = {
        "linkId": f"{scope}.{rule_id}",
        "text": words.replace("{calf}", f"{scope} calf"),
        "type": "choice",
        "required": rule_id != PAIN_AFTER_EXERCISE,
        "answerOption": _answer_options(),
    }
    if rule_id == PAIN_AFTER_EXERCISE:
        item["enableWhen"] = [
            {"question": f"{scope}.{PAIN}", "operator": "!=", "answerCoding": _code(False)}
        ]
    return item


def _questionnaire(url: str, name: str, title: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "url": url,
        "version": str(CONTRACT_VERSION),
        "name": name,
        "title": title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def screening_questionnaire(texts: QuestionTexts) -> dict[str, Any]:
    """The safety screening as a Questionnaire: which calves, the general questions, then
    each calf's (``pain_after_exercise`` only after a yes or unsure to ``pain``)."""
    legs = {
        "linkId": "legs",
        "text": "Which calves do you want to massage?",
        "type": "choice",
        "required": True,
        "repeats": True,
        "answerOption": [{"valueCoding": coding(SNOMED, *SIDES[leg])} for leg in Leg],
    }
    items = [legs, _group("general", "About you", texts, GENERAL_QUESTION_IDS)]
    items += [_group(leg.value, f"Your {leg.value} calf", texts, LEG_QUESTION_IDS) for leg in Leg]
    return _questionnaire(SCREENING_URL, "CalfcareScreening", "calfcare safety screening", items)


def follow_up_questionnaire(texts: QuestionTexts) -> dict[str, Any]:
    """The next-day follow-up: swelling, redness and warmth in each calf."""
    items = [_group(leg.value, f"Your {leg.value} calf", texts, SIGNS) for leg in Leg]
    return _questionnaire(
        FOLLOW_UP_URL, "CalfcareNextDayFollowUp", "calfcare next-day follow-up", items
    )


def _group(scope: str, text: str, texts: QuestionTexts, ids: Iterable[str]) -> dict[str, Any]:
    items = [_item(texts, scope, rule_id) for rule_id in ids]
    return {"linkId": scope, "text": text, "type": "group", "item": items}


def _code(answer: Answer) -> dict[str, str]:
    return coding(YES_NO, *ANSWER_CODES[answer])


def _answered(scope: str, answers: Mapping[str, Answer], ids: Iterable[str]) -> dict[str, Any]:
    items = [
        {"linkId": f"{scope}.{rule_id}", "answer": [{"valueCoding": _code(answers[rule_id])}]}
        for rule_id in ids
        if rule_id in answers
    ]
    return {"linkId": scope, "item": items}


def questionnaire_response(record: ScreeningRecord, subject: dict[str, str]) -> dict[str, Any]:
    """One screening's answers, exactly as stored (the contract's input object)."""
    answers = parse_answers(record.answers)
    if record.kind is ScreeningKind.FOLLOW_UP:
        url = FOLLOW_UP_URL
        items = [_answered(leg.value, answers.leg(leg), SIGNS) for leg in Leg]
    else:
        url = SCREENING_URL
        legs = {
            "linkId": "legs",
            "answer": [{"valueCoding": coding(SNOMED, *SIDES[leg])} for leg in answers.legs],
        }
        items = [legs, _answered("general", answers.general, GENERAL_QUESTION_IDS)]
        items += [_answered(leg.value, answers.leg(leg), LEG_QUESTION_IDS) for leg in Leg]
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": identifier(record.kind.value, record.id),
        "questionnaire": f"{url}|{record.contract_version}",
        "status": "completed",
        "subject": subject,
        "authored": instant(record.taken_at),
        "item": items,
    }


def verdict_observation(
    record: ScreeningRecord, subject: dict[str, str], response_url: str
) -> dict[str, Any]:
    """The verdict the screening rules gave, with the headline the person was shown."""
    headline = record.report.get("headline")
    text = headline if isinstance(headline, str) and headline else VERDICTS[record.verdict]
    return {
        "resourceType": "Observation",
        "identifier": [identifier(f"{record.kind.value}-verdict", record.id)],
        "status": "final",
        "category": [concept(OBSERVATION_CATEGORY, "survey", "Survey")],
        "code": concept(CS_OBSERVATION, *VERDICT_CODE),
        "subject": subject,
        "effectiveDateTime": instant(record.taken_at),
        "valueCodeableConcept": concept(
            CS_VERDICT, record.verdict.value, VERDICTS[record.verdict], text
        ),
        "derivedFrom": [{"reference": response_url}],
    }


def screening_entries(
    screenings: Iterable[ScreeningRecord], subject: dict[str, str], texts: QuestionTexts
) -> list[dict[str, Any]]:
    """The Questionnaires these screenings answer, then each response and its verdict."""
    records = list(screenings)
    kinds = {s.kind for s in records}
    out = []
    if ScreeningKind.SCREENING in kinds:
        url = full_url("Questionnaire", "screening", str(CONTRACT_VERSION))
        out.append(entry(url, screening_questionnaire(texts)))
    if ScreeningKind.FOLLOW_UP in kinds:
        url = full_url("Questionnaire", "follow_up", str(CONTRACT_VERSION))
        out.append(entry(url, follow_up_questionnaire(texts)))
    for s in records:
        response_url = full_url("QuestionnaireResponse", s.kind.value, s.id)
        out.append(entry(response_url, questionnaire_response(s, subject)))
        verdict_url = full_url("Observation", f"{s.kind.value}-verdict", s.id)
        out.append(entry(verdict_url, verdict_observation(s, subject, response_url)))
    return out
