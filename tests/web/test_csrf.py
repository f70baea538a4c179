"""The signed double-submit token (calfcare.web.csrf) on its own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from calfcare.web import csrf

SECRET = b"s" * 32


def test_a_new_token_is_signed_and_unique() -> None:
    first, second = csrf.new_token(SECRET), csrf.new_token(SECRET)
    assert first != second
    assert csrf.is_signed(SECRET, first)
    assert csrf.check_submission(SECRET, first, first) is None


def test_another_secret_or_a_changed_token_is_not_signed() -> None:
    token = csrf.new_token(SECRET)
    nonce, signature = token.split(".")
    assert not csrf.is_signed(b"t" * 32, token)
    assert not csrf.is_signed(SECRET, f"{nonce}x.{signature}")
    assert not csrf.is_signed(SECRET, f"{nonce}.{signature[:-1]}")
    for bad in (None, "", ".", "abc", "a.b.c", "é.x"):
        assert not csrf.is_signed(SECRET, bad)


def test_each_failure_says_why() -> None:
    token = csrf.new_token(SECRET)
    other = csrf.new_token(SECRET)
    assert "cookie is missing" in str(csrf.check_submission(SECRET, None, token))
    assert "token is missing" in str(csrf.check_submission(SECRET, token, None))
    assert "out of date" in str(csrf.check_submission(b"t" * 32, token, token))
    assert "does not match" in str(csrf.check_submission(SECRET, token, other))
    assert "does not match" in str(csrf.check_submission(SECRET, token, "ünïcode"))


# Bound to a sign-in session (server mode): a token is good for its own session only.

SESSIONS = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1)


@given(session=SESSIONS, other=SESSIONS)
def test_a_bound_token_is_good_for_its_own_session_only(session: str, other: str) -> None:
    token = csrf.new_token(SECRET, session)
    assert csrf.is_signed(SECRET, token, session)
    assert csrf.check_submission(SECRET, token, token, session) is None
    assert not csrf.is_signed(SECRET, token, None)  # not an unbound token either
    if other != session:
        assert not csrf.is_signed(SECRET, token, other)
        reason = csrf.check_submission(SECRET, token, token, other)
        assert reason is not None and "another sign-in" in reason


@given(session=SESSIONS)
def test_an_unbound_token_is_refused_once_signed_in(session: str) -> None:
    token = csrf.new_token(SECRET)  # made before signing in
    assert csrf.is_signed(SECRET, token)
    assert not csrf.is_signed(SECRET, token, session)
    assert "another sign-in" in str(csrf.check_submission(SECRET, token, token, session))
