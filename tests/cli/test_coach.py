"""The live coach's loop, on a fake clock and scripted keys, and its screen at 80x24."""

from __future__ import annotations

import io
import itertools
import json
from dataclasses import replace
from typing import Any

import pytest
from rich.console import Console

from calfcare.cli.coach import CoachInterrupted, run_coach, summary_renderable
from calfcare.cli.coach_gate import fit_plan
from calfcare.cli.coach_io import FakeClock, KeysClosed, RecordedSounds, ScriptedKeys
from calfcare.cli.coach_loop import wait_seconds
from calfcare.cli.coach_view import (
    BIG_ROWS,
    Frame,
    big_text,
    clock_text,
    read_big,
    render_frame,
    render_start,
    shown_seconds,
)
from calfcare.content.routines import load_routines
from calfcare.core.errors import PlanBlocked
from calfcare.core.levels import Leg, Level
from calfcare.core.planner import plan as make_plan
from calfcare.core.records import calf_record
from calfcare.core.replay import replay
from calfcare.core.routine import Intensity, Plan, PlanOptions, StepKind, Tool
from calfcare.core.screening import LegStatus
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import Event, EventKind, SessionView
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty data folder: plans and the coach obey the safety state recorded there, and
    other tests record urgent screenings in the shared one."""
    monkeypatch.setenv("CALFCARE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


ADVICE = load_routines().sharp_pain_advice
START = 1000.0


def full_plan(legs: tuple[Leg, ...] = (Leg.LEFT, Leg.RIGHT)) -> Plan:
    return make_plan(PlanOptions(tool=Tool.FOAM_ROLLER, legs=legs), load_routines())


def tiny_plan(legs: tuple[Leg, ...] = (Leg.LEFT, Leg.RIGHT)) -> Plan:
    """The real plan's steps, with seconds cut down so a whole session takes seconds."""
    short = {
        StepKind.POSITION: 4,
        StepKind.SWITCH: 4,
        StepKind.PASSES: 8,
        StepKind.HOLD: 5,
        StepKind.ACTIVE_RELEASE: 5,
        StepKind.PRESSURE: 5,
        StepKind.STROKES: 8,
    }
    calves = tuple(
        replace(
            calf,
            steps=tuple(replace(s, seconds=short[s.kind]) for s in calf.steps),
            seconds=sum(short[s.kind] for s in calf.steps if s.kind.counted),
        )
        for calf in full_plan(legs).calves
    )
    return replace(full_plan(legs), calves=calves)


def coach(
    plan: Plan,
    script: list[tuple[float, str]],
    *,
    tick: bool = False,
    start_screen: bool = False,
    frames: list[tuple[float, SessionView]] | None = None,
) -> tuple[dict[str, Any], RecordedSounds]:
    """Run the coach on a fake clock; script times are seconds since the start."""
    clock = FakeClock(START)
    sounds = RecordedSounds(lambda: clock() - START)
    keys = ScriptedKeys([(START + t, k) for t, k in script], clock, clock.advance)
    console = Console(file=io.StringIO(), width=80, height=24)

    def record(t: float, view: SessionView) -> None:
        if frames is not None:
            frames.append((t, view))

    result = run_coach(
        plan,
        clock=clock,
        keys=keys,
        console=console,
        voice=True,
        tick=tick,
        sounds=sounds,
        sharp_pain_advice=ADVICE,
        start_screen=start_screen,
        on_frame=record,
    )
    return result, sounds


def without_coach_keys(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("started", "voice")}


# -- the big countdown ---------------------------------------------------------------------


def test_big_digits_read_back_for_every_time_shown() -> None:
    for seconds in range(0, 10 * 60):
        text = clock_text(seconds)
        rows = big_text(text)
        assert len(rows) == BIG_ROWS
        assert read_big(rows) == text
        assert read_big([row + "    left in this step" for row in rows]) == text


def test_countdown_rounds_up_so_3_shows_until_the_spoken_3() -> None:
    assert shown_seconds(3.0) == 3
    assert shown_seconds(2.001) == 3
    assert shown_seconds(2.0) == 2
    assert shown_seconds(0.0) == 0
    assert shown_seconds(-0.5) == 0


# -- the screen at 80x24 --------------------------------------------------------------------


