"""An invitation as the person meets it (`services.invitations`), on both backends: who
invites, accepting it signed in or with a new account, and wrong codes throttled per address
with the sign-in rule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from calfcare.core.accounts import ADDRESS_FAILURES, THROTTLE_WINDOW, Role
from calfcare.core.errors import InvalidInput, NotAllowed
from calfcare.services import accounts, clinic, invitations
from calfcare.storage import Store
from tests.storage.test_clinic import NOW, PASSWORD

HERE, THERE = "192.0.2.1", "192.0.2.2"


def test_who_invites_and_accepting_signed_in(store: Store) -> None:
    physio = accounts.sign_up(store, "physio", PASSWORD, NOW, role=Role.CLINICIAN)
    person = accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    code = clinic.invite(store, physio, NOW).code
    invited = invitations.invitation(store, f" {code[:4].lower()}-{code[4:]} ", HERE, NOW)
    assert invited.clinician_login == "physio" and invited.expires_at > NOW
    with pytest.raises(NotAllowed):  # a clinician's own account shares no person's records
        invitations.accept(store, code, physio, HERE, NOW)
    share = invitations.accept(store, code, person, HERE, NOW)
    assert (share.clinician_login, share.person_id) == ("physio", person.person_id)
    with pytest.raises(InvalidInput) as used:
        invitations.invitation(store, code, HERE, NOW)
    assert [p.field for p in used.value.problems] == ["code"]


def test_a_new_account_from_an_invitation_is_signed_in(store: Store) -> None:
    physio = accounts.sign_up(store, "physio", PASSWORD, NOW, role=Role.CLINICIAN)
    code = clinic.invite(store, physio, NOW).code
    with pytest.raises(InvalidInput) as weak:
        invitations.accept_new(store, code, "jo.smith", "short", HERE, NOW)
    assert [p.field for p in weak.value.problems] == ["password"]
    signed = invitations.accept_new(store, code, "jo.smith", PASSWORD, HERE, NOW)
    assert signed is not None and signed.account.login == "jo.smith"
    assert [s.person_login for s in clinic.people_of(store, physio)] == ["jo.smith"]


def test_wrong_codes_are_throttled_per_address_like_sign_in(store: Store) -> None:
    physio = accounts.sign_up(store, "physio", PASSWORD, NOW, role=Role.CLINICIAN)
    code = clinic.invite(store, physio, NOW).code
    for i in range(ADDRESS_FAILURES):
        with pytest.raises(InvalidInput):
            invitations.invitation(store, "WRONGWRG", HERE, NOW + timedelta(seconds=i))
    later = NOW + timedelta(seconds=ADDRESS_FAILURES)
    with pytest.raises(invitations.CodeThrottled) as throttled:
        invitations.invitation(store, code, HERE, later)  # even the right code, for now
    assert timedelta(0) < throttled.value.retry_after <= THROTTLE_WINDOW
    assert "try again in 15 minutes" in str(throttled.value)
    with pytest.raises(invitations.CodeThrottled):  # sign-in from here counts the same rows
        invitations.accept_new(store, code, "jo.smith", PASSWORD, HERE, later)
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(store, "physio", PASSWORD, HERE, later)
    assert invitations.invitation(store, code, THERE, later).clinician_login == "physio"
    after = NOW + THROTTLE_WINDOW + timedelta(seconds=1)
    assert invitations.invitation(store, code, HERE, after).clinician_login == "physio"
    assert accounts.sign_in(store, "physio", PASSWORD, THERE, later).account.id == physio.id
