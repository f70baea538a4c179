"""Hypothesis properties of the screening rules (docs/safety.md explains each)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.answers import Answer, parse_answers
from calfcare.core.errors import InvalidInput
from calfcare.core.levels import Leg, Level
from calfcare.core.screening import ScreeningResult, screen
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS

ANSWER = st.sampled_from([True, False, "unsure"])
LEGS = st.sampled_from([["left"], ["right"], ["left", "right"], ["right", "left"]])


@st.composite
def valid_input(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid input; ``pain_after_exercise`` is always present (ignored when pain is no)."""
    return {
        "contract": 1,
        "legs": draw(LEGS),
        "general": {i: draw(ANSWER) for i in GENERAL_QUESTION_IDS},
        "left": {i: draw(ANSWER) for i in LEG_QUESTION_IDS},
        "right": {i: draw(ANSWER) for i in LEG_QUESTION_IDS},
    }


def run(data: dict[str, Any]) -> ScreeningResult:
    return screen(parse_answers(data))


def no_more_allowed(before: ScreeningResult, after: ScreeningResult) -> bool:
    return (
        all(
            after.legs[leg].level >= before.legs[leg].level
            and (before.legs[leg].massage_allowed or not after.legs[leg].massage_allowed)
            and (before.legs[leg].deep_work_allowed or not after.legs[leg].deep_work_allowed)
            for leg in Leg
        )
        and after.verdict >= before.verdict
    )


# `pain` (in the other calf) and `pain_after_exercise` are left out on purpose: the contract's
# pain rules are not monotone across calves (docs/safety.md, "Where the contract is not
# monotone"), and the project implements the contract exactly.
MONOTONE_FIELDS = [("general", i) for i in GENERAL_QUESTION_IDS] + [
    (side, i)
    for side in ("left", "right")
    for i in LEG_QUESTION_IDS
    if i not in ("pain", "pain_after_exercise")
]


@settings(max_examples=300, deadline=None)
@given(valid_input(), st.sampled_from(MONOTONE_FIELDS), st.sampled_from([True, "unsure"]))
def test_turning_no_into_yes_or_unsure_never_allows_more(
    data: dict[str, Any], field: tuple[str, str], worse: Answer
) -> None:
    section, rule_id = field
    data[section][rule_id] = False
    before = run(data)
    data[section][rule_id] = worse
    assert no_more_allowed(before, run(data))


@settings(max_examples=300, deadline=None)
@given(valid_input(), st.sampled_from(["left", "right"]), st.sampled_from([True, "unsure"]))
def test_pain_never_lowers_its_own_calf(data: dict[str, Any], side: str, worse: Answer) -> None:
    data[side]["pain"] = False
    before = run(data)
    data[side]["pain"] = worse
    after = run(data)
    leg = Leg(side)
    assert after.legs[leg].level >= before.legs[leg].level
    assert before.legs[leg].massage_allowed or not after.legs[leg].massage_allowed


@settings(max_examples=300, deadline=None)
@given(valid_input(), st.sampled_from(["left", "right"]), st.sampled_from([False, "unsure"]))
def test_doubting_that_pain_followed_exercise_never_lowers_its_calf(
    data: dict[str, Any], side: str, worse: Answer
) -> None:
    data[side]["pain_after_exercise"] = True
    before = run(data)
    data[side]["pain_after_exercise"] = worse
    after = run(data)
    assert after.legs[Leg(side)].level >= before.legs[Leg(side)].level


@settings(max_examples=500, deadline=None)
@given(valid_input())
def test_verdict_is_never_below_an_urgent_finding(data: dict[str, Any]) -> None:
    result = run(data)
    for finding in result.findings:
        if finding.level >= Level.URGENT:
            assert result.verdict >= finding.level
    for status in result.legs.values():
        if status.level >= Level.URGENT:
            assert result.verdict >= status.level


@settings(max_examples=500, deadline=None)
@given(valid_input())
def test_massage_allowed_implies_caution_at_most(data: dict[str, Any]) -> None:
    result = run(data)
    for leg, status in result.legs.items():
        if status.massage_allowed:
            assert status.level <= Level.CAUTION
            assert result.verdict < Level.URGENT
            assert leg.value in data["legs"]
        if status.deep_work_allowed:
            assert status.massage_allowed
            assert status.level is Level.OK


@settings(max_examples=300, deadline=None)
@given(
    valid_input(),
    st.sampled_from(["left", "right"]),
    st.sampled_from(["swelling", "redness", "warmth", "hard_veins"]),
    ANSWER,
)
def test_a_clot_sign_never_allows_massage(
    data: dict[str, Any], side: str, sign: str, answer: Answer
) -> None:
    data[side][sign] = True if answer is False else answer
    result = run(data)
    assert result.verdict >= Level.URGENT
    assert not any(status.massage_allowed for status in result.legs.values())


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def broken_input(draw: st.DrawFn) -> dict[str, Any]:
    """A valid input with one part replaced by something the contract forbids."""
    data = draw(valid_input())
    section = draw(st.sampled_from(["legs", "contract", "general", "left", "right", "new"]))
    bad = draw(JSON_VALUES)
    if section in ("general", "left", "right") and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data[section])))
        if bad is True or bad is False or bad == "unsure":
            bad = "maybe"
        if key == "pain_after_exercise" and data[section]["pain"] is False:
            bad = "no"
        data[section][key] = bad
    elif section == "contract":
        data["contract"] = 2 if bad == 1 and type(bad) is int else bad
    elif section == "legs":
        if bad in (["left"], ["right"], ["left", "right"], ["right", "left"]):
            bad = []
        data["legs"] = bad
    elif section == "new":
        data["new"] = bad
    else:
        data[section] = bad if not isinstance(bad, dict) else {**bad, "unknown_id": True}
    return data


@settings(max_examples=500, deadline=None)
@given(broken_input())
def test_input_that_breaks_the_schema_never_yields_a_verdict(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_answers(data)
    assert caught.value.problems
