"""A clinician's-list line as stored text (`calfcare.core.summary_json`): read back equal,
and anything else (damaged, of another layout, of another shape) reads as None."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.adherence import WeekAdherence
from calfcare.core.clinic_list import Flag, PersonSummary
from calfcare.core.levels import Leg
from calfcare.core.summary_json import (
    FORMAT,
    day_from_text,
    days_from_text,
    days_to_text,
    summary_from_text,
    summary_to_text,
)

words = st.text(max_size=80)
weeks = st.builds(
    WeekAdherence,
    week=st.integers(1, 52),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    done=st.integers(0, 30),
    prescribed=st.integers(1, 14),
    seconds=st.lists(
        st.tuples(st.sampled_from(list(Leg)), st.floats(0, 1e6, allow_nan=False)), max_size=2
    ).map(tuple),
    running=st.booleans(),
)
summaries = st.builds(
    PersonSummary,
    person_id=st.integers(1, 2**31),
    name=words,
    flags=st.lists(st.sampled_from(list(Flag)[:-1]), unique=True).map(lambda f: tuple(sorted(f))),
    week=st.none() | weeks,
    prescribed=st.booleans(),
    worse=st.lists(words, max_size=3).map(tuple),
    trends=st.lists(words, max_size=4).map(tuple),
    split_leg=st.none() | words,
)


@settings(max_examples=300)
@given(summaries)
def test_a_line_reads_back_equal(line: PersonSummary) -> None:
    assert summary_from_text(summary_to_text(line)) == line


def _fields(line: PersonSummary) -> dict[str, object]:
    return dict(json.loads(summary_to_text(line))["days"][0])


def _text(raw: dict[str, object], layout: object = FORMAT) -> str:
    return json.dumps({"format": layout, "days": [raw]})


@settings(max_examples=100)
@given(st.lists(summaries, min_size=1, max_size=8))
def test_a_persons_days_read_back_equal_and_in_order(lines: list[PersonSummary]) -> None:
    text = days_to_text(lines)
    assert days_from_text(text) == tuple(lines)
    assert [day_from_text(text, n) for n in range(-1, len(lines) + 1)] == [None, *lines, None]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(max_examples=300)
@given(summaries, st.data())
def test_a_damaged_field_is_never_read_as_a_line(line: PersonSummary, data: st.DataObject) -> None:
    raw = _fields(line)
    field = data.draw(st.sampled_from(sorted(raw)))
    value = data.draw(json_values.filter(lambda v: v != raw[field]))
    raw[field] = value
    back = summary_from_text(_text(raw))
    # either refused, or (when the new value is another valid one) exactly what it says
    assert back is None or _fields(back) == raw


def test_another_layout_or_no_json_at_all_is_not_read() -> None:
    line = PersonSummary(7, "jo", (Flag.SHARP_PAIN,), None, False, (), ("t",), None)
    raw = _fields(line)
    assert summary_from_text(_text(raw)) == line
    assert summary_from_text(_text(raw, FORMAT + 1)) is None
    assert summary_from_text(json.dumps({**raw, "format": 1})) is None  # one day's, older
    assert summary_from_text(_text({k: v for k, v in raw.items() if k != "name"})) is None
    assert summary_from_text(_text({**raw, "flags": [99]})) is None
    assert summary_from_text(_text({**raw, "person_id": True})) is None
    assert days_from_text(json.dumps({"format": FORMAT, "days": []})) is None
    assert summary_from_text("{not json") is None
    assert summary_from_text("[]") is None
    assert summary_from_text("[" * 100_000) is None
