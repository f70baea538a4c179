"""The 95% interval of a mean day difference, by inverting the exact sign-flip test.

A shift delta belongs to the interval when the two-sided sign-flip test of the days'
differences minus delta does not reject it (p > alpha; `calfcare.core.randomisation`).
Inverting that test by trying shifts on a grid and keeping the innermost accepted one gives
an interval that is always a little too narrow; this module finds the exact bounds instead.

Why subset means: for a shift below the mean, a sign pattern is at least as extreme as the
observed one exactly when the mean of the flipped days, or of the days left alone, is at most
the shift (for the sum statistic, ties counted). So p(delta) = 2 (1 + K(delta)) / 2^n, where
K(delta) counts the non-empty sets of days whose mean is at most delta, and the test accepts
delta exactly when K(delta) >= k, the smallest whole number above alpha 2^(n-1) - 1. The
lower bound is therefore the k-th smallest of the 2^n - 1 subset means and the upper bound
the k-th largest (Hartigan 1969; the randomisation interval of Bulté & Onghena 2008,
``bulte-onghena-2008``). Both ends are accepted: the interval is closed.

How it is computed:

* ``exact``: the days' differences lie on a grid (whole soreness points, 0.1 cm), so they
  are whole numbers of grid units. A dynamic programme counts the sets of days by size and
  sum (one packed big integer per size, so each day costs a shift and an add per size);
  then "how many subset means lie below g" is one look-up per size, for any g. The bounds
  are found by bisection on a grid of ``resolution`` (0.01) and rounded outward: the low end
  is the largest grid point at or below the exact bound, the high end the smallest at or
  above it. Never narrower than the exact interval, at most ``resolution`` wider per end.
* ``normal-limit``: when that programme would be slow (hundreds of days of finely graded
  knee-to-wall differences), the normal limit of the same randomisation distribution
  (variance sum (d - delta)^2) with a continuity correction of one grid unit, solved in
  closed form, rounded outward and then widened by one more ``resolution`` step. Tests check
  that it contains the exact interval wherever both can be computed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from statistics import NormalDist

from calfcare.core.randomisation import on_grid

RESOLUTION = 0.01
_DP_BIT_BUDGET = 200_000_000  # days^2/2 x sums x bits per count: about 30 ms


class IntervalMethod(StrEnum):
    EXACT = "exact"
    NORMAL_LIMIT = "normal-limit"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval of the mean difference, in the differences' own unit."""

    low: float
    high: float
    method: IntervalMethod

    def as_tuple(self) -> tuple[float, float]:
        return (self.low, self.high)


def sign_flip_interval(
    diffs: Sequence[float],
    *,
    unit: float,
    resolution: float = RESOLUTION,
    confidence: float = 0.95,
    exact_budget: int = _DP_BIT_BUDGET,
) -> Interval | None:
    """The shifts of the mean the sign-flip test does not reject, rounded outward to
    ``resolution``; None when no shift can be rejected (fewer than 6 days at 95%).

    ``unit`` is the grid the differences lie on (1 for soreness points, 0.1 for cm); it must
    be a whole multiple of ``resolution``.
    """
    n = len(diffs)
    alpha = Fraction(1 - confidence).limit_denominator(10**6)
    if n == 0 or Fraction(2) ** (1 - n) >= alpha:
        return None
    units = on_grid(diffs, unit)
    if units is None:
        raise ValueError(f"differences are not on the {unit} grid")
    q = round(unit / resolution)
    if q < 1 or abs(unit / resolution - q) > 1e-9:
        raise ValueError("the grid unit must be a whole multiple of the resolution")
    k = math.floor(alpha * 2 ** (n - 1) - 1) + 1
    span = sum(abs(u) for u in units)
    bits = _slot_bits(n)
    if n * n * (span + 1) * bits // 2 <= exact_budget:
        low, high = _exact_bounds(units, q, k)
        method = IntervalMethod.EXACT
    else:
        low, high = _normal_bounds(units, q, confidence)
        method = IntervalMethod.NORMAL_LIMIT
    return Interval(round(low * resolution, 9), round(high * resolution, 9), method)


