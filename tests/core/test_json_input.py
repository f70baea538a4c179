"""`parse_json`: every JSON input's one reader (issue 13). Unreadable input is a
`MalformedInput` saying where; a lone surrogate an `InvalidInput` naming the field."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.errors import InvalidInput, MalformedInput
from calfcare.core.json_input import MAX_DEPTH, depth, parse_json, surrogate_problems


def _malformed(raw: bytes | str, **options: object) -> str:
    with pytest.raises(MalformedInput) as caught:
        parse_json(raw, **options)  # type: ignore[arg-type]
    [problem] = caught.value.problems
    assert problem.field == options.get("field", "(body)")
    return problem.message


def test_valid_json_is_read_from_bytes_text_and_with_a_bom() -> None:
    assert parse_json(b'{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}
    assert parse_json('{"a": "\\u00e9\\ud83d\\ude00"}') == {"a": "é😀"}  # a pair is fine
    assert parse_json(b"\xef\xbb\xbf[1]") == [1]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"", "line 1, column 1"),
        (b'{"a": 1,\n  "b": }', "line 2, column 8"),
        (b"{'a': 1}", "line 1, column 2"),
        (b"[1, 2", "line 1, column 6"),
    ],
)
def test_malformed_json_says_where_it_broke(raw: bytes, where: str) -> None:
    message = _malformed(raw)
    assert message.startswith("not valid JSON") and where in message


def test_bytes_that_are_not_utf8_are_named_with_their_place() -> None:
    message = _malformed(b'{"a":\n "\xff"}', field="--answers")
    assert "0xff" in message and "line 2, column 3" in message


@pytest.mark.parametrize(
    "raw",
    [b"[" * 3000, b"[" * 3000 + b"]" * 3000, b'{"a":' * 3000 + b"1" + b"}" * 3000],
)
def test_deep_nesting_names_the_limit_and_never_exhausts_the_stack(raw: bytes) -> None:
    assert f"at most {MAX_DEPTH}" in _malformed(raw)


def test_the_depth_limit_is_exact() -> None:
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert depth(parse_json(at_limit)) == MAX_DEPTH
    assert f"at most {MAX_DEPTH}" in _malformed("[" + at_limit + "]")
    assert "at most 3" in _malformed("[[[[]]]]", max_depth=3)


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
        (b'{"a": 1e999}', "1e999 is too large a number"),
        (b'{"a": ' + b"9" * 5000 + b"}", "more than 4300 digits"),
    ],
)
def test_numbers_json_cannot_carry_are_refused_with_their_place(raw: bytes, said: str) -> None:
    message = _malformed(raw)
    assert said in message and "line 1, column 7" in message


def test_a_lone_surrogate_is_named_by_its_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_json(b'{"text": "a\\ud800", "legs": ["left", "\\udfff"], "ok": "\\ud83d\\ude00"}')
    assert not isinstance(caught.value, MalformedInput)  # valid JSON: a 422, not a 400
    assert [p.field for p in caught.value.problems] == ["text", "legs.1"]
    assert "\\ud800" in caught.value.problems[0].message


def test_a_lone_surrogate_in_a_key_names_the_key_escaped_under_the_prefix() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_json('{"left": {"\\ud800x": true}}', prefix="screening", field="screening")
    [problem] = caught.value.problems
    assert problem.field == "screening.left.\\ud800x" and "name" in problem.message
    with pytest.raises(InvalidInput) as whole:
        parse_json('"\\udc00"', field="--answers")
    assert whole.value.problems[0].field == "--answers"


def test_a_raw_surrogate_in_text_from_python_is_refused_too() -> None:
    assert surrogate_problems({"a": ["\udcff"]}, "x")[0].field == "x.a.0"
    with pytest.raises(InvalidInput):
        parse_json('{"a": "\udcff"}')


@given(st.binary(max_size=64) | st.text(max_size=64))
def test_any_input_is_a_value_or_a_named_refusal(raw: bytes | str) -> None:
    refusal: InvalidInput | None = None
    try:
        value = parse_json(raw)
    except InvalidInput as error:
        refusal = error
    if refusal is None:
        json.dumps(value, allow_nan=False).encode("utf-8")  # what is read can be sent back
    else:
        assert refusal.problems and all(p.field and p.message for p in refusal.problems)
        json.dumps(refusal.to_json()).encode("utf-8")  # the error itself can always be sent
