"""The safety state at a real terminal (a pty): the sharp-pain check is asked, with the
session's advice, before a plan or a coached session that includes the calf; yes is
recorded, no leaves the calf out. The coach records the screening it runs first, even when
it then refuses (an urgent verdict starts a hold)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from calfcare.core.levels import Leg
from tests.cli.helpers_safety import Folder
from tests.cli.test_coach_pty import DATA, PLAN, SCREENING_OK, finish, spawn

pytestmark = pytest.mark.skipif(not sys.stdin or os.name != "posix", reason="needs a pty")


def plan_in_pty(folder: Folder, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "calfcare", "plan", "--tool", "ball", *args],
        dimensions=(40, 100),
        env={**os.environ, "COLUMNS": "100", **folder.env},
        encoding="utf-8",
        timeout=30,
    )


def test_plan_asks_about_the_pain_and_no_leaves_the_calf_out(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    folder.stop_for_sharp_pain(Leg.LEFT)
    child = plan_in_pty(folder)
    child.expect("stopped for sharp pain in your left calf")
    child.expect("professional advice")
    child.expect(r"Has the pain gone, or been checked\? \[y/N\]")
    child.sendline("n")
    child.expect("left calf is left out today")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "right calf:" in child.before and "left calf:" not in child.before
    assert "pain-checked --leg left" in child.before
    assert folder.safety()["legs"]["left"]["pain_check_pending"] is True


def test_plan_records_yes_and_plans_the_calf(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    folder.stop_for_sharp_pain(Leg.LEFT)
    child = plan_in_pty(folder, "--legs", "left")
    child.expect(r"\[y/N\]")
    child.sendline("y")
    child.expect("Recorded: the sharp pain in your left calf")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "left calf:" in child.before
    assert folder.safety()["legs"]["left"]["pain_check_pending"] is False


def test_the_coach_asks_about_the_pain_and_records_its_screening(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    folder.stop_for_sharp_pain(Leg.RIGHT)
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK), data_dir=tmp_path)
    child.expect("stopped for sharp pain in your right calf")
    child.expect("professional advice")
    child.expect(r"\[y/N\]")
    child.sendline("y")
    child.expect("Recorded")
    child.expect("How sore is your right calf right now")
    child.sendline("")
    child.expect("Press SPACE to start")
    child.send("q")
    status, _ = finish(child)
    assert status == 0
    state = folder.safety()
    assert state["legs"]["right"]["pain_check_pending"] is False
    assert state["screened_today"] is True, "the coach's screening is recorded"


def test_the_coach_leaves_out_the_calf_on_no_and_stops_with_none_left(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    folder.stop_for_sharp_pain(Leg.RIGHT)
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK), data_dir=tmp_path)
    child.expect(r"\[y/N\]")
    child.sendline("n")
    status, out = finish(child)
    assert status == 3
    assert "calfcare safety pain-checked --leg right" in out
    assert "Press SPACE" not in out


def test_an_urgent_screening_in_the_coach_is_recorded_and_starts_a_hold(tmp_path: Path) -> None:
    folder = Folder(tmp_path)
    urgent = str(DATA / "screening_urgent_left_swollen.json")
    child = spawn("--plan", str(PLAN), "--screening", urgent, data_dir=tmp_path)
    status, out = finish(child)
    assert status == 3
    assert "URGENT" in out and "What lifts it" in out
    hold = folder.safety()["hold"]
    assert hold is not None and hold["level"] == "urgent"
    # The next try stops before any question, with the advice first.
    child = spawn("--tool", "ball", data_dir=tmp_path)
    status, out = finish(child)
    assert status == 3
    assert out.lstrip().startswith("calfcare: Do not massage.")
    assert "?" not in out.split("What lifts it")[0], "no screening question was asked"
