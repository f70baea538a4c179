"""The words both verdict displays share: the plain lines (`calfcare.cli.verdict_text`) and
Rich's panel (`calfcare.cli.render`). Here, below both, so neither imports the other's module
for them."""

from __future__ import annotations

from typing import Any

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
