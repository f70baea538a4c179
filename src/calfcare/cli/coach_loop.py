"""The live coach's loop: one turn per frame or key, everything shown from the engine.

`calfcare.cli.coach.run_coach` sets it up (the clock, keys, console, sounds injected) and runs
it. Each turn: catch up after Ctrl-Z, say what is new on the timeline, draw the frame, then
wait for a key or the next frame (`wait_seconds`: sooner when the big number or the pace
marker is due to change, so neither changes a frame late).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.live import Live

from calfcare.cli.coach_io import Clock, KeySource, Sounds
from calfcare.cli.coach_view import Frame, countdown, render_frame, shown_seconds
from calfcare.core.records import calf_record
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind, SessionView

FRAME_RATE = 15.0
"""Frames a second while the session runs (the pace marker moves smoothly at this rate)."""
STALE_CUE_SECONDS = 1.0
"""Timeline entries older than this when noticed (the process was suspended) stay silent."""
MESSAGE_SECONDS = 2.5


_IGNORED = {
    "not_passes": "SPACE marks a tender spot only while rolling (during passes).",
    "paused": "Paused: press p to go on first.",
    "holding": "Already holding: SPACE again releases.",
}


class CoachLoop:
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
            key = self.keys.read(wait_seconds(view, self.frame_seconds))
            if key is not None:
                self._press(key, self.now())

    def _draw(self, view: SessionView, now: float) -> None:
        if self.redraw:
            self.console.clear()
            self.redraw = False
        calves = tuple(calf_record(c) for c in self.engine.calf_summaries())
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
            sound_for(entry, self.sounds)
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


def wait_seconds(view: SessionView, frame_seconds: float) -> float:
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


def sound_for(entry: dict[str, Any], sounds: Sounds) -> None:
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
