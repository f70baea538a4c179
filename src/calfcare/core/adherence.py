"""Adherence against a prescription: per week, sessions done vs prescribed, and the time
actually spent per calf.

One definition of "done" (`calfcare.core.session_effort`): a mostly skipped session is
not a session done, and a calf's time is its massaged seconds (skipped steps add none).
Only sessions on the prescription's days count; a week still running is counted so far.
Pure: the day comes in as an argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from calfcare.core.levels import Leg
from calfcare.core.prescription import Prescription
from calfcare.core.records import SessionRecord
from calfcare.core.session_effort import clock

ADHERENCE_NOTE = (
    "Done: sessions on the prescription's days in which a calf got at least half its planned "
    "time (or was logged by hand); a mostly skipped session is not counted. Time per calf: "
    "massaged time of the sessions done (skipped steps and pauses add none)."
)
"""How the weeks are counted, in words (the report prints it under them)."""


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """One week of a prescription (``week`` is 1-based; ``first`` its first day)."""

    week: int
    first: date
    done: int
    prescribed: int
    seconds: tuple[tuple[Leg, float], ...]
    """Massaged seconds per prescribed calf, over the sessions done this week."""
    running: bool
    """The week has not ended yet on the day asked."""

    @property
    def met(self) -> bool:
        return self.done >= self.prescribed

    @property
    def words(self) -> str:
        calves = ", ".join(f"{leg.value} {clock(s)}" for leg, s in self.seconds)
        so_far = " so far" if self.running else ""
        return f"Week {self.week}: {self.done} of {self.prescribed} sessions{so_far} ({calves})"


def adherence(
    p: Prescription, sessions: Iterable[SessionRecord], today: date
) -> tuple[WeekAdherence, ...]:
    """The prescription's weeks that have started by ``today``, oldest first."""
    if today < p.start_day:
        return ()
    last = min(p.weeks, (today - p.start_day).days // 7 + 1)
    done: dict[int, int] = dict.fromkeys(range(1, last + 1), 0)
    seconds: dict[int, dict[Leg, float]] = {w: dict.fromkeys(p.calves, 0.0) for w in done}
    for s in sessions:
        week = p.week_of(s.day)
        if week is None or week > last or s.day > today or not s.done:
            continue
        done[week] += 1
        for calf in s.calves:
            if calf.leg in seconds[week]:
                seconds[week][calf.leg] += calf.active_seconds
    return tuple(
        WeekAdherence(
            week=w,
            first=p.start_day + timedelta(weeks=w - 1),
            done=done[w],
            prescribed=p.sessions_per_week,
            seconds=tuple(seconds[w].items()),
            running=today < p.start_day + timedelta(weeks=w) - timedelta(days=1),
        )
        for w in done
    )


def this_week(
    p: Prescription, sessions: Iterable[SessionRecord], today: date
) -> WeekAdherence | None:
    """The week ``today`` falls in (None before the start or after the end)."""
    weeks = adherence(p, sessions, today)
    if not weeks or p.week_of(today) is None:
        return None
    return weeks[-1]


def weeks_in_period(
    p: Prescription, sessions: Iterable[SessionRecord], first: date, last: date, today: date
) -> tuple[WeekAdherence, ...]:
    """The prescription's weeks that overlap ``first`` to ``last`` and have started by
    ``today``, each counted whole (``sessions`` must cover them: from ``first`` - 6 days to
    ``last`` + 6 days)."""
    return tuple(
        w
        for w in adherence(p, sessions, today)
        if w.first <= last and w.first + timedelta(days=6) >= first
    )
