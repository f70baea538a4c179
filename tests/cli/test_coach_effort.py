"""The terminal coach's summary says what was done: a skip-all session is "mostly skipped",
not "completed: well done" (the rule of core/session_effort.py, shared with the web page)."""

from __future__ import annotations

from rich.console import Console

from calfcare.cli.coach import summary_renderable
from calfcare.content.routines import load_routines
from calfcare.core.levels import Leg
from calfcare.core.planner import plan as make_plan
from calfcare.core.replay import replay_json, run_replay
from calfcare.core.routine import PlanOptions, Tool
from calfcare.core.timeline import Event, EventKind

PLAN = make_plan(PlanOptions(tool=Tool.BALL, legs=(Leg.LEFT,)), load_routines())


def _shown(events: list[Event]) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(summary_renderable(replay_json(run_replay(PLAN, events, sharp_pain_advice="x"))))
    return console.export_text()


def test_skipping_every_step_is_not_well_done() -> None:
    steps = len(PLAN.calves[0].steps)
    shown = _shown([Event(1 + i * 0.5, EventKind.SKIP) for i in range(steps)])
    assert "mostly skipped" in shown and "well done" not in shown


def test_a_session_played_out_is_well_done() -> None:
    shown = _shown([])
    assert "completed: well done" in shown and "mostly skipped" not in shown