def screen(frame: Frame) -> list[str]:
    console = Console(record=True, width=80, height=24, file=io.StringIO(), color_system=None)
    console.print(render_frame(frame, 80, 24))
    return console.export_text().splitlines()


def frame_at(plan: Plan, events: list[tuple[float, EventKind]], t: float) -> Frame:
    engine = SessionEngine(plan, sharp_pain_advice=ADVICE)
    for at, kind in events:
        engine.apply(kind, at)
    view = engine.view(t)
    calves = tuple(calf_record(c) for c in engine.calf_summaries())
    return Frame(plan=plan, view=view, calves=calves)


def big_on(lines: list[str]) -> str | None:
    for i in range(len(lines) - BIG_ROWS + 1):
        rows = [line[2:] for line in lines[i : i + BIG_ROWS]]
        found = read_big(rows)
        if found and ":" in found:
            return found
    return None


def test_passes_screen_fits_80x24_and_shows_everything_at_a_glance() -> None:
    lines = screen(frame_at(full_plan(), [], 10 + 12.4))
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    text = "\n".join(lines)
    assert "ROLLING PASSES  left calf" in text
    assert "LEFT CALF · step 2 of 8" in text
    assert big_on(lines) == "0:33"  # 45 - 12.4 = 32.6 left, shown rounded up
    assert "left in this step" in text
    assert "just above the ankle up to the back of the knee" in text  # the cue
    pace = next(line for line in lines if "pace" in line and "ankle" in line)
    assert "knee" in pace and "●" in pace
    assert "left  calf" in text and "right calf" in text and "session" in text
    assert "0:12 of 2:30" in text  # the left calf's time
    assert "0:22 of 5:20" in text  # the whole session's time
    assert "SPACE" in text and "tender spot" in text and "quit" in text
    assert lines[-1].startswith(" x = SHARP PAIN: stop now")


def test_pace_marker_moves_ankle_to_knee_and_back() -> None:
    def marker(t: float) -> int:
        lines = screen(frame_at(full_plan(), [], 10 + t))
        pace = next(line for line in lines if "pace" in line and "ankle" in line)
        return pace.index("●")

    ankle, middle, knee, back = marker(0.0), marker(2.0), marker(4.0), marker(6.0)
    assert ankle < middle < knee  # 15 rolls a minute: 4 s from ankle to knee
    assert back == middle


def test_hold_screen_counts_down_to_may_release_then_to_the_end() -> None:
    events = [(20.0, EventKind.TENDER_SPOT)]
    lines = screen(frame_at(full_plan(), events, 20 + 12.5))
    text = "\n".join(lines)
    assert "HOLD THE TENDER SPOT" in text
    assert big_on(lines) == "0:18"
    assert "until you may release" in text
    assert "SPACE  release" in text
    assert "no rolling during a hold" in text
    lines = screen(frame_at(full_plan(), events, 20 + 40))
    text = "\n".join(lines)
    assert big_on(lines) == "0:20"
    assert "You may release now" in text


def test_paused_screen_says_so_and_how_to_go_on() -> None:
    lines = screen(frame_at(full_plan(), [(3.0, EventKind.PAUSE)], 30.0))
    text = "\n".join(lines)
    assert "PAUSED" in lines[0]
    assert "Press p to go on" in text
    assert "p  resume" in text
    assert big_on(lines) == "0:07"  # time stood still at 3 s of the 10 s get-ready


def test_start_screen_lists_the_plan_keys_and_how_to_start() -> None:
    console = Console(record=True, width=80, height=24, file=io.StringIO(), color_system=None)
    console.print(render_start(full_plan(), ["a note"], voice=False, tick=True))
    text = console.export_text()
    assert len(text.splitlines()) <= 24
    assert "Press SPACE to start" in text
    assert "SHARP PAIN" in text
    assert "Note: a note" in text
    assert "tick" in text


def test_start_screen_says_when_the_voice_asked_for_is_missing() -> None:
    """Said before the session (one line), not after it as it once was."""
    console = Console(record=True, width=80, height=24, file=io.StringIO(), color_system=None)
    console.print(render_start(full_plan(), ["a note"], voice=False, tick=True, voice_missing=True))
    text = console.export_text()
    assert len(text.splitlines()) <= 24
    lines = [line for line in text.splitlines() if "espeak-ng" in line]
    assert lines == [" --voice: espeak-ng is not installed, so the cues are text only."]


# -- the loop ------------------------------------------------------------------------------


