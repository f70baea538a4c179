"""The live coach in a real terminal (a pty of 80x24), driven as a person would with keys.

Each test runs `calfcare session` inside `bash -c '...; stty -a'`, so after the coach exits
the same terminal reports its modes: canonical input and echo must be back on.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

import pexpect
import pytest

DATA = Path(__file__).parent.parent / "data" / "plans"
PLAN = DATA / "coach_right_foam_roller.json"
SCREENING_OK = DATA / "screening_ok_both.json"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")

pytestmark = pytest.mark.skipif(not sys.stdin or os.name != "posix", reason="needs a pty")


def spawn(*args: str) -> pexpect.spawn:
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "calfcare", "session", *args])
    return pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-c", f'{command}; echo "EXIT=$?"; stty -a'],
        dimensions=(24, 80),
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
        encoding="utf-8",
        timeout=10,
    )


def plain(text: str) -> str:
    return ANSI.sub("", text)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    """Wait for the coach to exit; return its status and the rest of the output, plain.

    Also checks that the coach left the alternate screen and showed the cursor again.
    """
    child.expect(r"EXIT=(\d+)")
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
    child.expect("held 1 s", timeout=5)  # the hold's clock runs
    child.send("x")  # sharp pain
    status, out = finish(child)
    assert status == 0
    assert "Session summary" in out
    assert "STOPPED: sharp pain" in out
    assert "SHARP PAIN: STOP" in out
    assert "professional advice" in re.sub(r"[│\s]+", " ", out)
    assert re.search(r"right\s+│\s+0:0\d \(2:00\)\s+│\s+1 \(\d s\)", out), out
    assert_terminal_restored(out)


def test_ctrl_c_restores_the_terminal_and_exits_130() -> None:
    child = spawn("--plan", str(PLAN), "--screening", str(SCREENING_OK))
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
