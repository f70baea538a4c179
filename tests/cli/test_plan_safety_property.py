"""Property: `calfcare plan` never includes a calf the safety state forbids, whatever the
state, the options and the screening file (issue 11). The command runs in-process
(CliRunner) with the state it reads replaced by a generated one."""

from __future__ import annotations

import json
from datetime import date
from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calfcare.cli import app
from calfcare.content.safety import load_safety_wording
from calfcare.core.answers import parse_answers
from calfcare.core.levels import Leg, Level
from calfcare.core.records import ScreeningKind
from calfcare.core.safety_state import LegSafety, PainCheckDue, SafetyHold, SafetyState
from calfcare.core.screening import screen
from tests.cli.helpers_safety import answers

DAY = date(2026, 12, 3)
WORDING = load_safety_wording()
RUNNER = CliRunner()

SCREENINGS = [
    None,
    answers(),
    answers(anticoagulants=True),
    answers(left_open_wound=True),
    answers(right_severe_varicose_veins=True),
    answers(left_swelling=True),
]


@st.composite
def states(draw: st.DrawFn) -> SafetyState:
    held = draw(st.sampled_from(["none", "hold", "needs_screening"]))
    legs = {}
    for leg in Leg:
        massage = held == "none" and draw(st.booleans())
        deep = massage and draw(st.booleans())
        pain = None
        if draw(st.booleans()):
            pain = PainCheckDue(leg, DAY, "s1", "Has it gone?", "Seek professional advice.", ())
        legs[leg] = LegSafety(massage, deep, pain)
    hold = None
    if held == "hold":
        level = draw(st.sampled_from([Level.URGENT, Level.EMERGENCY]))
        hold = SafetyHold(level, DAY, "s0", ScreeningKind.SCREENING, "Do not massage.",
                          "reason", "advice", ("nhs-dvt",), "lifts", ("nhs-dvt",))  # fmt: skip
    return SafetyState(
        day=DAY,
        screening_id=None,
        legs=MappingProxyType(legs),
        hold=hold,
        needs_screening=WORDING.needs_screening if held == "needs_screening" else None,
    )


@settings(max_examples=150, deadline=None)
@given(
    state=states(),
    legs=st.sampled_from(["left", "right", "left,right", "right,left"]),
    intensity=st.sampled_from(["gentle", "standard", "deep"]),
    tool=st.sampled_from(["foam-roller", "ball", "hands"]),
    screening=st.sampled_from(SCREENINGS),
)
def test_the_cli_plan_never_includes_a_calf_the_state_forbids(
    state: SafetyState, legs: str, intensity: str, tool: str, screening: str | None
) -> None:
    args = ["plan", "--tool", tool, "--legs", legs, "--intensity", intensity, "--json"]
    if screening is not None:
        args += ["--screening", "-"]
    with patch("calfcare.cli.safety_gate.current_state", return_value=state):
        done = RUNNER.invoke(app, args, input=screening or "")
    assert done.exit_code in (0, 3), done.output
    body: dict[str, Any] = json.loads(done.stdout)
    if state.hold is not None or state.needs_screening is not None:
        assert done.exit_code == 3 and body["planned"] is False
        assert body["blocked_by"] in ("hold", "needs_screening")
        return
    if done.exit_code == 3:
        return
    planned = [Leg(calf["leg"]) for calf in body["calves"]]
    assert planned and set(planned) <= {Leg(x) for x in legs.split(",")}
    for leg in planned:
        assert state.legs[leg].massage_allowed, "a calf the state forbids was planned"
        assert state.legs[leg].pain_check is None, "a pending pain check was not asked"
    if any(not state.legs[leg].deep_work_allowed for leg in planned):
        assert body["intensity"] == "gentle"
    if screening is not None:
        result = screen(parse_answers(json.loads(screening)))
        assert result.verdict < Level.URGENT
        for leg in planned:
            assert result.legs[leg].massage_allowed
            if not result.legs[leg].deep_work_allowed:
                assert body["intensity"] == "gentle"
