"""The knee-to-wall trend's interval on simulated people with no real trend.

    .venv/bin/python bench/simulate_trend.py [--people 4000] [--seed 1]

Each person's rested knee-to-wall distance drifts from day to day as an AR(1) in calendar
days (SD 1 cm, 0.1 cm steps) with no trend; they test on every day, or on a share of days,
over 3 to 12 weeks (at least 8 test days: what the insight needs). Printed: the share whose
trend says the distance changed (the 95% interval excludes zero), for the interval the app
uses (`calfcare.core.trend.robust_trend`) and for the ordinary least-squares t interval it
replaced, at day-to-day correlations 0, 0.5 and 0.8. docs/insights.md quotes the figures.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time

from calfcare.core.student_t import t_quantile
from calfcare.core.trend import robust_trend

SCENARIOS = ((21, 1.0), (42, 1.0), (84, 1.0), (42, 0.5), (84, 0.3), (180, 0.5))


def person(
    rng: random.Random, span: int, chance: float, rho: float
) -> tuple[list[int], list[float]]:
    noise = rng.gauss(0, 1)
    days, values = [], []
    for t in range(span + 1):
        if t:
            noise = rho * noise + rng.gauss(0, math.sqrt(1 - rho * rho))
        if t in (0, span) or rng.random() < chance:
            days.append(t)
            values.append(round(10 + noise, 1))
    return days, values


def ols_interval(days: list[int], values: list[float]) -> tuple[float, float]:
    n = len(days)
    mx, my = statistics.fmean(days), statistics.fmean(values)
    sxx = sum((x - mx) ** 2 for x in days)
    slope = sum((x - mx) * (y - my) for x, y in zip(days, values, strict=True)) / sxx
    rss = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(days, values, strict=True))
    half = t_quantile(0.975, n - 2) * math.sqrt(rss / (n - 2) / sxx)
    return slope - half, slope + half


def claims(people: int, seed: int, span: int, chance: float, rho: float) -> tuple[float, float]:
    rng = random.Random(f"{seed}:{span}:{chance}:{rho}")
    done = robust = plain = 0
    while done < people:
        days, values = person(rng, span, chance, rho)
        if len(days) < 8:
            continue
        done += 1
        low, high = robust_trend(days, values).interval
        robust += low > 0 or high < 0
        low, high = ols_interval(days, values)
        plain += low > 0 or high < 0
    return robust / people, plain / people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"people={args.people} seed={args.seed}: share claiming a change with no real trend")
    for rho in (0.0, 0.5, 0.8):
        for span, chance in SCENARIOS:
            robust, plain = claims(args.people, args.seed, span, chance, rho)
            print(
                f"  rho {rho:.1f}, {span:3d} days, tested on {chance:.0%} of days: "
                f"app {robust:.3f}, ordinary least squares {plain:.3f}"
            )
    print(f"simulate_trend: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
