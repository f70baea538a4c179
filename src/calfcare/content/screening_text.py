"""The screening's wording as plain objects: what callers get, whichever way it was loaded.

Built from plain data (the validated TOML dumped to JSON types), so the Pydantic validator
(`calfcare.content.screening`) and the compiled fast path (`calfcare.content.screening_wording`)
give the same objects; neither of them is needed to use it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calfcare.core.levels import Level
from calfcare.core.report import AdviceWording
from calfcare.core.screening import ScreeningResult


@dataclass(frozen=True, slots=True)
class QuestionWording:
    """One question as the person sees it, with its "why we ask" help and its finding."""

    id: str
    question: str
    why: str
    finding: str
    sources: tuple[str, ...]


class ScreeningText:
    """The checked wording; implements `calfcare.core.report.ScreeningWording`.

    Built from plain data (the validated TOML dumped to JSON types), so the same code serves
    the compiled module and a fresh validation: both paths give the same objects.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.general = _questions(data["general"])
        self.leg = _questions(data["leg"])
        self.pain_rules: dict[str, str] = dict(data["pain_rules"])
        self.unsure_note: str = data["unsure_note"]
        self._advice = {
            Level(level): AdviceWording(a["headline"], a["text"], tuple(a["sources"]))
            for level, a in data["advice"].items()
        }

    def question(self, scope: str, rule_id: str) -> QuestionWording:
        return (self.general if scope == "general" else self.leg)[rule_id]

    def finding_template(self, rule: str) -> str:
        if rule in self.pain_rules:
            return self.pain_rules[rule]
        if rule in self.general:
            return self.general[rule].finding
        return self.leg[rule].finding

    def advice(self, level: Level) -> AdviceWording:
        return self._advice[level]

    def advice_for(self, result: ScreeningResult) -> str:
        """The full advice for a verdict, as the CLI and the planner show it."""
        from calfcare.core.report import compose_advice

        return compose_advice(result, self)


def _questions(items: Sequence[Mapping[str, Any]]) -> dict[str, QuestionWording]:
    return {
        q["id"]: QuestionWording(
            q["id"], q["question"], q["why"], q["finding"], tuple(q["sources"])
        )
        for q in items
    }
