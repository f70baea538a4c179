"""Validate the split-leg analysis on simulated people (SELF-EXPERIMENT.md, "Validation").

    .venv/bin/python bench/simulate_split_leg.py [--people 2000] [--seed 1]

Prints, for the model in bench/split_leg_model.py:
* false positives with no true difference: the registered analysis (once, at the planned
  length) and "looking every day" (stop at the first day from 6 on whose result shows a
  difference, up to 28 or 42 days), which the pre-registration exists to prevent;
* what skipping the days on which the massaged calf felt worse does to the false positives
  (why missing days are counted and warned about);
* the 95% interval's coverage of the true difference, soreness and knee-to-wall;
* the chance of a "better" result by days at the typical spread, against the table the app
  advises from (`calfcare.core.split_leg_power`).
Every result goes through the app's own `estimate` and verdict table; the coin is the real
`draw_split_leg_day`. docs/insights.md quotes the figures.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from split_leg_model import calibrate, person_diffs

from calfcare.core.randomisation import sign_flip_test
from calfcare.core.split_leg_design import ALPHA, SPECS, Outcome
from calfcare.core.split_leg_power import TYPICAL_SPREAD, default_days, power
from calfcare.core.split_leg_stats import estimate

SORENESS, KNEE = Outcome.NEXT_DAY_SORENESS, Outcome.KNEE_TO_WALL


def shows_difference(diffs: list[float], outcome: Outcome) -> bool:
    """Whether the result claims a difference (the whole interval on one side of zero).
    A p-value of 0.05 or more means the interval holds zero; only the rest need it."""
    spec = SPECS[outcome]
    if sign_flip_test(diffs, resolution=spec.resolution).p_value >= ALPHA:
        return False
    interval = estimate(diffs, spec).interval
    assert interval is not None
    return interval.low > 0 or interval.high < 0


def false_positives(people: int, seed: int, days: int) -> float:
    """No true difference: the share whose registered result (at ``days``) shows one."""
    rng = random.Random(seed)
    hits = sum(
        shows_difference(person_diffs(rng, SORENESS, days, 0.0, TYPICAL_SPREAD), SORENESS)
        for _ in range(people)
    )
    return hits / people


def looking_daily(people: int, seed: int, last: int) -> float:
    """No true difference: the share who would see a difference on some day from 6 to
    ``last`` if the result were shown, and believed, every day."""
    rng = random.Random(seed)
    hits = 0
    for _ in range(people):
        diffs = person_diffs(rng, SORENESS, last, 0.0, TYPICAL_SPREAD)
        hits += any(shows_difference(diffs[:n], SORENESS) for n in range(6, last + 1))
    return hits / people


def skipping_worse_days(people: int, seed: int, days: int, skip: float) -> float:
    """No true difference, but a day on which the massaged calf felt worse goes unrated
    with chance ``skip``: the share whose result then shows a difference."""
    rng = random.Random(seed)
    hits = 0
    for _ in range(people):
        diffs = person_diffs(rng, SORENESS, days, 0.0, TYPICAL_SPREAD)
        kept = [d for d in diffs if d <= 0 or rng.random() >= skip]
        hits += len(kept) >= 6 and shows_difference(kept, SORENESS)
    return hits / people


def coverage(people: int, seed: int, outcome: Outcome, effect: float, days: int) -> float:
    """The share of 95% intervals that hold the true difference (massaged minus other:
    -effect for soreness, +effect for knee-to-wall)."""
    rng = random.Random(seed)
    spec = SPECS[outcome]
    truth = -effect if spec.lower_is_better else effect
    held = 0
    for _ in range(people):
        interval = estimate(person_diffs(rng, outcome, days, effect, TYPICAL_SPREAD), spec).interval
        assert interval is not None
        held += interval.low <= truth <= interval.high
    return held / people


def simulated_power(people: int, seed: int, outcome: Outcome, days: int) -> float:
    """The share whose result says "massaged better" when the truth is the threshold."""
    rng = random.Random(seed)
    spec = SPECS[outcome]
    hits = 0
    for _ in range(people):
        diffs = person_diffs(rng, outcome, days, spec.threshold, TYPICAL_SPREAD)
        iv = estimate(diffs, spec).interval
        hits += iv is not None and (iv.high < 0 if spec.lower_is_better else iv.low > 0)
    return hits / people


def mc_se(share: float, people: int) -> float:
    return math.sqrt(max(share * (1 - share), 1e-12) / people)


def fmt(share: float, people: int) -> str:
    return f"{share:.3f} ± {mc_se(share, people):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    n, seed = args.people, args.seed
    started = time.perf_counter()
    n_sore, n_knee = default_days(SORENESS), default_days(KNEE)
    print(
        f"people={n} seed={seed}; default lengths: soreness {n_sore} days, knee-to-wall "
        f"{n_knee} days (typical spread {TYPICAL_SPREAD}; calf noise SD for it "
        f"{calibrate(TYPICAL_SPREAD):.2f})"
    )
    print("False positives, no true difference (a result showing any difference):")
    for days in (n_sore, 20, 28):
        print(
            f"  registered, analysed once at {days} days: {fmt(false_positives(n, seed, days), n)}"
        )
    for last in (28, 42):
        print(
            f"  looking every day from day 6 to {last}: {fmt(looking_daily(n, seed + 1, last), n)}"
        )
    for skip in (0.3, 0.6):
        share = skipping_worse_days(n, seed + 2, 20, skip)
        print(f"  20 days, {skip:.0%} of days the massaged calf felt worse left unrated: "
              f"{fmt(share, n)}")  # fmt: skip
    print("Coverage of the 95% interval (true difference inside):")
    cases = (
        (SORENESS, 1.4, n_sore),
        (SORENESS, 1.5, 20),
        (SORENESS, 0.5, 20),
        (SORENESS, 0.0, 20),
        (KNEE, 1.5, n_knee),
        (KNEE, 0.0, 20),
    )
    for outcome, effect, days in cases:
        share = coverage(n, seed + 3, outcome, effect, days)
        print(f"  {outcome.value}, true difference {effect:g}, {days} days: {fmt(share, n)}")
    print("Chance of a 'massaged calf better' result at the threshold (simulated vs table):")
    for outcome, days_list in ((SORENESS, (10, n_sore, 20, 28)), (KNEE, (6, n_knee, 14, 20))):
        for days in days_list:
            share = simulated_power(n, seed + 4, outcome, days)
            print(f"  {outcome.value}, {days} days: {fmt(share, n)} (table "
                  f"{power(outcome, days):.3f})")  # fmt: skip
    print(f"simulate_split_leg: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
