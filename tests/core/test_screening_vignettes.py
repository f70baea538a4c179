"""The screening contract's worked cases and bad inputs (copied from shared/screening)."""

from __future__ import annotations

from typing import Any

import pytest

from calfcare.core.answers import parse_answers
from calfcare.core.errors import InvalidInput
from calfcare.core.screening import screen
from tests.conftest import load_vignettes

VIGNETTES = load_vignettes()


def _observed(data: dict[str, Any]) -> dict[str, Any]:
    result = screen(parse_answers(data))
    return {
        "verdict": result.verdict.value,
        "legs": {
            leg.value: {
                "level": status.level.value,
                "massage_allowed": status.massage_allowed,
                "deep_work_allowed": status.deep_work_allowed,
            }
            for leg, status in result.legs.items()
        },
    }


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_case_gets_exactly_the_contract_verdict(case: dict[str, Any]) -> None:
    assert _observed(case["input"]) == case["expect"]


@pytest.mark.parametrize(
    "bad", VIGNETTES["bad_inputs"], ids=[b["why"] for b in VIGNETTES["bad_inputs"]]
)
def test_bad_input_gives_no_verdict(bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_answers(bad["input"])
    assert caught.value.problems, "every rejection names at least one field"


def test_vignette_count_is_what_the_contract_ships() -> None:
    assert len(VIGNETTES["cases"]) == 24
    assert len(VIGNETTES["bad_inputs"]) == 12
