"""Screening input: parse the contract's JSON into `Answers`, or name every problem.

Hand-written rather than a Pydantic model because the contract's rules are exact in ways
Pydantic's lax and strict modes do not express together: ``true`` but not ``1``, ``1`` but
not ``true`` or ``1.0``, a field required only when another field says so, and *every*
problem reported at once (a model validator never runs once a field has failed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, TypeGuard

from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.levels import Leg
from calfcare.core.screening_rules import (
    CONTRACT_VERSION,
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
    PAIN,
    PAIN_AFTER_EXERCISE,
)

Answer: TypeAlias = bool | Literal["unsure"]
UNSURE: Literal["unsure"] = "unsure"
VALID_ANSWERS_HINT = 'use true (yes), false (no) or "unsure"'


@dataclass(frozen=True, slots=True)
class Answers:
    """A complete, valid set of screening answers.

    ``left`` and ``right`` always hold every leg id except that ``pain_after_exercise`` is
    absent where ``pain`` is ``False`` (the contract ignores it there).
    """

    legs: tuple[Leg, ...]
    general: Mapping[str, Answer]
    left: Mapping[str, Answer]
    right: Mapping[str, Answer]

    def leg(self, leg: Leg) -> Mapping[str, Answer]:
        return self.left if leg is Leg.LEFT else self.right

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": CONTRACT_VERSION,
            "legs": [leg.value for leg in self.legs],
            "general": dict(self.general),
            "left": dict(self.left),
            "right": dict(self.right),
        }


def is_answer(value: object) -> TypeGuard[Answer]:
    """True for exactly ``true``, ``false`` and ``"unsure"`` (not 1, 0, None or "yes")."""
    return value is True or value is False or value == UNSURE


def worrying(value: Answer) -> bool:
    """The contract's reading of an answer: ``"unsure"`` counts as yes."""
    return value is True or value == UNSURE


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def parse_answers(data: object) -> Answers:
    """Check screening input against the contract and return `Answers`.

    Raises `InvalidInput` naming every offending id or field; never returns a default.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidInput(
            [Problem("(root)", f"expected a JSON object, got {_describe(data)}")],
            "The screening answers are not valid.",
        )
    allowed_top = {"contract", "legs", "general", "left", "right"}
    for key in data:
        if key not in allowed_top:
            problems.append(
                Problem(str(key), f"unknown field; allowed: {', '.join(sorted(allowed_top))}")
            )
    if "contract" in data:
        version = data["contract"]
        if not (type(version) is int and version == CONTRACT_VERSION):
            problems.append(Problem("contract", f"must be the integer 1, got {_describe(version)}"))
    legs = _parse_legs(data.get("legs"), "legs" in data, problems)
    general = _parse_section(data, "general", GENERAL_QUESTION_IDS, problems)
    left = _parse_section(data, "left", LEG_QUESTION_IDS, problems)
    right = _parse_section(data, "right", LEG_QUESTION_IDS, problems)
    if problems:
        raise InvalidInput(problems, "The screening answers are not valid.")
    assert general is not None
    assert left is not None
    assert right is not None
    return Answers(legs=legs, general=general, left=left, right=right)


def _parse_legs(value: object, present: bool, problems: list[Problem]) -> tuple[Leg, ...]:
    if not present:
        problems.append(Problem("legs", 'required: the calves to massage, e.g. ["left", "right"]'))
        return ()
    if not isinstance(value, list) or not value:
        problems.append(
            Problem(
                "legs",
                f'must be a non-empty list of "left" and/or "right", got {_describe(value)}',
            )
        )
        return ()
    legs: list[Leg] = []
    for i, item in enumerate(value):
        if item not in ("left", "right") or not isinstance(item, str):
            problems.append(
                Problem(f"legs.{i}", f'must be "left" or "right", got {_describe(item)}')
            )
        elif Leg(item) in legs:
            problems.append(Problem(f"legs.{i}", f'"{item}" is listed twice'))
        else:
            legs.append(Leg(item))
    return tuple(legs)


def _parse_section(
    data: dict[str, Any], name: str, ids: tuple[str, ...], problems: list[Problem]
) -> dict[str, Answer] | None:
    if name not in data:
        problems.append(Problem(name, "required: an object with an answer for every question"))
        return None
    section = data[name]
    if not isinstance(section, dict):
        problems.append(Problem(name, f"must be an object of answers, got {_describe(section)}"))
        return None
    answers: dict[str, Answer] = {}
    for key, value in section.items():
        if key not in ids:
            problems.append(Problem(f"{name}.{key}", "unknown question id"))
        elif not is_answer(value):
            problems.append(
                Problem(
                    f"{name}.{key}", f"{_describe(value)} is not an answer; {VALID_ANSWERS_HINT}"
                )
            )
        else:
            answers[key] = value
    for rule_id in ids:
        if rule_id == PAIN_AFTER_EXERCISE or rule_id in section:
            continue
        problems.append(Problem(f"{name}.{rule_id}", f"missing answer; {VALID_ANSWERS_HINT}"))
    if PAIN_AFTER_EXERCISE in ids:
        pain = section.get(PAIN)
        if is_answer(pain) and worrying(pain) and PAIN_AFTER_EXERCISE not in section:
            problems.append(
                Problem(
                    f"{name}.{PAIN_AFTER_EXERCISE}",
                    f"missing answer: required when {name}.pain is yes or unsure; "
                    + VALID_ANSWERS_HINT,
                )
            )
        if pain is False:
            answers.pop(PAIN_AFTER_EXERCISE, None)
    return answers
