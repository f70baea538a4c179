"""`calfcare plan` through a real subprocess, as the routine contract specifies it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers_session import plan_contract_problems
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty data folder: plans and the coach obey the safety state recorded there, and
    other tests record urgent screenings in the shared one."""
    monkeypatch.setenv("CALFCARE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


PLANS = Path(__file__).parent.parent / "data" / "plans"


@pytest.mark.parametrize(
    ("tool", "legs", "seconds", "intensity"),
    [
        ("foam-roller", "left,right", 150, "standard"),
        ("foam-roller", "right", 180, "deep"),
        ("ball", "right,left", 121, "gentle"),
        ("ball", "left", 179, "deep"),
        ("hands", "left,right", 120, "deep"),
        ("hands", "right", 150, "gentle"),
    ],
)
def test_json_plan_passes_every_contract_check(
    tool: str, legs: str, seconds: int, intensity: str
) -> None:
    done = run_cli(
        "plan",
        "--tool",
        tool,
        "--legs",
        legs,
        "--seconds-per-calf",
        str(seconds),
        "--intensity",
        intensity,
        "--json",
    )
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert (
        plan_contract_problems(
            made, tool=tool, seconds_per_calf=seconds, intensity=intensity, legs=legs.split(",")
        )
        == []
    )


def test_defaults_are_both_calves_150_s_standard() -> None:
    done = run_cli("plan", "--tool", "foam-roller", "--json")
    made = json.loads(done.stdout)
    assert (made["intensity"], made["total_seconds"]) == ("standard", 300)
    assert [c["leg"] for c in made["calves"]] == ["left", "right"]


def test_pace_option() -> None:
    made = json.loads(run_cli("plan", "--tool", "ball", "--pace", "20", "--json").stdout)
    assert made["pace_per_minute"] == 20


def test_readable_plan_shows_cues_and_sources() -> None:
    done = run_cli("plan", "--tool", "hands", "--legs", "right")
    assert done.returncode == 0, done.stderr
    assert "right calf" in done.stdout
    assert "toward your heart" in done.stdout
    assert "the source article, on technique" in done.stdout
    assert "seed-technique" not in done.stdout  # names, not ids


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (["--tool", "hammer"], ["--tool"]),
        ([], ["--tool"]),
        (["--tool", "ball", "--seconds-per-calf", "119"], ["--seconds-per-calf"]),
        (["--tool", "ball", "--seconds-per-calf", "181"], ["--seconds-per-calf"]),
        (["--tool", "ball", "--seconds-per-calf", "150.5"], ["--seconds-per-calf"]),
        (["--tool", "ball", "--legs", "left,left"], ["--legs"]),
        (["--tool", "ball", "--legs", "left,middle"], ["--legs"]),
        (["--tool", "ball", "--intensity", "brutal"], ["--intensity"]),
        (["--tool", "ball", "--pace", "40"], ["--pace"]),
        (
            ["--tool", "x", "--intensity", "y", "--seconds-per-calf", "z"],
            ["--tool", "--intensity", "--seconds-per-calf"],
        ),
    ],
)
def test_bad_options_exit_2_naming_each(args: list[str], fields: list[str]) -> None:
    done = run_cli("plan", *args, "--json")
    assert done.returncode == 2
    body = json.loads(done.stdout)
    assert set(body) == {"error", "problems"}
    assert sorted({p["field"] for p in body["problems"]}) == sorted(fields)
    for field in fields:
        assert field in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_option_without_json_has_clear_message_only() -> None:
    done = run_cli("plan", "--tool", "ball", "--seconds-per-calf", "200")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--seconds-per-calf" in done.stderr and "120 to 180" in done.stderr


@pytest.mark.parametrize(
    ("answers", "verdict"),
    [
        ("screening_urgent_left_swollen.json", "urgent"),
        ("screening_emergency.json", "emergency"),
        ("screening_avoid_both_fever.json", "avoid"),
        ("screening_avoid_only_left_wanted.json", "avoid"),
    ],
)
def test_screening_that_rules_out_massage_exits_3(answers: str, verdict: str) -> None:
    done = run_cli("plan", "--tool", "foam-roller", "--screening", str(PLANS / answers), "--json")
    assert done.returncode == 3, done.stderr
    body = json.loads(done.stdout)
    assert body["contract"] == 1 and body["planned"] is False
    assert body["verdict"] == verdict
    assert body["advice"] and body["advice"] in done.stderr
    assert isinstance(body["notes"], list)


def test_no_calf_left_after_leg_filter_exits_3() -> None:
    done = run_cli(
        "plan",
        "--tool",
        "ball",
        "--legs",
        "left",
        "--screening",
        str(PLANS / "screening_only_right_wanted.json"),
    )
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.strip()


def test_caution_makes_the_whole_plan_gentle_with_a_note() -> None:
    done = run_cli(
        "plan",
        "--tool",
        "foam-roller",
        "--intensity",
        "deep",
        "--screening",
        str(PLANS / "screening_caution_left_varicose.json"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert (
        plan_contract_problems(
            made,
            tool="foam-roller",
            seconds_per_calf=150,
            intensity="deep",
            legs=["left", "right"],
            gentle_required=True,
        )
        == []
    )
    assert any("Gentle work only" in note and "left calf" in note for note in made["notes"])


def test_avoided_calf_is_left_out_with_a_note() -> None:
    done = run_cli(
        "plan",
        "--tool",
        "hands",
        "--screening",
        str(PLANS / "screening_avoid_left_graze.json"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    assert [c["leg"] for c in made["calves"]] == ["right"]
    assert made["intensity"] == "standard"
    assert any("left calf is not in this plan" in note for note in made["notes"])


def test_screening_from_stdin_and_bad_screening_exit_2() -> None:
    answers = (PLANS / "screening_ok_both.json").read_text()
    done = run_cli("plan", "--tool", "ball", "--screening", "-", "--json", stdin=answers)
    assert done.returncode == 0, done.stderr
    bad = json.loads(answers)
    del bad["left"]["swelling"]
    done = run_cli("plan", "--tool", "ball", "--screening", "-", "--json", stdin=json.dumps(bad))
    assert done.returncode == 2
    assert json.loads(done.stdout)["problems"][0]["field"] == "left.swelling"
    done = run_cli("plan", "--tool", "ball", "--screening", "/nonexistent.json")
    assert done.returncode == 2 and "no such file" in done.stderr
