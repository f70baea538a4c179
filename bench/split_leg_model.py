"""Simulated people for the split-leg experiment: the model behind docs/insights.md's figures,
the power table (`calfcare.core.split_leg_power`) and the tests that re-check it.

Soreness (one person, day t, calf L in {left, right}; the coin picks the massaged calf):
* a load shared by both calves (training, sleep) u_t follows an AR(1), rho = 0.6, SD 1.0;
  the design should cancel it;
* each calf has its own AR(1) noise e_L,t in its next-day change (rho = 0.5, the
  autocorrelation the docs state) and its own before-rating noise (SD 0.5);
* before = clip(round(4 + 1.2 u_t + calf offset + noise), 0, 10);
  next_day = clip(round(before + 1 + 0.8 u_t + e_L,t - effect * [L massaged]), 0, 10);
* the SD of e is set so that the day differences d have the wanted spread (``calibrate``).

Knee-to-wall (cm, 0.1 cm steps): each calf's rested distance drifts (AR(1), rho = 0.5, SD
1.0 cm) around its own baseline; the gain over a session is 0.5 cm + 0.3 u_t + the calf's
own day noise, plus ``effect`` for the massaged calf; each of the day's four tests has its
own measurement error. The drift cancels within a calf's own session, so d's spread is
measurement error and gain noise: SD of each test 0.4 x spread, of the gain noise 0.42 x
spread.

The coin is the real `draw_split_leg_day`; day differences are computed as the core does.
"""

from __future__ import annotations

import math
import random
import statistics
from datetime import date, timedelta
from functools import cache

from calfcare.core.levels import Leg
from calfcare.core.split_leg_design import Outcome
from calfcare.core.tracking import draw_split_leg_day

START = date(2026, 1, 5)
TODAY = date(2030, 1, 1)
SHARED_RHO, CALF_RHO = 0.6, 0.5


def soreness_days(
    rng: random.Random, days: int, effect: float, noise_sd: float, *, same_session: bool = False
) -> tuple[list[float], list[tuple[Leg, dict[Leg, int], dict[Leg, int]]]]:
    """The day differences of one person, and each day's (massaged, before, next_day)."""
    u = rng.gauss(0, 1.0)
    e = {leg: rng.gauss(0, noise_sd) for leg in Leg}
    offset = {leg: rng.gauss(0, 0.5) for leg in Leg}
    diffs: list[float] = []
    rows = []
    for t in range(days):
        massaged = draw_split_leg_day(START + timedelta(days=t), rng, today=TODAY).massaged
        u = SHARED_RHO * u + rng.gauss(0, math.sqrt(1 - SHARED_RHO**2))
        before, later = {}, {}
        for leg in Leg:
            e[leg] = CALF_RHO * e[leg] + rng.gauss(0, noise_sd * math.sqrt(1 - CALF_RHO**2))
            before[leg] = _clip(4 + 1.2 * u + offset[leg] + rng.gauss(0, 0.5))
            bump = effect if leg is massaged else 0.0
            later[leg] = _clip(before[leg] + 1 + 0.8 * u + e[leg] - bump)
        change = {leg: later[leg] - before[leg] for leg in Leg}
        diffs.append(float(change[massaged] - change[massaged.other]))
        rows.append((massaged, before, later))
    return diffs, rows


def knee_to_wall_days(
    rng: random.Random, days: int, effect: float, spread: float
) -> tuple[list[float], list[tuple[Leg, dict[Leg, float], dict[Leg, float]]]]:
    """The day differences (cm) of one person, and each day's (massaged, before, after)."""
    test_sd, gain_sd = 0.4 * spread, 0.42 * spread
    u = rng.gauss(0, 1.0)
    drift = {leg: rng.gauss(0, 1.0) for leg in Leg}
    base = {leg: 10 + rng.gauss(0, 2.0) for leg in Leg}
    diffs: list[float] = []
    rows = []
    for t in range(days):
        massaged = draw_split_leg_day(START + timedelta(days=t), rng, today=TODAY).massaged
        u = SHARED_RHO * u + rng.gauss(0, math.sqrt(1 - SHARED_RHO**2))
        before, after = {}, {}
        for leg in Leg:
            drift[leg] = CALF_RHO * drift[leg] + rng.gauss(0, math.sqrt(1 - CALF_RHO**2))
            rested = base[leg] + drift[leg]
            gain = 0.5 + 0.3 * u + rng.gauss(0, gain_sd) + (effect if leg is massaged else 0.0)
            before[leg] = _cm(rested + rng.gauss(0, test_sd))
            after[leg] = _cm(rested + gain + rng.gauss(0, test_sd))
        change = {leg: round(after[leg] - before[leg], 1) for leg in Leg}
        diffs.append(round(change[massaged] - change[massaged.other], 1))
        rows.append((massaged, before, after))
    return diffs, rows


def person_diffs(
    rng: random.Random, outcome: Outcome, days: int, effect: float, spread: float
) -> list[float]:
    """One simulated person's day differences for ``outcome`` at the wanted ``spread``."""
    if outcome is Outcome.KNEE_TO_WALL:
        return knee_to_wall_days(rng, days, effect, spread)[0]
    return soreness_days(rng, days, effect, calibrate(spread))[0]


@cache
def calibrate(spread: float) -> float:
    """The calf noise SD that gives day differences of SD ``spread`` (no effect), found by
    bisection on a large seeded simulation."""
    low, high = 0.05, 3.0
    for _ in range(18):
        mid = (low + high) / 2
        rng = random.Random(20261201)
        diffs = [d for _ in range(400) for d in soreness_days(rng, 20, 0.0, mid)[0]]
        low, high = (mid, high) if statistics.pstdev(diffs) < spread else (low, mid)
    return (low + high) / 2


def _clip(x: float) -> int:
    return max(0, min(10, round(x)))


def _cm(x: float) -> float:
    return min(30.0, max(0.0, round(x, 1)))
