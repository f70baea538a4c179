"""Does the live coach's countdown keep to the wall clock? (target: within 0.1 s, always)

    .venv/bin/python bench/coach_drift.py [--seconds 40 | --whole] [--frame-rate 15]

Runs the real coach loop (`run_coach`, real monotonic clock, real Rich `Live` full screen)
headless on a recording "terminal" of 80x24, for a one-calf foam-roller plan, with no key
pressed until the end (`--whole`: the whole session, 130 s). Every frame written to the
terminal is time-stamped (``time.perf_counter`` read at the write; the start is the coach's
first clock reading). The step number and the big countdown are read back off the written
screen and compared with a perfect clock worked out from the plan alone: step k showing D
seconds is right while ``e`` (seconds since the start) is in [end_k - D, end_k - D + 1),
since the coach rounds the time left up to whole seconds.

Printed, each as p50/p99/max: the error of each frame when written; its error just before
the next frame replaced it (a stale frame is wrong for as long as it stays up, so this is
the figure that counts); for each change of the number, how long after it was due the frame
showing it was written; and the time from reading the clock to the frame being written.
Exit status 1 if the screen was ever more than 0.1 s off.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402

from calfcare.cli.coach import run_coach  # noqa: E402
from calfcare.cli.coach_io import RecordedSounds  # noqa: E402
from calfcare.cli.coach_view import BIG_ROWS, read_big  # noqa: E402
from calfcare.content.routines import load_routines  # noqa: E402
from calfcare.core.levels import Leg  # noqa: E402
from calfcare.core.planner import plan  # noqa: E402
from calfcare.core.routine import PlanOptions, Tool  # noqa: E402
from calfcare.core.timeline import SessionView  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x07")
TARGET = 0.1


class TimedTerminal:
    """A file that remembers each write with the perf_counter time it arrived."""

    def __init__(self) -> None:
        self.writes: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.writes.append((time.perf_counter(), text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("not a real terminal")


class TimedKeys:
    """No key until ``quit_at`` seconds after the first read, then q (waits like select)."""

    def __init__(self, quit_at: float | None) -> None:
        self.quit_at = quit_at
        self.first: float | None = None
        self.event = threading.Event()

    def read(self, timeout: float) -> str | None:
        now = time.monotonic()
        if self.first is None:
            self.first = now
        if self.quit_at is not None and now - self.first >= self.quit_at:
            return "q"
        self.event.wait(max(0.0, timeout))
        return None


STEP = re.compile(r"step (\d+) of \d+")


def screen_state(text: str) -> tuple[int, int] | None:
    """The step (0-based) and the big countdown (seconds) a written frame shows."""
    plain = ANSI.sub("", text)
    lines = plain.split("\n")
    step = STEP.search(plain)
    if step is None:
        return None
    for i in range(len(lines) - BIG_ROWS + 1):
        found = read_big([line[2:] for line in lines[i : i + BIG_ROWS]])
        if found and ":" in found:
            minutes, seconds = found.split(":")
            return int(step.group(1)) - 1, int(minutes) * 60 + int(seconds)
    return None


def error_at(schedule: list[tuple[float, float]], state: tuple[int, int], e: float) -> float:
    """How far ``e`` s after the start is from the instants when ``state`` is right.

    Step k showing D whole seconds is right while its time left is in (D - 1, D], i.e. for
    ``e`` in [end_k - D, end_k - D + 1); 0 inside, else the distance in seconds.
    """
    step, shown = state
    start = schedule[step][1] - shown
    return max(0.0, start - e, e - (start + 1))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def describe(name: str, values: list[float], unit: str = "ms") -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    return (
        f"{name:<34} p50 {pct(values, 0.5) * scale:7.2f}  p99 {pct(values, 0.99) * scale:7.2f}"
        f"  max {max(values) * scale:7.2f} {unit}  (n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--whole", action="store_true", help="run the whole session")
    parser.add_argument("--frame-rate", type=float, default=15.0)
    args = parser.parse_args()

    made = plan(
        PlanOptions(tool=Tool.FOAM_ROLLER, legs=(Leg.LEFT,), seconds_per_calf=120), load_routines()
    )
    schedule = []
    at = 0.0
    for step in made.calves[0].steps:
        schedule.append((at, at + step.seconds))
        at += step.seconds
    terminal = TimedTerminal()
    console = Console(
        file=terminal,  # type: ignore[arg-type]
        force_terminal=True,
        width=80,
        height=24,
        color_system="truecolor",
        legacy_windows=False,
    )
    started: dict[str, float] = {}

    def clock() -> float:
        now = time.monotonic()
        if "mono" not in started:
            started["mono"] = now
            started["wall"] = time.perf_counter()
        return now

    render_costs: list[float] = []

    def on_frame(t: float, _view: SessionView) -> None:
        # t was read from the clock before drawing; the frame has been written by now
        render_costs.append(time.perf_counter() - (started["wall"] + t))

    keys = TimedKeys(None if args.whole else args.seconds)
    result: dict[str, Any] = run_coach(
        made,
        clock=clock,
        keys=keys,
        console=console,
        voice=False,
        tick=False,
        sounds=RecordedSounds(),
        start_screen=False,
        frame_rate=args.frame_rate,
        on_frame=on_frame,
    )
    errors: list[float] = []
    stale: list[float] = []
    lags: list[float] = []
    ran = result["duration_seconds"]
    end_of_run = min(at, ran)
    frames_shown = [
        (w - started["wall"], state)
        for w, text in terminal.writes
        if (state := screen_state(text)) is not None
    ]
    frames = len(frames_shown)
    for i, (e, state) in enumerate(frames_shown):
        if e >= end_of_run:
            continue  # the last frame, after the session ended
        errors.append(error_at(schedule, state, e))
        # the frame stays on screen until the next one replaces it
        until = frames_shown[i + 1][0] if i + 1 < frames else end_of_run
        stale.append(error_at(schedule, state, min(until, end_of_run) - 1e-6))
        if i and state != frames_shown[i - 1][1]:
            k, shown = state
            lags.append(e - (schedule[k][1] - shown))  # shown after it became right
    print(
        f"coach drift: {ran:.1f} s of a one-calf foam-roller session ({result['outcome']}),"
        f" {frames} frames written, {frames / ran:.1f} frames/s, target {TARGET} s"
    )
    print(describe("shown countdown vs wall clock", errors))
    print(describe("... until the next frame replaced it", stale))
    print(describe("each new number: shown after due", lags))
    print(describe("clock read -> frame written", render_costs))
    late = sum(1 for x in stale if x > TARGET)
    wrong = sum(1 for x in stale if x > 0)
    print(
        f"frames that showed a different number than a perfect clock at some instant while on"
        f" screen: {wrong} of {len(stale)} ({late} by more than {TARGET} s)"
    )
    return 1 if late else 0


if __name__ == "__main__":
    raise SystemExit(main())
