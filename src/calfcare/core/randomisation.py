"""The exact sign-flip randomisation test of a mean within-day difference, and its interval.

Why a sign-flip test: in the split-leg design a fair coin chose which calf was massaged, so
under "no effect" each day's difference d is as likely to be +|d| as -|d|. The test compares
the observed |sum of d| with that distribution and is valid however the days vary or
correlate, because it uses only the randomisation that was actually done (Senn 2016,
``senn-2016``; Bulté & Onghena 2008, ``bulte-onghena-2008``). Two-sided; the observed
pattern is counted, so the smallest p with n days is 1/2^(n-1).

How the null distribution is computed (all are "every 2^n sign pattern counted"):

* ``exact-dp``: values on a grid (soreness differences are whole points, knee-to-wall 0.1 cm)
  become integers, and the count of sign patterns per sum comes from a dynamic programme over
  integer sums, packed into one Python integer with one slot per sum so each day costs one
  shift and one add. Exact rational arithmetic.
* ``exact-fourier``: the same distribution through its characteristic function
  prod cos(a_i t), inverted on a circle larger than the sums that carry any probability (Hoeffding
  bound < 1e-17); exact up to floating-point rounding (< 1e-9), used when the
  programme would be slow (years of daily data).
* ``normal-limit``: only when even that would be slow (years of daily knee-to-wall data with
  hundreds of distinct values): the normal limit of the same distribution, variance sum d^2,
  with a continuity correction; at that many days it agrees to well under 0.001.
* ``enumeration``: values off any grid and n <= 20: both halves of the days enumerated
  and the pairs counted (meet in the middle), which is the full enumeration, only faster.
* ``monte-carlo``: off-grid and n > 20: ``draws`` (>= 20,000) seeded sign patterns,
  p = (1 + hits) / (draws + 1), reported with the number of draws.

The interval that inverts this test (every shift the test does not reject) is in
`calfcare.core.exact_interval`.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import product
from statistics import NormalDist

MIN_DRAWS = 20_000
MAX_ENUMERATED_DAYS = 20
_GRID_TOLERANCE = 1e-7
_DP_BIT_BUDGET = 60_000_000  # about 5 ms of shifting and adding
_TAIL_LOG_BOUND = math.log(2e17)
_FOURIER_BUDGET = 150_000  # cosine-power evaluations, about 30 ms


class Method(StrEnum):
    """How the null distribution was obtained (see the module docstring)."""

    EXACT_DP = "exact-dp"
    EXACT_FOURIER = "exact-fourier"
    ENUMERATION = "enumeration"
    MONTE_CARLO = "monte-carlo"
    NORMAL_LIMIT = "normal-limit"


@dataclass(frozen=True, slots=True)
class SignFlipTest:
    """A two-sided p for the mean difference, and how it was computed."""

    p_value: float
    method: Method
    draws: int | None = None


def sign_flip_test(
    diffs: Sequence[float],
    *,
    resolution: float | None = None,
    draws: int = MIN_DRAWS,
    seed: int = 0,
) -> SignFlipTest:
    """Two-sided sign-flip test of mean(diffs) = 0; exact whenever ``resolution`` fits."""
    if not diffs:
        raise ValueError("a sign-flip test needs at least one difference")
    units = on_grid(diffs, resolution) if resolution is not None else None
    if units is not None:
        a = [abs(u) for u in units]
        p, method = exact_tail(a, abs(sum(units)))
        return SignFlipTest(float(p), method)
    if len(diffs) <= MAX_ENUMERATED_DAYS:
        return SignFlipTest(_meet_in_middle_p(diffs), Method.ENUMERATION)
    if draws < MIN_DRAWS:
        raise ValueError(f"use at least {MIN_DRAWS} Monte Carlo draws")
    return SignFlipTest(_monte_carlo_p(diffs, draws, seed), Method.MONTE_CARLO, draws)


def on_grid(diffs: Sequence[float], resolution: float) -> list[int] | None:
    """The differences as whole multiples of ``resolution``, or None if any is off the grid."""
    if resolution <= 0:
        raise ValueError("resolution must be positive")
    units: list[int] = []
    for d in diffs:
        k = round(d / resolution)
        if abs(d / resolution - k) > _GRID_TOLERANCE * max(1.0, abs(k)):
            return None
        units.append(k)
    return units


def exact_tail(a: Sequence[int], s: int) -> tuple[Fraction | float, Method]:
    """P(|sum of +-a_i| >= s) over all 2^n equally likely sign patterns, a_i >= 0."""
    nonzero = [x for x in a if x]
    total = sum(nonzero)
    if s <= 0:
        return Fraction(1), Method.EXACT_DP
    if s > total:
        return Fraction(0), Method.EXACT_DP
    g = 0
    for x in nonzero:
        g = math.gcd(g, x)
    nonzero = [x // g for x in nonzero]
    s, total = -(-s // g), total // g
    bits = 8 * (len(nonzero) // 8 + 1)
    if len(nonzero) * total * bits // 2 <= _DP_BIT_BUDGET:
        return _dp_tail(nonzero, s, total, bits), Method.EXACT_DP
    variance = sum(x * x for x in nonzero)
    points = min(total, math.sqrt(2 * variance * _TAIL_LOG_BOUND)) + s
    if points * len(set(nonzero)) <= _FOURIER_BUDGET:
        return _fourier_tail(nonzero, s, total), Method.EXACT_FOURIER
    # Sums move in steps of 2, so the continuity correction is 1.
    z = (s - 1) / math.sqrt(variance)
    return min(1.0, 2 * (1 - NormalDist().cdf(z))), Method.NORMAL_LIMIT


def _dp_tail(a: list[int], s: int, total: int, bits: int) -> Fraction:
    # Slot u of `poly` counts the sign patterns whose plus-signed values sum to u; the signed
    # sum is then 2u - total, and the two tails are mirror images.
    poly = 1
    for x in a:
        poly += poly << (x * bits)
    width = bits // 8
    raw = poly.to_bytes((total + 1) * width, "little")
    last = (total - s) // 2
    lower = sum(int.from_bytes(raw[u * width : (u + 1) * width], "little") for u in range(last + 1))
    return Fraction(2 * lower, (1 << len(a)))


def _fourier_tail(a: list[int], s: int, total: int) -> float:
    m = s - 1  # P(|S| >= s) = 1 - P(|S| <= m)
    variance = sum(x * x for x in a)
    tail = math.ceil(math.sqrt(2 * variance * _TAIL_LOG_BOUND))
    n_points = max(m + 1 + min(total, tail), 2 * m + 1)
    n_points += 1 - n_points % 2
    groups = Counter(a)
    acc = 0.0
    for t in range(1, (n_points - 1) // 2 + 1):
        theta = 2 * math.pi * t / n_points
        phi = 1.0
        for x, count in groups.items():
            phi *= math.cos(x * theta) ** count
        half = math.pi * t / n_points
        acc += phi * math.sin((2 * m + 1) * half) / math.sin(half)
    inside = (2 * m + 1 + 2 * acc) / n_points
    return min(1.0, max(2.0 ** (1 - len(a)), 1.0 - inside))


def _meet_in_middle_p(diffs: Sequence[float]) -> float:
    observed = abs(math.fsum(diffs))
    tol = 1e-9 * max(1.0, math.fsum(abs(d) for d in diffs))
    half = len(diffs) // 2
    left = _all_sums(diffs[:half])
    right = sorted(_all_sums(diffs[half:]))
    hits = 0
    for x in left:
        hits += len(right) - bisect_left(right, observed - x - tol)
        hits += bisect_right(right, -observed - x + tol)
    return min(1.0, hits / (1 << len(diffs)))


def _all_sums(values: Sequence[float]) -> list[float]:
    sums = [0.0]
    for v in values:
        sums = [s + v for s in sums] + [s - v for s in sums]
    return sums


def _monte_carlo_p(diffs: Sequence[float], draws: int, seed: int) -> float:
    rng = random.Random(seed)
    n = len(diffs)
    observed = abs(math.fsum(diffs))
    tol = 1e-9 * max(1.0, math.fsum(abs(d) for d in diffs))
    hits = 0
    for _ in range(draws):
        signs = rng.getrandbits(n)
        total = math.fsum(d if signs >> i & 1 else -d for i, d in enumerate(diffs))
        if abs(total) >= observed - tol:
            hits += 1
    return (1 + hits) / (draws + 1)


def brute_force_p(diffs: Sequence[float]) -> float:
    """Every sign pattern, one by one: the reference the fast methods are tested against."""
    observed = abs(math.fsum(diffs))
    tol = 1e-9 * max(1.0, math.fsum(abs(d) for d in diffs))
    hits = 0
    for signs in product((1, -1), repeat=len(diffs)):
        if abs(math.fsum(s * d for s, d in zip(signs, diffs, strict=True))) >= observed - tol:
            hits += 1
    return hits / (1 << len(diffs))
