"""The routine content the planner and engine are given: step recipes, cues and notes.

Core types only; ``calfcare.content.routines`` fills them from ``routines.toml`` and checks
them. The core never loads content, so a test or the web app can hand in any recipe set.
Cue texts are templates: ``{leg}`` is the calf being worked, ``{other_leg}`` the free one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from calfcare.core.routine import Intensity, StepKind, Tool


@dataclass(frozen=True, slots=True)
class StepRecipe:
    """One step as the content describes it; ``seconds`` None means "the rest of the calf"."""

    kind: StepKind
    seconds: int | None
    cue: str
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ToolRecipes:
    """How one tool is used: getting into place, changing legs, and a recipe per intensity."""

    position: StepRecipe
    switch: StepRecipe
    recipes: Mapping[Intensity, tuple[StepRecipe, ...]]


@dataclass(frozen=True, slots=True)
class PaceGuide:
    """The default pace of the passes guide, and why it is slow (a low-certainty preference)."""

    default_per_minute: int
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoteTexts:
    """Plan notes. Placeholders: ``{leg}``, ``{level}``, ``{pace}``, ``{seconds_per_roll}``."""

    pace: str
    strokes: str
    safety: str
    left_out: str
    not_screened: str
    gentle: str


@dataclass(frozen=True, slots=True)
class RoutineContent:
    """Everything the planner and the session engine need from content."""

    tools: Mapping[Tool, ToolRecipes]
    pace: PaceGuide
    stroke_pace: PaceGuide
    """The hands strokes' guide, in one-way moves a minute (up with the stroke, back down
    with the hands lifted)."""
    notes: NoteTexts
    sharp_pain_advice: str
