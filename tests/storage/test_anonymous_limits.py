"""What anyone may ask without signing in, bounded, on both backends: beginning a passkey
sign-in (per address, and a cap on the challenges kept for everyone) and open sign-up (per
address, refused before the password is hashed). Time is an argument: no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from calfcare.core.accounts import PASSKEY_BEGINS, SIGN_UPS
from calfcare.core.errors import InvalidInput, TooManyTries
from calfcare.services import accounts, passkeys
from calfcare.storage import Store
from tests.storage.soft_authenticator import SoftAuthenticator
from tests.storage.test_passkeys import PASSWORD, SITE, add, person

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
HERE, THERE = "203.0.113.5", "198.51.100.9"


def rows(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def begin(store: Store, address: str, at: datetime) -> passkeys.Started:
    return passkeys.sign_in_options(store, SITE, address, at)


def test_passkey_begins_from_one_address_stop_at_the_limit(store: Store) -> None:
    step = timedelta(seconds=1)
    for i in range(PASSKEY_BEGINS.count):
        begin(store, HERE, NOW + i * step)
    flood = NOW + PASSKEY_BEGINS.count * step
    with pytest.raises(TooManyTries) as many:
        begin(store, HERE, flood)
    wait = PASSKEY_BEGINS.window - PASSKEY_BEGINS.count * step
    assert many.value.retry_after == wait
    assert many.value.message == (
        "Too many passkey sign-ins from this network: try again in 15 minutes."
    )
    for _ in range(50):  # the flood goes on: nothing more is stored
        with pytest.raises(TooManyTries):
            begin(store, HERE, flood)
    assert rows(store, "passkey_challenges") == PASSKEY_BEGINS.count
    assert rows(store, "address_tries") == PASSKEY_BEGINS.count
    begin(store, THERE, flood)  # another network is not held up
    with pytest.raises(TooManyTries):
        begin(store, HERE, flood + wait - step)
    begin(store, HERE, flood + wait)  # the window moved past the first begin


def test_counted_tries_are_dropped_once_no_window_counts_them(store: Store) -> None:
    for _ in range(PASSKEY_BEGINS.count):
        begin(store, HERE, NOW)
    later = NOW + timedelta(hours=2)
    begin(store, THERE, later)
    assert rows(store, "address_tries") == 1
    assert rows(store, "passkey_challenges") == 1  # the expired challenges went too


def test_sign_in_challenges_are_capped_oldest_dropped(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passkeys, "OPEN_SIGN_INS", 5)
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    adding = passkeys.add_options(store, anna[0], anna[1], SITE, NOW)  # a ceremony of A's
    begun = [begin(store, f"10.1.0.{i}", NOW + timedelta(seconds=i)) for i in range(12)]
    assert rows(store, "passkey_challenges") == 5 + 1  # the newest five, and A's adding
    at = NOW + timedelta(seconds=20)
    with pytest.raises(accounts.SignInRefused):  # the oldest was dropped
        passkeys.sign_in(store, begun[0].key, phone.get(begun[0].options), HERE, at)
    signed = passkeys.sign_in(store, begun[-1].key, phone.get(begun[-1].options), HERE, at)
    assert signed.account.id == anna[0].id
    made = SoftAuthenticator().create(adding.options)
    assert passkeys.add_passkey(store, anna[0], anna[1], adding.key, made, "Laptop", at)


class NoHashing:
    def hash(self, password: str) -> str:
        raise AssertionError("hashed a password that was refused anyway")


def test_sign_ups_from_one_address_stop_at_the_limit(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = timedelta(minutes=1)
    for i in range(SIGN_UPS.count):
        accounts.sign_up(store, f"person{i}", PASSWORD, NOW + i * step, address=HERE)
    flood = NOW + SIGN_UPS.count * step
    monkeypatch.setattr(accounts, "_hasher", NoHashing)
    with pytest.raises(TooManyTries) as many:
        accounts.sign_up(store, "one.more", PASSWORD, flood, address=HERE)
    assert many.value.retry_after == SIGN_UPS.window - SIGN_UPS.count * step
    assert many.value.message == "Too many new accounts from this network: try again in 50 minutes."
    with pytest.raises(InvalidInput) as taken:  # a taken name: no hash either
        accounts.sign_up(store, "person0", PASSWORD, flood, address=THERE)
    assert taken.value.problems[0].field == "login"
    monkeypatch.undo()
    assert rows(store, "accounts") == SIGN_UPS.count
    accounts.sign_up(store, "from.there", PASSWORD, flood, address=THERE)
    accounts.sign_up(store, "by.the.admin", PASSWORD, flood)  # no address: not counted
    accounts.sign_up(store, "an.hour.on", PASSWORD, NOW + SIGN_UPS.window, address=HERE)
    assert rows(store, "accounts") == SIGN_UPS.count + 3


def test_an_account_keeps_its_newest_sessions_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "SESSIONS_KEPT", 3)
    bert = person(store, "bert")[1]  # another account's session stays
    accounts.sign_up(store, "anna", PASSWORD, NOW)
    tokens = [accounts.sign_in(store, "anna", PASSWORD, HERE, NOW + timedelta(minutes=i)).token
              for i in range(5)]  # fmt: skip
    assert rows(store, "auth_sessions") == 3 + 1
    later = NOW + timedelta(minutes=10)
    alive = [accounts.session_account(store, t, later) is not None for t in tokens]
    assert alive == [False, False, True, True, True]  # the oldest two were dropped
    assert accounts.session_account(store, bert, later) is not None
