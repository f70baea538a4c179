"""Validate the split-leg analysis on simulated people (SELF-EXPERIMENT.md, "Validation").

Run: .venv/bin/python bench/simulate_split_leg.py [--people N] [--seed S]

Model (one simulated person, one day t, calf L in {left, right}):
* a shared day load u_t (training, sleep) follows an AR(1) with rho = 0.6 and SD 1.0; it moves
  both calves alike, so the design should cancel it;
* each calf has its own AR(1) noise e_L,t (rho = 0.5, marginal SD 1.1) in its next-day
  change, and its own before-rating noise (SD 0.5), so the day-to-day spread of d comes out
  near 1.5 points (printed as sd_d);
* before = clip(round(3 + 1.2 u_t + calf offset + noise), 0, 10);
  next_day = clip(round(before + 1 + 0.8 u_t + e_L,t - effect * [L massaged]), 0, 10);
* the massaged calf comes from the real coin (`draw_split_leg_day`), and the records go
  through the real `analyse_split_leg`, as the app's would.
Not modelled: spill-over to the other calf, carry-over between days, missing ratings, and
people who stop early (all of them only lower power; none can raise the false-positive rate,
because the coin alone decides each day's sign).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
from datetime import date, timedelta

from calfcare.core.levels import Leg
from calfcare.core.split_leg import Conclusion, analyse_split_leg
from calfcare.core.tracking import (
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
    draw_split_leg_day,
)

CHECKPOINTS = (14, 20, 28)
START = date(2026, 1, 5)
TODAY = date(2027, 1, 1)


def simulate_person(
    rng: random.Random, days: int, effect: float
) -> tuple[list[SplitLegDay], list[SorenessCheckIn]]:
    """One person's stored coins and soreness check-ins for ``days`` consecutive days."""
    allocations: list[SplitLegDay] = []
    check_ins: list[SorenessCheckIn] = []
    u = rng.gauss(0, 1.0)
    e = {leg: rng.gauss(0, 1.1) for leg in Leg}
    offset = {leg: rng.gauss(0, 0.5) for leg in Leg}
    for t in range(days):
        day = START + timedelta(days=t)
        alloc = draw_split_leg_day(day, rng, today=TODAY)
        allocations.append(alloc)
        u = 0.6 * u + rng.gauss(0, 1.0 * math.sqrt(1 - 0.6**2))
        for leg in Leg:
            e[leg] = 0.5 * e[leg] + rng.gauss(0, 1.1 * math.sqrt(1 - 0.5**2))
            before = _clip(3 + 1.2 * u + offset[leg] + rng.gauss(0, 0.5))
            bump = effect if leg is alloc.massaged else 0.0
            next_day = _clip(before + 1 + 0.8 * u + e[leg] - bump)
            check_ins.append(SorenessCheckIn(day, leg, SorenessMoment.BEFORE, before))
            check_ins.append(SorenessCheckIn(day, leg, SorenessMoment.NEXT_DAY, next_day))
    return allocations, check_ins


def _clip(x: float) -> int:
    return max(0, min(10, round(x)))


def run(people: int, seed: int, effect: float) -> dict[str, object]:
    """Share of people with p < 0.05 (and with each verdict) at each checkpoint."""
    master = random.Random(seed)
    significant = dict.fromkeys(CHECKPOINTS, 0)
    beyond_threshold = dict.fromkeys(CHECKPOINTS, 0)
    spreads: list[float] = []
    for _ in range(people):
        rng = random.Random(master.getrandbits(64))
        allocations, check_ins = simulate_person(rng, max(CHECKPOINTS), effect)
        for n in CHECKPOINTS:
            last = START + timedelta(days=n - 1)
            result = analyse_split_leg(
                [a for a in allocations if a.day <= last],
                [c for c in check_ins if c.day <= last],
            )
            if result.p_value is not None and result.p_value < 0.05:
                significant[n] += 1
            if result.conclusion is Conclusion.MASSAGED_BETTER:
                beyond_threshold[n] += 1
            if n == max(CHECKPOINTS):
                spreads.append(result.spread)
    return {
        "significant": {n: k / people for n, k in significant.items()},
        "beyond_threshold": {n: k / people for n, k in beyond_threshold.items()},
        "sd_d": statistics.median(spreads),
    }


def mc_se(share: float, people: int) -> float:
    return math.sqrt(max(share * (1 - share), 1e-12) / people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--effect", type=float, default=1.5, help="points, for the power run")
    args = parser.parse_args()
    null = run(args.people, args.seed, 0.0)
    alt = run(args.people, args.seed + 1, args.effect)
    fpr = null["significant"]
    power = alt["significant"]
    verdict = alt["beyond_threshold"]
    assert isinstance(fpr, dict) and isinstance(power, dict) and isinstance(verdict, dict)
    print(
        f"people={args.people} seed={args.seed} sd_d~{null['sd_d']:.2f} | no effect, "
        "false positives (p<0.05) at "
        + ", ".join(f"{n}d {fpr[n]:.3f}±{mc_se(fpr[n], args.people):.3f}" for n in CHECKPOINTS)
        + f" | effect {args.effect:g} points, detected (p<0.05) at "
        + ", ".join(f"{n}d {power[n]:.3f}" for n in CHECKPOINTS)
        + "; verdict 'massaged calf better' (p<0.05 and mean >= 1.4) at "
        + ", ".join(f"{n}d {verdict[n]:.3f}" for n in CHECKPOINTS)
    )


if __name__ == "__main__":
    main()
