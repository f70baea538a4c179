"""The words both verdict displays share: the plain lines (`calfcare.cli.verdict_text`) and
Rich's panel (`calfcare.cli.render`). Here, below both, so neither imports the other's module
for them."""

from __future__ import annotations

from typing import Any

from calfcare.core.levels import LEVEL_WORDS, Level

LEVEL_MARK = {
    "ok": "OK",
    "caution": "CAUTION",
    "avoid": "AVOID",
    "urgent": "URGENT",
    "emergency": "EMERGENCY",
}
"""The words for each level."""


def said_again(report: dict[str, Any]) -> str:
    """The advice's first sentence (for an emergency, the number to call), said again as the
    last line after an emergency stop: what is on the screen when the screening ends."""
    first, stop, _ = report["advice"].partition(". ")
    return f"{first}." if stop else report["advice"]


def calf_status(status: dict[str, Any]) -> str:
    """One calf's line of the verdict: its level in words and what it may have today. A calf
    with nothing found that may still not be massaged (the other calf's or the answers about
    you rule it out) says so, rather than "No concern" alone."""
    if status["deep_work_allowed"]:
        allowed = "massage ok"
    elif status["massage_allowed"]:
        allowed = "gentle only"
    elif status["level"] == "ok":
        allowed = "but no massage: see the advice above"
    else:
        allowed = "no massage"
    return f"{LEVEL_WORDS[Level(status['level'])]} ({allowed})"
