"""`calfcare session` without `--replay`: the live terminal coach.

An adapter around the session engine (`calfcare.core.session.SessionEngine`), which keeps
every rule. The loop (`calfcare.cli.coach_loop`) only:

- reads single keys without blocking and turns them into the engine's events, applied at
  ``now = clock() - start`` (a monotonic clock);
- draws ``engine.view(now)`` full screen with Rich ``Live`` (no auto refresh: a frame at about
  15 Hz, and one exactly when the big countdown's number is due to change). The time shown
  is computed from the clock at each frame, never by counting sleeps or frames, so it
  cannot drift;
- turns the timeline entries that appeared since the last frame into sounds and speech
  (entries more than a second old, e.g. after Ctrl-Z, are not played late).

`run_coach` runs one session, with the clock, keys, console and sounds injected (tests drive
it on a fake clock); the rooms around it: the loop's turns (`calfcare.cli.coach_loop`), the
frames (`calfcare.cli.coach_view`), the keyboard and sounds (`calfcare.cli.coach_io`), the
command and its checks (`calfcare.cli.coach_command`), the screening-and-plan gate
(`calfcare.cli.coach_gate`), the save (`calfcare.cli.coach_save`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from calfcare.cli.coach_io import (
    Clock,
    KeysClosed,
    KeySource,
    Sounds,
    TerminalSounds,
    terminal_guard,
)
from calfcare.cli.coach_loop import FRAME_RATE, CoachLoop
from calfcare.cli.coach_save import session_result_words
from calfcare.cli.coach_view import clock_text, render_start
from calfcare.core.routine import Plan
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind, SessionView

START_KEYS = {" "}
"""Only SPACE starts: an Enter typed ahead after the screening must not start the clock."""
LEAVE_KEYS = {"q", "Q", "x", "X"}

OUTCOME_WORDS = {
    "completed": "completed: well done",
    "stopped_sharp_pain": "STOPPED: sharp pain",
    "quit": "quit before the end",
    "abandoned": "abandoned while paused",
}


class CoachInterrupted(KeyboardInterrupt):
    """Ctrl-C during the session: the session is ended as `quit`; ``result`` has the summary."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__()
        self.result = result


def run_coach(
    plan: Plan,
    *,
    clock: Clock,
    keys: KeySource,
    console: Console,
    voice: bool,
    tick: bool,
    on_finish: Callable[[dict[str, Any]], None] | None = None,
    sounds: Sounds | None = None,
    sharp_pain_advice: str | None = None,
    notes: Sequence[str] = (),
    start_screen: bool = True,
    frame_rate: float = FRAME_RATE,
    on_frame: Callable[[float, SessionView], None] | None = None,
) -> dict[str, Any]:
    """Coach one session of ``plan`` on ``console``; return its summary.

    The summary is the replay output of docs/session-timeline.md (``outcome``,
    ``duration_seconds``, ``calves`` with their holds, ``timeline``, ``ignored_events``,
    ``advice`` on sharp pain) plus ``started`` (False when the person left at the start
    screen) and ``voice`` (whether speech was used). ``on_finish`` gets it too, before it is
    returned (a place to save the session). Ctrl-C ends the session as `quit` and raises
    `CoachInterrupted` carrying the summary. ``clock`` is read for every frame and key;
    ``on_frame(t, view)`` is called after each frame is drawn (for measurements).
    """
    from calfcare.core.replay import replay_json

    if sharp_pain_advice is None:
        from calfcare.content.routines import load_routines

        sharp_pain_advice = load_routines().sharp_pain_advice
    engine = SessionEngine(plan, sharp_pain_advice=sharp_pain_advice)
    if sounds is None:
        sounds = TerminalSounds(lambda _: console.bell(), voice=voice)
    speaking = bool(getattr(sounds, "speaking_enabled", voice))
    live = Live(
        console=console,
        screen=True,
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    coach = CoachLoop(
        engine,
        clock=clock,
        keys=keys,
        console=console,
        live=live,
        sounds=sounds,
        speaking=speaking,
        tick=tick,
        frame_rate=frame_rate,
        on_frame=on_frame,
    )
    started = not start_screen
    interrupted = False
    with terminal_guard(coach.on_suspend, coach.on_resume), live:
        try:
            if start_screen:
                started = _start_screen(
                    live, keys, console, plan, notes, speaking, tick, voice_missing=voice
                )
            if started:
                coach.run()
            else:
                engine.apply(EventKind.QUIT, 0.0)
        except KeysClosed:
            engine.apply(EventKind.QUIT, coach.now())
        except KeyboardInterrupt:
            interrupted = True
            if engine.outcome is None:
                engine.apply(EventKind.QUIT, coach.now())
    result = replay_json(engine)
    result["started"] = started
    result["voice"] = speaking
    if on_finish is not None:
        on_finish(result)
    if interrupted:
        raise CoachInterrupted(result)
    return result


def _start_screen(
    live: Live,
    keys: KeySource,
    console: Console,
    plan: Plan,
    notes: Sequence[str],
    voice: bool,
    tick: bool,
    *,
    voice_missing: bool,
) -> bool:
    """Show what is coming and wait for SPACE (True) or q/x (False)."""
    live.update(
        render_start(
            plan,
            notes,
            voice=voice,
            tick=tick,
            width=console.width,
            voice_missing=voice_missing and not voice,
        )
    )
    live.refresh()
    while True:
        key = keys.read(0.5)
        if key in START_KEYS:
            return True
        if key in LEAVE_KEYS:
            return False


# -- the summary -----------------------------------------------------------------------------


def summary_renderable(result: dict[str, Any]) -> RenderableType:
    """Time per calf, the tender-spot holds, the outcome; then, on sharp pain, the advice."""
    parts: list[RenderableType] = []
    advice: Panel | None
    if result.get("advice"):
        advice = Panel(
            Text(result["advice"], style="bold"),
            title=Text(" SHARP PAIN: STOP ", style="bold white on red"),
            border_style="red",
            padding=(1, 2),
        )
    else:
        advice = None
    outcome = result["outcome"]
    style = {"completed": "bold green", "stopped_sharp_pain": "bold red"}.get(outcome, "bold")
    if not result.get("started", True):
        parts.append(Text("No session: you left before starting.", style="bold"))
        return Group(*parts)
    table = Table(title="Session summary", title_justify="left", expand=False)
    table.add_column("calf", no_wrap=True)
    table.add_column("time (planned)", justify="right", no_wrap=True)
    table.add_column("tender-spot holds")
    for calf in result["calves"]:
        holds = calf["holds"]
        held = ", ".join(f"{h['seconds']:.0f} s" for h in holds) if holds else "none"
        if holds:
            held = f"{len(holds)} ({held})"
        table.add_row(
            f"{calf['leg']}",
            f"{clock_text(calf['active_seconds'])} ({clock_text(calf['planned_seconds'])})",
            held,
        )
    parts.append(table)
    paused = result.get("paused_seconds", 0.0)
    parts.append(
        Text.assemble(
            ("Outcome: ", "bold"),
            (session_result_words(result, OUTCOME_WORDS.get(outcome, outcome)), style),
            f"  ·  {clock_text(result['duration_seconds'])} in all",
            f" ({clock_text(paused)} paused)" if paused >= 1 else "",
        )
    )
    if advice is not None:
        parts.append(advice)
    return Group(*parts)


def print_summary(result: dict[str, Any], console: Console) -> None:
    console.print(summary_renderable(result))
