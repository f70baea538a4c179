"""The screening's wording, loaded from ``data/screening.toml`` and checked against the
contract's rule table: every id worded exactly once, every item citing known sources."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from calfcare.content.load import load_model
from calfcare.content.sources import check_sources
from calfcare.core.errors import ContentError
from calfcare.core.levels import Level
from calfcare.core.report import AdviceWording
from calfcare.core.screening import ScreeningResult
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS, PAIN_RULES

FILENAME = "screening.toml"


class QuestionText(BaseModel):
    """One question as the person sees it, with its "why we ask" help."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    question: str = Field(min_length=10)
    why: str = Field(min_length=10)
    finding: str = Field(min_length=10)
    sources: list[str]


class AdviceText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    headline: str = Field(min_length=3)
    text: str = Field(min_length=10)
    sources: list[str]


class _ScreeningFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    general: list[QuestionText]
    leg: list[QuestionText]
    pain_rules: dict[str, str]
    unsure_note: str
    advice: dict[Level, AdviceText]


class ScreeningText:
    """The checked wording; implements `calfcare.core.report.ScreeningWording`."""

    def __init__(self, data: _ScreeningFile) -> None:
        self.general = {q.id: q for q in data.general}
        self.leg = {q.id: q for q in data.leg}
        self.pain_rules = dict(data.pain_rules)
        self.unsure_note = data.unsure_note
        self._advice = dict(data.advice)

    def question(self, scope: str, rule_id: str) -> QuestionText:
        return (self.general if scope == "general" else self.leg)[rule_id]

    def finding_template(self, rule: str) -> str:
        if rule in self.pain_rules:
            return self.pain_rules[rule]
        if rule in self.general:
            return self.general[rule].finding
        return self.leg[rule].finding

    def advice(self, level: Level) -> AdviceWording:
        text = self._advice[level]
        return AdviceWording(text.headline, text.text, tuple(text.sources))

    def advice_for(self, result: ScreeningResult) -> str:
        """The full advice for a verdict, as the CLI and the planner show it."""
        from calfcare.core.report import compose_advice

        return compose_advice(result, self)


def _check(data: _ScreeningFile) -> None:
    def exact(kind: str, items: list[QuestionText], expected: tuple[str, ...]) -> None:
        ids = [q.id for q in items]
        missing = [i for i in expected if i not in ids]
        extra = sorted({i for i in ids if i not in expected or ids.count(i) > 1})
        if missing or extra:
            raise ContentError(
                f"content file {FILENAME} is malformed: {kind}: "
                f"missing {missing or 'nothing'}, unexpected or repeated {extra or 'nothing'}"
            )
        for q in items:
            check_sources(FILENAME, f"{kind}.{q.id}.sources", q.sources)

    exact("general", data.general, GENERAL_QUESTION_IDS)
    exact("leg", data.leg, LEG_QUESTION_IDS)
    wanted_pain = {r.id for r in PAIN_RULES if r.id != "clot_risk_factor"}
    if set(data.pain_rules) != wanted_pain:
        raise ContentError(
            f"content file {FILENAME} is malformed: pain_rules must word exactly "
            f"{sorted(wanted_pain)}"
        )
    for level in Level:
        if level not in data.advice:
            raise ContentError(f"content file {FILENAME} is malformed: advice.{level}: missing")
        check_sources(FILENAME, f"advice.{level}.sources", data.advice[level].sources)


@cache
def load_screening_text() -> ScreeningText:
    """The screening wording; a malformed file raises `ContentError` naming file and field."""
    data = load_model(FILENAME, _ScreeningFile)
    _check(data)
    return ScreeningText(data)