def test_a_session_without_keys_is_the_engine_played_out() -> None:
    plan = tiny_plan()
    result, sounds = coach(plan, [])
    assert result["outcome"] == "completed"
    assert without_coach_keys(result) == replay(plan, [], sharp_pain_advice=ADVICE)
    said = sounds.said()
    cues = [s.cue for calf in plan.calves for s in calf.steps]
    assert [s for s in said if s in cues] == cues  # every cue, in order
    assert said.count("3") == said.count("2") == said.count("1") == len(cues)
    assert said[-1] == "Session complete. Well done."


def test_keys_become_the_engines_events_at_the_clock_time() -> None:
    plan = tiny_plan()
    script = [(1.5, "n"), (3.25, " "), (5.0, "p"), (9.0, "p"), (10.5, " "), (12.0, "x")]
    result, sounds = coach(plan, script)
    events = [
        Event(1.5, EventKind.SKIP),
        Event(3.25, EventKind.TENDER_SPOT),
        Event(5.0, EventKind.PAUSE),
        Event(9.0, EventKind.RESUME),
        Event(10.5, EventKind.RELEASE),
        Event(12.0, EventKind.SHARP_PAIN),
    ]
    assert without_coach_keys(result) == replay(plan, events, sharp_pain_advice=ADVICE)
    assert result["outcome"] == "stopped_sharp_pain"
    assert result["advice"] == ADVICE
    assert result["calves"][0]["holds"] == [{"start": 3.25, "end": 10.5, "seconds": 3.25}]
    assert "Hold here." in sounds.said()
    assert sounds.said()[-1].startswith("Stop now.")


def test_a_hold_rings_and_says_may_release_at_30_s_and_ends_itself_at_60() -> None:
    plan = full_plan((Leg.RIGHT,))
    result, sounds = coach(plan, [(0.0, "n"), (1.0, " "), (70.0, "q")])
    assert result["calves"][0]["holds"][0]["seconds"] == 60.0
    timed = [(round(t, 2), kind, text) for t, kind, text in sounds.events]
    assert (31.0, "say", "You may release now.") in timed
    assert (31.0, "bell", "") in timed
    assert (61.0, "bell", "") in timed  # hold_end (timeout)
    assert (61.0, "say", "Roll on.") in timed
    assert result["outcome"] == "quit"


def test_the_big_number_changes_exactly_when_due_not_a_frame_late() -> None:
    frames: list[tuple[float, SessionView]] = []
    coach(tiny_plan((Leg.LEFT,)), [(6.0, "q")], frames=frames)
    shown = [(t, shown_seconds(v.step_left)) for t, v in frames if v.step is not None]
    changes = [t for (t, s), (_, before) in zip(shown[1:], shown, strict=False) if s != before]
    assert changes
    for t in changes:  # the get-ready 4 s, then passes: every change within 1 ms of a second
        assert abs(t - round(t)) <= 0.001


def test_the_clock_runs_at_least_at_the_frame_rate_while_rolling() -> None:
    frames: list[tuple[float, SessionView]] = []
    coach(tiny_plan((Leg.LEFT,)), [(0.0, "n"), (6.0, "q")], frames=frames)
    times = [t for t, _ in frames]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) <= 1 / 15 + 1e-6


def test_tick_rings_at_each_end_of_a_pass() -> None:
    plan = full_plan((Leg.LEFT,))
    result, sounds = coach(plan, [(0.0, "n"), (17.0, "q")], tick=True)
    bells = [round(t, 2) for t, kind, _ in sounds.events if kind == "bell"]
    # 15 rolls a minute: the marker turns at the knee every 4 s from the start of passes
    assert bells == [4.0, 8.0, 12.0, 16.0]
    assert result["outcome"] == "quit"


def test_cues_missed_while_suspended_are_not_played_late() -> None:
    """A clock jump (the process was stopped) skips the countdown it jumped over."""
    clock = FakeClock(START)
    sounds = RecordedSounds(lambda: clock() - START)

    class Jumpy:
        def __init__(self) -> None:
            self.reads = 0

        def read(self, timeout: float) -> str | None:
            self.reads += 1
            if self.reads == 3:
                clock.advance(9.0)  # stopped for 9 s: past the get-ready's "3" and "2"
                return None
            clock.advance(timeout)
            return "q" if clock() - START > 9.5 else None

    console = Console(file=io.StringIO(), width=80, height=24)
    plan = full_plan((Leg.LEFT,))
    run_coach(
        plan,
        clock=clock,
        keys=Jumpy(),
        console=console,
        voice=True,
        tick=False,
        sounds=sounds,
        sharp_pain_advice=ADVICE,
        start_screen=False,
    )
    said = sounds.said()
    assert "3" not in said and "2" not in said
    assert "1" in said  # due 0.13 s before the clock was read again: still on time
    assert said[0] == plan.calves[0].steps[0].cue


