"""The order in which the screening asks its questions, shared by the terminal and the web.

One question at a time: which calves, then the general questions (the emergency one first),
then each calf in turn. ``pain_after_exercise`` is asked only after a yes or unsure to
``pain``. A yes or unsure to ``pe_signs`` ends the questions at once: nothing else can change
an emergency, and the person must be told to call for help now, not asked 30 more things.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from calfcare.core.answers import Answer, Answers, parse_answers, worrying
from calfcare.core.levels import Leg
from calfcare.core.screening_rules import (
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
    PAIN,
    PAIN_AFTER_EXERCISE,
)

Scope = Literal["general", "left", "right"]
Finding = TypeVar("Finding", bound=Mapping[str, Any])
EMERGENCY_FIRST = "pe_signs"


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """Which question to ask next: its section and id."""

    scope: Scope
    id: str

    @property
    def field(self) -> str:
        return f"{self.scope}.{self.id}"


@dataclass
class Questionnaire:
    """Answers gathered so far; `next_question` says what to ask, `answers` finishes."""

    legs: tuple[Leg, ...]
    given: dict[Scope, dict[str, Answer]] = field(
        default_factory=lambda: {"general": {}, "left": {}, "right": {}}
    )

    def order(self) -> list[QuestionRef]:
        refs: list[QuestionRef] = [QuestionRef("general", i) for i in GENERAL_QUESTION_IDS]
        for leg in ("left", "right"):
            for rule_id in LEG_QUESTION_IDS:
                if rule_id == PAIN_AFTER_EXERCISE:
                    continue
                refs.append(QuestionRef(leg, rule_id))
                if rule_id == PAIN:
                    refs.append(QuestionRef(leg, PAIN_AFTER_EXERCISE))
        return refs

    def stopped_for_emergency(self) -> bool:
        answer = self.given["general"].get(EMERGENCY_FIRST)
        return answer is not None and worrying(answer)

    def needed(self, ref: QuestionRef) -> bool:
        if ref.id != PAIN_AFTER_EXERCISE:
            return True
        pain = self.given[ref.scope].get(PAIN)
        return pain is not None and worrying(pain)

    def next_question(self) -> QuestionRef | None:
        if self.stopped_for_emergency():
            return None
        for ref in self.order():
            if ref.id not in self.given[ref.scope] and self.needed(ref):
                return ref
        return None

    def answer(self, ref: QuestionRef, value: Answer) -> None:
        self.given[ref.scope][ref.id] = value

    def shown_findings(self, findings: Sequence[Finding]) -> list[Finding]:
        """The report's findings (``rule``, ``leg``) to show the person: all of them, except
        after an emergency stop. There `answers` counts every question never asked as
        "unsure", and a finding for each would say they were unsure of things they were
        never asked; so only the findings of questions they answered are shown. The verdict
        and every level stay exactly as the full answers make them. (The terminal and the
        web both show findings through this.)"""
        if not self.stopped_for_emergency():
            return list(findings)
        return [
            f
            for f in findings
            if f["rule"] in self.given["general" if f["leg"] is None else f["leg"]]
        ]

    def answers(self) -> Answers:
        """The complete answers. After an emergency stop, questions never asked count as
        "unsure" (the less reassuring answer), which cannot lower an emergency."""
        data: dict[str, object] = {"contract": 1, "legs": [leg.value for leg in self.legs]}
        for scope in ("general", "left", "right"):
            section = dict(self.given[scope])
            if self.stopped_for_emergency():
                ids = GENERAL_QUESTION_IDS if scope == "general" else LEG_QUESTION_IDS
                for rule_id in ids:
                    section.setdefault(rule_id, "unsure")
            data[scope] = section
        return parse_answers(data)
