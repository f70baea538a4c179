"""`calfcare safety`: the state in words and as the fixed JSON object; `safety clear` lifts a
hold only with the clinician's word, on a day not before the hold or after today; every
completed `calfcare screen --answers` is recorded unless --no-save."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from calfcare.core.levels import Leg
from tests.cli.helpers_safety import Folder
from tests.cli.helpers_safety import answers as leg_answers
from tests.conftest import run_cli, screening_answers

CONTRACT_KEYS = {"contract", "day", "screened_today", "screening_id", "legs", "hold"}


def cli(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    done = run_cli(*args, stdin=stdin, env={"CALFCARE_DATA_DIR": str(tmp_path)})
    return done.returncode, done.stdout, done.stderr


def answers(**general: Any) -> str:
    return json.dumps(screening_answers(**general))


def state(tmp_path: Path) -> dict[str, Any]:
    code, out, err = cli(tmp_path, "safety", "--json")
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    assert set(document) >= CONTRACT_KEYS and document["contract"] == 1
    return document


def test_no_records_no_hold(tmp_path: Path) -> None:
    document = state(tmp_path)
    assert document["hold"] is None and document["screening_id"] is None
    assert document["day"] == date.today().isoformat()
    assert document["legs"]["left"]["massage_allowed"] is True
    code, out, _ = cli(tmp_path, "safety")
    assert code == 0 and "No hold on massage" in out and "left calf: may be massaged" in out


def test_screen_answers_is_recorded_unless_no_save(tmp_path: Path) -> None:
    code, out, err = cli(tmp_path, "screen", "--answers", "-", "--json", "--no-save",
                         stdin=answers(anticoagulants=True))  # fmt: skip
    assert code == 0, err
    assert "screening_id" not in json.loads(out)
    assert state(tmp_path)["screening_id"] is None
    code, out, err = cli(tmp_path, "screen", "--answers", "-", "--json",
                         stdin=answers(anticoagulants=True))  # fmt: skip
    assert code == 0, err
    saved = json.loads(out)["screening_id"]
    document = state(tmp_path)
    assert document["screening_id"] == saved and document["screened_today"] is True
    assert document["legs"]["right"] == {
        "massage_allowed": True,
        "deep_work_allowed": False,
        "pain_check_pending": False,
    }


def test_an_urgent_screening_holds_until_a_clearance_and_a_new_screening(tmp_path: Path) -> None:
    code, out, err = cli(tmp_path, "screen", "--answers", "-", stdin=answers(clot_suspected=True))
    assert code == 0, err
    assert out.splitlines()[-1].startswith("A hold on massage of both calves is now on")
    assert out.rstrip().endswith("What lifts it: calfcare safety")
    hold = state(tmp_path)["hold"]
    assert hold["level"] == "urgent" and hold["since"] == date.today().isoformat()
    assert hold["advice"].startswith("Do not massage either calf") and hold["sources"]
    code, out, _ = cli(tmp_path, "safety")
    assert "URGENT: Do not massage. Get medical attention today" in out
    assert "What lifts it:" in out and "NHS: Deep vein thrombosis" in out
    assert "hold_" not in out and "follow_up" not in out  # words, not internal names
    # An all-clear screening does not lift it, and says so last, with what does.
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", stdin=answers())
    assert code == 0 and out.startswith("OK: ")
    last = out.splitlines()[-1]
    assert last.startswith(f"A HOLD ON MASSAGE IS STILL ON (URGENT), since {date.today().day} ")
    assert "only a clinician ruling out a clot" in last
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", "--json", stdin=answers())
    assert json.loads(out)["verdict"] == "ok"  # the contract's JSON, nothing added
    document = state(tmp_path)
    assert document["hold"] is not None and document["screened_today"] is True
    assert not any(leg["massage_allowed"] for leg in document["legs"].values())
    # Refused: without the clinician's word, a future day, a day before the hold.
    code, out, err = cli(tmp_path, "safety", "clear", "--json")
    assert code == 2 and "--clinician-ruled-out-clot" in err
    assert {p["field"] for p in json.loads(out)["problems"]} == {"--clinician-ruled-out-clot"}
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, _, err = cli(tmp_path, "safety", "clear", "--clinician-ruled-out-clot", "--day", tomorrow)
    assert code == 2 and "--day" in err
    code, _, err = cli(
        tmp_path, "safety", "clear", "--clinician-ruled-out-clot", "--day", "yesterday"
    )
    assert code == 2 and "before the hold began" in err
    code, _, err = cli(tmp_path, "safety", "clear", "--clinician-ruled-out-clot", "--day", "nope")
    assert code == 2 and "--day" in err
    assert state(tmp_path)["hold"] is not None, "nothing was saved"
    code, out, err = cli(tmp_path, "safety", "clear", "--clinician-ruled-out-clot", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["clearance"]["day"] == date.today().isoformat()
    assert result["safety"]["hold"] is None and result["safety"]["needs_screening"] is True
    assert result["safety"]["screening_id"] is None
    code, out, _ = cli(tmp_path, "safety")
    assert "Do a new safety check before any massage" in out
    code, _, _ = cli(tmp_path, "safety", "clear", "--clinician-ruled-out-clot")
    assert code == 2, "no hold left to clear"
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", stdin=answers())
    assert code == 0 and "HOLD" not in out.upper().split("ADVICE SOURCES")[-1]
    document = state(tmp_path)
    assert document["needs_screening"] is False and document["screening_id"] is not None
    assert document["legs"]["left"]["deep_work_allowed"] is True


def test_pain_checked_needs_a_stop_and_a_calf(tmp_path: Path) -> None:
    code, out, err = cli(tmp_path, "safety", "pain-checked", "--leg", "left", "--json")
    assert code == 2 and "--leg" in err and json.loads(out)["problems"]
    code, _, err = cli(tmp_path, "safety", "pain-checked", "--leg", "middle")
    assert code == 2 and "--leg" in err


def test_a_screening_names_a_sharp_pain_stop_still_to_answer(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    folder.screen()
    folder.stop_for_sharp_pain(Leg.RIGHT)
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", stdin=answers())
    assert code == 0
    last = out.splitlines()[-1]
    assert last.startswith("Your right calf stopped a session for sharp pain on ")
    assert last.endswith("calfcare safety pain-checked --leg right")
    code, _, err = cli(tmp_path, "safety", "pain-checked", "--leg", "right")
    assert code == 0, err
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", stdin=answers())
    assert code == 0 and "sharp pain on" not in out
    assert out.splitlines()[-1].startswith("Advice sources:")


def test_a_calf_with_nothing_found_but_no_massage_says_why(tmp_path: Path) -> None:
    code, out, _ = cli(tmp_path, "screen", "--answers", "-", "--no-save",
                       stdin=leg_answers(left_swelling=True))  # fmt: skip
    assert code == 0
    assert "left calf: URGENT (no massage)" in out
    assert "right calf: No concern (but no massage: see the advice above)" in out
    assert "hold" not in out.lower().split("advice sources")[-1]  # not saved: governs nothing
