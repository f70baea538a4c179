"""`whole_number`: the one reading of a whole number typed as text. ``str.isdigit`` alone
let "²" through to ``int`` (a ValueError, once a 500) and any length (``int`` refuses more
than 4,300 digits)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.errors import InvalidInput
from calfcare.core.planner import parse_plan_options
from calfcare.core.whole_number import whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("007", 7),
        ("123456789", 123456789),
        ("1234567890", None),
        ("", None),
        ("²", None),
        ("1²", None),
        ("٣", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
    ],
)
def test_only_ascii_digits_within_the_length_are_a_number(text: str, expected: int | None) -> None:
    assert whole_number(text, 9) == expected


@given(st.text(max_size=12), st.integers(1, 10))
def test_never_raises_and_agrees_with_int_where_it_answers(text: str, digits: int) -> None:
    found = whole_number(text, digits)
    if found is not None:
        assert found == int(text) and len(text) <= digits and set(text) <= set("0123456789")


def test_a_plan_option_of_thousands_of_digits_is_refused_in_words() -> None:
    raw = {"tool": "foam_roller", "legs": "left,right", "seconds_per_calf": "9" * 5000,
           "intensity": "standard"}  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        parse_plan_options(raw)
    assert "seconds_per_calf" in {p.field for p in refused.value.problems}