def test_leaving_at_the_start_screen_runs_no_session() -> None:
    result, _ = coach(tiny_plan(), [(0.0, "q")], start_screen=True)
    assert result["started"] is False
    assert result["outcome"] == "quit"
    assert result["duration_seconds"] == 0.0
    text = render_text(summary_renderable(result))
    assert "No session" in text


def test_the_start_screen_waits_for_space() -> None:
    result, _ = coach(tiny_plan(), [(0.0, "z"), (0.0, " "), (0.5, "x")], start_screen=True)
    assert result["started"] is True
    assert result["outcome"] == "stopped_sharp_pain"


def test_ctrl_c_ends_the_session_as_quit_and_carries_the_summary() -> None:
    clock = FakeClock(START)

    class CtrlC:
        def read(self, timeout: float) -> str | None:
            clock.advance(timeout)
            if clock() - START > 5:
                raise KeyboardInterrupt
            return None

    with pytest.raises(CoachInterrupted) as caught:
        run_coach(
            tiny_plan(),
            clock=clock,
            keys=CtrlC(),
            console=Console(file=io.StringIO(), width=80, height=24),
            voice=False,
            tick=False,
            sounds=RecordedSounds(),
            sharp_pain_advice=ADVICE,
            start_screen=False,
        )
    assert caught.value.result["outcome"] == "quit"
    assert 5 <= caught.value.result["duration_seconds"] <= 5.1


def test_keyboard_gone_ends_as_quit_and_on_finish_gets_the_summary() -> None:
    clock = FakeClock(START)
    seen: list[dict[str, Any]] = []

    class Gone:
        def read(self, timeout: float) -> str | None:
            clock.advance(timeout)
            if clock() - START > 2:
                raise KeysClosed
            return None

    result = run_coach(
        tiny_plan(),
        clock=clock,
        keys=Gone(),
        console=Console(file=io.StringIO(), width=80, height=24),
        voice=False,
        tick=False,
        on_finish=seen.append,
        sounds=RecordedSounds(),
        sharp_pain_advice=ADVICE,
        start_screen=False,
    )
    assert result["outcome"] == "quit"
    assert seen == [result]
    json.dumps(result)  # ready to be saved as it is


def test_wait_is_never_longer_than_a_frame_and_never_negative() -> None:
    engine = SessionEngine(full_plan(), sharp_pain_advice=ADVICE)
    for tenth in range(0, 3000, 7):
        wait = wait_seconds(engine.view(tenth / 10), 1 / 15)
        assert 0 <= wait <= 1 / 15


# -- the summary -----------------------------------------------------------------------------


