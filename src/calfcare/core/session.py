"""The session engine: a deterministic state machine on an injected clock.

The terminal coach, the web page (its JavaScript copy) and ``calfcare session --replay`` all
follow it, so its rules are few and exact (docs/session-timeline.md is their full statement,
and tests/data/session_vectors/ pins them): time is kept in whole milliseconds, every
automatic change happens at an exact instant, things due at the same instant happen in one
fixed order, and an event is applied only after everything due at or before its time.

The technique rules it keeps (routine contract): a calf gets its planned seconds, more only
through a tender-spot hold, never more than 180 s; a hold lasts until release, 60 s or the
calf's 180 s; paused time counts toward nothing; sharp pain stops everything at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from calfcare.core.routine import Plan, Step, StepKind
from calfcare.core.timeline import (
    CALF_MAX_MS,
    COUNTDOWN_AT,
    HOLD_MAX_MS,
    HOLD_MAY_RELEASE_MS,
    EventKind,
    Outcome,
    SessionView,
    pace_position,
    seconds,
    to_ms,
)

PACED = (StepKind.PASSES, StepKind.STROKES)
"""Steps with a pace guide when the plan gives them a pace: rolling passes and hands strokes
(a stroke goes up with the marker; the hands come back down lifted)."""


@dataclass(slots=True)
class _Hold:
    index: int
    start_ms: int
    held_ms: int = 0
    may_release_sent: bool = False


@dataclass(slots=True)
class _Calf:
    planned_ms: int
    active_ms: int = 0
    holds: list[tuple[int, int, int]] = field(default_factory=list)


class SessionEngine:
    """Runs one plan. Drive it with `apply` (the person's events) and `advance`/`view` (time).

    Times are seconds since the session started; they must never go backwards.
    """

    def __init__(self, plan: Plan, *, sharp_pain_advice: str) -> None:
        self.plan = plan
        self.sharp_pain_advice = sharp_pain_advice
        self.steps: list[tuple[int, Step]] = [
            (c, step) for c, calf in enumerate(plan.calves) for step in calf.steps
        ]
        if not self.steps:
            raise ValueError("a plan with no steps cannot be run")
        self.calves = [_Calf(planned_ms=calf.seconds * 1000) for calf in plan.calves]
        self.timeline: list[dict[str, Any]] = []
        self.ignored_events: list[dict[str, Any]] = []
        self.outcome: Outcome | None = None
        self.end_ms: int | None = None
        self.paused_ms = 0
        self.active_ms = 0
        self._now = 0
        self._index = 0
        self._left = 0
        self._pending: list[int] = []
        self._hold: _Hold | None = None
        self._paused = False
        self._start_step(0)

    # -- the public drive ---------------------------------------------------------------------

    def advance(self, t: float) -> None:
        """Let time run to ``t``, making every automatic change due by then."""
        self._run_until(self._checked(t))

    def apply(self, event: EventKind, t: float) -> None:
        """The person did ``event`` at ``t`` (after everything due at or before ``t``)."""
        self._run_until(self._checked(t))
        reason = self._refusal(event)
        if reason is not None:
            self.ignored_events.append(
                {"t": seconds(self._now), "event": event.value, "reason": reason}
            )
            return
        if event is EventKind.SHARP_PAIN or event is EventKind.QUIT:
            if self._hold is not None:
                self._end_hold(event.value)
            self._finish(
                Outcome.STOPPED_SHARP_PAIN if event is EventKind.SHARP_PAIN else Outcome.QUIT
            )
        elif event is EventKind.PAUSE:
            self._paused = True
            self._emit("pause")
        elif event is EventKind.RESUME:
            self._paused = False
            self._emit("resume")
        elif event is EventKind.TENDER_SPOT:
            self._hold = _Hold(self._index, self._now)
            self._emit("hold_start", index=self._index, leg=self._leg())
        elif event is EventKind.RELEASE:
            self._end_hold("release")
        elif event is EventKind.SKIP:
            if self._hold is not None:
                self._end_hold("skip")
            else:
                self._end_step("skip")

    def finish(self) -> None:
        """No more input: play the session out, or end it as abandoned if it is paused."""
        if self.outcome is not None:
            return
        if self._paused:
            if self._hold is not None:
                self._end_hold("abandoned")
            self._finish(Outcome.ABANDONED)
            return
        self._run_until(None)

    def view(self, t: float) -> SessionView:
        """What the person should see and hear at ``t`` (advances the engine to ``t``)."""
        self.advance(t)
        ended = self.outcome is not None
        c, step = self.steps[self._index]
        calf = self.calves[c]
        hold = self._hold
        following = self.steps[self._index + 1][1] if self._index + 1 < len(self.steps) else None
        position = direction = None
        if not ended and hold is None and step.kind in PACED and step.pace_per_minute:
            position, direction = pace_position(
                (step.seconds * 1000 - self._left) / 1000, step.pace_per_minute
            )
        return SessionView(
            t=seconds(self._now),
            outcome=self.outcome,
            paused=self._paused,
            step_index=None if ended else self._index,
            step=None if ended else step,
            leg=None if ended else self.plan.calves[c].leg,
            step_left=0.0 if ended else seconds(self._effective_left()),
            calf_elapsed=seconds(calf.active_ms),
            calf_planned=calf.planned_ms // 1000,
            session_elapsed=seconds(self.active_ms),
            session_planned=sum(s.seconds for _, s in self.steps),
            next_step=None if ended else following,
            holding=hold is not None,
            hold_seconds=seconds(hold.held_ms) if hold else 0.0,
            may_release=hold is not None and hold.held_ms >= HOLD_MAY_RELEASE_MS,
            pace_position=position,
            pace_direction=direction,
        )

    def calf_summaries(self) -> list[dict[str, Any]]:
        return [
            {
                "leg": plan_calf.leg.value,
                "planned_seconds": plan_calf.seconds,
                "active_seconds": seconds(calf.active_ms),
                "holds": [
                    {"start": seconds(a), "end": seconds(b), "seconds": seconds(h)}
                    for a, b, h in calf.holds
                ],
            }
            for plan_calf, calf in zip(self.plan.calves, self.calves, strict=True)
        ]

    # -- time -------------------------------------------------------------------------------

    def _checked(self, t: float) -> int:
        if not math.isfinite(t) or t < 0:
            raise ValueError(f"time must be a finite number of seconds, 0 or more, got {t}")
        t_ms = to_ms(t)
        if t_ms < self._now:
            raise ValueError(f"time went backwards: {t} s is before {seconds(self._now)} s")
        return t_ms

    def _run_until(self, t_ms: int | None) -> None:
        while self.outcome is None:
            due = self._next_due()
            if due is None or (t_ms is not None and due > t_ms):
                break
            self._elapse(due - self._now)
            self._fire_due()
        if t_ms is not None and t_ms > self._now and self.outcome is None:
            self._elapse(t_ms - self._now)

    def _elapse(self, dt: int) -> None:
        self._now += dt
        if self._paused:
            self.paused_ms += dt
            return
        self.active_ms += dt
        calf = self.calves[self.steps[self._index][0]]
        if self._hold is not None:
            self._hold.held_ms += dt
            calf.active_ms += dt
            return
        self._left -= dt
        if self.steps[self._index][1].kind.counted:
            calf.active_ms += dt

    def _cap_left(self) -> int:
        return CALF_MAX_MS - self.calves[self.steps[self._index][0]].active_ms

    def _effective_left(self) -> int:
        """The step's time left: its own, or less when the calf's 180 s come first."""
        if self.steps[self._index][1].kind.counted:
            return min(self._left, self._cap_left())
        return self._left

    def _next_due(self) -> int | None:
        if self.outcome is not None or self._paused:
            return None
        hold = self._hold
        if hold is not None:
            due = [HOLD_MAX_MS - hold.held_ms, self._cap_left()]
            if not hold.may_release_sent:
                due.append(HOLD_MAY_RELEASE_MS - hold.held_ms)
            return self._now + min(due)
        left = self._effective_left()
        due = [left] + [left - n * 1000 for n in self._pending if n * 1000 <= left]
        return self._now + min(due)

    def _fire_due(self) -> None:
        """Everything due now, in the fixed order of docs/session-timeline.md."""
        hold = self._hold
        if hold is not None:
            if not hold.may_release_sent and hold.held_ms >= HOLD_MAY_RELEASE_MS:
                hold.may_release_sent = True
                self._emit("hold_may_release", index=hold.index, leg=self._leg())
            if self._cap_left() <= 0:
                self._end_hold("calf_limit")
                self._end_step("calf_limit")
            elif hold.held_ms >= HOLD_MAX_MS:
                self._end_hold("timeout")
            return
        left = self._effective_left()
        for n in list(self._pending):
            if n * 1000 == left:
                self._pending.remove(n)
                self._emit("countdown", index=self._index, remaining=n)
        if self._left <= 0:
            self._end_step("done")
        elif self.steps[self._index][1].kind.counted and self._cap_left() <= 0:
            self._end_step("calf_limit")

    # -- transitions ----------------------------------------------------------------------

    def _start_step(self, index: int) -> None:
        self._index = index
        step = self.steps[index][1]
        self._left = step.seconds * 1000
        left = self._effective_left()
        self._pending = [n for n in COUNTDOWN_AT if n * 1000 < left]
        fields: dict[str, Any] = {
            "index": index,
            "leg": self._leg(),
            "kind": step.kind.value,
            "seconds": step.seconds,
            "cue": step.cue,
        }
        if step.pace_per_minute is not None:
            fields["pace_per_minute"] = step.pace_per_minute
        self._emit("step_start", **fields)

    def _end_step(self, reason: str) -> None:
        self._emit("step_end", index=self._index, reason=reason)
        c = self.steps[self._index][0]
        following = self._index + 1
        if self.calves[c].active_ms >= CALF_MAX_MS:
            while following < len(self.steps) and self.steps[following][0] == c:
                following += 1
        if following < len(self.steps):
            self._start_step(following)
        else:
            self._finish(Outcome.COMPLETED)

    def _end_hold(self, reason: str) -> None:
        hold = self._hold
        assert hold is not None
        self.calves[self.steps[hold.index][0]].holds.append(
            (hold.start_ms, self._now, hold.held_ms)
        )
        self._hold = None
        self._emit(
            "hold_end", index=hold.index, leg=self._leg(), reason=reason, held=seconds(hold.held_ms)
        )
        left = self._effective_left()
        self._pending = [n for n in self._pending if n * 1000 <= left]

    def _finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.end_ms = self._now
        if outcome is Outcome.STOPPED_SHARP_PAIN:
            self._emit("session_end", outcome=outcome.value, advice=self.sharp_pain_advice)
        else:
            self._emit("session_end", outcome=outcome.value)

    def _refusal(self, event: EventKind) -> str | None:
        """Why an event does not fit the moment, or None when it applies."""
        if self.outcome is not None:
            return "ended"
        if event in (EventKind.SHARP_PAIN, EventKind.QUIT):
            return None
        if event is EventKind.PAUSE:
            return "already_paused" if self._paused else None
        if event is EventKind.RESUME:
            return None if self._paused else "not_paused"
        if self._paused:
            return "paused"
        if event is EventKind.TENDER_SPOT:
            if self._hold is not None:
                return "holding"
            return None if self.steps[self._index][1].kind is StepKind.PASSES else "not_passes"
        if event is EventKind.RELEASE and self._hold is None:
            return "no_hold"
        return None

    def _leg(self) -> str:
        return self.plan.calves[self.steps[self._index][0]].leg.value

    def _emit(self, entry_type: str, /, **fields: Any) -> None:
        self.timeline.append({"t": seconds(self._now), "type": entry_type, **fields})
