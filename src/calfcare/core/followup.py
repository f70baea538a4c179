"""The next-day follow-up: new swelling, redness or warmth in a calf, and breathlessness or
chest pain, through the real rules.

A day after a session the person is asked about the three signs a clot shows first in one
calf, and the screening's ``pe_signs`` question (the signs of a clot that has reached the
lungs, which is what the published case reports of massage describe, hours afterwards).
Their answers are not judged here: they are put into a complete screening-contract
input (every question not asked is answered "no", so it can neither raise nor lower
anything) and run through `calfcare.core.screening.screen`, the one implementation of the
contract's rules. So a yes or "unsure" to any sign on either calf gives exactly the verdict
the screening gives for it (``urgent``: get medical attention today), never a weaker copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calfcare.core.answers import Answer, Answers, is_answer, parse_answers
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg, Level
from calfcare.core.screening import ScreeningResult, screen
from calfcare.core.screening_rules import (
    CONTRACT_VERSION,
    GENERAL_QUESTION_IDS,
    LEG_RULES,
    PAIN,
)
from calfcare.core.tracking import SorenessMoment

SIGNS = ("swelling", "redness", "warmth")
"""The follow-up's calf questions: screening leg ids, asked again for each calf."""
PE_SIGNS = "pe_signs"
"""The follow-up's general question: the screening's own ``pe_signs`` (same wording)."""
FOLLOWUP_KEYS = (*(leg.value for leg in Leg), PE_SIGNS)
"""The keys a follow-up object may have (anything else is refused by name)."""


@dataclass(frozen=True, slots=True)
class FollowUpAnswers:
    """The answers to the three signs for each calf, and to ``pe_signs`` (true, false or
    "unsure")."""

    left: Mapping[str, Answer]
    right: Mapping[str, Answer]
    pe_signs: Answer

    def leg(self, leg: Leg) -> Mapping[str, Answer]:
        return self.left if leg is Leg.LEFT else self.right

    @classmethod
    def none(cls) -> FollowUpAnswers:
        """No new sign on either calf, and no breathlessness or chest pain."""
        no: dict[str, Answer] = dict.fromkeys(SIGNS, False)
        return cls(left=no, right=dict(no), pe_signs=False)


def missing_followup_problems(moment: object, followup: object) -> list[Problem]:
    """A next-day soreness check-in comes with the follow-up answers: the problem when
    ``followup`` is None on one (``moment`` as given, checked or not)."""
    if moment != SorenessMoment.NEXT_DAY or followup is not None:
        return []
    return [
        Problem(
            "followup",
            "a next-day check-in asks about new swelling, redness or warmth, and about "
            "breathlessness or chest pain (pe_signs)",
        )
    ]


def followup_answers(data: object) -> FollowUpAnswers:
    """Read ``{"left": {"swelling": false, ...}, "right": {...}, "pe_signs": false}``;
    `InvalidInput` names every missing or bad answer (the screening contract's values: true,
    false, "unsure")."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise InvalidInput(
            [Problem("followup", "expected an object with left and right")],
            "The follow-up answers are not valid.",
        )
    sections: dict[str, dict[str, Answer]] = {}
    for key in data:
        if key not in FOLLOWUP_KEYS:
            problems.append(Problem(f"followup.{key}", "unknown; use left, right and pe_signs"))
    for leg in Leg:
        raw = data.get(leg.value)
        if not isinstance(raw, Mapping):
            problems.append(Problem(f"followup.{leg.value}", "required: an object of answers"))
            continue
        section: dict[str, Answer] = {}
        for key in raw:
            if key not in SIGNS:
                problems.append(Problem(f"followup.{leg.value}.{key}", "unknown question id"))
        for sign in SIGNS:
            value = raw.get(sign)
            if not is_answer(value):
                problems.append(
                    Problem(
                        f"followup.{leg.value}.{sign}",
                        'missing or not an answer; use true (yes), false (no) or "unsure"',
                    )
                )
            else:
                section[sign] = value
        sections[leg.value] = section
    pe_signs = data.get(PE_SIGNS)
    if not is_answer(pe_signs):
        problems.append(
            Problem(
                f"followup.{PE_SIGNS}",
                "required: sudden breathlessness, chest pain, coughing up blood or fainting? "
                'use true (yes), false (no) or "unsure"',
            )
        )
    if problems:
        raise InvalidInput(problems, "The follow-up answers are not valid.")
    assert is_answer(pe_signs)
    return FollowUpAnswers(left=sections["left"], right=sections["right"], pe_signs=pe_signs)


def as_screening_answers(followup: FollowUpAnswers) -> Answers:
    """The follow-up as a complete, valid screening input (both calves, unasked ids "no")."""
    data: dict[str, Any] = {
        "contract": CONTRACT_VERSION,
        "legs": [leg.value for leg in Leg],
        "general": {**dict.fromkeys(GENERAL_QUESTION_IDS, False), PE_SIGNS: followup.pe_signs},
    }
    for leg in Leg:
        section: dict[str, Answer] = dict.fromkeys(LEG_RULES, False)
        section[PAIN] = False
        section.update(followup.leg(leg))
        data[leg.value] = section
    return parse_answers(data)


def check_followup(followup: FollowUpAnswers) -> ScreeningResult:
    """Screen the follow-up answers with the contract's own rules."""
    return screen(as_screening_answers(followup))


def escalates(result: ScreeningResult) -> bool:
    """True when the follow-up calls for medical attention (urgent or worse)."""
    return result.verdict >= Level.URGENT
