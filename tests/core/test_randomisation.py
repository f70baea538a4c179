"""The sign-flip test and its interval, against full enumeration and hand-computed cases."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.randomisation import (
    Method,
    brute_force_p,
    exact_tail,
    sign_flip_test,
)

small_int_diffs = st.lists(st.integers(-20, 20), min_size=1, max_size=12)


@given(small_int_diffs)
@settings(max_examples=150, deadline=None)
def test_dp_equals_brute_force_enumeration(diffs: list[int]) -> None:
    result = sign_flip_test(diffs, resolution=1)
    assert result.method in (Method.EXACT_DP, Method.EXACT_FOURIER)
    assert result.p_value == pytest.approx(brute_force_p(diffs), abs=1e-12)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=12), st.integers(0, 60))
@settings(max_examples=150, deadline=None)
def test_fourier_equals_dp(a: list[int], s: int) -> None:
    from calfcare.core.randomisation import _dp_tail, _fourier_tail

    nonzero = [x for x in a if x]
    total = sum(nonzero)
    if not 0 < s <= total:
        return
    exact = float(_dp_tail(nonzero, s, total, 8 * (len(nonzero) // 8 + 1)))
    assert _fourier_tail(nonzero, s, total) == pytest.approx(exact, abs=1e-9)


@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=10))
@settings(max_examples=100, deadline=None)
def test_meet_in_the_middle_equals_brute_force(diffs: list[float]) -> None:
    result = sign_flip_test(diffs)
    assert result.method is Method.ENUMERATION
    assert result.p_value == pytest.approx(brute_force_p(diffs), abs=1e-12)


@given(st.lists(st.integers(-10, 10), min_size=1, max_size=40), st.randoms())
@settings(max_examples=100, deadline=None)
def test_p_in_unit_interval_order_free_and_sign_symmetric(
    diffs: list[int], rnd: random.Random
) -> None:
    p = sign_flip_test(diffs, resolution=1).p_value
    assert 0 <= p <= 1
    shuffled = list(diffs)
    rnd.shuffle(shuffled)
    assert sign_flip_test(shuffled, resolution=1).p_value == pytest.approx(p, abs=1e-12)
    assert sign_flip_test([-d for d in diffs], resolution=1).p_value == pytest.approx(p, abs=1e-12)


def test_hand_computed_cases() -> None:
    # All six days the same way: only the observed pattern and its mirror are as extreme.
    assert sign_flip_test([-1] * 6, resolution=1).p_value == pytest.approx(2 / 64)
    # [1, 2, 3]: |sum| = 6 is reached by +++ and --- only: 2/8.
    assert sign_flip_test([1, 2, 3], resolution=1).p_value == pytest.approx(0.25)
    # [1, 1]: sums 2, 0, 0, -2; |sum| >= 0 always.
    assert sign_flip_test([1, -1], resolution=1).p_value == 1
    # [2, 1, 1]: sums +-4 (2 patterns), +-2 (4), 0 (2): P(|S| >= 2) = 6/8.
    assert exact_tail([2, 1, 1], 2)[0] == pytest.approx(0.75)


def test_smallest_p_is_one_over_two_to_the_n_minus_one() -> None:
    for n in range(1, 15):
        assert sign_flip_test([3] * n, resolution=1).p_value == pytest.approx(2.0 ** (1 - n))


def test_monte_carlo_is_seeded_reported_and_close() -> None:
    rng = random.Random(4)
    diffs = [rng.gauss(0.4, 1) for _ in range(24)]
    first = sign_flip_test(diffs, seed=9)
    assert first.method is Method.MONTE_CARLO and first.draws == 20_000
    assert sign_flip_test(diffs, seed=9) == first
    with pytest.raises(ValueError, match="20000"):
        sign_flip_test(diffs, draws=100)


def test_empty_and_bad_resolution() -> None:
    with pytest.raises(ValueError, match="at least one"):
        sign_flip_test([])
    with pytest.raises(ValueError, match="positive"):
        sign_flip_test([1.0], resolution=0)
