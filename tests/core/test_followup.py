"""The next-day follow-up gives exactly the screening's verdict for the same signs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.answers import parse_answers
from calfcare.core.errors import InvalidInput
from calfcare.core.followup import (
    SIGNS,
    FollowUpAnswers,
    as_screening_answers,
    check_followup,
    escalates,
    followup_answers,
)
from calfcare.core.levels import Leg, Level
from calfcare.core.screening import screen
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_RULES

answer = st.sampled_from([True, False, "unsure"])
sections = st.fixed_dictionaries(dict.fromkeys(SIGNS, answer))


def test_no_new_signs_is_ok() -> None:
    result = check_followup(FollowUpAnswers.none())
    assert result.verdict is Level.OK and not escalates(result)


@pytest.mark.parametrize("sign", SIGNS)
@pytest.mark.parametrize("leg", list(Leg))
@pytest.mark.parametrize("value", [True, "unsure"])
def test_any_sign_in_one_calf_is_urgent(sign: str, leg: Leg, value: Any) -> None:
    data: dict[str, Any] = {
        "left": dict.fromkeys(SIGNS, False),
        "right": dict.fromkeys(SIGNS, False),
        "pe_signs": False,
    }
    data[leg.value][sign] = value
    result = check_followup(followup_answers(data))
    assert result.verdict is Level.URGENT and escalates(result)
    assert {(f.rule, f.leg) for f in result.findings} == {(sign, leg)}
    assert not result.massage_allowed


@given(left=sections, right=sections, pe=answer)
def test_same_verdict_as_the_full_screening(left: Any, right: Any, pe: Any) -> None:
    """The follow-up's verdict equals a screening by hand with the same answers."""
    by_hand = {
        "legs": ["left", "right"],
        "general": {**dict.fromkeys(GENERAL_QUESTION_IDS, False), "pe_signs": pe},
        "left": {**dict.fromkeys((*LEG_RULES, "pain"), False), **left},
        "right": {**dict.fromkeys((*LEG_RULES, "pain"), False), **right},
    }
    expected = screen(parse_answers(by_hand))
    given_answers = {"left": left, "right": right, "pe_signs": pe}
    got = check_followup(followup_answers(given_answers))
    assert got.verdict is expected.verdict
    assert got.legs == expected.legs
    assert as_screening_answers(followup_answers(given_answers)).left == (
        parse_answers(by_hand).left
    )
    worrying = any(v is True or v == "unsure" for v in [*left.values(), *right.values(), pe])
    assert escalates(got) is worrying
    assert (got.verdict is Level.EMERGENCY) is (pe is True or pe == "unsure")


@pytest.mark.parametrize("value", [True, "unsure"])
def test_breathlessness_or_chest_pain_is_an_emergency(value: Any) -> None:
    data = {"left": dict.fromkeys(SIGNS, False), "right": dict.fromkeys(SIGNS, False)}
    result = check_followup(followup_answers({**data, "pe_signs": value}))
    assert result.verdict is Level.EMERGENCY and not result.massage_allowed
    assert [f.rule for f in result.findings] == ["pe_signs"]


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ("yes", {"followup"}),
        ({"left": {}}, {"followup.left.swelling", "followup.left.redness", "followup.left.warmth",
                        "followup.right", "followup.pe_signs"}),
        ({"left": {"swelling": 1, "redness": False, "warmth": False, "pain": True},
          "right": {"swelling": "no", "redness": False, "warmth": False}, "pe_signs": "yes"},
         {"followup.left.swelling", "followup.left.pain", "followup.right.swelling",
          "followup.pe_signs"}),
    ],
)  # fmt: skip
def test_bad_answers_name_every_field(data: Any, fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as error:
        followup_answers(data)
    assert {p.field for p in error.value.problems} == fields
