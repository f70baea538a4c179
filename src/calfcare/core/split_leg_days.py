"""The records of split-leg days: each rating by day, calf and moment, and each coin day
classified for one outcome (its day difference, or why it is missing or left out).

A day counts when every rating the outcome needs is in and unambiguous (repeated identical
records count once; disagreeing ones make the day unclear, never averaged) and, in a
registered experiment, its coin is verified: a draw time stored, drawn on its day, while
the experiment ran, and after that day's "before" ratings of both calves, so that no rating
of the day could have been given knowing the coin. Nothing is ever filled in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from calfcare.core.levels import Leg
from calfcare.core.records import Logged
from calfcare.core.split_leg_design import OutcomeSpec, SplitLegExperiment
from calfcare.core.tracking import (
    MassagedCalves,
    MobilityMoment,
    MobilityTest,
    SessionDay,
    SorenessCheckIn,
    SplitLegDay,
)

Key = tuple[date, Leg, str]


@dataclass(frozen=True, slots=True)
class Ratings:
    """Every rating the analysis reads, by (day, calf, moment): the value (NaN when entries
    disagree) and when the first entry was recorded."""

    soreness: dict[Key, tuple[float, datetime]]
    mobility: dict[Key, tuple[float, datetime]]
    massaged_on: dict[date, frozenset[Leg]]

    def of(self, spec: OutcomeSpec) -> dict[Key, tuple[float, datetime]]:
        return self.soreness if spec.kind == "soreness" else self.mobility


def index_ratings(
    soreness: Iterable[Logged[SorenessCheckIn]],
    mobility: Iterable[Logged[MobilityTest]],
    sessions: Iterable[SessionDay] = (),
) -> Ratings:
    """Index the records once for every experiment and outcome."""

    def build(items: Iterable[tuple[Key, float, datetime]]) -> dict[Key, tuple[float, datetime]]:
        out: dict[Key, tuple[float, datetime]] = {}
        for key, value, at in items:
            seen = out.get(key)
            if seen is None:
                out[key] = (value, at)
            else:  # repeated identical records count once; disagreeing ones are unclear
                out[key] = (seen[0] if seen[0] == value else math.nan, min(seen[1], at))
        return out

    # Moments are StrEnums: equal to, and hashed as, their values, so they key directly.
    sore = build(
        ((i.record.day, i.record.leg, i.record.moment), i.record.score, i.recorded_at)
        for i in soreness
    )
    mob = build(
        ((i.record.day, i.record.leg, i.record.moment), i.record.distance_cm, i.recorded_at)
        for i in mobility
        if i.record.moment is not MobilityMoment.OTHER
    )
    legs: dict[date, set[Leg]] = defaultdict(set)
    for s in sessions:
        legs[s.day] |= s.legs
    return Ratings(sore, mob, {d: frozenset(v) for d, v in legs.items()})


@dataclass(frozen=True, slots=True)
class ClassifiedDay:
    coin: SplitLegDay
    diff: float | None  # None: not complete (see note)
    completed_at: datetime | None
    note: str | None  # why it is left out ("left out: ...") or missing
    left_out: bool


def classify(
    coin: SplitLegDay, spec: OutcomeSpec, ratings: Ratings, exp: SplitLegExperiment | None
) -> ClassifiedDay:
    values = ratings.of(spec)
    first, second = spec.moments
    got: dict[tuple[Leg, str], tuple[float, datetime] | None] = {
        (leg, m): values.get((coin.day, leg, m)) for leg in Leg for m in spec.moments
    }
    if exp is not None:
        what = "rating" if spec.kind == "soreness" else "knee-to-wall test"
        reason = _allocation_problem(coin, exp, [got[(leg, first)] for leg in Leg], what)
        if reason is not None:
            return ClassifiedDay(coin, None, None, reason, True)
    missing = [
        f"{'unclear ' if v is not None else ''}{m.replace('_', '-')} {leg.value}"
        for (leg, m), v in got.items()
        if v is None or v[0] != v[0]
    ]
    if missing:
        return ClassifiedDay(coin, None, None, "missing or unclear: " + ", ".join(missing), False)
    change = {
        leg: got[(leg, second)][0] - got[(leg, first)][0]  # type: ignore[index]
        for leg in Leg
    }
    done = max(v[1] for v in got.values() if v is not None)
    diff = round(change[coin.massaged] - change[coin.control], 6)
    return ClassifiedDay(coin, diff, done, None, False)


def _allocation_problem(
    coin: SplitLegDay,
    exp: SplitLegExperiment,
    befores: list[tuple[float, datetime] | None],
    what: str,
) -> str | None:
    if coin.drawn_at is None:
        return "no time is stored for the coin toss, so it cannot be checked"
    if abs((coin.drawn_at.astimezone().date() - coin.day).days) > 1:
        return "the coin was not drawn on its day"
    if coin.day < exp.start_day or coin.drawn_at < exp.registered_at:
        return "the coin was drawn before the experiment was registered"
    if exp.stopped_at is not None and coin.drawn_at > exp.stopped_at:
        return "the coin was drawn after the experiment was stopped"
    if any(b is not None and b[1] > coin.drawn_at for b in befores):
        return f"a before-session {what} was recorded after the coin was drawn"
    return None


def as_allocated(coin: SplitLegDay, ratings: Ratings) -> bool:
    """Whether exactly the coin's calf was massaged that day (unknown counts as no)."""
    legs = ratings.massaged_on.get(coin.day)
    if legs is not None:
        return legs == frozenset({coin.massaged})
    return coin.reported is not None and coin.reported.value == coin.massaged.value


def actually_massaged(coin: SplitLegDay, ratings: Ratings) -> MassagedCalves | None:
    """Which calves were massaged on the coin's day: from its sessions, else the answer."""
    legs = ratings.massaged_on.get(coin.day)
    if legs is None:
        return coin.reported
    return MassagedCalves.BOTH if len(legs) == 2 else MassagedCalves(next(iter(legs)).value)
