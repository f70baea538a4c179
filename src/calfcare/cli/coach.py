"""`calfcare session` without `--replay`: the live terminal coach.

An adapter around the session engine (`calfcare.core.session.SessionEngine`), which keeps
every rule. The loop here only:

- reads single keys without blocking and turns them into the engine's events, applied at
  ``now = clock() - start`` (a monotonic clock);
- draws ``engine.view(now)`` full screen with Rich ``Live`` (no auto refresh: a frame at about
  15 Hz, and one exactly when the big countdown's number is due to change). The time shown
  is computed from the clock at each frame, never by counting sleeps or frames, so it
  cannot drift;
- turns the timeline entries that appeared since the last frame into sounds and speech
  (entries more than a second old, e.g. after Ctrl-Z, are not played late).

`run_coach` is the loop, with the clock, keys, console and sounds injected (tests drive it on
a fake clock); `coach_command` is the command: checks, screening, plan, loop, summary.
"""

from __future__ import annotations

import sys
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
    TerminalKeys,
    TerminalSounds,
    terminal_guard,
)
from calfcare.cli.coach_save import session_result_words
from calfcare.cli.coach_view import (
    CalfProgress,
    Frame,
    clock_text,
    countdown,
    render_frame,
    render_start,
    shown_seconds,
)
from calfcare.cli.console import Console as CliConsole
from calfcare.core.errors import InvalidInput, PlanBlocked, Problem
from calfcare.core.routine import Plan
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind, SessionView

FRAME_RATE = 15.0
"""Frames a second while the session runs (the pace marker moves smoothly at this rate)."""
STALE_CUE_SECONDS = 1.0
"""Timeline entries older than this when noticed (the process was suspended) stay silent."""
MESSAGE_SECONDS = 2.5

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


