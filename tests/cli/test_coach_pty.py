"""The live coach in a real terminal (a pty of 80x24), driven as a person would with keys.

Each test runs `calfcare session` inside `bash -c '...; stty -a'`, so after the coach exits
the same terminal reports its modes: canonical input and echo must be back on.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import pexpect
import pytest

DATA = Path(__file__).parent.parent / "data" / "plans"
PLAN = DATA / "coach_right_foam_roller.json"
SCREENING_OK = DATA / "screening_ok_both.json"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")

pytestmark = pytest.mark.skipif(not sys.stdin or os.name != "posix", reason="needs a pty")


def spawn(*args: str, data_dir: Path | None = None, shell_first: str = "") -> pexpect.spawn:
    """The coach in a pty; without ``data_dir`` it runs with --no-save (UI tests only);
    ``shell_first`` runs in the same shell before it (e.g. ``trap '' INT``)."""
    save = [] if data_dir is not None else ["--no-save"]
    argv = [sys.executable, "-m", "calfcare", "session", *save, *args]
    command = " ".join(shlex.quote(a) for a in argv)
    # Its own empty folder even with --no-save: the coach reads the safety state recorded there.
    extra = {"CALFCARE_DATA_DIR": str(data_dir or tempfile.mkdtemp(prefix="calfcare-pty-"))}
    return pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-c", f'{shell_first}{command}; echo "EXIT=$?"; stty -a'],
        dimensions=(24, 80),
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", **extra},
        encoding="utf-8",
        timeout=90,  # generous: the machine may be busy (a timeout only bounds a failure)
    )


def plain(text: str) -> str:
    return ANSI.sub("", text)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the coach to exit; return its status and the rest of the output, plain.

    Also checks that the coach left the alternate screen and showed the cursor again.
    """
    if child.expect([r"EXIT=(\d+)", pexpect.TIMEOUT]) == 1:  # say what the screen showed
        pytest.fail(f"the coach did not exit; its last output:\n{child.before[-3000:]!r}")
    status = int(child.match.group(1))
    before = child.before
    child.expect(pexpect.EOF)
    if "Press SPACE to start" in plain(before):
        assert "\x1b[?1049l" in before
        assert "\x1b[?25h" in before
    return status, plain(before) + "\nEXIT=\n" + plain(child.before)


def assert_terminal_restored(after: str) -> None:
    modes = after.split("EXIT=", 1)[-1] if "EXIT=" in after else after
    words = set(modes.split())
    assert "icanon" in words, modes
    assert "echo" in words, modes
    assert "-icanon" not in words and "-echo" not in words


def test_tender_spot_then_sharp_pain_stops_with_the_advice_and_a_summary() -> None:
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK))
    child.expect("Press SPACE to start")
    child.send(" ")
    child.expect("GET READY")
    child.expect("left in this step")
    child.send("n")  # skip the get-ready
    child.expect("ROLLING PASSES")
    child.expect("pace")
    child.send(" ")  # a tender spot
    child.expect("HOLD THE TENDER SPOT")
    child.expect("until you may release")
    child.expect("held 1 s")  # the hold's clock runs
    child.send("x")  # sharp pain
    status, out = finish(child)
    assert status == 0
    assert "Session summary" in out
    assert "STOPPED: sharp pain" in out
    assert "SHARP PAIN: STOP" in out
    assert "professional advice" in re.sub(r"[│\s]+", " ", out)
    assert re.search(r"right\s+│\s+0:\d\d \(2:00\)\s+│\s+1 \(\d+ s\)", out), out
    assert_terminal_restored(out)


@pytest.mark.skipif(bool(shutil.which("espeak-ng")), reason="espeak-ng is installed here")
def test_a_missing_voice_is_said_on_the_start_screen_not_after() -> None:
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK), "--voice")
    child.expect("espeak-ng is not installed")
    child.expect("Press SPACE to start")
    child.send("q")
    status, out = finish(child)
    assert status == 0
    assert "espeak-ng" not in out  # not said again after the session
    assert_terminal_restored(out)


@pytest.mark.parametrize("shell_first", ["", "trap '' INT; "])
def test_ctrl_c_restores_the_terminal_and_exits_130(shell_first: str) -> None:
    """Also when calfcare starts with SIGINT ignored (`nohup ... &`, a background job: the
    way this test once hung, for 90 s, in a suite started like that)."""
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK), shell_first=shell_first)
    child.expect("Press SPACE to start")
    child.send(" ")
    child.expect("GET READY")
    child.sendintr()
    status, out = finish(child)
    assert status == 130
    assert "interrupted" in out
    assert "quit before the end" in out  # the summary of what was done
    assert_terminal_restored(out)


def test_quit_key_ends_with_a_summary() -> None:
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK))
    child.expect("Press SPACE to start")
    child.send(" ")
    child.expect("GET READY")
    child.send("q")
    status, out = finish(child)
    assert status == 0
    assert "quit before the end" in out
    assert_terminal_restored(out)


def test_an_urgent_screening_shows_the_verdict_and_runs_no_session() -> None:
    child = spawn(
        "--plan", str(PLAN), "--screening", str(DATA / "screening_urgent_left_swollen.json")
    )
    status, out = finish(child)
    assert status == 3
    assert "URGENT" in out
    assert "Press SPACE" not in out
    assert_terminal_restored(out)


def test_live_session_is_saved_with_tender_spot_and_soreness(tmp_path: Path) -> None:
    """Saved automatically, followed by the soreness prompt (issue 4): the session, where the
    tender spot was, the screening and both check-ins end up in the database."""
    import json
    import subprocess

    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK), data_dir=tmp_path)
    child.expect("How sore is your right calf right now")
    child.sendline("4")
    child.expect("Press SPACE to start")
    child.send(" ")
    child.expect("GET READY")
    child.send("n")
    child.expect("ROLLING PASSES")
    child.send(" ")
    child.expect("HOLD THE TENDER SPOT")
    child.expect("held 1 s")
    child.send("x")
    child.expect("where\\?")
    child.sendline("mo")
    child.expect("How sore is your right calf now, after the session")
    child.sendline("eleven")
    child.expect("whole number from 0 to 10")
    child.sendline("2")
    child.expect("Saved")
    status, out = finish(child)
    assert status == 0
    assert_terminal_restored(out)
    done = subprocess.run(
        [sys.executable, "-m", "calfcare", "history", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CALFCARE_DATA_DIR": str(tmp_path)},
    )
    history = json.loads(done.stdout)
    text = json.dumps(history)
    assert "stopped for sharp pain" in text
    assert "right:middle:outer" in text or ("middle" in text and "outer" in text)
    soreness = sorted((row["leg"], row["what"]) for row in history if row["kind"] == "soreness")
    assert soreness == [
        ("right", "2/10 after the session"),
        ("right", "4/10 before the session"),
    ]
    assert [row["kind"] for row in history].count("session") == 1
    screenings = [row for row in history if row["kind"] == "screening"]
    assert len(screenings) == 1, "the coach's screening is recorded once"
    safety = subprocess.run(
        [sys.executable, "-m", "calfcare", "safety", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CALFCARE_DATA_DIR": str(tmp_path)},
    )
    state = json.loads(safety.stdout)
    assert state["legs"]["right"]["pain_check_pending"] is True, "the sharp-pain stop is marked"
    assert state["screened_today"] is True
