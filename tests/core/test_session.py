"""The session engine's rules, one hand-written replay each, with exact expected outputs.

The plan: foam roller, standard, 120 s per calf, left then right. Its steps (index: kind,
seconds): 0 position 10 | 1 passes 45 | 2 hold 45 | 3 passes 30 | 4 switch 10 | 5 passes 45 |
6 hold 45 | 7 passes 30. With no events: 0-10, 10-55, 55-100, 100-130, 130-140, 140-185,
185-230, 230-260.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calfcare.content.routines import load_routines
from calfcare.core.errors import InvalidInput
from calfcare.core.plan_json import parse_plan
from calfcare.core.planner import plan
from calfcare.core.replay import parse_events, replay
from calfcare.core.routine import PlanOptions, StepKind, Tool
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind, pace_position

CONTENT = load_routines()
ADVICE = CONTENT.sharp_pain_advice
PLAN = plan(PlanOptions(tool=Tool.FOAM_ROLLER, seconds_per_calf=120), CONTENT)
VECTORS = sorted((Path(__file__).parent.parent / "data" / "session_vectors").glob("*.json"))


def run(*events: tuple[float, str]) -> dict[str, Any]:
    script = [{"t": t, "event": name} for t, name in events]
    return replay(PLAN, parse_events(script), sharp_pain_advice=ADVICE)


def brief(out: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The timeline without countdowns and cues: (t, type, the entry's key detail)."""
    return [(e["t"], e["type"], _detail(e)) for e in out["timeline"] if e["type"] != "countdown"]


def _detail(entry: dict[str, Any]) -> Any:
    kind = entry["type"]
    if kind in ("step_start", "hold_start", "hold_may_release"):
        return entry["index"]
    if kind == "step_end":
        return (entry["index"], entry["reason"])
    if kind == "hold_end":
        return (entry["reason"], entry["held"])
    if kind == "session_end":
        return entry["outcome"]
    return None


def run_countdowns(out: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in out["timeline"] if e["type"] == "countdown"]


def active(out: dict[str, Any]) -> list[float]:
    return [calf["active_seconds"] for calf in out["calves"]]


def test_no_events_runs_every_step_in_order() -> None:
    out = run()
    starts = [(t, i) for t, kind, i in brief(out) if kind == "step_start"]
    assert starts == [
        (0.0, 0),
        (10.0, 1),
        (55.0, 2),
        (100.0, 3),
        (130.0, 4),
        (140.0, 5),
        (185.0, 6),
        (230.0, 7),
    ]
    assert out["outcome"] == "completed"
    assert out["duration_seconds"] == 260.0
    assert active(out) == [120.0, 120.0]
    assert out["timeline"][-1] == {"t": 260.0, "type": "session_end", "outcome": "completed"}


def test_countdown_three_two_one_before_each_step_ends() -> None:
    out = run()
    countdowns = [(e["t"], e["remaining"]) for e in out["timeline"] if e["type"] == "countdown"]
    assert countdowns[:6] == [(7.0, 3), (8.0, 2), (9.0, 1), (52.0, 3), (53.0, 2), (54.0, 1)]
    assert len(countdowns) == 3 * 8


def test_release_before_30_s_ends_the_hold_at_once() -> None:
    out = run((20, "tender_spot"), (35, "release"))
    assert brief(out)[3:7] == [
        (20.0, "hold_start", 1),
        (35.0, "hold_end", ("release", 15.0)),
        (70.0, "step_end", (1, "done")),  # the passes clock stood still during the hold
        (70.0, "step_start", 2),
    ]
    assert out["calves"][0]["holds"] == [{"start": 20.0, "end": 35.0, "seconds": 15.0}]
    assert active(out) == [135.0, 120.0]


def test_hold_cues_release_at_30_s_and_ends_itself_at_60_s() -> None:
    out = run((20, "tender_spot"))
    assert brief(out)[3:7] == [
        (20.0, "hold_start", 1),
        (50.0, "hold_may_release", 1),
        (80.0, "hold_end", ("timeout", 60.0)),
        (115.0, "step_end", (1, "done")),
    ]
    assert active(out) == [180.0, 120.0]  # 120 planned + 60 held: exactly the limit


