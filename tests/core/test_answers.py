"""Bad screening input: no verdict, and every offending field named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from calfcare.core.answers import parse_answers
from calfcare.core.errors import InvalidInput
from tests.conftest import load_vignettes

BASE: dict[str, Any] = load_vignettes()["cases"][1]["input"]  # nothing wrong, no pain


def fields_of(data: object) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        parse_answers(data)
    return [p.field for p in caught.value.problems]


def changed(**edits: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for dotted, value in edits.items():
        *path, last = dotted.split("__")
        target = data
        for key in path:
            target = target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(changed(contract=True), ["contract"], id="contract true"),
        pytest.param(changed(contract=1.0), ["contract"], id="contract 1.0"),
        pytest.param(changed(contract="1"), ["contract"], id="contract string"),
        pytest.param(changed(extra="x"), ["extra"], id="unknown top-level key"),
        pytest.param(changed(legs="left"), ["legs"], id="legs not a list"),
        pytest.param(changed(legs=_DELETE), ["legs"], id="legs missing"),
        pytest.param(changed(general=[]), ["general"], id="general not an object"),
        pytest.param(
            changed(left__pain_after_exercise="maybe"),
            ["left.pain_after_exercise"],
            id="ignored pain_after_exercise must still be valid",
        ),
        pytest.param(
            changed(left__pain=True),
            ["left.pain_after_exercise"],
            id="pain yes needs pain_after_exercise",
        ),
        pytest.param(
            changed(left__pain="unsure"),
            ["left.pain_after_exercise"],
            id="pain unsure needs pain_after_exercise",
        ),
        pytest.param(changed(right__warmth=0), ["right.warmth"], id="0 is not false"),
        pytest.param(changed(right__warmth="yes"), ["right.warmth"], id="yes string"),
        pytest.param(changed(legs=["left", 1]), ["legs.1"], id="leg not a string"),
        pytest.param([1, 2], ["(root)"], id="not an object"),
    ],
)
def test_each_bad_field_is_named(data: object, expected: list[str]) -> None:
    assert fields_of(data) == expected


def test_every_problem_is_reported_at_once() -> None:
    data = changed(
        contract=2, legs=[], general__pe_signs=None, left__swollen=False, right__redness=_DELETE
    )
    assert sorted(fields_of(data)) == sorted(
        ["contract", "legs", "general.pe_signs", "left.swollen", "right.redness"]
    )


def test_pain_after_exercise_is_dropped_when_pain_is_no() -> None:
    answers = parse_answers(changed(left__pain_after_exercise=True))
    assert "pain_after_exercise" not in answers.left


def test_contract_is_optional() -> None:
    assert parse_answers(changed(contract=_DELETE)).legs