class _Coach:
    """The loop's state and its turns (everything shown comes from the engine)."""

    def __init__(
        self,
        engine: SessionEngine,
        *,
        clock: Clock,
        keys: KeySource,
        console: Console,
        live: Live,
        sounds: Sounds,
        speaking: bool,
        tick: bool,
        frame_rate: float,
        on_frame: Callable[[float, SessionView], None] | None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.keys = keys
        self.console = console
        self.live = live
        self.sounds = sounds
        self.speaking = speaking
        self.tick = tick
        self.frame_seconds = 1.0 / frame_rate
        self.on_frame = on_frame
        self.start = 0.0
        self.last_t = 0.0
        self.heard = 0
        self.message = ""
        self.message_until = -1.0
        self.last_direction: str | None = None
        self.last_step: int | None = None
        self.suspended_at: float | None = None
        self.redraw = False

    def now(self) -> float:
        """Seconds since the start, from the clock, never going backwards."""
        self.last_t = max(self.last_t, self.clock() - self.start)
        return self.last_t

    def flash(self, text: str, t: float, seconds: float = MESSAGE_SECONDS) -> None:
        self.message = text
        self.message_until = t + seconds

    # -- Ctrl-Z ------------------------------------------------------------------------------

    def on_suspend(self) -> None:
        self.suspended_at = self.clock() - self.start
        restore = getattr(self.keys, "restore", None)
        if restore is not None:
            restore()
        self.console.set_alt_screen(False)
        self.console.show_cursor(True)

    def on_resume(self) -> None:
        enter = getattr(self.keys, "enter", None)
        if enter is not None:
            enter()
        self.console.set_alt_screen(True)
        self.console.show_cursor(False)
        self.redraw = True

    def _catch_up_after_suspend(self) -> None:
        """Ctrl-Z pauses the session at the moment of the suspension."""
        if self.suspended_at is None:
            return
        at = max(self.suspended_at, self.last_t)
        self.suspended_at = None
        if self.engine.outcome is None and not self.engine.view(at).paused:
            self.engine.apply(EventKind.PAUSE, at)
            self.flash("Paused while calfcare was suspended (Ctrl-Z). Press p to go on.", at, 8)

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        """Turns until the session ends: draw, then wait for a key or the next frame."""
        self.start = self.clock()
        while True:
            self._catch_up_after_suspend()
            now = self.now()
            view = self.engine.view(now)
            self._announce(view, now)
            self._draw(view, now)
            if self.engine.outcome is not None:
                return
            key = self.keys.read(_wait(view, self.frame_seconds))
            if key is not None:
                self._press(key, self.now())

    def _draw(self, view: SessionView, now: float) -> None:
        if self.redraw:
            self.console.clear()
            self.redraw = False
        calves = tuple(
            CalfProgress(c["leg"], c["active_seconds"], c["planned_seconds"])
            for c in self.engine.calf_summaries()
        )
        message = self.message if now < self.message_until else ""
        frame = Frame(
            plan=self.engine.plan, view=view, calves=calves, message=message, voice=self.speaking
        )
        self.live.update(render_frame(frame, self.console.width, self.console.height))
        self.live.refresh()
        if self.on_frame is not None:
            self.on_frame(now, view)

    def _press(self, key: str, now: float) -> None:
        """A key becomes the engine's event (the engine decides whether it fits the moment)."""
        engine = self.engine
        view = engine.view(now)
        event: EventKind | None
        if key == " ":
            event = EventKind.RELEASE if view.holding else EventKind.TENDER_SPOT
        elif key in ("p", "P"):
            event = EventKind.RESUME if view.paused else EventKind.PAUSE
        elif key in ("n", "N"):
            event = EventKind.SKIP
        elif key in ("x", "X"):
            event = EventKind.SHARP_PAIN
        elif key in ("q", "Q"):
            event = EventKind.QUIT
        else:
            self.flash("Keys: SPACE tender spot, p pause, n skip, q quit, x SHARP PAIN.", now)
            return
        before = len(engine.ignored_events)
        engine.apply(event, now)
        if len(engine.ignored_events) > before:
            reason = engine.ignored_events[-1]["reason"]
            self.flash(_IGNORED.get(reason, "That key does nothing right now."), now)
        elif event is EventKind.SKIP:
            self.flash("Hold ended: roll on." if view.holding else "Step skipped.", now, 1.5)

    def _announce(self, view: SessionView, now: float) -> None:
        """Sounds and speech for the timeline entries new since the last frame."""
        timeline = self.engine.timeline
        fresh = timeline[self.heard :]
        self.heard = len(timeline)
        for entry in fresh:
            if entry["t"] < now - STALE_CUE_SECONDS and entry["type"] != "session_end":
                continue
            _sound_for(entry, self.sounds)
        direction = view.pace_direction
        turned = (
            view.step_index == self.last_step
            and direction is not None
            and self.last_direction is not None
            and direction != self.last_direction
        )
        if self.tick and turned:
            self.sounds.bell()
        self.last_direction = direction
        self.last_step = view.step_index


_IGNORED = {
    "not_passes": "SPACE marks a tender spot only while rolling (during passes).",
    "paused": "Paused: press p to go on first.",
    "holding": "Already holding: SPACE again releases.",
}


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
    coach = _Coach(
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


def _wait(view: SessionView, frame_seconds: float) -> float:
    """Seconds until the next frame: the frame time, or sooner when the big number or the
    pace marker's direction is due to change (so both change on time, not a frame late)."""
    if view.paused or view.outcome is not None:
        return frame_seconds
    left, _ = countdown(view)
    wait = frame_seconds
    if left > 0:
        wait = min(wait, left - shown_seconds(left) + 1 + 0.0005)
    step = view.step
    if view.pace_position is not None and step is not None and step.pace_per_minute:
        roll = 60 / step.pace_per_minute
        to_turn = 1 - view.pace_position if view.pace_direction == "up" else view.pace_position
        wait = min(wait, to_turn * roll + 0.0005)
    return max(0.0, wait)


def _sound_for(entry: dict[str, Any], sounds: Sounds) -> None:
    kind = entry["type"]
    if kind == "step_start":
        sounds.say(entry["cue"])
    elif kind == "countdown":
        sounds.say(str(entry["remaining"]))
    elif kind == "hold_start":
        sounds.say("Hold here.")
    elif kind == "hold_may_release":
        sounds.bell()
        sounds.say("You may release now.")
    elif kind == "hold_end":
        if entry["reason"] in ("release", "timeout", "calf_limit", "skip"):
            sounds.bell()
            if entry["reason"] != "calf_limit":
                sounds.say("Roll on.")
    elif kind == "step_end":
        if entry["reason"] in ("done", "calf_limit"):
            sounds.bell()
    elif kind == "session_end":
        if entry["outcome"] == "completed":
            sounds.bell()
            sounds.say("Session complete. Well done.")
        elif entry["outcome"] == "stopped_sharp_pain":
            sounds.bell()
            sounds.say("Stop now. Sharp pain: seek professional advice before massaging again.")


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


# -- the command -------------------------------------------------------------------------------


def coach_command(
    *,
    plan_file: str | None,
    options: dict[str, str | None],
    screening_file: str | None,
    voice: bool,
    tick: bool,
    save: bool = True,
    db: str | None = None,
) -> dict[str, Any]:
    """The live coach as a command: check the input, screen, plan, coach, summarise, and
    (unless ``save`` is off) save the session with the soreness check-in."""
    raw = {name: value for name, value in options.items() if value is not None}
    if plan_file is not None and raw:
        from calfcare.cli.plan import OPTION_NAMES

        named = ", ".join(OPTION_NAMES.get(name, name) for name in raw)
        raise InvalidInput(
            [Problem("--plan", f"give either --plan or the plan options ({named}), not both")],
            "The session cannot start.",
        )
    if plan_file is None and "tool" not in raw:
        raise InvalidInput(
            [Problem("--tool", "required (foam-roller, ball or hands), or give --plan FILE")],
            "The session cannot start.",
        )
    if plan_file == "-" or screening_file == "-":
        raise InvalidInput(
            [
                Problem(
                    "--plan" if plan_file == "-" else "--screening",
                    "the live coach reads "
                    "the keyboard on standard input, so files cannot come from '-'",
                )
            ],
            "The session cannot start.",
        )
    file_plan, parsed_options = _read_plan_input(plan_file, raw)
    from calfcare.cli.safety_gate import refuse_during_hold

    refuse_during_hold(db)  # a hold stops the coach before any question, advice first
    not_tty = [
        name
        for name, stream in (("input", sys.stdin), ("output", sys.stdout))
        if not stream.isatty()
    ]
    if not_tty:
        raise InvalidInput(
            [Problem("terminal", f"standard {' and '.join(not_tty)} is not a terminal")],
            "The live coach needs a terminal; use --replay for scripted sessions.",
        )
    made, notes, screening_id = _screened_plan(
        file_plan, parsed_options, screening_file, db=db, save=save
    )
    console = CliConsole(highlight=False)
    store = None
    before: dict[str, int] = {}
    if save:
        from calfcare.cli.coach_save import ask_soreness
        from calfcare.cli.db import open_cli_store

        store = open_cli_store(db)  # a database problem shows now, not after the session
        before = ask_soreness(console, [calf.leg for calf in made.calves], "right now")
    keys = TerminalKeys()
    import time

    try:
        with keys:
            result = run_coach(
                made,
                clock=time.monotonic,
                keys=keys,
                console=console,
                voice=voice,
                tick=tick,
                notes=notes,
            )
    except CoachInterrupted as interrupted:
        print_summary(interrupted.result, console)
        if store is not None and interrupted.result.get("started"):
            _save(store, made, interrupted.result, screening_id, before, console)
        raise
    print_summary(result, console)
    if store is not None and result.get("started"):
        _save(store, made, result, screening_id, before, console)
    return result


def _save(
    store: Any,
    made: Plan,
    result: dict[str, Any],
    screening_id: str | None,
    before: dict[str, int],
    console: Console,
) -> None:
    from datetime import UTC, datetime

    from calfcare.cli.coach_save import save_live_session

    try:
        save_live_session(
            store,
            plan=made,
            result=result,
            screening_report=None,
            screening_id=screening_id,
            before=before,
            console=console,
            now=lambda: datetime.now(UTC),
        )
    finally:
        store.close()


def _read_plan_input(plan_file: str | None, raw: dict[str, str]) -> tuple[Plan | None, Any]:
    """The plan file, or the checked plan options: every problem is named before screening."""
    if plan_file is not None:
        from calfcare.cli.inputs import read_json
        from calfcare.core.plan_json import parse_plan

        return parse_plan(read_json(plan_file, "--plan")), None
    from calfcare.cli.plan import OPTION_NAMES
    from calfcare.core.planner import parse_plan_options

    defaults = {"legs": "left,right", "seconds_per_calf": "150", "intensity": "standard"}
    try:
        return None, parse_plan_options({**defaults, **raw})
    except InvalidInput as error:
        named = [Problem(OPTION_NAMES.get(p.field, p.field), p.message) for p in error.problems]
        raise InvalidInput(named, error.message) from None


def _screened_plan(
    file_plan: Plan | None, options: Any, screening_file: str | None, *, db: str | None, save: bool
) -> tuple[Plan, list[str], str | None]:
    """Screen (from the file, or by asking) and record it, then plan or fit the given plan to
    today's safety state (`calfcare.cli.safety_gate`) and the screening, the stricter first."""
    from calfcare.cli.render import print_verdict
    from calfcare.content.routines import load_routines
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.levels import Level
    from calfcare.core.planner import plan
    from calfcare.core.report import screening_report
    from calfcare.core.screening import screen

    text = load_screening_text()
    questionnaire = None
    if screening_file is not None:
        from calfcare.cli.inputs import read_json

        answers = parse_answers(read_json(screening_file, "--screening"))
    else:
        from calfcare.cli.screen import ask_interactively

        questionnaire = ask_interactively(text)
        answers = questionnaire.answers()
    result = screen(answers)
    advice = text.advice_for(result)
    report = screening_report(result, text)
    err = CliConsole(stderr=True, highlight=False)
    try:
        from calfcare.cli.safety_gate import ask_pain_checks, coach_gate, plan_under_state

        state, screening_id = coach_gate(report, db=db, save=save)
        if result.verdict >= Level.URGENT:
            raise PlanBlocked(result.verdict.value, advice, [])
        legs = options.legs if file_plan is None else [c.leg for c in file_plan.calves]
        confirmed = ask_pain_checks(state, legs, db=db, save=save)
        if file_plan is None:
            options, first = plan_under_state(options, state, confirmed)
            made = plan(options, load_routines(), result, screening_advice=advice)
            return made, [*first, *made.notes], screening_id
        fitted, first = plan_under_state(file_plan, state, confirmed)
        made, notes = _fit_plan(fitted, result, advice)
        return made, [*first, *notes], screening_id
    except PlanBlocked:
        from calfcare.cli.screen import shown_report

        # (the advice is said again last by the refusal's own message: `PlanBlocked`)
        print_verdict(shown_report(report, questionnaire)[0], console=err)
        raise


def _fit_plan(made: Plan, result: Any, advice: str) -> tuple[Plan, list[str]]:
    """A plan from a file, under today's screening: calves it rules out are left out; a plan
    that is not gentle enough is refused (make a new one with the screening)."""
    from dataclasses import replace

    from calfcare.core.routine import Intensity

    notes: list[str] = []
    kept = []
    for calf in made.calves:
        status = result.legs.get(calf.leg) if calf.leg in result.answers.legs else None
        if status is None:
            notes.append(f"{calf.leg.value} calf left out: it was not part of the screening.")
        elif not status.massage_allowed:
            notes.append(
                f"{calf.leg.value} calf left out: the screening says {status.level.value}."
            )
        else:
            kept.append(calf)
    if not kept:
        raise PlanBlocked(result.verdict.value, advice, notes)
    if made.intensity is not Intensity.GENTLE and any(
        not result.legs[calf.leg].deep_work_allowed for calf in kept
    ):
        raise PlanBlocked(
            result.verdict.value,
            f"This plan is {made.intensity.value}, but today's screening allows gentle work "
            "only. Plan again with the screening (calfcare session --tool ... --screening "
            f"FILE) or with --intensity gentle. {advice}",
            notes,
        )
    return replace(made, calves=tuple(kept)), notes