def test_hold_that_reaches_180_s_ends_the_calf() -> None:
    out = run((20, "tender_spot"), (165, "tender_spot"))
    assert brief(out)[9:14] == [
        (160.0, "step_start", 3),
        (165.0, "hold_start", 3),
        (190.0, "hold_end", ("calf_limit", 25.0)),
        (190.0, "step_end", (3, "calf_limit")),
        (190.0, "step_start", 4),
    ]
    assert active(out) == [180.0, 120.0]


def test_step_after_a_hold_is_cut_at_180_s() -> None:
    # 60 s held in the first passes, 10 s more in the last: it ends 10 s early, at 180 s.
    out = run((20, "tender_spot"), (165, "tender_spot"), (175, "release"))
    assert brief(out)[11:14] == [
        (175.0, "hold_end", ("release", 10.0)),
        (190.0, "step_end", (3, "calf_limit")),
        (190.0, "step_start", 4),
    ]
    countdowns = [e["t"] for e in run_countdowns(out) if e["index"] == 3]
    assert countdowns == [187.0, 188.0, 189.0]  # counted down to the 180 s, not the step
    assert active(out) == [180.0, 120.0]


def test_skip_during_a_hold_ends_only_the_hold() -> None:
    out = run((20, "tender_spot"), (30, "skip"))
    assert brief(out)[4:6] == [(30.0, "hold_end", ("skip", 10.0)), (65.0, "step_end", (1, "done"))]


def test_skip_ends_the_current_step() -> None:
    out = run((12, "skip"))
    assert brief(out)[3:5] == [(12.0, "step_end", (1, "skip")), (12.0, "step_start", 2)]
    assert active(out) == [77.0, 120.0]
    assert out["outcome"] == "completed"


def test_paused_time_counts_toward_no_calf_and_no_hold() -> None:
    out = run((20, "tender_spot"), (30, "pause"), (50, "resume"), (70, "release"))
    assert brief(out)[3:9] == [
        (20.0, "hold_start", 1),
        (30.0, "pause", None),
        (50.0, "resume", None),
        (70.0, "hold_may_release", 1),  # 30 s held, not counting the 20 s paused
        (70.0, "hold_end", ("release", 30.0)),
        (105.0, "step_end", (1, "done")),
    ]
    assert out["calves"][0]["holds"] == [{"start": 20.0, "end": 70.0, "seconds": 30.0}]
    assert out["paused_seconds"] == 20.0
    assert active(out) == [150.0, 120.0]


def test_event_at_the_instant_of_a_step_change_applies_to_the_new_step() -> None:
    out = run((10, "skip"), (55, "tender_spot"))
    assert brief(out)[1:5] == [
        (10.0, "step_end", (0, "done")),
        (10.0, "step_start", 1),
        (10.0, "step_end", (1, "skip")),
        (10.0, "step_start", 2),
    ]
    assert out["ignored_events"] == []
    out = run((55, "tender_spot"))
    assert out["ignored_events"] == [{"t": 55.0, "event": "tender_spot", "reason": "not_passes"}]


def test_events_that_do_not_fit_are_ignored_and_listed() -> None:
    out = run(
        (1, "tender_spot"),
        (2, "release"),
        (3, "resume"),
        (4, "pause"),
        (5, "pause"),
        (6, "skip"),
        (7, "resume"),
        (20, "tender_spot"),
        (21, "tender_spot"),
    )
    assert [(e["event"], e["reason"]) for e in out["ignored_events"]] == [
        ("tender_spot", "not_passes"),
        ("release", "no_hold"),
        ("resume", "not_paused"),
        ("pause", "already_paused"),
        ("skip", "paused"),
        ("tender_spot", "holding"),
    ]


