"""Turn a `ScreeningResult` into words: the contract's output JSON and the advice.

The wording comes from content (passed in as a `ScreeningWording`); which words apply, and
how the advice is put together from the verdict and each calf's status, is decided here so
that the CLI, the web pages and the API say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from calfcare.core.answers import UNSURE, Answers
from calfcare.core.levels import Leg, Level
from calfcare.core.screening import Finding, ScreeningResult
from calfcare.core.screening_rules import CONTRACT_VERSION, GENERAL_RULES, LEG_RULES


@dataclass(frozen=True, slots=True)
class AdviceWording:
    headline: str
    text: str
    sources: tuple[str, ...]


class ScreeningWording(Protocol):
    """What the report needs from content."""

    unsure_note: str

    def finding_template(self, rule: str) -> str: ...

    def advice(self, level: Level) -> AdviceWording: ...


def calf_name(leg: Leg) -> str:
    return f"{leg.value} calf"


def _answered_unsure(finding: Finding, answers: Answers) -> bool:
    if finding.leg is None:
        return finding.rule in GENERAL_RULES and answers.general.get(finding.rule) == UNSURE
    section = answers.leg(finding.leg)
    if finding.rule in LEG_RULES:
        return section.get(finding.rule) == UNSURE
    # A pain rule: "unsure" about the pain, or about whether it followed a workout.
    return section.get("pain") == UNSURE or section.get("pain_after_exercise") == UNSURE


def finding_message(finding: Finding, answers: Answers, wording: ScreeningWording) -> str:
    """The plain-language reason for one finding, noting when it rests on "unsure"."""
    template = wording.finding_template(finding.rule)
    message = template.replace("{calf}", calf_name(finding.leg) if finding.leg else "calf")
    if _answered_unsure(finding, answers):
        message = f"{message} {wording.unsure_note}"
    return message


def compose_advice(result: ScreeningResult, wording: ScreeningWording) -> str:
    """The verdict's advice, then what it means for each calf the person wanted."""
    advice = wording.advice(result.verdict)
    parts = [advice.text]
    if result.verdict < Level.URGENT:
        for leg in result.answers.legs:
            status = result.legs[leg]
            if status.deep_work_allowed:
                parts.append(f"Your {calf_name(leg)}: you may massage it.")
            elif status.massage_allowed:
                parts.append(f"Your {calf_name(leg)}: gentle work only.")
            else:
                parts.append(f"Your {calf_name(leg)}: do not massage it for now.")
        for leg in Leg:
            if leg not in result.answers.legs and result.legs[leg].level >= Level.AVOID:
                parts.append(f"Your {calf_name(leg)} (not in today's plan): do not massage it.")
    return " ".join(parts)


def screening_report(result: ScreeningResult, wording: ScreeningWording) -> dict[str, Any]:
    """The screening contract's output object (extra keys: ``headline``, ``answers``)."""
    headline = wording.advice(result.verdict).headline
    return {
        "contract": CONTRACT_VERSION,
        "verdict": result.verdict.value,
        "headline": headline,
        "legs": {
            leg.value: {
                "level": status.level.value,
                "massage_allowed": status.massage_allowed,
                "deep_work_allowed": status.deep_work_allowed,
            }
            for leg, status in result.legs.items()
        },
        "findings": [
            {
                "rule": f.rule,
                "leg": f.leg.value if f.leg else None,
                "level": f.level.value,
                "message": finding_message(f, result.answers, wording),
                "sources": list(f.sources),
            }
            for f in result.findings
        ],
        "advice": compose_advice(result, wording),
        "advice_sources": list(wording.advice(result.verdict).sources),
        "answers": result.answers.to_json(),
    }
