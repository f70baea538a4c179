"""The shared response models of the JSON API: documentation, not validation (request
bodies are `calfcare.web.api.bodies`). They describe what `screening_report`, the content
loaders and the error handlers return, and the schemathesis test checks real responses
against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

LevelName = Literal["ok", "caution", "avoid", "urgent", "emergency"]
LegName = Literal["left", "right"]


class Problem(BaseModel):
    field: str = Field(description="dotted path, e.g. left.swelling or legs.0")
    message: str


class ErrorBody(BaseModel):
    """Every error response: the screening contract's error shape."""

    model_config = ConfigDict(extra="allow")

    error: str
    problems: list[Problem]


class LegStatus(BaseModel):
    level: LevelName
    massage_allowed: bool
    deep_work_allowed: bool


class FindingOut(BaseModel):
    rule: str
    leg: LegName | None
    level: LevelName
    message: str
    sources: list[str]


class ScreeningReport(BaseModel):
    """Screening contract v1 output (extra keys: headline, advice_sources, answers)."""

    model_config = ConfigDict(extra="allow")

    contract: Literal[1]
    verdict: LevelName
    headline: str
    legs: dict[LegName, LegStatus]
    findings: list[FindingOut]
    advice: str
    advice_sources: list[str]
    answers: dict[str, Any]


class SourceOut(BaseModel):
    id: str
    title: str
    citation: str
    url: str | None
    short: str | None = Field(description="a short name for lists, e.g. Guo 2017")
    seen: Literal["seen", "secondary"]


class QuestionOut(BaseModel):
    field: str = Field(description="where the answer goes in the input, e.g. left.pain")
    scope: Literal["general", "left", "right"]
    id: str
    question: str
    why: str
    sources: list[str]
    asked_when: str | None = Field(description="null: always asked; else the condition")
    stops_for_emergency: bool = Field(description="yes or unsure ends the screening at once")


class QuestionsOut(BaseModel):
    contract: Literal[1]
    answers: list[bool | Literal["unsure"]]
    questions: list[QuestionOut]
    sources: dict[str, SourceOut]


class LearnItemOut(BaseModel):
    id: str
    kind: Literal["claim", "not_claimed"]
    text: str
    quotes: list[str]
    sources: list[str]
    grades: list[str] = Field(description="ids of the evidence grades of its claims")


class EvidenceGradeOut(BaseModel):
    id: str
    claim: str
    grade: Literal["supported", "mixed", "not_supported", "no_good_evidence"]
    qualifier: str | None
    word: str = Field(description='the grade in words, e.g. "Supported (small to moderate)"')
    effect: str
    sources: list[str]
    source_names: list[str]


class LearnSectionOut(BaseModel):
    id: str
    title: str
    item: list[LearnItemOut]


class LearnOut(BaseModel):
    sections: list[LearnSectionOut]
    grades: list[EvidenceGradeOut]
    sources: dict[str, SourceOut]


class SourcesOut(BaseModel):
    sources: dict[str, SourceOut]


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting each error status with the error shape."""
    described = {
        400: "The body is not valid JSON.",
        404: "No such endpoint.",
        405: "Method not allowed.",
        409: "The screening rules this out today.",
        413: "The body is larger than this endpoint accepts (docs/api.md lists the limits).",
        415: "The body is not sent as application/json.",
        422: "The input is not valid: every offending field is named in `problems`.",
        500: "Internal error (a bug).",
    }
    return {s: {"model": ErrorBody, "description": described[s]} for s in statuses}
