"""The small vocabularies every part of calfcare shares: calves and verdict levels."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Leg(StrEnum):
    """A calf, named by its side."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Leg:
        return Leg.RIGHT if self is Leg.LEFT else Leg.LEFT


class Level(StrEnum):
    """Screening verdict levels, lowest to highest (screening contract, "Verdict levels")."""

    OK = "ok"
    CAUTION = "caution"
    AVOID = "avoid"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Level):
            return NotImplemented
        return self.rank >= other.rank


_RANK = {level: i for i, level in enumerate(Level)}

LEVEL_WORDS = {
    Level.OK: "No concern",
    Level.CAUTION: "Caution",
    Level.AVOID: "Avoid",
    Level.URGENT: "URGENT",
    Level.EMERGENCY: "EMERGENCY",
}
"""Each level as people read it (the report, the web pages), not its contract value."""


def highest(levels: Iterable[Level]) -> Level:
    """The highest of some levels; `ok` when there are none."""
    best = Level.OK
    for level in levels:
        if level > best:
            best = level
    return best
