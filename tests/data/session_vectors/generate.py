"""Generate the shared session test vectors.

Run: ``.venv/bin/python tests/data/session_vectors/generate.py``.

Each vector is ``{"name", "description", "plan", "events", "expected"}``: ``expected`` is the
exact output of ``calfcare session --plan PLAN --replay EVENTS --json``. The JavaScript engine
must reproduce every ``expected`` exactly (docs/session-timeline.md states the rules);
tests/core/test_session.py re-runs the Python engine on them so they stay true. Regenerate
only when the engine's rules change on purpose, and say so in the changelog.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from calfcare.content.routines import load_routines
from calfcare.core.levels import Leg
from calfcare.core.plan_json import parse_plan, plan_to_json
from calfcare.core.planner import plan
from calfcare.core.replay import parse_events, replay
from calfcare.core.routine import Intensity, PlanOptions, Tool

HERE = Path(__file__).parent
CONTENT = load_routines()


def _plan(
    tool: Tool,
    seconds: int = 120,
    intensity: Intensity = Intensity.STANDARD,
    legs: tuple[Leg, ...] = (Leg.LEFT, Leg.RIGHT),
    pace: int | None = None,
) -> dict[str, Any]:
    options = PlanOptions(
        tool=tool, legs=legs, seconds_per_calf=seconds, intensity=intensity, pace_per_minute=pace
    )
    return plan_to_json(plan(options, CONTENT))


ROLLER = _plan(Tool.FOAM_ROLLER)
"""Steps: 0 position 10 | 1 passes 45 | 2 hold 45 | 3 passes 30 | 4 switch 10 | 5 passes 45
| 6 hold 45 | 7 passes 30; with no events they run 0-10-55-100-130-140-185-230-260 s."""


def _zero_countdowns() -> dict[str, Any]:
    """A hand-made plan whose position and switch last 0 s: zero-length steps."""
    made = copy.deepcopy(ROLLER)
    for calf in made["calves"]:
        calf["steps"][0]["seconds"] = 0
    return made


def _e(*events: tuple[float, str]) -> list[dict[str, Any]]:
    return [{"t": t, "event": name} for t, name in events]


VECTORS: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]] = [
    ("01-no-events", "Every step in order, ended by time; countdowns 3-2-1.", ROLLER, []),
    (
        "02-release-before-30",
        "A release before 30 s ends the hold at once; the passes clock stood still during it.",
        ROLLER,
        _e((20, "tender_spot"), (35, "release")),
    ),
    (
        "03-hold-timeout",
        "A hold cues 'may release' at 30 s and ends itself at 60 s.",
        ROLLER,
        _e((20, "tender_spot")),
    ),
    (
        "04-hold-calf-limit",
        "A hold ends when its calf reaches 180 s, and the calf is done.",
        ROLLER,
        _e((20, "tender_spot"), (165, "tender_spot")),
    ),
    (
        "05-step-cut-at-180",
        "After holds, the last step of a calf ends at 180 s (countdown to "
        "the cut, not to the step's own end).",
        ROLLER,
        _e((20, "tender_spot"), (165, "tender_spot"), (175, "release")),
    ),
    (
        "06-skip-during-hold",
        "Skip during a tender-spot hold ends the hold only.",
        ROLLER,
        _e((20, "tender_spot"), (30, "skip")),
    ),
    (
        "07-skips",
        "Skip ends the current step, including position and a planned hold.",
        ROLLER,
        _e((3, "skip"), (20, "skip"), (30.5, "skip"), (200, "skip")),
    ),
    (
        "08-pause-during-hold",
        "Paused time counts toward no calf and no hold.",
        ROLLER,
        _e((20, "tender_spot"), (30, "pause"), (50, "resume"), (70, "release")),
    ),
    (
        "09-pause-in-countdowns",
        "A pause freezes the position countdown; resume goes on.",
        ROLLER,
        _e((8.5, "pause"), (15, "resume"), (135, "pause"), (136, "resume")),
    ),
    (
        "10-same-instant",
        "An event at the instant of an automatic step change applies to the new step.",
        ROLLER,
        _e((10, "skip"), (55, "tender_spot"), (55, "skip")),
    ),
    (
        "11-ignored-events",
        "Events that do not fit the moment change nothing and are listed.",
        ROLLER,
        _e(
            (1, "tender_spot"),
            (2, "release"),
            (3, "resume"),
            (4, "pause"),
            (5, "pause"),
            (6, "skip"),
            (6, "tender_spot"),
            (7, "resume"),
            (20, "tender_spot"),
            (21, "tender_spot"),
            (25, "release"),
            (25, "release"),
        ),
    ),
    (
        "12-sharp-pain-in-hold",
        "Sharp pain stops at once; the last entry carries the advice; later events are ignored.",
        ROLLER,
        _e((20, "tender_spot"), (40, "sharp_pain"), (41, "resume")),
    ),
    (
        "13-sharp-pain-while-paused",
        "Sharp pain applies even while paused.",
        ROLLER,
        _e((140, "pause"), (150, "sharp_pain")),
    ),
    ("14-quit", "Quit ends the session.", ROLLER, _e((140, "quit"))),
    (
        "15-abandoned",
        "Events that leave the session paused end it at the last event, "
        "abandoned (a hold in progress ends too).",
        ROLLER,
        _e((20, "tender_spot"), (25, "pause"), (90, "skip")),
    ),
    (
        "16-after-completion",
        "Events at or after the end are ignored.",
        ROLLER,
        _e((260, "pause"), (400, "sharp_pain")),
    ),
    (
        "17-hands-deep-one-calf",
        "Hands, deep, right calf only, 180 s: no passes, so a tender spot is ignored.",
        _plan(Tool.HANDS, 180, Intensity.DEEP, (Leg.RIGHT,)),
        _e((30, "tender_spot"), (100, "pause"), (101, "resume")),
    ),
    (
        "18-ball-gentle-fractional",
        "Ball, gentle, pace 24; event times round to the millisecond, half up.",
        _plan(Tool.BALL, 179, Intensity.GENTLE, pace=24),
        _e((12.3456, "tender_spot"), (20.0004, "pause"), (20.0005, "resume"), (44.9995, "release")),
    ),
    (
        "19-zero-second-countdowns",
        "Position and switch of 0 s start and end at one instant.",
        _zero_countdowns(),
        _e((0, "skip"), (120, "tender_spot")),
    ),
    (
        "20-calf-limit-drops-steps",
        "Two 60 s tender-spot holds push the first calf to 180 s during its planned hold step:"
        " that step is cut and the calf's last passes are dropped; the switch follows.",
        ROLLER,
        _e((20, "tender_spot"), (81, "tender_spot")),
    ),
]


def main() -> None:
    for old in HERE.glob("*.json"):
        old.unlink()
    for name, description, plan_json, events in VECTORS:
        expected = replay(
            parse_plan(plan_json), parse_events(events), sharp_pain_advice=CONTENT.sharp_pain_advice
        )
        vector = {
            "name": name,
            "description": description,
            "plan": plan_json,
            "events": events,
            "expected": expected,
        }
        (HERE / f"{name}.json").write_text(json.dumps(vector, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(VECTORS)} vectors to {HERE}")


if __name__ == "__main__":
    main()
