"""The words of the safety state (``data/safety.toml``): why a hold is on, what lifts it.

The advice shown with a hold is the screening's own advice for its level, and the advice
after a sharp-pain stop is the session's (``routines.toml``): one wording of each thing.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.content.routines import load_routines, sharp_pain_sources
from calfcare.content.screening import load_screening_text
from calfcare.content.sources import check_sources
from calfcare.core.safety_state import SafetyWording

FILENAME = "safety.toml"


class _SafetyFile(ContentModel):
    hold_reason_screening: str = Field(min_length=10, pattern=r"\{findings\}")
    hold_reason_follow_up: str = Field(min_length=10, pattern=r"\{findings\}")
    hold_lifts: str = Field(min_length=20)
    hold_lifts_sources: list[str] = Field(min_length=1)
    needs_screening: str = Field(min_length=10)
    pain_check_question: str = Field(min_length=10, pattern=r"\{calf\}")
    plan_left_out: str = Field(min_length=10, pattern=r"\{calf\}")
    plan_gentle: str = Field(min_length=10, pattern=r"\{calf\}")
    plan_pain_check: str = Field(min_length=10, pattern=r"\{calf\}")
    plan_no_calf: str = Field(min_length=10)


@cache
def load_safety_wording() -> SafetyWording:
    """The checked wording; a malformed file raises `ContentError` naming file and field."""
    data = load_model(FILENAME, _SafetyFile)
    check_sources(FILENAME, "hold_lifts_sources", data.hold_lifts_sources)
    routines = load_routines()
    return SafetyWording(
        screening=load_screening_text(),
        hold_reason_screening=data.hold_reason_screening,
        hold_reason_follow_up=data.hold_reason_follow_up,
        hold_lifts=data.hold_lifts,
        hold_lifts_sources=tuple(data.hold_lifts_sources),
        needs_screening=data.needs_screening,
        pain_check_question=data.pain_check_question,
        plan_left_out=data.plan_left_out,
        plan_gentle=data.plan_gentle,
        plan_pain_check=data.plan_pain_check,
        plan_no_calf=data.plan_no_calf,
        sharp_pain_advice=routines.sharp_pain_advice,
        sharp_pain_sources=sharp_pain_sources(),
    )
