"""Each request body is defined once (`calfcare.web.api.bodies.Body`): the OpenAPI document
shows its schema, the edge check reads its fields, and every rule the schema states is one
the endpoint enforces. The last is held here field by field: each value the schema refuses
(checked with a JSON Schema validator, formats included) is refused by the endpoint, 422,
with a problem naming that field."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from calfcare.core.errors import InvalidInput
from calfcare.web.api.bodies import Body, described, integer
from calfcare.web.api.common import BODIES
from tests.conftest import screening_answers
from tests.web.conftest import TestClient

SAMPLES: dict[str, dict[str, Any]] = {
    "/api/screening": screening_answers(),
    "/api/screenings": screening_answers(),
    "/api/plan": {"tool": "hands"},
    "/api/checkins/soreness": {"moment": "after", "left": 3},
    "/api/checkins/mobility": {"moment": "before", "left": 9.5},
    "/api/notes": {"text": "new shoes"},
    "/api/manual-sessions": {"tool": "hands", "legs": ["left"], "seconds": 90},
    "/api/split-leg/experiments": {},
    "/api/split-leg/stop": {},
    "/api/split-leg/days": {},
    "/api/split-leg/massaged": {"calves": "left"},
    "/api/safety/clearances": {"clinician_ruled_out_clot": True},
    "/api/safety/pain-checks": {"leg": "left"},
    "/api/import": {"format": "calfcare-export", "version": 2},
}
"""A body for each write, the field under test replaced (some are refused for the state of
a new data folder too: the problem must still name the field)."""

POOL: list[Any] = [
    None,
    True,
    False,
    -1,
    0,
    1.5,
    "",
    " ",
    "1",
    "bogus",
    "a b",
    "a\x01",
    "2026-02-30",
    "x" * 5000,
    [],
    [1],
    ["x"],
    ["left", "left"],
    ["left", "right", "left"],
    {},
    {"bogus": 1},
]


def breaking(schema: dict[str, Any]) -> list[Any]:
    """Values that break ``schema``: the pool and the values just past its bounds, kept
    where the validator says they are refused."""
    values = list(POOL)
    for bound, step in (("minimum", -1), ("maximum", 1), ("exclusiveMinimum", 0)):
        if bound in schema:
            values.append(schema[bound] + step)
    if "multipleOf" in schema:
        values.append(schema.get("minimum", 0) + schema["multipleOf"] / 2)
    if "maxLength" in schema:
        values.append("x" * (schema["maxLength"] + 1))
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    return [v for v in values if not validator.is_valid(v)]


def test_every_write_has_a_sample() -> None:
    assert set(BODIES) == set(SAMPLES)


def test_the_openapi_document_shows_each_body(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path, body in BODIES.items():
        request = doc["paths"][path]["post"]["requestBody"]
        assert request["content"]["application/json"]["schema"] == body.schema, path
        assert request["required"] is not body.optional, path


@pytest.mark.parametrize("path", sorted(SAMPLES))
def test_every_stated_rule_is_enforced(client: TestClient, path: str) -> None:
    body = BODIES[path]
    assert body.fields or body.schema["maxProperties"] == 0
    cases = [(k, v) for k, schema in body.fields.items() for v in breaking(dict(schema))]
    cases += [("bogus", 1)]  # a key the body does not name
    assert len(cases) > len(body.fields)
    for key, value in cases:
        sent = {**SAMPLES[path], key: value}
        response = client.post(path, content=json.dumps(sent), headers=JSON)
        assert response.status_code == 422, (path, key, value, response.text)
        named = {p["field"].split(".")[0] for p in response.json()["problems"]}
        assert key in named, (path, key, value, response.json())


JSON = {"content-type": "application/json"}


def test_the_edge_check_reads_the_fields() -> None:
    body = Body(
        "T",
        {
            "n": integer(1, 5),
            "m": {"type": ["integer", "null"]},
            "d": described({"type": "string"}, "d"),
        },
        required=("n",),
    )
    assert body.schema == {
        "title": "T",
        "type": "object",
        "additionalProperties": False,
        "required": ["n"],
        "properties": {
            "n": {"type": "integer", "minimum": 1, "maximum": 5},
            "m": {"type": ["integer", "null"]},
            "d": {"type": "string", "description": "d"},
        },
    }
    assert body.check({"n": 3.0, "m": None, "d": 2.0}) == {"n": 3, "m": None, "d": 2.0}
    assert type(body.check({"n": 3.0})["n"]) is int
    assert body.check({"n": 3.5}) == {"n": 3.5}  # not a whole number: the core refuses it
    with pytest.raises(InvalidInput) as refused:
        body.check({"n": None, "d": None, "x": 1})
    assert [p.field for p in refused.value.problems] == ["x", "n", "d"]
    with pytest.raises(InvalidInput):
        body.check([1])
    empty = Body("E", {}, optional=True)
    assert empty.schema == {"title": "E", "type": "object", "maxProperties": 0}
    assert empty.openapi()["requestBody"]["required"] is False


@pytest.mark.parametrize(
    "path",
    ["/api/plan", "/api/checkins/soreness", "/api/checkins/mobility", "/api/notes",
     "/api/manual-sessions"],
)  # fmt: skip
def test_the_stated_bounds_are_accepted(client: TestClient, path: str) -> None:
    """The other way round, where the state does not decide: a value at each stated bound
    is saved (the schema is not stricter than the rules)."""
    bounds = [
        (key, schema[bound])
        for key, schema in BODIES[path].fields.items()
        for bound in ("minimum", "maximum")
        if bound in schema
    ]
    bounds += [
        (key, "x" * schema["maxLength"])
        for key, schema in BODIES[path].fields.items()
        if "maxLength" in schema
    ]
    fields = BODIES[path].fields
    assert all(jsonschema_rs.is_valid(dict(fields[k]), v) for k, v in bounds)
    assert bounds
    for key, value in bounds:
        response = client.post(path, json={**SAMPLES[path], key: value})
        assert response.status_code in (200, 201), (path, key, value, response.text)
