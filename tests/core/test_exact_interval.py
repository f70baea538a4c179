"""The exact interval of the sign-flip test: against full enumeration, rounded outward, and the
normal limit never narrower than the exact bounds."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.exact_interval import IntervalMethod, sign_flip_interval
from calfcare.core.randomisation import sign_flip_test


def p_at(units: list[int], delta: Fraction) -> float:
    """The two-sided sign-flip p of "the mean difference is delta" (exact enumeration)."""
    shifted = [Fraction(u) - delta for u in units]
    scale = math.lcm(*(x.denominator for x in shifted))
    return sign_flip_test([int(x * scale) for x in shifted], resolution=1).p_value


def enumerated_bounds(units: list[int]) -> tuple[Fraction, Fraction]:
    """The k-th smallest and largest of all subset means (Hartigan), checked against the
    definition: the test accepts both ends and rejects anything just beyond them."""
    means = sorted(
        Fraction(sum(c), len(c)) for m in range(1, len(units) + 1) for c in combinations(units, m)
    )
    k = math.floor(Fraction(1, 20) * 2 ** (len(units) - 1) - 1) + 1
    low, high = means[k - 1], means[-k]
    below = max((m for m in means if m < low), default=low - 1)
    above = min((m for m in means if m > high), default=high + 1)
    assert p_at(units, low) > 0.05 and p_at(units, high) > 0.05
    assert p_at(units, (low + below) / 2) <= 0.05 and p_at(units, (high + above) / 2) <= 0.05
    return low, high


small = st.lists(st.integers(-6, 5), min_size=6, max_size=9)


@given(small)
@settings(max_examples=60, deadline=None)
def test_equals_enumeration_rounded_outward(units: list[int]) -> None:
    low, high = enumerated_bounds(units)
    got = sign_flip_interval(units, unit=1)
    assert got is not None and got.method is IntervalMethod.EXACT
    assert got.low == math.floor(low * 100) / 100
    assert got.high == math.ceil(high * 100) / 100
    tenths = sign_flip_interval([u / 10 for u in units], unit=0.1)
    assert tenths is not None
    assert tenths.low == math.floor(low * 10) / 100 and tenths.high == math.ceil(high * 10) / 100


def test_hand_computed_and_the_old_grid_was_too_narrow() -> None:
    diffs = [-2, -1, -3, 0, -2, -1, -2, 1, -3, -2, -1, -2, 0, -2]
    got = sign_flip_interval(diffs, unit=1)
    assert got is not None
    # The inner 0.1 grid point the previous version reported was (-2.0, -0.8).
    assert (got.low, got.high) == (-2.0, -0.75)  # -0.75 is a subset mean: -3/4
    assert got.high > -0.8
    low, high = enumerated_bounds(diffs[:10])
    ten = sign_flip_interval(diffs[:10], unit=1)
    assert ten is not None and ten.low <= low + 1e-9 and ten.high >= high - 1e-9


def test_no_interval_before_six_days_and_bad_input() -> None:
    assert sign_flip_interval([-2] * 5, unit=1) is None
    assert sign_flip_interval([], unit=1) is None
    assert sign_flip_interval([-2] * 6, unit=1) is not None
    with pytest.raises(ValueError, match="grid"):
        sign_flip_interval([0.5] * 6, unit=1)
    with pytest.raises(ValueError, match="multiple"):
        sign_flip_interval([1] * 6, unit=1, resolution=0.3)


@given(st.lists(st.integers(-15, 15), min_size=50, max_size=70), st.sampled_from([1, 0.1]))
@settings(max_examples=12, deadline=None)
def test_the_normal_limit_is_never_narrower_than_the_exact_interval(
    units: list[int], unit: float
) -> None:
    diffs = [u * unit for u in units]
    exact = sign_flip_interval(diffs, unit=unit, exact_budget=10**12)
    normal = sign_flip_interval(diffs, unit=unit, exact_budget=0)
    assert exact is not None and normal is not None
    assert exact.method is IntervalMethod.EXACT and normal.method is IntervalMethod.NORMAL_LIMIT
    assert normal.low <= exact.low and normal.high >= exact.high
    assert normal.high - normal.low <= 2 * (exact.high - exact.low) + 0.1  # a sanity bound


@given(st.lists(st.integers(-8, 8), min_size=6, max_size=25))
@settings(max_examples=60, deadline=None)
def test_mirror_holds_the_mean_and_agrees_with_the_p_value(units: list[int]) -> None:
    got = sign_flip_interval(units, unit=1)
    assert got is not None
    mean = sum(units) / len(units)
    assert got.low <= mean <= got.high
    mirrored = sign_flip_interval([-u for u in units], unit=1)
    assert mirrored is not None and (mirrored.low, mirrored.high) == (-got.high, -got.low)
    # Zero is outside the interval exactly when the test of "no difference" rejects it (the
    # bounds are subset means, at least 1/25 from zero, so rounding cannot reach it).
    rejects = sign_flip_test(units, resolution=1).p_value <= 0.05
    assert rejects == (got.low > 0 or got.high < 0)
