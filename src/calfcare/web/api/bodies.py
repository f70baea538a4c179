"""Request bodies, each defined once: a `Body` gives both the JSON Schema the OpenAPI
document shows (`Body.schema`, through `calfcare.web.api.common.write_route`) and the check
every JSON write runs at the edge (`Body.read`).

The edge check is structural, and it reads everything from the same fields: 415 unless the
body is sent as JSON; the core's JSON guards (`calfcare.core.json_input`: nesting depth,
lone surrogates, huge numbers; the size is already capped by `calfcare.web.limits`) before
anything is parsed; a JSON object; only the keys the body names; null only where a field's
type allows it; and a whole number in an ``integer`` field read as that number (JSON does
not tell 150 from 150.0). The values are then the core's to check, with its own field
names and every problem at once: the core has the last word. The bounds the schema states
are the core's own constants (`integer`, `choice`), so a rule changed there changes here,
and `tests/web/test_bodies.py` holds every rule a body states against what its endpoint
refuses and accepts.

Not Pydantic models: validating the values at the edge would answer with Pydantic's
locations and words (``left`` for the core's ``left.score``, ``tender_spots`` for
``tender_spot.0``) and stop before the core's cross-field rules, where the API names every
problem at once in the core's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from calfcare.core.client_ids import CLIENT_ID as CLIENT_ID_RE
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import parse_json
from calfcare.core.levels import Leg
from calfcare.core.screening_rules import (
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
    PAIN,
    PAIN_AFTER_EXERCISE,
)

Schema = Mapping[str, Any]
JSON_TYPES = ("application/json",)


# -- field schemas ---------------------------------------------------------------------------


def integer(minimum: int, maximum: int, description: str | None = None) -> dict[str, Any]:
    """A whole number from ``minimum`` to ``maximum`` (150.0 reads as 150)."""
    return _described({"type": "integer", "minimum": minimum, "maximum": maximum}, description)


def choice(values: Iterable[str | StrEnum], description: str | None = None) -> dict[str, Any]:
    """One of ``values`` (an enum's members give their values)."""
    return _described({"enum": [str(v) for v in values]}, description)


def described(schema: Schema, description: str) -> dict[str, Any]:
    """``schema`` with its description replaced."""
    return {**schema, "description": description}


def _described(schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    return schema if description is None else described(schema, description)


DAY: Schema = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
CLIENT_ID: Schema = {
    "type": "string",
    "pattern": f"^{CLIENT_ID_RE.pattern}$",
    "description": "an id made by the client (e.g. a UUID): a repeat with the same id and "
    "content is saved once (200 with the stored record), other content is a 409",
}
LEGS_SCHEMA: Schema = {
    "type": "array",
    "items": choice(Leg),
    "minItems": 1,
    "maxItems": len(Leg),
    "uniqueItems": True,
}
"""``legs``: one calf or both, each once (the screening input, a plan, a session)."""


def _types(schema: Schema) -> tuple[str, ...]:
    types = schema.get("type", ())
    return (types,) if isinstance(types, str) else tuple(types)


# -- bodies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """A JSON object body: its fields (name → JSON Schema of the value), the required ones,
    and whether no body at all is allowed (``optional``: then it reads as ``{}``)."""

    title: str
    fields: Mapping[str, Schema]
    required: tuple[str, ...] = ()
    description: str | None = None
    optional: bool = False
    schema: dict[str, Any] = field(init=False, repr=False, compare=False)
    """The JSON Schema (the OpenAPI document's request body)."""
    _nullable: frozenset[str] = field(init=False, repr=False, compare=False)
    _whole: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = set(self.required) - set(self.fields)
        assert not unknown, f"{self.title}: required but not a field: {unknown}"
        schema: dict[str, Any] = {"title": self.title, "type": "object"}
        if self.description is not None:
            schema["description"] = self.description
        if self.fields:
            schema["additionalProperties"] = False
            if self.required:
                schema["required"] = list(self.required)
            schema["properties"] = dict(self.fields)
        else:
            schema["maxProperties"] = 0
        nullable = frozenset(k for k, s in self.fields.items() if "null" in _types(s))
        whole = tuple(k for k, s in self.fields.items() if "integer" in _types(s))
        object.__setattr__(self, "schema", schema)
        object.__setattr__(self, "_nullable", nullable)
        object.__setattr__(self, "_whole", whole)

    def openapi(self) -> dict[str, Any]:
        """``openapi_extra`` describing this request body."""
        content = {"application/json": {"schema": self.schema}}
        return {"requestBody": {"required": not self.optional, "content": content}}

    async def read(self, request: Request) -> dict[str, Any]:
        """The body as a JSON object of this body's keys (415 / 400 / 422 otherwise); no
        body at all (empty, no ``content-type``) is ``{}`` when the body is optional. A body
        declared as JSON goes through the one JSON parser, so an empty one is a 400."""
        if self.optional and "content-type" not in request.headers and not await request.body():
            return {}
        return self.check(parse_json(await json_bytes(request)))

    def check(self, data: object) -> dict[str, Any]:
        """The edge check of a parsed body (see the module docstring)."""
        if not isinstance(data, dict):
            raise InvalidInput([Problem("(root)", "expected a JSON object")])
        allowed = ", ".join(self.fields)
        problems = [
            Problem(k, f"unknown field; allowed: {allowed}") for k in data if k not in self.fields
        ]
        problems += [
            Problem(k, "must not be null; leave the field out instead")
            for k, v in data.items()
            if v is None and k in self.fields and k not in self._nullable
        ]
        if problems:
            raise InvalidInput(problems)
        for key in self._whole:
            value = data.get(key)
            if type(value) is float and value.is_integer():
                data[key] = int(value)
        return data


_ANSWER: Schema = {
    "enum": [True, False, "unsure"],
    "description": 'true (yes), false (no) or "unsure" (counted as the less reassuring answer)',
}


def _section(ids: tuple[str, ...], *, leg: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": dict.fromkeys(ids, _ANSWER),
        "required": [i for i in ids if i != PAIN_AFTER_EXERCISE],
    }
    if leg:
        schema["if"] = {"properties": {PAIN: {"enum": [True, "unsure"]}}, "required": [PAIN]}
        schema["then"] = {"required": [PAIN_AFTER_EXERCISE]}
    return schema


SCREENING = Body(
    "ScreeningAnswers",
    {
        "contract": {"type": "integer", "enum": [1]},
        "legs": LEGS_SCHEMA,
        "general": _section(GENERAL_QUESTION_IDS, leg=False),
        "left": _section(LEG_QUESTION_IDS, leg=True),
        "right": _section(LEG_QUESTION_IDS, leg=True),
    },
    required=("legs", "general", "left", "right"),
    description="Screening contract v1 input: every general and leg id answered.",
)
"""Screening answers: the schema only; the routes hand the raw body to the core's
`parse_answers` (the contract's exact rules, every problem at once)."""


async def json_bytes(request: Request, what: str = "the body") -> bytes:
    """The raw body of a JSON request (415 for any other content type); already bounded by
    `calfcare.web.limits`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise HTTPException(415, f"Send {what} as application/json.")
    return await request.body()