def _slot_bits(n: int) -> int:
    # A count of sets of days is below 2^n: whole bytes with room for it.
    return 8 * (n // 8 + 1)


def _exact_bounds(units: list[int], q: int, k: int) -> tuple[int, int]:
    """(largest j with j/q at or below the k-th smallest subset mean, smallest j with j/q at
    or above the k-th largest), in grid units times q."""
    table = _SubsetSums(units)
    n = len(units)

    def below(j: int) -> int:  # sets of days whose mean is < j/q (in grid units)
        # sums s with q*s < m*j: s <= ceil(m*j/q) - 1
        return sum(table.at_most(m, -((-m * j) // q) - 1) for m in range(1, n + 1))

    def above(j: int) -> int:  # sets of days whose mean is > j/q
        return sum(table.total(m) - table.at_most(m, (m * j) // q) for m in range(1, n + 1))

    lo, hi = q * min(units), q * max(units) + 1  # below(lo) = 0 < k <= below(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if below(mid) < k else (lo, mid)
    low = lo
    lo, hi = q * min(units) - 1, q * max(units)  # above(hi) = 0 < k <= above(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if above(mid) < k else (mid, hi)
    return low, hi


class _SubsetSums:
    """How many sets of m days have a sum of units at most s, for every size m.

    A dynamic programme over sizes, with one big integer per size whose slot s (``bits``
    wide) counts the sets of that size with sum s - offset: each day costs one shift and
    add per size. Running totals come from adding each integer to itself shifted by 1, 2,
    4, ... slots (about a dozen big-integer additions per size), and each size is then read
    as bytes once; a slot never overflows, since no count reaches 2^n."""

    def __init__(self, units: list[int]) -> None:
        n = len(units)
        self.offset = sum(-u for u in units if u < 0)
        self.span = sum(abs(u) for u in units)
        self.bits = _slot_bits(n)
        self.width = self.bits // 8
        poly = [0] * (n + 1)
        poly[0] = 1 << (self.offset * self.bits)
        for i, u in enumerate(units):
            shift = u * self.bits
            for m in range(i + 1, 0, -1):
                previous = poly[m - 1]
                if previous:
                    poly[m] += previous << shift if shift >= 0 else previous >> -shift
        self.raw = []
        read = (self.span + 1) * self.width
        for running in poly:
            step = self.bits
            while step <= self.bits * self.span:
                running += running << step  # slot s: the count of sums <= s
                step *= 2
            self.raw.append(running.to_bytes((running.bit_length() + 7) // 8 + 1, "little")[:read])

    def at_most(self, m: int, s: int) -> int:
        """The number of sets of m days whose sum is at most ``s``."""
        slot = min(s + self.offset, self.span)
        if slot < 0:
            return 0
        w = self.width
        return int.from_bytes(self.raw[m][slot * w : (slot + 1) * w], "little")

    def total(self, m: int) -> int:
        return self.at_most(m, self.span)


def _normal_bounds(units: list[int], q: int, confidence: float) -> tuple[int, int]:
    # Solve (|S - n delta| - 1)^2 = z^2 sum (u - delta)^2 on each side of the mean, in grid
    # units: (n^2 - z^2 n) delta^2 - 2 (A n - z^2 S) delta + A^2 - z^2 Q = 0, A = S -+ 1.
    n = len(units)
    z2 = NormalDist().inv_cdf(1 - (1 - confidence) / 2) ** 2
    s = math.fsum(units)
    sq = math.fsum(u * u for u in units)
    a2 = n * n - z2 * n
    roots = []
    for a, pick in ((s - 1, min), (s + 1, max)):
        b = -2 * (a * n - z2 * s)
        c = a * a - z2 * sq
        root = math.sqrt(max(0.0, b * b - 4 * a2 * c))
        roots.append(pick((-b - root) / (2 * a2), (-b + root) / (2 * a2)))
    low, high = roots
    return math.floor(low * q) - 1, math.ceil(high * q) + 1