def render_text(renderable: Any) -> str:
    console = Console(record=True, width=80, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def test_summary_has_time_per_calf_holds_outcome_and_the_advice_last() -> None:
    plan = full_plan()
    events = [
        Event(12.0, EventKind.TENDER_SPOT),
        Event(50.0, EventKind.RELEASE),
        Event(70.0, EventKind.SHARP_PAIN),
    ]
    result = replay(plan, events, sharp_pain_advice=ADVICE)
    text = render_text(summary_renderable(result))
    assert "left" in text and "1:00 (2:30)" in text
    assert "1 (38 s)" in text
    assert "STOPPED: sharp pain" in text
    assert "SHARP PAIN: STOP" in text
    assert text.rindex("professional advice") > text.index("Outcome")


# -- a plan from a file under today's screening ----------------------------------------------


class _Result:
    def __init__(self, legs: dict[Leg, LegStatus], wanted: tuple[Leg, ...]) -> None:
        self.legs = legs
        self.verdict = Level.OK

        class _Answers:
            pass

        self.answers = _Answers()
        self.answers.legs = wanted  # type: ignore[attr-defined]


def test_a_file_plan_loses_the_calves_the_screening_rules_out() -> None:
    ok = LegStatus(Level.OK, True, True)
    avoid = LegStatus(Level.AVOID, False, False)
    fitted, notes = fit_plan(
        full_plan(), _Result({Leg.LEFT: avoid, Leg.RIGHT: ok}, (Leg.LEFT, Leg.RIGHT)), ""
    )
    assert [c.leg for c in fitted.calves] == [Leg.RIGHT]
    assert notes == ["left calf left out: the screening says avoid."]


def test_a_file_plan_that_is_not_gentle_enough_is_refused() -> None:
    caution = LegStatus(Level.CAUTION, True, False)
    result = _Result({Leg.LEFT: caution, Leg.RIGHT: caution}, (Leg.LEFT, Leg.RIGHT))
    with pytest.raises(PlanBlocked, match="gentle"):
        fit_plan(full_plan(), result, "Be gentle.")
    gentle = replace(full_plan(), intensity=Intensity.GENTLE)
    fitted, _ = fit_plan(gentle, result, "")
    assert len(fitted.calves) == 2


# -- the command's checks (no terminal here) ---------------------------------------------------


def test_without_a_terminal_the_coach_says_to_use_replay(tmp_path: Any) -> None:
    done = run_cli(
        "session", "--tool", "ball", "--screening", "tests/data/plans/screening_ok_both.json"
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "--replay" in done.stderr


def test_bad_options_are_named_before_anything_else() -> None:
    done = run_cli("session", "--tool", "spoon", "--seconds-per-calf", "500")
    assert done.returncode == 2
    assert "--tool" in done.stderr and "--seconds-per-calf" in done.stderr


def test_plan_and_options_together_are_refused() -> None:
    done = run_cli("session", "--plan", "x.json", "--tool", "ball")
    assert done.returncode == 2
    assert "either --plan or the plan options (--tool)" in done.stderr


# -- sounds ------------------------------------------------------------------------------------


def test_voice_runs_the_speech_program_without_waiting_and_bell_writes_bel(tmp_path: Any) -> None:
    from calfcare.cli.coach_io import TerminalSounds

    said = tmp_path / "said.txt"
    program = tmp_path / "fake-espeak"
    program.write_text(f'#!/bin/sh\necho "$@" >> {said}\n')
    program.chmod(0o755)
    written: list[str] = []
    sounds = TerminalSounds(written.append, voice=True, command=str(program))
    assert sounds.speaking_enabled
    sounds.say("Hold here.")
    assert sounds._speaking is not None
    sounds._speaking.wait(5)
    assert said.read_text().strip() == "-s 155 Hold here."
    sounds.bell()
    assert written == ["\a"]
    quiet = TerminalSounds(written.append, voice=False, command=str(program))
    assert not quiet.speaking_enabled
    quiet.say("nothing")
    missing = TerminalSounds(written.append, voice=True, command="no-such-speech-program")
    assert not missing.speaking_enabled


def test_the_tender_spot_prompt_shows_its_answer_keys_as_written() -> None:
    """Rich markup once turned "[l]ower/[m]iddle/[u]pper + [i]nner/[o]uter" into
    "ower/iddle/pper + nner/uter": the prompt as a person reads it."""
    import io

    from rich.console import Console

    from calfcare.cli.coach_save import ask_tender_spots

    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=True, color_system=None)
    result = {"calves": [{"leg": "left", "holds": [{"start": 65}]}]}
    spots = ask_tender_spots(console, result, iter(["mo\n"]).__next__)
    assert [(s.leg.value, s.height.value, s.side.value) for s in spots] == [
        ("left", "middle", "outer")
    ]
    assert "Tender spot on your left calf at 1:05 — where? " in out.getvalue()
    assert "[l]ower/[m]iddle/[u]pper + [i]nner/[o]uter (e.g. 'mo'), Enter to skip: " in (
        out.getvalue()
    )


def test_a_soreness_digit_that_is_no_number_is_asked_again() -> None:
    """A "²" is a digit to Python but no int: the question comes again, no traceback."""
    from calfcare.cli.coach_save import ask_soreness

    replies = iter(["²\n", "11\n", "3\n"])
    out = io.StringIO()
    scores = ask_soreness(Console(file=out, width=100), [Leg.LEFT], "now", lambda: next(replies))
    assert scores == {"left": 3}
    assert out.getvalue().count("Please type a whole number from 0 to 10") == 2
