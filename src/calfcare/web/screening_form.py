"""The screening as a series of HTML forms that work without JavaScript.

Which question comes next, when ``pain_after_exercise`` is needed and when an emergency
stops the questions are the core's `Questionnaire`; this module only maps it onto pages:
one page per section (calves → the emergency question → about you → left calf → right
calf), the pain follow-up on its own page after a yes or unsure to pain, and every answer
so far carried forward in hidden fields (``general.pe_signs=yes``). Tampering with those
fields only changes the person's own answers, and every value is checked again here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from calfcare.core.answers import Answer
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.questionnaire import EMERGENCY_FIRST, Questionnaire, QuestionRef

WORD_TO_ANSWER: dict[str, Answer] = {"yes": True, "no": False, "unsure": "unsure"}
CHOICES: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))
LEGS_CHOICES: tuple[tuple[str, str], ...] = (
    ("left,right", "Both calves"),
    ("left", "Left calf only"),
    ("right", "Right calf only"),
)
LEGS_FIELD = "legs"
ASKED_FIELD = "asked"


def answer_to_word(value: Answer) -> str:
    return "unsure" if value == "unsure" else ("yes" if value is True else "no")


@dataclass
class FormState:
    """What a screening form post says: the calves, the answers so far, what was asked."""

    legs: tuple[Leg, ...] | None
    questionnaire: Questionnaire | None
    asked: list[str] = field(default_factory=list)

    def missing(self) -> list[str]:
        """Fields shown on the page just sent that came back unanswered."""
        if self.legs is None:
            return [LEGS_FIELD] if LEGS_FIELD in self.asked else []
        assert self.questionnaire is not None
        if self.questionnaire.stopped_for_emergency():
            return []
        given = self.questionnaire.given
        return [
            ref.field
            for ref in self.questionnaire.order()
            if ref.field in self.asked and ref.id not in given[ref.scope]
        ]

    def hidden_fields(self) -> list[tuple[str, str]]:
        """Everything answered so far, as (name, value) pairs for hidden inputs."""
        if self.legs is None or self.questionnaire is None:
            return []
        fields = [(LEGS_FIELD, ",".join(leg.value for leg in self.legs))]
        for ref in self.questionnaire.order():
            value = self.questionnaire.given[ref.scope].get(ref.id)
            if value is not None:
                fields.append((ref.field, answer_to_word(value)))
        return fields


def parse_legs(value: str | None) -> tuple[Leg, ...] | None:
    """``"left,right"`` → both calves; None when not given; `InvalidInput` when garbled."""
    if value is None or value == "":
        return None
    names = value.split(",")
    if len(set(names)) != len(names) or not all(n in ("left", "right") for n in names):
        raise InvalidInput([Problem(LEGS_FIELD, f"{value!r} is not a choice of calves")])
    return tuple(Leg(n) for n in names)


def parse_form(form: Mapping[str, str]) -> FormState:
    """Read a posted screening form; `InvalidInput` names every garbled field."""
    legs = parse_legs(form.get(LEGS_FIELD))
    asked = form.get(ASKED_FIELD, "").split()
    if legs is None:
        return FormState(legs=None, questionnaire=None, asked=[LEGS_FIELD] * (LEGS_FIELD in asked))
    questionnaire = Questionnaire(legs=legs)
    known = {ref.field: ref for ref in questionnaire.order()}
    asked = [name for name in asked if name in known]  # anything else is not ours to check
    problems = []
    for name, ref in known.items():
        word = form.get(name)
        if word is None or word == "":
            continue
        if word not in WORD_TO_ANSWER:
            problems.append(Problem(name, f"{word!r} is not an answer; use yes, no or unsure"))
            continue
        questionnaire.answer(ref, WORD_TO_ANSWER[word])
    if problems:
        raise InvalidInput(problems, "The screening form is not valid.")
    return FormState(legs=legs, questionnaire=questionnaire, asked=asked)


def next_page(questionnaire: Questionnaire) -> list[QuestionRef]:
    """The questions for the next page: the rest of the next question's section, except
    that the emergency question is asked alone, first, so help is one click away."""
    first = questionnaire.next_question()
    if first is None:
        return []
    if first.id == EMERGENCY_FIRST:
        return [first]
    return [
        ref
        for ref in questionnaire.order()
        if ref.scope == first.scope
        and ref.id not in questionnaire.given[ref.scope]
        and questionnaire.needed(ref)
    ]
