"""The routine content, loaded from ``data/routines.toml`` into `calfcare.core.recipes` types.

Checked at load, so a content edit cannot quietly weaken a technique rule: every tool has a
recipe per intensity; each recipe has exactly one "rest" step; holds, pressure and active
release last 30-60 s; passes and strokes last 30-120 s (Behm 2020's set length) at every
allowed seconds per calf; templates use only the placeholders the planner fills; every item
cites sources in the registry. The planner then checks each plan against the contract too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import cache
from string import Formatter
from typing import Literal, TypeVar

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.content.sources import check_sources
from calfcare.core.errors import ContentError
from calfcare.core.recipes import NoteTexts, PaceGuide, RoutineContent, StepRecipe, ToolRecipes
from calfcare.core.routine import (
    COUNTDOWN_MAX_SECONDS,
    HOLD_MAX_SECONDS,
    HOLD_MIN_SECONDS,
    PACE_MAX_PER_MINUTE,
    PACE_MIN_PER_MINUTE,
    SECONDS_PER_CALF_MAX,
    SECONDS_PER_CALF_MIN,
    Intensity,
    StepKind,
    Tool,
)

FILENAME = "routines.toml"
K = TypeVar("K", bound=StrEnum)
R = TypeVar("R")
V = TypeVar("V")
SET_MIN_SECONDS, SET_MAX_SECONDS = 30, 120
_STEP_PLACEHOLDERS = {"leg", "other_leg"}
_NOTE_PLACEHOLDERS = {
    "pace": {"pace", "seconds_per_roll"},
    "strokes": {"strokes", "seconds_per_stroke"},
    "safety": set(),
    "left_out": {"leg", "level"},
    "not_screened": {"leg"},
    "gentle": {"leg", "level"},
}


class _Countdown(ContentModel):
    seconds: int = Field(ge=0, le=COUNTDOWN_MAX_SECONDS)
    cue: str = Field(min_length=10)
    why: str = Field(min_length=10)
    sources: list[str]


class _Step(ContentModel):
    kind: StepKind
    seconds: int | Literal["rest"]
    cue: str = Field(min_length=10)
    why: str = Field(min_length=10)
    sources: list[str]


class _Recipe(ContentModel):
    intensity: Intensity
    step: list[_Step] = Field(min_length=1)


class _Tool(ContentModel):
    tool: Tool
    position: _Countdown
    switch: _Countdown
    recipe: list[_Recipe]


class _Pace(ContentModel):
    default_per_minute: int = Field(ge=PACE_MIN_PER_MINUTE, le=PACE_MAX_PER_MINUTE)
    why: str = Field(min_length=10)
    sources: list[str]


class _Session(ContentModel):
    sharp_pain_advice: str = Field(min_length=20)
    sharp_pain_sources: list[str]


class _RoutinesFile(ContentModel):
    pace: _Pace
    stroke_pace: _Pace
    notes: NoteTexts  # Pydantic checks the core's dataclass: every field a string, no other key
    session: _Session
    tool: list[_Tool]


def _fail(where: str, message: str) -> ContentError:
    return ContentError(f"content file {FILENAME} is malformed: {where}: {message}")


def _placeholders(where: str, template: str, allowed: set[str]) -> None:
    used = {name for _, name, _, _ in Formatter().parse(template) if name is not None}
    if not used <= allowed:
        raise _fail(where, f"unknown placeholder(s) {sorted(used - allowed)}")


def _step(where: str, step: _Step | _Countdown, kind: StepKind) -> StepRecipe:
    check_sources(FILENAME, f"{where}.sources", step.sources)
    _placeholders(f"{where}.cue", step.cue, _STEP_PLACEHOLDERS)
    _placeholders(f"{where}.why", step.why, _STEP_PLACEHOLDERS)
    seconds = None if step.seconds == "rest" else step.seconds
    return StepRecipe(kind, seconds, step.cue, step.why, tuple(step.sources))


def _recipe(where: str, recipe: _Recipe) -> tuple[StepRecipe, ...]:
    steps = []
    for i, raw in enumerate(recipe.step):
        here = f"{where}.step.{i}"
        if not raw.kind.counted:
            raise _fail(here, f"{raw.kind} is not a recipe step (it is added by the planner)")
        steps.append(_step(here, raw, raw.kind))
    rests = [s for s in steps if s.seconds is None]
    if len(rests) != 1:
        raise _fail(where, 'needs exactly one step with seconds = "rest"')
    fixed = sum(s.seconds for s in steps if s.seconds is not None)
    for i, s in enumerate(steps):
        lengths = (
            [s.seconds]
            if s.seconds is not None
            else [SECONDS_PER_CALF_MIN - fixed, SECONDS_PER_CALF_MAX - fixed]
        )
        if s.kind in (StepKind.PASSES, StepKind.STROKES):
            low, high = SET_MIN_SECONDS, SET_MAX_SECONDS
        else:
            low, high = HOLD_MIN_SECONDS, HOLD_MAX_SECONDS
        if not all(low <= n <= high for n in lengths):
            raise _fail(f"{where}.step.{i}", f"a {s.kind} step must last {low}-{high} s")
    return tuple(steps)


def _one_each(
    where: str,
    what: str,
    every: type[K],
    items: Sequence[R],
    key: Callable[[R], K],
    build: Callable[[str, R], V],
) -> dict[K, V]:
    """Each item of the list at ``where`` built (at ``where.i``) and keyed by ``key``: exactly
    one ``what`` for every member of ``every``, so a second one or a missing one is an
    error."""
    built: dict[K, V] = {}
    for i, item in enumerate(items):
        k = key(item)
        if k in built:
            raise _fail(f"{where}.{i}", f"a second {what} for {k}")
        built[k] = build(f"{where}.{i}", item)
    missing = [k.value for k in every if k not in built]
    if missing:
        raise _fail(where, f"no {what} for {missing}")
    return built


def _tool(where: str, raw: _Tool) -> ToolRecipes:
    recipes = _one_each(
        f"{where}.recipe", "recipe", Intensity, raw.recipe, lambda r: r.intensity, _recipe
    )
    return ToolRecipes(
        position=_step(f"{where}.position", raw.position, StepKind.POSITION),
        switch=_step(f"{where}.switch", raw.switch, StepKind.SWITCH),
        recipes=recipes,
    )


def build_content(data: _RoutinesFile) -> RoutineContent:
    """Check the parsed file and turn it into the core's content types."""
    tools = _one_each("tool", "recipe set", Tool, data.tool, lambda t: t.tool, _tool)
    check_sources(FILENAME, "pace.sources", data.pace.sources)
    check_sources(FILENAME, "stroke_pace.sources", data.stroke_pace.sources)
    check_sources(FILENAME, "session.sharp_pain_sources", data.session.sharp_pain_sources)
    for name, allowed in _NOTE_PLACEHOLDERS.items():
        _placeholders(f"notes.{name}", getattr(data.notes, name), allowed)
    return RoutineContent(
        tools=tools,
        pace=PaceGuide(data.pace.default_per_minute, data.pace.why, tuple(data.pace.sources)),
        stroke_pace=PaceGuide(
            data.stroke_pace.default_per_minute,
            data.stroke_pace.why,
            tuple(data.stroke_pace.sources),
        ),
        notes=data.notes,
        sharp_pain_advice=data.session.sharp_pain_advice,
    )


@cache
def load_routines() -> RoutineContent:
    """The routine content; a malformed file raises `ContentError` naming file and field."""
    return build_content(load_model(FILENAME, _RoutinesFile))


@cache
def sharp_pain_sources() -> tuple[str, ...]:
    """The sources of the session's sharp-pain advice (``session.sharp_pain_sources``)."""
    return tuple(load_model(FILENAME, _RoutinesFile).session.sharp_pain_sources)
