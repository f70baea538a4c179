"""Test helpers for plans and sessions: the routine contract's plan checks, written again
from the contract text (independently of `calfcare.core.plan_checks`), on plan JSON."""

from __future__ import annotations

import re
from typing import Any

COUNTED = {"passes", "hold", "active_release", "pressure", "strokes"}
KINDS = COUNTED | {"position", "switch"}


def plan_contract_problems(
    plan: dict[str, Any],
    *,
    tool: str,
    seconds_per_calf: int,
    intensity: str,
    legs: list[str],
    gentle_required: bool = False,
) -> list[str]:
    """Every way ``plan`` (the JSON of `calfcare plan --json`) breaks the contract."""
    problems: list[str] = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    need(plan["contract"] == 1, "contract is not 1")
    need(plan["tool"] == tool, "tool differs")
    expected_intensity = "gentle" if gentle_required else intensity
    need(plan["intensity"] == expected_intensity, f"intensity is not {expected_intensity}")
    need([c["leg"] for c in plan["calves"]] == legs, "calves are not the legs, in order")
    steps = [s for c in plan["calves"] for s in c["steps"]]
    for c, calf in enumerate(plan["calves"]):
        counted = sum(s["seconds"] for s in calf["steps"] if s["kind"] in COUNTED)
        need(calf["seconds"] == seconds_per_calf, f"calf {c}: seconds != --seconds-per-calf")
        need(counted == calf["seconds"], f"calf {c}: counted steps sum to {counted}")
        first = calf["steps"][0]
        need(first["kind"] == ("position" if c == 0 else "switch"), f"calf {c}: first step")
        for step in calf["steps"]:
            need(step["kind"] in KINDS, f"unknown kind {step['kind']}")
            need(isinstance(step["cue"], str) and len(step["cue"]) > 10, "a step has no cue")
            need(bool(step.get("why")) and bool(step.get("sources")), "a step has no why/sources")
            if step["kind"] in ("position", "switch"):
                need(0 <= step["seconds"] <= 20, "position/switch outside 0..20 s")
                need(step.get("leg") == calf["leg"], "position/switch does not name its leg")
            if step["kind"] in ("hold", "active_release", "pressure"):
                need(30 <= step["seconds"] <= 60, f"a {step['kind']} outside 30..60 s")
            if step["kind"] == "passes":
                need(10 <= step.get("pace_per_minute", 15) <= 30, "pace outside 10..30")
    need(plan["total_seconds"] == sum(c["seconds"] for c in plan["calves"]), "total_seconds")
    kinds = {s["kind"] for s in steps}
    crossed = any(re.search(r"\bcross", s["cue"], re.IGNORECASE) for s in steps)
    if tool in ("foam-roller", "ball"):
        need(
            any(
                s["kind"] == "passes" and "ankle" in s["cue"].lower() and "knee" in s["cue"].lower()
                for s in steps
            ),
            "no passes step naming ankle and knee",
        )
    if plan["intensity"] == "deep" and tool == "foam-roller":
        need(crossed, "deep foam roller: no crossed-leg cue")
        need("active_release" in kinds, "deep foam roller: no active_release")
    if plan["intensity"] == "gentle" or gentle_required:
        need(not ({"active_release", "pressure"} & kinds), "gentle: active_release or pressure")
        need(not crossed, "gentle: crossed-leg cue")
    if tool == "hands":
        need(
            any(
                s["kind"] == "strokes" and re.search(r"upward|toward (the|your) heart", s["cue"])
                for s in steps
            ),
            "hands: no upward strokes",
        )
    return problems
