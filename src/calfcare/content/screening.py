"""The screening's wording, loaded from ``data/screening.toml`` and checked against the
contract's rule table: every id worded exactly once, every item citing known sources.

The Pydantic models here are the validator; what callers get is the plain `ScreeningText` of
`calfcare.content.screening_text`, which the CLI can also load from a compiled copy without
importing Pydantic at all (`calfcare.content.screening_wording`).
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.content.screening_text import ScreeningText
from calfcare.content.sources import check_sources
from calfcare.core.errors import ContentError
from calfcare.core.levels import Level
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS, PAIN_RULES

FILENAME = "screening.toml"


class QuestionText(ContentModel):
    """One question as the person sees it, with its "why we ask" help."""

    id: str
    question: str = Field(min_length=10)
    why: str = Field(min_length=10)
    finding: str = Field(min_length=10)
    sources: list[str]


class AdviceText(ContentModel):
    headline: str = Field(min_length=3)
    text: str = Field(min_length=10)
    sources: list[str]


class _ScreeningFile(ContentModel):
    general: list[QuestionText]
    leg: list[QuestionText]
    pain_rules: dict[str, str]
    unsure_note: str
    advice: dict[Level, AdviceText]


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


def load_validated() -> _ScreeningFile:
    """The TOML, validated; a malformed file raises `ContentError` naming file and field."""
    data = load_model(FILENAME, _ScreeningFile)
    _check(data)
    return data


@cache
def load_screening_text() -> ScreeningText:
    """The screening wording, validated from the TOML now (the CLI's fast path uses
    `calfcare.content.screening_wording.load_screening_wording`, which compiles it)."""
    return ScreeningText(load_validated().model_dump(mode="json"))
