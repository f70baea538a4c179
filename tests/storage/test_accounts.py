"""Accounts on both backends: the same refusal for an unknown login and a wrong password,
a new token at each sign-in and only its hash stored, sessions that end, the throttle
counted in the database, password changes and resets that revoke sessions."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from calfcare.core.accounts import ACCOUNT_FAILURES, THROTTLE_WINDOW, Role
from calfcare.core.errors import InvalidInput
from calfcare.core.records import Note
from calfcare.services import accounts
from calfcare.storage import Store, open_store

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(store: Store) -> None:
    accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    answers, times = [], []
    for login, password in (("jo.smith", "wrong password!"), ("nobody.here", PASSWORD)) * 2:
        started = time.perf_counter()
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(store, login, password, "10.0.0.1", NOW)
        times.append(time.perf_counter() - started)
        answers.append((refused.value.message, refused.value.retry_after))
    assert len(set(answers)) == 1
    wrong, unknown = sum(times[0::2]), sum(times[1::2])
    assert max(wrong, unknown) < 3 * min(wrong, unknown)  # both verify an Argon2 hash


def test_sign_in_gives_a_new_token_each_time_and_stores_only_hashes(store: Store) -> None:
    account = accounts.sign_up(store, "Jo.Smith", PASSWORD, NOW, role=Role.CLINICIAN)
    assert account.login == "jo.smith" and account.role is Role.CLINICIAN
    first = accounts.sign_in(store, "JO.SMITH", PASSWORD, "10.0.0.1", NOW)
    second = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW)
    assert first.token != second.token and len(first.token) >= 40
    with store.engine.connect() as connection:
        stored = " ".join(
            str(v)
            for table in ("accounts", "auth_sessions")
            for row in connection.execute(text(f"SELECT * FROM {table}")).all()
            for v in row
        )
    for secret in (PASSWORD, first.token, second.token):
        assert secret not in stored
    assert "$argon2id$" in stored
    found = accounts.session_account(store, first.token, NOW)
    assert found is not None and found.person_id == account.person_id


def test_the_account_is_its_persons_and_nobody_elses(store: Store) -> None:
    a = accounts.sign_up(store, "person.a", PASSWORD, NOW)
    b = accounts.sign_up(store, "person.b", PASSWORD, NOW)
    assert a.person_id != b.person_id
    with store.for_person(a.person_id).transaction() as tx:
        tx.add_note(Note("a1", NOW.date(), NOW, "A's note"))
    with store.for_person(b.person_id).reading() as tx:
        assert tx.notes() == []


def test_sessions_end_when_signed_out_expired_or_idle(store: Store) -> None:
    accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    token = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
    later = NOW + timedelta(days=6)
    assert accounts.session_account(store, token, later) is not None  # and seen now
    assert accounts.session_account(store, token, later + timedelta(days=6)) is not None
    assert accounts.session_account(store, token, NOW + timedelta(days=30)) is None  # expired
    idle = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
    assert accounts.session_account(store, idle, NOW + timedelta(days=8)) is None
    out = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
    accounts.sign_out(store, out, NOW)
    assert accounts.session_account(store, out, NOW) is None
    assert accounts.session_account(store, "not a token", NOW) is None


def test_the_throttle_counts_in_the_database_per_account_and_address(db_url: str) -> None:
    first, second = open_store(db_url), open_store(db_url)  # two workers
    try:
        accounts.sign_up(first, "jo.smith", PASSWORD, NOW)
        for i in range(ACCOUNT_FAILURES):
            worker = (first, second)[i % 2]
            with pytest.raises(accounts.SignInRefused) as refused:
                accounts.sign_in(worker, "jo.smith", "wrong password!", f"10.0.0.{i}", NOW)
            assert refused.value.retry_after is None
        with pytest.raises(accounts.SignInRefused) as refused:  # even the right password
            accounts.sign_in(second, "jo.smith", PASSWORD, "10.9.9.9", NOW)
        assert refused.value.retry_after == THROTTLE_WINDOW
        assert "15 minutes" in refused.value.message
        assert accounts.sign_in(first, "jo.smith", PASSWORD, "10.9.9.9", NOW + THROTTLE_WINDOW)
        for i in range(20):  # one address trying many logins
            with pytest.raises(accounts.SignInRefused):
                accounts.sign_in(first, f"guess{i}", PASSWORD, "10.6.6.6", NOW)
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(first, "jo.smith", PASSWORD, "10.6.6.6", NOW)
        assert refused.value.retry_after is not None
    finally:
        first.close()
        second.close()


def test_changing_the_password_revokes_the_other_sessions(store: Store) -> None:
    accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    here = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
    there = accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.2", NOW).token
    with pytest.raises(accounts.SignInRefused):
        accounts.change_password(store, here, "not the password", "a new password 2", NOW)
    with pytest.raises(InvalidInput) as weak:
        accounts.change_password(store, here, PASSWORD, "short", NOW)
    assert weak.value.problems[0].field == "password"
    accounts.change_password(store, here, PASSWORD, "a new password 2", NOW)
    assert accounts.session_account(store, here, NOW) is not None
    assert accounts.session_account(store, there, NOW) is None
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW)
    assert accounts.sign_in(store, "jo.smith", "a new password 2", "10.0.0.1", NOW)
    accounts.reset_password(store, "jo.smith", "reset by admin 3", NOW)
    assert accounts.session_account(store, here, NOW) is None


def test_signing_out_everywhere_else_ends_the_other_live_sessions_only(store: Store) -> None:
    account = accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    other = accounts.sign_up(store, "someone.else", PASSWORD, NOW)
    here, phone, laptop, idle, out = (
        accounts.sign_in(store, "jo.smith", PASSWORD, "10.0.0.1", NOW).token for _ in range(5)
    )
    theirs = accounts.sign_in(store, "someone.else", PASSWORD, "10.0.0.9", NOW).token
    accounts.sign_out(store, out, NOW)
    later = NOW + timedelta(days=8)  # `idle` is not seen again: past the idle limit
    for token in (here, phone, laptop):
        assert accounts.session_account(store, token, NOW + timedelta(days=4)) is not None
    assert accounts.other_sign_ins(store, account, here, later) == 2  # phone and laptop
    assert accounts.other_sign_ins(store, other, theirs, later) == 0
    assert accounts.sign_out_others(store, here, later) == 2
    assert accounts.session_account(store, here, later) is not None
    for token in (phone, laptop, idle, out):
        assert accounts.session_account(store, token, later) is None
    assert accounts.session_account(store, theirs, NOW) is not None  # another account's
    assert accounts.other_sign_ins(store, account, here, later) == 0
    with pytest.raises(accounts.SignInRefused):  # only a live session may end the others
        accounts.sign_out_others(store, phone, later)


def test_sign_up_refuses_a_taken_or_bad_login_and_a_weak_password(store: Store) -> None:
    accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    for login, password, field in (
        ("JO.SMITH", PASSWORD, "login"),
        ("j", PASSWORD, "login"),
        ("sam", "short", "password"),
    ):
        with pytest.raises(InvalidInput) as refused:
            accounts.sign_up(store, login, password, NOW)
        assert refused.value.problems[0].field == field


def test_a_session_ended_through_one_worker_is_refused_by_another_at_once(db_url: str) -> None:
    """Each worker reads the session fresh on every request (nothing kept in memory), so a
    sign-out, a password change or a disabled account ends it everywhere at the next one."""
    first, second = open_store(db_url), open_store(db_url)  # two workers
    try:
        account = accounts.sign_up(first, "jo.smith", PASSWORD, NOW)
        out = accounts.sign_in(first, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
        here = accounts.sign_in(second, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
        there = accounts.sign_in(first, "jo.smith", PASSWORD, "10.0.0.1", NOW).token
        for token in (out, here, there):
            for worker in (second, first, second):
                assert accounts.session_account(worker, token, NOW) == account
        accounts.sign_out(first, out, NOW)
        assert accounts.session_account(second, out, NOW) is None
        accounts.change_password(second, here, PASSWORD, "a new password 2", NOW)
        assert accounts.session_account(first, there, NOW) is None
        assert accounts.session_account(first, here, NOW) is not None
        with first.engine.begin() as connection:  # an administrator disables the account
            connection.execute(text("UPDATE accounts SET disabled = true"))
        assert accounts.session_account(second, here, NOW) is None
    finally:
        first.close()
        second.close()
