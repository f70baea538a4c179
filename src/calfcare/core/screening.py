"""The safety screening: answers in, findings and a verdict out (screening contract v1).

Pure and deterministic: no I/O, no clock, no content. The wording of findings and advice is
attached by `calfcare.core.report` from content passed in by the caller. Every rule below is
exactly the contract's; none is weaker and none is stronger. Safety first: ``"unsure"``
counts as the less reassuring answer everywhere (see `calfcare.core.answers.worrying`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from calfcare.core.answers import Answers, worrying
from calfcare.core.levels import Leg, Level, highest
from calfcare.core.screening_rules import (
    CLOT_RISK,
    CLOT_RISK_FACTORS,
    GENERAL_RULES,
    LEG_RULES,
    PAIN,
    PAIN_AFTER_EXERCISE,
    PAIN_BOTH_CALVES,
    PAIN_ONE_CALF,
    PAIN_WITH_RISK,
    PainRule,
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired: on one calf, or general (``leg`` is None)."""

    rule: str
    leg: Leg | None
    level: Level
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LegStatus:
    """What the screening allows for one calf."""

    level: Level
    massage_allowed: bool
    deep_work_allowed: bool


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The verdict for one set of answers."""

    answers: Answers
    verdict: Level
    legs: Mapping[Leg, LegStatus]
    findings: tuple[Finding, ...]

    @property
    def massage_allowed(self) -> bool:
        """True when at least one wanted calf may be massaged."""
        return any(status.massage_allowed for status in self.legs.values())


def screen(answers: Answers) -> ScreeningResult:
    """Apply the contract's rules to valid answers."""
    findings = [*_general_findings(answers), *_leg_findings(answers), *_pain_findings(answers)]
    general = [f.level for f in findings if f.leg is None]
    calf_level = {
        leg: highest([*general, *(f.level for f in findings if f.leg is leg)]) for leg in Leg
    }
    verdict = highest(
        [
            *general,
            *(f.level for f in findings if f.level >= Level.URGENT),
            *(calf_level[leg] for leg in answers.legs),
        ]
    )
    legs = {}
    for leg in Leg:
        allowed = (
            leg in answers.legs and verdict < Level.URGENT and calf_level[leg] <= Level.CAUTION
        )
        legs[leg] = LegStatus(
            level=calf_level[leg],
            massage_allowed=allowed,
            deep_work_allowed=allowed and calf_level[leg] is Level.OK,
        )
    return ScreeningResult(
        answers=answers,
        verdict=verdict,
        legs=MappingProxyType(legs),
        findings=tuple(findings),
    )


def _general_findings(answers: Answers) -> list[Finding]:
    found = []
    for rule_id, rule in GENERAL_RULES.items():
        if rule.level is not None and worrying(answers.general[rule_id]):
            found.append(Finding(rule_id, None, rule.level, rule.sources))
    return found


def _leg_findings(answers: Answers) -> list[Finding]:
    found = []
    for leg in Leg:
        for rule_id, rule in LEG_RULES.items():
            if rule.level is not None and worrying(answers.leg(leg)[rule_id]):
                found.append(Finding(rule_id, leg, rule.level, rule.sources))
    return found


def _pain_findings(answers: Answers) -> list[Finding]:
    """The contract's pain rules 1-4, in order."""
    with_pain = [leg for leg in Leg if worrying(answers.leg(leg)[PAIN])]
    unexplained = [
        leg for leg in with_pain if answers.leg(leg).get(PAIN_AFTER_EXERCISE) is not True
    ]
    risk_factors = [r for r in CLOT_RISK_FACTORS if worrying(answers.general[r])]
    found = []
    if len(unexplained) == 1:
        found.append(_pain_finding(PAIN_ONE_CALF, unexplained[0]))
    if len(unexplained) == 2:
        found += [_pain_finding(PAIN_BOTH_CALVES, leg) for leg in unexplained]
    if risk_factors and len(with_pain) == 1:
        found.append(_pain_finding(PAIN_WITH_RISK, with_pain[0]))
    for rule_id in risk_factors:
        # Rule 4 ("caution on both calves"), one general finding per risk factor so that
        # the person sees which answer asked for care.
        found.append(Finding(rule_id, None, CLOT_RISK.level, GENERAL_RULES[rule_id].sources))
    return found


def _pain_finding(rule: PainRule, leg: Leg) -> Finding:
    return Finding(rule.id, leg, rule.level, rule.sources)