def test_sharp_pain_stops_at_once_with_advice_last() -> None:
    out = run((20, "tender_spot"), (40, "sharp_pain"), (41, "resume"), (300, "skip"))
    assert out["outcome"] == "stopped_sharp_pain"
    assert out["advice"] == ADVICE and "professional advice" in ADVICE
    assert out["timeline"][-2:] == [
        {
            "t": 40.0,
            "type": "hold_end",
            "index": 1,
            "leg": "left",
            "reason": "sharp_pain",
            "held": 20.0,
        },
        {"t": 40.0, "type": "session_end", "outcome": "stopped_sharp_pain", "advice": ADVICE},
    ]
    assert [e["reason"] for e in out["ignored_events"]] == ["ended", "ended"]
    assert out["duration_seconds"] == 40.0


def test_quit_ends_the_session() -> None:
    out = run((140, "quit"))
    assert out["outcome"] == "quit"
    assert out["timeline"][-1] == {"t": 140.0, "type": "session_end", "outcome": "quit"}
    assert "advice" not in out
    assert active(out) == [120.0, 0.0]


def test_events_that_leave_it_paused_end_it_abandoned_at_the_last_event() -> None:
    out = run((20, "tender_spot"), (25, "pause"), (90, "skip"))
    assert out["outcome"] == "abandoned"
    assert out["duration_seconds"] == 90.0
    assert brief(out)[-2:] == [
        (90.0, "hold_end", ("abandoned", 5.0)),
        (90.0, "session_end", "abandoned"),
    ]


def test_events_after_completion_are_ignored() -> None:
    out = run((260, "pause"), (400, "sharp_pain"))
    assert out["outcome"] == "completed"
    assert [e["reason"] for e in out["ignored_events"]] == ["ended", "ended"]


def test_view_shows_step_hold_and_pace_guide() -> None:
    engine = SessionEngine(PLAN, sharp_pain_advice=ADVICE)
    view = engine.view(12.0)
    assert view.step is not None and view.step.kind is StepKind.PASSES
    assert (view.step_left, view.calf_elapsed, view.calf_planned) == (43.0, 2.0, 120)
    assert (view.pace_position, view.pace_direction) == (0.5, "up")  # 4 s a roll, 2 s in
    assert view.next_step is not None and view.next_step.kind is StepKind.HOLD
    engine.apply(EventKind.TENDER_SPOT, 13.0)
    view = engine.view(44.0)
    assert (view.holding, view.hold_seconds, view.may_release) == (True, 31.0, True)
    assert view.pace_position is None and view.step_left == 42.0
    engine.apply(EventKind.PAUSE, 45.0)
    assert engine.view(100.0).session_elapsed == 45.0
    with pytest.raises(ValueError, match="backwards"):
        engine.view(99.0)


def test_pace_guide_goes_ankle_to_knee_and_back() -> None:
    assert pace_position(0, 15) == (0.0, "up")
    assert pace_position(4, 15) == (1.0, "down")
    assert pace_position(6, 15) == (0.5, "down")
    assert pace_position(8, 15) == (0.0, "up")
    assert pace_position(3, 30) == (0.5, "down")


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ({"t": 1, "event": "pause"}, "events"),
        ([{"t": -1, "event": "pause"}], "events.0.t"),
        ([{"t": 5, "event": "pause"}, {"t": 4, "event": "resume"}], "events.1.t"),
        ([{"t": 1, "event": "dance"}], "events.0.event"),
        ([{"event": "pause"}], "events.0.t"),
        ([{"t": True, "event": "pause"}], "events.0.t"),
        ([{"t": "1", "event": "pause"}], "events.0.t"),
        (["pause"], "events.0"),
    ],
)
def test_bad_events_are_invalid_input(events: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_events(events)
    assert field in [p.field for p in caught.value.problems]


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_shared_session_vectors_still_hold(path: Path) -> None:
    vector = json.loads(path.read_text())
    out = replay(
        parse_plan(vector["plan"]), parse_events(vector["events"]), sharp_pain_advice=ADVICE
    )
    assert json.loads(json.dumps(out)) == vector["expected"], (
        "the engine changed; if on purpose, run tests/data/session_vectors/generate.py"
    )


def test_there_are_shared_vectors() -> None:
    assert len(VECTORS) >= 12
