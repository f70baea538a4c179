"""Hypothesis on every parser and validator that takes outside input: whatever arrives, the
answer is a value or `InvalidInput` naming the problem, never another exception.

Inputs are arbitrary JSON-like values and, closer to the bugs that matter, valid documents
with one part replaced by an arbitrary value, deleted, or joined by an unknown key.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcare.content.routines import load_routines
from calfcare.core import export_format
from calfcare.core.answers import parse_answers
from calfcare.core.errors import InvalidInput
from calfcare.core.plan_json import parse_plan, plan_to_json
from calfcare.core.planner import parse_plan_options, plan
from calfcare.core.records import note, parse_tender_spot
from calfcare.core.replay import parse_events
from calfcare.core.tracking import mobility_test, session_day, soreness_check_in, split_leg_day
from tests.storage import strategies

TODAY = date(2026, 1, 2)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()  # NaN and infinities included: json.loads accepts them
    | st.text(max_size=12)
    | st.sampled_from(["left", "right", "unsure", "before", "next_day", "2026-01-01", "", "0"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
# Values that are not JSON at all but reach validators from Python callers.
python_values = json_values | st.dates() | st.datetimes() | st.just(object()) | st.tuples(scalars)


def only_invalid_input(fn: Any, *args: Any, **kwargs: Any) -> object:
    """Call ``fn``; a value or `InvalidInput` (with problems) passes, anything else fails."""
    try:
        return fn(*args, **kwargs)
    except InvalidInput as error:
        problems = error.problems
    assert problems
    assert all(isinstance(p.field, str) and p.message for p in problems)
    return None


@st.composite
def mutated(draw: st.DrawFn, valid: Any) -> Any:
    """``valid`` (a JSON document) with one node replaced, one key removed or one added."""
    doc = json.loads(json.dumps(valid))
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(doc, ())
    path = draw(st.sampled_from(paths))
    if not path:
        return draw(json_values)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace" or (action == "delete" and isinstance(parent, list)):
        parent[path[-1]] = draw(json_values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    else:
        parent.append(draw(json_values))
    return doc


# -- the import parser (core/export_format.py) -----------------------------------------------


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_import_loads_any_bytes(raw: bytes) -> None:
    only_invalid_input(export_format.loads, raw)


def test_import_loads_refuses_deep_nesting() -> None:
    with pytest.raises(InvalidInput):
        export_format.loads("[" * 100_000 + "]" * 100_000)


@FUZZ
@given(json_values)
def test_import_any_json_document(data: Any) -> None:
    only_invalid_input(export_format.from_document, data, today=TODAY)


@FUZZ
@given(st.data())
def test_import_mutated_documents(data: st.DataObject) -> None:
    records = data.draw(strategies.record_sets)
    doc = data.draw(mutated(export_format.to_document(records)))
    parsed = only_invalid_input(export_format.from_document, doc, today=TODAY)
    if isinstance(parsed, export_format.Parsed):  # still valid: it must round-trip
        again = export_format.to_document(parsed.records)
        assert export_format.from_document(again, today=TODAY).records == parsed.records


@settings(max_examples=40, deadline=None)
@given(strategies.record_sets)
def test_valid_documents_round_trip_through_bytes(records: Any) -> None:
    text = export_format.dumps(export_format.to_document(records))
    parsed = export_format.from_document(export_format.loads(text.encode()), today=TODAY)
    assert parsed.records == records


# -- the screening answers (core/answers.py) -------------------------------------------------


def _valid_answers() -> dict[str, Any]:
    from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS

    leg = dict.fromkeys(LEG_QUESTION_IDS, "unsure")
    return {
        "legs": ["left", "right"],
        "general": dict.fromkeys(GENERAL_QUESTION_IDS, False),
        "left": leg,
        "right": dict(leg),
    }


@FUZZ
@given(json_values | mutated(_valid_answers()))
def test_parse_answers(data: Any) -> None:
    only_invalid_input(parse_answers, data)


# -- the tracking builders (core/tracking.py, core/records.py) ---------------------------------


@FUZZ
@given(python_values, python_values, python_values, python_values, python_values)
def test_soreness_check_in(day: Any, leg: Any, moment: Any, score: Any, session: Any) -> None:
    only_invalid_input(
        soreness_check_in, day=day, leg=leg, moment=moment, score=score, today=TODAY,
        session_id=session,
    )  # fmt: skip


@FUZZ
@given(python_values, python_values, python_values, python_values, python_values)
def test_mobility_test(day: Any, leg: Any, moment: Any, cm: Any, session: Any) -> None:
    only_invalid_input(
        mobility_test, day=day, leg=leg, moment=moment, distance_cm=cm, today=TODAY,
        session_id=session,
    )  # fmt: skip


@FUZZ
@given(python_values, python_values, python_values)
def test_split_leg_and_session_days(day: Any, massaged: Any, legs: Any) -> None:
    only_invalid_input(split_leg_day, day=day, massaged=massaged, today=TODAY)
    only_invalid_input(session_day, day=day, legs=legs, today=TODAY)


@FUZZ
@given(python_values, python_values, st.text(max_size=30))
def test_notes_and_tender_spots(day: Any, text: Any, spot: str) -> None:
    now = datetime(2026, 1, 2, 12, 0).astimezone()
    only_invalid_input(note, id="n1", day=day, text=text, now=now, today=TODAY)
    only_invalid_input(parse_tender_spot, spot)


PLAN_OPTIONS = {
    "tool": st.sampled_from(["ball", "hands", "foam-roller"]) | python_values,
    "legs": st.sampled_from(["left", "left,right", ["right"]]) | python_values,
    "seconds_per_calf": st.sampled_from([120, "150", 180]) | python_values,
    "intensity": st.sampled_from(["gentle", "standard", "deep"]) | python_values,
    "pace_per_minute": st.sampled_from([10, "12"]) | python_values,
    "other": python_values,
}


@FUZZ
@given(st.fixed_dictionaries({}, optional=PLAN_OPTIONS))
def test_plan_options(raw: dict[str, Any]) -> None:
    only_invalid_input(parse_plan_options, raw)


def test_plan_options_null_means_not_given() -> None:
    """Found by this fuzzing: null intensity once failed an assert (a 500 from the API)."""
    options = parse_plan_options(
        {"tool": "ball", "intensity": None, "legs": None, "seconds_per_calf": None}
    )
    assert options.intensity.value == "standard"
    assert options.seconds_per_calf == 150


# -- plans (core/plan_json.py) ---------------------------------------------------------------


def _valid_plan() -> dict[str, Any]:
    options = parse_plan_options({"tool": "ball", "legs": "left,right"})
    return plan_to_json(plan(options, load_routines()))


@FUZZ
@given(json_values | mutated(_valid_plan()))
def test_parse_plan(data: Any) -> None:
    parsed = only_invalid_input(parse_plan, data)
    if parsed is not None:  # a plan that parses writes back to JSON that parses the same
        assert parse_plan(plan_to_json(parsed)) == parsed  # type: ignore[arg-type]


# -- session event scripts (core/replay.py) --------------------------------------------------

VALID_EVENTS = [{"t": 1.5, "event": "tender_spot"}, {"t": 4, "event": "release"}]


@FUZZ
@given(json_values | mutated(VALID_EVENTS))
def test_parse_events(data: Any) -> None:
    events = only_invalid_input(parse_events, data)
    if isinstance(events, list):
        ts = [e.t for e in events]
        assert ts == sorted(ts) and all(math.isfinite(t) and t >= 0 for t in ts)


@pytest.mark.parametrize("event", [{}, [], None, 3])
def test_parse_events_names_a_non_string_event(event: object) -> None:
    """Found by this fuzzing: an object or list as ``event`` once raised TypeError (a 500)."""
    with pytest.raises(InvalidInput) as caught:
        parse_events([{"t": 0, "event": event}])
    assert caught.value.problems[0].field == "events.0.event"
