"""The accounts' pure rules: login names, the password policy, session times, the throttle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfcare.core.accounts import (
    PASSKEY_BEGINS,
    SIGN_UPS,
    THROTTLE_WINDOW,
    network_of,
    new_session_times,
    normalise_login,
    password_problems,
    retry_after,
    wait_words,
)
from calfcare.core.errors import InvalidInput

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_login_names_are_normalised_and_checked() -> None:
    assert normalise_login("  Jo.Smith@Clinic ") == "jo.smith@clinic"
    assert normalise_login("\uff2a\uff2f_1") == "jo_1"  # full-width letters (NFKC)
    for bad in ("jo", "jo smith", "x" * 65, "jö", ""):
        with pytest.raises(InvalidInput) as refused:
            normalise_login(bad)
        assert refused.value.problems[0].field == "login"


def test_the_password_policy_names_the_field() -> None:
    assert password_problems("correct horse battery") == []
    for bad in ("short", "x" * 257, "aaaaaaaaaaaa", "jo.smith.1"):
        problems = password_problems(bad, login="jo.smith.1")
        assert [p.field for p in problems] == ["password"], bad


def test_a_session_ends_when_revoked_expired_or_idle() -> None:
    times = new_session_times(NOW)
    assert times.alive(NOW + timedelta(days=6))
    assert not times.alive(NOW + timedelta(days=7))  # idle a week
    seen = type(times)(times.created_at, times.expires_at, NOW + timedelta(days=29), None)
    assert seen.alive(NOW + timedelta(days=29, hours=23))
    assert not seen.alive(NOW + timedelta(days=30))  # expired, however recently seen
    revoked = type(times)(times.created_at, times.expires_at, NOW, NOW)
    assert not revoked.alive(NOW + timedelta(seconds=1))


offsets = st.lists(st.integers(0, 3 * 15 * 60), max_size=30)


@given(offsets=offsets, limit=st.integers(1, 25))
def test_the_throttle_refuses_exactly_at_the_limit_and_says_when(
    offsets: list[int], limit: int
) -> None:
    failures = [NOW - timedelta(seconds=s) for s in offsets]
    recent = [f for f in failures if NOW - THROTTLE_WINDOW < f <= NOW]
    wait = retry_after(failures, NOW, limit)
    assert (wait is None) == (len(recent) < limit)
    if wait is not None:
        assert timedelta(0) < wait <= THROTTLE_WINDOW
        assert retry_after(failures, NOW + wait, limit) is None  # allowed once it has passed
        assert retry_after(failures, NOW + wait - timedelta(seconds=1), limit) is not None


def test_failures_in_the_future_or_long_ago_do_not_count() -> None:
    old = [NOW - THROTTLE_WINDOW] * 10
    assert retry_after(old, NOW, 5) is None
    assert retry_after([NOW + timedelta(seconds=1)] * 10, NOW, 5) is None
    assert retry_after([NOW] * 5, NOW, 5) == THROTTLE_WINDOW


def test_an_address_limit_counts_its_own_window_and_says_the_wait_in_minutes() -> None:
    hour = SIGN_UPS.window
    made = [NOW - hour + timedelta(minutes=m + 1) for m in range(SIGN_UPS.count)]
    assert SIGN_UPS.wait(made, NOW) == timedelta(minutes=1)  # until the oldest leaves
    assert SIGN_UPS.wait(made, NOW + timedelta(minutes=1)) is None
    assert SIGN_UPS.wait([*made[1:], NOW], NOW) == timedelta(minutes=2)
    assert SIGN_UPS.wait(made[1:], NOW) is None  # one fewer: allowed
    refusal = SIGN_UPS.refusal(timedelta(minutes=59, seconds=1))
    assert refusal.message == "Too many new accounts from this network: try again in 60 minutes."
    assert refusal.retry_after == timedelta(minutes=59, seconds=1)
    assert [wait_words(timedelta(seconds=s)) for s in (0, 1, 60, 61)] == [
        "1 minute", "1 minute", "1 minute", "2 minutes",
    ]  # fmt: skip
    assert PASSKEY_BEGINS.wait([NOW] * PASSKEY_BEGINS.count, NOW) == THROTTLE_WINDOW


def test_the_throttles_count_an_ipv6_network_as_one_address() -> None:
    one = "2001:db8:1:2::/64"
    assert network_of("2001:db8:1:2:aaaa::1") == network_of("2001:db8:1:2::ffff") == one
    assert network_of("2001:db8:1:3::1") != network_of("2001:db8:1:2::1")
    assert network_of("203.0.113.5") == network_of("::ffff:203.0.113.5") == "203.0.113.5"
    assert network_of("testclient") == "testclient"  # not an IP address: as it is
    assert all(len(network_of(a)) <= 64 for a in ("ffff:" * 7 + "ffff", "255.255.255.255"))
