"""Passkeys on both backends, through the service with a software authenticator: added to
the signed-in account only, each challenge used once and for five minutes, a counter that
does not move on refused, nobody signing in with a passkey that is not theirs, one answer
for every failure (counted by the address throttle), removal and isolation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from calfcare.core.accounts import ADDRESS_FAILURES
from calfcare.core.errors import InvalidInput
from calfcare.core.passkeys import CHALLENGE_LIFETIME, NOT_ADDED, REFUSED
from calfcare.services import accounts, passkeys
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from calfcare.storage.passkeys import Passkey
from tests.storage.soft_authenticator import ORIGIN, SoftAuthenticator

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
SITE = passkeys.Site("calf.example", ORIGIN)
ADDRESS = "10.0.0.7"


def person(store: Store, login: str) -> tuple[Account, str]:
    account = accounts.sign_up(store, login, PASSWORD, NOW)
    return account, accounts.sign_in(store, login, PASSWORD, ADDRESS, NOW).token


def add(store: Store, who: tuple[Account, str], phone: SoftAuthenticator,
        name: str = "My phone") -> Passkey:  # fmt: skip
    account, session = who
    started = passkeys.add_options(store, account, session, SITE, NOW)
    return passkeys.add_passkey(store, account, session, started.key, phone.create(started.options),
                                name, NOW)  # fmt: skip


def sign_in(store: Store, phone: SoftAuthenticator, at: datetime = NOW,
            **lie: object) -> accounts.SignedIn:  # fmt: skip
    started = passkeys.sign_in_options(store, SITE, ADDRESS, at)
    answer = phone.get(started.options, **lie)  # type: ignore[arg-type]
    return passkeys.sign_in(store, started.key, answer, ADDRESS, at)


def refused(store: Store, key: str | None, answer: str, at: datetime = NOW) -> None:
    with pytest.raises(accounts.SignInRefused) as caught:
        passkeys.sign_in(store, key, answer, ADDRESS, at)
    assert caught.value.message == REFUSED and caught.value.retry_after is None


def test_add_then_sign_in_opens_a_new_session_of_that_account(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    added = add(store, anna, phone)
    assert (added.name, added.account_id, added.last_used_at) == ("My phone", anna[0].id, None)
    signed = sign_in(store, phone, NOW + timedelta(minutes=1))
    assert signed.account.id == anna[0].id and signed.token != anna[1]
    found = accounts.session_account(store, signed.token, NOW + timedelta(minutes=1))
    assert found is not None and found.person_id == anna[0].person_id
    (kept,) = passkeys.of_account(store, anna[0].id)
    assert kept.sign_count == 1 and kept.last_used_at == NOW + timedelta(minutes=1)
    assert sign_in(store, phone).account.id == anna[0].id  # again: the counter moved on
    with store.engine.connect() as connection:
        stored = " ".join(str(v) for row in connection.execute(
            text("SELECT * FROM auth_sessions")).all() for v in row)  # fmt: skip
    assert signed.token not in stored


def test_a_challenge_is_used_once(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    account, session = anna
    started = passkeys.add_options(store, account, session, SITE, NOW)
    made = phone.create(started.options)
    passkeys.add_passkey(store, account, session, started.key, made, "Phone", NOW)
    with pytest.raises(InvalidInput) as again:
        passkeys.add_passkey(store, account, session, started.key, made, "Phone", NOW)
    assert [p.message for p in again.value.problems] == [NOT_ADDED]
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    answer = phone.get(begun.options)
    assert passkeys.sign_in(store, begun.key, answer, ADDRESS, NOW).account.id == account.id
    refused(store, begun.key, answer)  # replayed: the challenge is gone
    refused(store, None, phone.get(begun.options))  # no cookie
    refused(store, "made-up", phone.get(begun.options))


def test_a_challenge_runs_out_after_five_minutes(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, phone.get(begun.options), NOW + CHALLENGE_LIFETIME)
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    late = NOW + CHALLENGE_LIFETIME - timedelta(seconds=1)
    assert passkeys.sign_in(store, begun.key, phone.get(begun.options), ADDRESS, late)
    account, session = anna
    started = passkeys.add_options(store, account, session, SITE, NOW)
    with pytest.raises(InvalidInput):
        passkeys.add_passkey(store, account, session, started.key,
                             SoftAuthenticator().create(started.options), "Key",
                             NOW + CHALLENGE_LIFETIME)  # fmt: skip


def test_a_counter_that_does_not_move_on_is_refused(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    sign_in(store, phone, count=5)
    for count in (5, 4, 0):  # the same, back, and back to "no counter"
        begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
        refused(store, begun.key, phone.get(begun.options, count=count))
    assert sign_in(store, phone, count=6).account.id == anna[0].id
    (kept,) = passkeys.of_account(store, anna[0].id)
    assert kept.sign_count == 6


def test_an_authenticator_without_a_counter_signs_in_again(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    for _ in range(2):
        assert sign_in(store, phone, count=0).account.id == anna[0].id


def test_unknown_lying_or_unverified_answers_get_one_answer(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    lies: list[dict[str, object]] = [
        {"verified": False}, {"origin": "https://calf.example.evil"},
        {"user_handle": "c29tZW9uZS1lbHNl"},
    ]  # fmt: skip
    for lie in lies:
        begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
        refused(store, begun.key, phone.get(begun.options, **lie))  # type: ignore[arg-type]
    stranger = SoftAuthenticator()  # never added anywhere
    stranger.user_handle = phone.user_handle
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, stranger.get(begun.options))
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, "{not json")
    started = passkeys.add_options(store, anna[0], anna[1], SITE, NOW)  # not a sign-in's
    asked = {"rpId": SITE.rp_id, "challenge": json.loads(started.options)["challenge"]}
    refused(store, started.key, phone.get(json.dumps(asked)))


def test_failures_count_against_the_address(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    for _ in range(ADDRESS_FAILURES):
        refused(store, None, "{}")
    with pytest.raises(accounts.SignInRefused) as waiting:
        sign_in(store, phone)
    assert waiting.value.retry_after is not None
    with pytest.raises(accounts.SignInRefused) as password:  # the password throttle too
        accounts.sign_in(store, "anna", PASSWORD, ADDRESS, NOW)
    assert password.value.retry_after is not None
    assert accounts.sign_in(store, "anna", PASSWORD, "10.0.0.8", NOW).account.id == anna[0].id


def test_adding_is_bound_to_the_sign_in_session_and_its_account(store: Store) -> None:
    anna, bert = person(store, "anna"), person(store, "bert")
    other_session = accounts.sign_in(store, "anna", PASSWORD, ADDRESS, NOW).token
    started = passkeys.add_options(store, anna[0], anna[1], SITE, NOW)
    for account, session in ((bert[0], bert[1]), (anna[0], other_session)):
        begun = passkeys.add_options(store, anna[0], anna[1], SITE, NOW)
        with pytest.raises(InvalidInput):
            passkeys.add_passkey(store, account, session, begun.key,
                                 SoftAuthenticator().create(begun.options), "Key", NOW)  # fmt: skip
    signing = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)  # a sign-in challenge cannot add
    with pytest.raises(InvalidInput):
        passkeys.add_passkey(store, anna[0], anna[1], signing.key,
                             SoftAuthenticator().create(started.options), "Key", NOW)  # fmt: skip
    assert passkeys.of_account(store, anna[0].id) == passkeys.of_account(store, bert[0].id) == []


def test_a_passkey_is_one_accounts_and_signs_in_only_as_it(store: Store) -> None:
    anna, bert = person(store, "anna"), person(store, "bert")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    annas_handle = phone.user_handle
    with pytest.raises(InvalidInput) as taken:  # the same passkey for another account
        add(store, bert, phone)
    assert "already added" in taken.value.problems[0].message
    phone.user_handle = annas_handle  # the phone keeps it as made for A
    bert_phone = SoftAuthenticator()
    add(store, bert, bert_phone, "Bert's phone")
    assert sign_in(store, bert_phone).account.id == bert[0].id
    assert sign_in(store, phone).account.id == anna[0].id
    # B's passkey claiming A's user handle
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, bert_phone.get(begun.options, user_handle=phone.user_handle))
    assert [p.name for p in passkeys.of_account(store, anna[0].id)] == ["My phone"]
    assert [p.name for p in passkeys.of_account(store, bert[0].id)] == ["Bert's phone"]


def test_removal_is_of_ones_own_passkey_only(store: Store) -> None:
    anna, bert = person(store, "anna"), person(store, "bert")
    phone, bert_phone = SoftAuthenticator(), SoftAuthenticator()
    mine, theirs = add(store, anna, phone), add(store, bert, bert_phone)
    for wrong in (str(theirs.id), "", "x", "99999999999"):
        with pytest.raises(InvalidInput) as not_yours:
            passkeys.remove(store, anna[0].id, wrong)
        assert not_yours.value.problems[0].field == "passkey"
    assert len(passkeys.of_account(store, bert[0].id)) == 1
    passkeys.remove(store, anna[0].id, str(mine.id))
    assert passkeys.of_account(store, anna[0].id) == []
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, phone.get(begun.options))
    assert sign_in(store, bert_phone).account.id == bert[0].id


def test_a_name_is_needed_and_nothing_is_used_up_without_one(store: Store) -> None:
    account, session = person(store, "anna")
    started = passkeys.add_options(store, account, session, SITE, NOW)
    made = SoftAuthenticator().create(started.options)
    with pytest.raises(InvalidInput) as nameless:
        passkeys.add_passkey(store, account, session, started.key, made, " \t", NOW)
    assert nameless.value.problems[0].field == "name"
    added = passkeys.add_passkey(store, account, session, started.key, made, " Work  key ", NOW)
    assert added.name == "Work key"


def test_an_unverified_passkey_is_not_added(store: Store) -> None:
    account, session = person(store, "anna")
    for lie in ({"verified": False}, {"origin": "http://calf.example"}):
        started = passkeys.add_options(store, account, session, SITE, NOW)
        made = SoftAuthenticator().create(started.options, **lie)
        with pytest.raises(InvalidInput):
            passkeys.add_passkey(store, account, session, started.key, made, "Key", NOW)
    assert passkeys.of_account(store, account.id) == []


def test_a_disabled_account_cannot_sign_in_with_its_passkey(store: Store) -> None:
    anna = person(store, "anna")
    phone = SoftAuthenticator()
    add(store, anna, phone)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE accounts SET disabled = :yes"), {"yes": True})
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, phone.get(begun.options))


def test_a_reset_by_the_administrator_removes_the_passkeys(store: Store) -> None:
    anna, bert = person(store, "anna"), person(store, "bert")
    phone, bert_phone = SoftAuthenticator(), SoftAuthenticator()
    add(store, anna, phone)
    add(store, bert, bert_phone)
    accounts.reset_password(store, "anna", "a brand new password", NOW)
    assert passkeys.of_account(store, anna[0].id) == []
    begun = passkeys.sign_in_options(store, SITE, ADDRESS, NOW)
    refused(store, begun.key, phone.get(begun.options))
    assert sign_in(store, bert_phone).account.id == bert[0].id  # B's stays
