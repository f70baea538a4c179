"""The screening contract's rule table (screening contract, version 1).

The ids, their scope, the level each one sets and the sources it rests on are the fixed
interface, so they are code, not content: a content edit can change the wording of a question
but never what an answer does. ``content/data/screening.toml`` must word every id listed here,
and its loader checks that it does.

Source ids: ``seed`` (the article, "Safety Considerations and Warning Signs"), ``nhs-dvt``
(the NHS page on deep vein thrombosis), ``wells`` (the Wells criteria for DVT),
``nccih-massage`` (NCCIH on massage safety) and ``contract`` (a precaution the contract sets
without a published source in our evidence file; docs/safety.md lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from calfcare.core.levels import Level

CONTRACT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Rule:
    """What a worrying answer to one question does.

    ``level`` is None for the clot risk factors, which act only through the pain rules.
    """

    id: str
    level: Level | None
    sources: tuple[str, ...]


def _table(*rules: Rule) -> MappingProxyType[str, Rule]:
    return MappingProxyType({r.id: r for r in rules})


GENERAL_RULES = _table(
    Rule("pe_signs", Level.EMERGENCY, ("nhs-dvt",)),
    Rule("clot_suspected", Level.URGENT, ("seed",)),
    Rule("clot_diagnosed", Level.AVOID, ("seed",)),
    Rule("fever_or_unwell", Level.AVOID, ("contract",)),
    Rule("anticoagulants", Level.CAUTION, ("seed",)),
    Rule("bleeding_disorder", Level.CAUTION, ("nccih-massage",)),
    Rule("poor_sensation_or_circulation", Level.CAUTION, ("contract",)),
    Rule("recent_surgery_or_immobility", None, ("wells",)),
    Rule("long_journey", None, ("nhs-dvt",)),
    Rule("pregnant_or_postpartum", None, ("nhs-dvt",)),
    Rule("active_cancer", None, ("wells",)),
    Rule("previous_clot", None, ("wells",)),
)
"""General questions, asked once. ``None`` marks a clot risk factor."""

CLOT_RISK_FACTORS = tuple(rule_id for rule_id, r in GENERAL_RULES.items() if r.level is None)

LEG_RULES = _table(
    Rule("swelling", Level.URGENT, ("seed", "nhs-dvt")),
    Rule("redness", Level.URGENT, ("seed", "nhs-dvt")),
    Rule("warmth", Level.URGENT, ("seed", "nhs-dvt")),
    Rule("hard_veins", Level.URGENT, ("nhs-dvt",)),
    Rule("open_wound", Level.AVOID, ("seed",)),
    Rule("skin_infection", Level.AVOID, ("seed",)),
    Rule("acute_inflammation", Level.AVOID, ("seed",)),
    Rule("recent_injury", Level.AVOID, ("seed",)),
    Rule("severe_varicose_veins", Level.CAUTION, ("seed",)),
)
"""Questions asked for each calf with a level of their own. ``pain`` and
``pain_after_exercise`` act through the pain rules below instead."""

PAIN = "pain"
PAIN_AFTER_EXERCISE = "pain_after_exercise"
LEG_QUESTION_IDS = (*LEG_RULES, PAIN, PAIN_AFTER_EXERCISE)
GENERAL_QUESTION_IDS = tuple(GENERAL_RULES)


@dataclass(frozen=True, slots=True)
class PainRule:
    """One of the contract's numbered pain rules."""

    id: str
    level: Level
    sources: tuple[str, ...]


PAIN_ONE_CALF = PainRule("unexplained_pain_one_calf", Level.URGENT, ("seed", "nhs-dvt"))
"""Pain rule 1: unexplained pain in exactly one calf."""
PAIN_BOTH_CALVES = PainRule("unexplained_pain_both_calves", Level.CAUTION, ("nhs-dvt",))
"""Pain rule 2: unexplained pain in both calves (clots are rarely in both legs)."""
PAIN_WITH_RISK = PainRule("pain_with_clot_risk", Level.URGENT, ("seed", "nhs-dvt", "wells"))
"""Pain rule 3: a clot risk factor and pain in exactly one calf."""
CLOT_RISK = PainRule("clot_risk_factor", Level.CAUTION, ("nhs-dvt", "wells"))
"""Pain rule 4: any clot risk factor, with or without pain: gentle work on both calves."""

PAIN_RULES = (PAIN_ONE_CALF, PAIN_BOTH_CALVES, PAIN_WITH_RISK, CLOT_RISK)
