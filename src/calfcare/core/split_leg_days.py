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
class Index:
    """One kind of rating by (day, calf, moment): the value (NaN when entries disagree) and
    when its first entry was recorded. Two plain dicts rather than a tuple per entry: ten
    years of ratings would otherwise allocate enough containers to keep the cyclic garbage
    collector busy for most of the analysis."""

    value: dict[Key, float]
    first: dict[Key, datetime]

    def get(self, key: Key) -> tuple[float, datetime] | None:
        value = self.value.get(key)
        return None if value is None else (value, self.first[key])


@dataclass(frozen=True, slots=True)
class Ratings:
    """Every rating the analysis reads, and the calves each day's sessions massaged."""

    soreness: Index
    mobility: Index
    massaged_on: dict[date, frozenset[Leg]]

    def of(self, spec: OutcomeSpec) -> Index:
        return self.soreness if spec.kind == "soreness" else self.mobility


def index_ratings(
    soreness: Iterable[Logged[SorenessCheckIn]],
    mobility: Iterable[Logged[MobilityTest]],
    sessions: Iterable[SessionDay] = (),
    skipped_days: Iterable[date] = (),
) -> Ratings:
    """Index the records once for every experiment and outcome. Moments are StrEnums: equal
    to, and hashed as, their values, so they key the index directly. ``skipped_days`` are days
    with a session that was mostly skipped (`calfcare.core.session_effort`): without a done
    session that day, no calf counts as massaged, whatever the person answered."""
    sore = Index({}, {})
    for i in soreness:
        r = i.record
        _add(sore, (r.day, r.leg, r.moment), r.score, i.recorded_at)
    mob = Index({}, {})
    for j in mobility:
        t = j.record
        if t.moment is not MobilityMoment.OTHER:
            _add(mob, (t.day, t.leg, t.moment), t.distance_cm, j.recorded_at)
    legs: dict[date, set[Leg]] = defaultdict(set)
    for day in skipped_days:
        legs[day] |= set()
    for s in sessions:
        legs[s.day] |= s.legs
    return Ratings(sore, mob, {d: frozenset(v) for d, v in legs.items()})


def _add(index: Index, key: Key, value: float, at: datetime) -> None:
    seen = index.value.get(key)
    if seen is None:
        index.value[key] = value
        index.first[key] = at
    else:  # repeated identical records count once; disagreeing ones are unclear
        index.value[key] = seen if seen == value else math.nan
        index.first[key] = min(index.first[key], at)


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
    """The coin's day for one outcome: its difference, or why it is missing or left out.
    (Four look-ups and no allocation on the common path: ten years of daily coins are
    classified three times per insights report.)"""
    index = ratings.of(spec)
    first, second = spec.moments
    day, value = coin.day, index.value
    keys = ((day, Leg.LEFT, first), (day, Leg.LEFT, second),
            (day, Leg.RIGHT, first), (day, Leg.RIGHT, second))  # fmt: skip
    lf, ls, rf, rs = value.get(keys[0]), value.get(keys[1]), value.get(keys[2]), value.get(keys[3])
    if exp is not None:
        what = "rating" if spec.kind == "soreness" else "knee-to-wall test"
        befores = [index.get(keys[0]), index.get(keys[2])]
        reason = _allocation_problem(coin, exp, befores, what)
        if reason is not None:
            return ClassifiedDay(coin, None, None, reason, True)
    if (
        lf is None
        or ls is None
        or rf is None
        or rs is None
        or lf != lf
        or ls != ls
        or rf != rf
        or rs != rs
    ):
        missing = [
            f"{'unclear ' if v is not None else ''}{k[2].replace('_', '-')} {k[1].value}"
            for k, v in zip(keys, (lf, ls, rf, rs), strict=True)
            if v is None or v != v  # NaN marks disagreeing entries
        ]
        return ClassifiedDay(coin, None, None, "missing or unclear: " + ", ".join(missing), False)
    left, right = ls - lf, rs - rf
    diff = left - right if coin.massaged is Leg.LEFT else right - left
    at = index.first
    done = max(at[keys[0]], at[keys[1]], at[keys[2]], at[keys[3]])
    return ClassifiedDay(coin, round(diff, 6), done, None, False)


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
    if not legs:  # only mostly skipped sessions that day
        return MassagedCalves.NEITHER
    return MassagedCalves.BOTH if len(legs) == 2 else MassagedCalves(next(iter(legs)).value)
