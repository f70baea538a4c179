"""Passkeys' pure rules: a passkey's name, the challenge's five minutes, the counter, and
which host names a passkey can be made for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.errors import InvalidInput
from calfcare.core.passkeys import (
    CHALLENGE_LIFETIME,
    NAME_LENGTH,
    challenge_alive,
    counter_moves_on,
    passkey_name,
    relying_party_id,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_name_is_tidied_and_bounded() -> None:
    assert passkey_name("  My\tphone \n") == "My phone"
    assert passkey_name("\uff37ork key\x00") == "Work key"  # a full-width W
    assert passkey_name("x" * NAME_LENGTH) == "x" * NAME_LENGTH
    for bad in ("", "  ", "\x00\x07", "x" * (NAME_LENGTH + 1)):
        with pytest.raises(InvalidInput) as refused:
            passkey_name(bad)
        assert [p.field for p in refused.value.problems] == ["name"]


def test_a_challenge_lives_five_minutes() -> None:
    expires = NOW + CHALLENGE_LIFETIME
    assert timedelta(minutes=5) == CHALLENGE_LIFETIME
    assert challenge_alive(expires, expires - timedelta(microseconds=1))
    assert not challenge_alive(expires, expires)


@settings(derandomize=True)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_the_counter_must_move_on_unless_never_kept(stored: int, reported: int) -> None:
    expected = reported > stored or stored == reported == 0
    assert counter_moves_on(stored, reported) is expected


def test_the_counter_examples() -> None:
    assert counter_moves_on(0, 0) and counter_moves_on(0, 1) and counter_moves_on(5, 6)
    assert not counter_moves_on(5, 5) and not counter_moves_on(5, 4)
    assert not counter_moves_on(5, 0)


def test_a_passkey_needs_a_host_name_not_an_address() -> None:
    assert relying_party_id("localhost") == "localhost"
    assert relying_party_id("Calf.Example") == "calf.example"
    for address in ("127.0.0.1", "::1", "[::1]", "10.0.0.2", ""):
        assert relying_party_id(address) is None
