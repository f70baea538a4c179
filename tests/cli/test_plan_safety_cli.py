"""`calfcare plan` and `calfcare session` under today's recorded safety state (issue 11),
through a real subprocess: a hold (or a clearance before a new screening) is exit 3 with the
advice and what lifts it; a calf the state rules out is left out; care makes the plan gentle;
`--screening FILE` still applies but never overrides the state; a pending sharp-pain check
leaves its calf out when nobody can be asked; `session --replay` never reads the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calfcare.cli.plan import make_plan
from calfcare.core.levels import Leg
from calfcare.core.plan_json import plan_to_json
from tests.cli.helpers_safety import Folder, answers

PLANS = Path(__file__).parent.parent / "data" / "plans"
VECTORS = Path(__file__).parent.parent / "data" / "session_vectors"


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path)


def plan_json(folder: Folder, *args: str, stdin: str | None = None) -> tuple[int, Any, str]:
    code, out, err = folder.cli("plan", "--tool", "foam-roller", *args, "--json", stdin=stdin)
    return code, json.loads(out) if out else None, err


def legs_of(made: dict[str, Any]) -> list[str]:
    return [calf["leg"] for calf in made["calves"]]


def test_with_nothing_recorded_the_plan_is_the_contracts_and_no_database_is_made(
    folder: Folder,
) -> None:
    code, made, err = plan_json(folder, "--intensity", "deep")
    assert code == 0, err
    raw: dict[str, object] = {"tool": "foam-roller", "intensity": "deep"}
    assert made == plan_to_json(make_plan(raw, None))
    assert not (folder.path / "calfcare.sqlite3").exists(), "reading made a database"


def test_caution_recorded_today_makes_any_intensity_gentle_with_a_note(folder: Folder) -> None:
    folder.screen(anticoagulants=True)
    code, made, err = plan_json(folder, "--intensity", "deep")
    assert code == 0, err
    assert made["intensity"] == "gentle" and legs_of(made) == ["left", "right"]
    assert (
        "your safety check today asks for care with your left and right calves"
        in (made["notes"][0])
    )
    assert not any(s["kind"] == "active_release" for c in made["calves"] for s in c["steps"])
    code, out, _ = folder.cli("plan", "--tool", "ball", "--intensity", "deep")
    assert code == 0 and "Note: Gentle work only" in out


def test_a_calf_the_state_rules_out_is_left_out_and_none_left_is_exit_3(folder: Folder) -> None:
    folder.screen(left_open_wound=True)
    code, made, err = plan_json(folder)
    assert code == 0, err
    assert legs_of(made) == ["right"]
    assert "left calf is not in this plan" in made["notes"][0]
    code, body, err = plan_json(folder, "--legs", "left")
    assert code == 3
    assert body["planned"] is False and body["blocked_by"] == "no_calf"
    assert body["safety"]["legs"]["left"]["massage_allowed"] is False
    assert "No calf can be massaged today" in err


def test_a_hold_is_exit_3_with_the_advice_first_and_what_lifts_it(folder: Folder) -> None:
    folder.screen(left_swelling=True)
    code, out, err = folder.cli("plan", "--tool", "ball")
    assert code == 3 and out == ""
    first = err.splitlines()[0]
    assert first.startswith("calfcare: Do not massage. Get medical attention today.")
    assert "What lifts it: Only a clinician lifts this hold" in err
    assert "calfcare safety clear --clinician-ruled-out-clot" in err
    code, body, _ = plan_json(folder)
    assert code == 3
    assert body["contract"] == 1 and body["planned"] is False
    assert (body["verdict"], body["blocked_by"]) == ("urgent", "hold")
    assert body["advice"].startswith("Do not massage. Get medical attention today.")
    assert body["safety"]["hold"]["level"] == "urgent" and body["notes"] == []


def test_a_screening_file_never_overrides_a_hold(folder: Folder) -> None:
    folder.screen(left_swelling=True)
    code, body, _ = plan_json(folder, "--screening", str(PLANS / "screening_ok_both.json"))
    assert code == 3 and body["blocked_by"] == "hold"
    code, body, _ = plan_json(folder, "--screening", "-", stdin=answers())
    assert code == 3 and body["blocked_by"] == "hold"


def test_a_bad_screening_file_is_still_exit_2_during_a_hold(folder: Folder) -> None:
    folder.screen(left_swelling=True)
    code, body, err = plan_json(folder, "--screening", "-", stdin='{"contract": 1}')
    assert code == 2 and body["problems"], err


def test_the_stricter_of_the_recorded_state_and_a_screening_file_wins(folder: Folder) -> None:
    folder.screen(left_open_wound=True)
    ok = str(PLANS / "screening_ok_both.json")
    code, made, err = plan_json(folder, "--intensity", "deep", "--screening", ok)
    assert code == 0, err
    assert legs_of(made) == ["right"] and made["intensity"] == "deep"
    # The other way round: nothing against the left calf recorded, the file rules it out.
    other = Folder(folder.path / "other")
    other.path.mkdir()
    other.screen()
    graze = str(PLANS / "screening_avoid_left_graze.json")
    code, made, err = plan_json(other, "--screening", graze)
    assert code == 0, err
    assert legs_of(made) == ["right"]
    # Caution from the file, all clear recorded: still gentle.
    varicose = str(PLANS / "screening_caution_left_varicose.json")
    code, made, _ = plan_json(other, "--intensity", "deep", "--screening", varicose)
    assert made["intensity"] == "gentle"


def test_after_a_clearance_a_new_screening_is_needed_before_a_plan(folder: Folder) -> None:
    folder.screen(left_swelling=True)
    code, _, err = folder.cli("safety", "clear", "--clinician-ruled-out-clot")
    assert code == 0, err
    code, body, err = plan_json(folder, "--screening", str(PLANS / "screening_ok_both.json"))
    assert code == 3 and body["blocked_by"] == "needs_screening" and body["verdict"] is None
    assert "Do a new safety check before any massage" in err and "calfcare screen" in err
    folder.screen()
    code, made, err = plan_json(folder)
    assert code == 0 and legs_of(made) == ["left", "right"], err


def test_without_a_terminal_a_pending_pain_check_leaves_its_calf_out(folder: Folder) -> None:
    folder.stop_for_sharp_pain(Leg.LEFT)
    code, made, err = plan_json(folder)
    assert code == 0, err
    assert legs_of(made) == ["right"]
    notes = " ".join(made["notes"])
    assert "last session stopped for sharp pain" in notes
    assert "seek" in notes and "professional advice" in notes  # the seed's advice, repeated
    assert "calfcare safety pain-checked --leg left" in notes
    code, said, _ = folder.cli("safety")  # in words: not "may be massaged", and what to do
    assert "left calf: not until its sharp pain has gone or been checked (below)" in said
    assert "right calf: may be massaged" in said
    assert "When it has: calfcare safety pain-checked --leg left" in said
    code, body, err = plan_json(folder, "--legs", "left")
    assert code == 3 and body["blocked_by"] == "no_calf"
    assert "calfcare safety pain-checked --leg left" in err
    code, _, err = folder.cli("safety", "pain-checked", "--leg", "left")
    assert code == 0, err
    code, made, _ = plan_json(folder)
    assert legs_of(made) == ["left", "right"]


def test_session_replay_is_a_pure_engine_run_whatever_is_recorded(folder: Folder) -> None:
    vector = json.loads(next(VECTORS.glob("*.json")).read_text())
    plan_file = folder.path / "plan.json"
    events_file = folder.path / "events.json"
    plan_file.write_text(json.dumps(vector["plan"]))
    events_file.write_text(json.dumps(vector["events"]))
    args = ("session", "--plan", str(plan_file), "--replay", str(events_file), "--json")
    code, before, err = folder.cli(*args)
    assert code == 0, err
    assert not (folder.path / "calfcare.sqlite3").exists(), "a replay read the store"
    folder.screen(left_swelling=True)
    code, during, err = folder.cli(*args)
    assert code == 0, err
    assert json.loads(during) == json.loads(before)


def test_the_live_coach_refuses_during_a_hold_before_anything_else(folder: Folder) -> None:
    folder.screen(left_swelling=True)
    code, out, err = folder.cli("session", "--tool", "ball")
    assert code == 3 and out == ""
    assert err.startswith("calfcare: Do not massage. Get medical attention today.")
    assert "needs a terminal" not in err
    code, out, _ = folder.cli("session", "--tool", "ball", "--json")
    assert code == 3 and json.loads(out)["blocked_by"] == "hold"
    code, _, err = folder.cli("session", "--tool", "spoon")
    assert code == 2 and "--tool" in err, "bad options are named first"
