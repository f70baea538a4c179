"""The planner against every contract check, for every option, with and without screening."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from calfcare.content.routines import load_routines
from calfcare.core.answers import parse_answers
from calfcare.core.errors import InvalidInput, PlanBlocked
from calfcare.core.levels import Leg, Level
from calfcare.core.plan_json import parse_plan, plan_to_json
from calfcare.core.planner import parse_plan_options, plan
from calfcare.core.routine import Intensity, PlanOptions, StepKind, Tool
from calfcare.core.screening import screen
from tests.cli.helpers_session import plan_contract_problems
from tests.conftest import load_vignettes

CONTENT = load_routines()
TOOLS = [t.value for t in Tool]
INTENSITIES = [i.value for i in Intensity]
LEGS = [["left"], ["right"], ["left", "right"], ["right", "left"]]
SECONDS = [120, 121, 150, 179, 180]
PLANS_DIR = Path(__file__).parent.parent / "data" / "plans"


def _make(
    tool: str, legs: list[str], seconds: int, intensity: str, pace: int | None = None
) -> dict[str, Any]:
    raw: dict[str, object] = {
        "tool": tool,
        "legs": ",".join(legs),
        "seconds_per_calf": str(seconds),
        "intensity": intensity,
    }
    if pace is not None:
        raw["pace_per_minute"] = pace
    return plan_to_json(plan(parse_plan_options(raw), CONTENT))


@pytest.mark.parametrize(
    ("tool", "legs", "seconds", "intensity"),
    list(itertools.product(TOOLS, LEGS, SECONDS, INTENSITIES)),
)
def test_every_option_gives_a_contract_plan(
    tool: str, legs: list[str], seconds: int, intensity: str
) -> None:
    made = _make(tool, legs, seconds, intensity)
    assert (
        plan_contract_problems(
            made, tool=tool, seconds_per_calf=seconds, intensity=intensity, legs=legs
        )
        == []
    )
    assert parse_plan(json.loads(json.dumps(made))) == parse_plan(made)  # round trip


def test_default_plan_is_both_calves_150_s_standard_at_slow_pace() -> None:
    made = plan(PlanOptions(tool=Tool.FOAM_ROLLER), CONTENT)
    assert [c.leg for c in made.calves] == [Leg.LEFT, Leg.RIGHT]
    assert made.total_seconds == 300
    assert made.intensity is Intensity.STANDARD
    passes = [s for c in made.calves for s in c.steps if s.kind is StepKind.PASSES]
    assert passes and all(s.pace_per_minute == 15 for s in passes)
    assert any("mild preference" in note for note in made.notes)
    assert {"sezik-2024", "behm-2020"} <= {src for s in passes for src in s.sources}


def test_pace_can_be_changed_within_10_to_30() -> None:
    made = _make("ball", ["left"], 150, "standard", pace=24)
    assert {s.get("pace_per_minute") for s in made["calves"][0]["steps"]} == {None, 24}
    assert made["pace_per_minute"] == 24
    assert _make("hands", ["left"], 150, "standard", pace=24)["pace_per_minute"] is None


def test_active_release_cue_carries_its_stop_rule() -> None:
    made = _make("foam-roller", ["left"], 150, "deep")
    release = [s for s in made["calves"][0]["steps"] if s["kind"] == "active_release"]
    assert release
    cue = release[0]["cue"]
    assert "sharp" in cue and "toes up" in cue and "end the hold" in cue


def test_hands_use_lotion_and_pressure_only_above_gentle() -> None:
    for intensity in INTENSITIES:
        made = _make("hands", ["right"], 150, intensity)
        steps = made["calves"][0]["steps"]
        assert "lotion" in steps[0]["cue"]
        has_pressure = any(s["kind"] == "pressure" for s in steps)
        assert has_pressure == (intensity != "gentle")


@pytest.mark.parametrize(
    ("raw", "fields"),
    [
        ({"tool": "hammer"}, ["tool"]),
        ({}, ["tool"]),
        ({"tool": "ball", "seconds_per_calf": "119"}, ["seconds_per_calf"]),
        ({"tool": "ball", "seconds_per_calf": "181"}, ["seconds_per_calf"]),
        ({"tool": "ball", "seconds_per_calf": "150.5"}, ["seconds_per_calf"]),
        ({"tool": "ball", "seconds_per_calf": 150.0}, ["seconds_per_calf"]),
        ({"tool": "ball", "seconds_per_calf": True}, ["seconds_per_calf"]),
        ({"tool": "ball", "legs": "left,left"}, ["legs"]),
        ({"tool": "ball", "legs": "middle"}, ["legs"]),
        ({"tool": "ball", "legs": ""}, ["legs"]),
        ({"tool": "ball", "intensity": "hard"}, ["intensity"]),
        ({"tool": "ball", "pace_per_minute": "9"}, ["pace_per_minute"]),
        ({"tool": "ball", "pace_per_minute": "31"}, ["pace_per_minute"]),
        ({"tool": "x", "intensity": "y", "legs": "z"}, ["tool", "intensity", "legs"]),
    ],
)
def test_bad_options_name_every_problem(raw: dict[str, object], fields: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_plan_options(raw)
    assert sorted({p.field for p in caught.value.problems}) == sorted(fields)


def test_options_built_in_code_are_checked_too() -> None:
    with pytest.raises(InvalidInput):
        plan(PlanOptions(tool=Tool.BALL, seconds_per_calf=200), CONTENT)
    with pytest.raises(InvalidInput):
        plan(PlanOptions(tool=Tool.BALL, legs=(Leg.LEFT, Leg.LEFT)), CONTENT)


VIGNETTES = load_vignettes()["cases"]


@pytest.mark.parametrize("case", VIGNETTES, ids=[c["story"][:50] for c in VIGNETTES])
@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("legs", [["left", "right"], ["right"], ["left"]])
def test_screening_shapes_the_plan_exactly_as_the_contract(
    case: dict[str, Any], tool: str, legs: list[str]
) -> None:
    result = screen(parse_answers(case["input"]))
    expect = case["expect"]
    options = PlanOptions(
        tool=Tool(tool), legs=tuple(Leg(x) for x in legs), intensity=Intensity.DEEP
    )
    planned = [
        leg
        for leg in legs
        if leg in case["input"]["legs"] and expect["legs"][leg]["massage_allowed"]
    ]
    if Level(expect["verdict"]) >= Level.URGENT or not planned:
        with pytest.raises(PlanBlocked) as caught:
            plan(options, CONTENT, result, screening_advice="advice text")
        assert caught.value.verdict == expect["verdict"]
        assert caught.value.advice == "advice text"
        assert caught.value.to_json()["planned"] is False
        return
    made = plan_to_json(plan(options, CONTENT, result, screening_advice="advice text"))
    gentle = any(not expect["legs"][leg]["deep_work_allowed"] for leg in planned)
    assert (
        plan_contract_problems(
            made,
            tool=tool,
            seconds_per_calf=150,
            intensity="deep",
            legs=planned,
            gentle_required=gentle,
        )
        == []
    )
    notes = " ".join(made["notes"])
    assert ("Gentle work only" in notes) == gentle
    for leg in legs:
        if leg not in planned:
            assert f"Your {leg} calf is not in this plan" in notes


def test_screening_files_in_test_data_are_valid() -> None:
    for path in PLANS_DIR.glob("screening_*.json"):
        parse_answers(json.loads(path.read_text()))
