"""The routine content's checks at load (`calfcare.content.routines`): exactly one recipe per
tool and intensity, the notes exactly the core's `NoteTexts`, each failure naming the file
and the field. Each test changes one thing in the shipped file's data."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from calfcare.content.load import parse_model, read_toml
from calfcare.content.routines import FILENAME, _RoutinesFile, build_content, load_routines
from calfcare.core.errors import ContentError
from calfcare.core.recipes import NoteTexts
from calfcare.core.routine import Intensity, Tool

SHIPPED = read_toml(FILENAME)


def built(change: Callable[[dict[str, Any]], object]) -> object:
    data = copy.deepcopy(SHIPPED)
    change(data)
    return build_content(parse_model(FILENAME, data, _RoutinesFile))


def test_the_shipped_file_has_one_recipe_per_tool_and_intensity() -> None:
    content = load_routines()
    assert set(content.tools) == set(Tool)
    for recipes in content.tools.values():
        assert set(recipes.recipes) == set(Intensity)
    assert isinstance(content.notes, NoteTexts)
    assert content.notes.safety.startswith("Expect tenderness")


def test_a_second_entry_for_a_tool_is_refused() -> None:
    def twice(data: dict[str, Any]) -> None:
        data["tool"].append(copy.deepcopy(data["tool"][0]))

    last = len(SHIPPED["tool"])  # type: ignore[arg-type]
    with pytest.raises(ContentError, match=rf"routines\.toml.*tool\.{last}: a second"):
        built(twice)


def test_a_tool_without_recipes_is_refused() -> None:
    def drop(data: dict[str, Any]) -> None:
        data["tool"] = [t for t in data["tool"] if t["tool"] != "hands"]

    with pytest.raises(ContentError, match=r"routines\.toml.*tool: no .* for \['hands'\]"):
        built(drop)


def test_a_second_recipe_for_an_intensity_is_refused() -> None:
    def twice(data: dict[str, Any]) -> None:
        recipes = data["tool"][0]["recipe"]
        recipes.append(copy.deepcopy(recipes[0]))

    last = len(SHIPPED["tool"][0]["recipe"])  # type: ignore[index]
    with pytest.raises(ContentError, match=rf"tool\.0\.recipe\.{last}: a second recipe for gentle"):
        built(twice)


def test_an_intensity_without_a_recipe_is_refused() -> None:
    def drop(data: dict[str, Any]) -> None:
        recipes = data["tool"][1]["recipe"]
        data["tool"][1]["recipe"] = [r for r in recipes if r["intensity"] != "deep"]

    with pytest.raises(ContentError, match=r"tool\.1\.recipe: no recipe for \['deep'\]"):
        built(drop)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda notes: notes.update(extra="A note nobody reads."), r"notes\.extra"),
        (lambda notes: notes.pop("gentle"), r"notes\.gentle"),
        (lambda notes: notes.update(safety=3), r"notes\.safety"),
        (lambda notes: notes.update(safety="Careful, {leg}."), r"notes\.safety: unknown"),
    ],
)
def test_the_notes_are_exactly_the_core_notes(
    change: Callable[[dict[str, Any]], object], field: str
) -> None:
    with pytest.raises(ContentError, match=rf"routines\.toml.*{field}"):
        built(lambda data: change(data["notes"]))


def test_every_note_has_its_placeholders_checked() -> None:
    """Each `NoteTexts` field is a template whose placeholders are checked at load."""
    for note in fields(NoteTexts):

        def unknown(data: dict[str, Any], name: str = note.name) -> None:
            data["notes"][name] = "{nobody}"

        with pytest.raises(ContentError, match=rf"notes\.{note.name}: unknown placeholder"):
            built(unknown)
