"""The clinician's side on both backends (issue 16): invite, accept, prescribe, the list with
red flags first, the audit log, stop sharing (access ends at once), calendar feed links."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from calfcare.core.accounts import Role
from calfcare.core.clinic_list import Flag
from calfcare.core.errors import InvalidInput, NotAllowed
from calfcare.core.records import ScreeningKind
from calfcare.services import accounts, background, clinic
from calfcare.services.clinic_list import clinician_list
from calfcare.storage import Store
from calfcare.storage.accounts import Account
from tests.core.test_clinic_rules import session
from tests.core.test_safety_state import OK, URGENT, scr

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
RX: dict[str, Any] = {
    "calves": ["left", "right"], "tools": ["foam-roller"], "intensity_cap": "gentle",
    "seconds_per_calf": 150, "sessions_per_week": 3, "weeks": 4,
}  # fmt: skip


def _people(store: Store) -> tuple[Account, Account, Account]:
    physio = accounts.sign_up(store, "physio", PASSWORD, NOW, role=Role.CLINICIAN)
    other = accounts.sign_up(store, "other.physio", PASSWORD, NOW, role=Role.CLINICIAN)
    person = accounts.sign_up(store, "jo.smith", PASSWORD, NOW)
    return physio, other, person


def test_the_whole_flow(store: Store) -> None:
    physio, other, jo = _people(store)
    made = clinic.invite(store, physio, NOW)
    assert made.link_path.endswith(made.code) and len(made.code) == clinic.CODE_LENGTH
    typed = f" {made.code[:4].lower()}-{made.code[4:]} "
    share = clinic.accept_invite(store, typed, jo.person_id, NOW)
    assert (share.clinician_login, share.person_login) == ("physio", "jo.smith")
    with pytest.raises(InvalidInput) as used:  # a code is accepted once
        clinic.accept_invite(store, made.code, jo.person_id, NOW)
    assert used.value.problems[0].field == "code"
    new = clinic.accept_invite_new(
        store, clinic.invite(store, physio, NOW).code, "sam.jones", PASSWORD, NOW
    )
    assert [s.person_login for s in clinic.people_of(store, physio)] == ["jo.smith", "sam.jones"]
    assert clinic.people_of(store, other) == []

    start = NOW.date() - timedelta(days=2)
    clinic.prescribe(store, physio, jo.person_id, **RX, start_day=start, now=NOW)
    with pytest.raises(NotAllowed):  # never another clinician's people
        clinic.prescribe(store, other, jo.person_id, **RX, start_day=start, now=NOW)
    with pytest.raises(InvalidInput) as refused:
        clinic.prescribe(store, physio, jo.person_id, **{**RX, "seconds_per_calf": 200},
                         start_day=start, now=NOW)  # fmt: skip
    assert [p.field for p in refused.value.problems] == ["seconds_per_calf"]

    mine = store.for_person(jo.person_id)
    first, second = session(start, sid="a1"), session(start + timedelta(days=1), sid="a2")
    with mine.transaction() as tx:
        tx.add_screening(scr(first.started_at - timedelta(minutes=5), OK, "scr-a"))
        tx.add_session(first)
        tx.add_session(second)
        tx.add_screening(
            scr(second.started_at + timedelta(hours=16), URGENT, "fu-a", ScreeningKind.FOLLOW_UP)
        )
    for _ in range(2):  # whatever is stored, then once the stale lines were computed
        lines = clinician_list(store, physio, NOW)
        assert [line.name for line in lines] == ["jo.smith", "sam.jones"]
        assert lines[0].flag is Flag.URGENT_HOLD and lines[1].flags == ()
        week = lines[0].week
        assert week is not None and (week.done, week.prescribed) == (2, 3)
        assert background.wait_idle()
    assert clinician_list(store, physio, NOW) == lines  # read back from the stored lines
    assert all(line.as_of is None and not line.pending for line in lines)

    opened = clinic.open_person(store, physio, jo.person_id, "history", NOW)
    with opened.reading() as tx:
        assert {s.id for s in tx.sessions()} == {"a1", "a2"}
    log = clinic.audit_log(store, jo.person_id)
    assert [(e.clinician_login, e.what) for e in log] == [("physio", "history")]
    with pytest.raises(NotAllowed):
        clinic.open_person(store, other, jo.person_id, "history", NOW)
    assert len(clinic.audit_log(store, jo.person_id)) == 1  # a refusal opens nothing

    assert clinic.stop_sharing(store, jo.person_id, physio.id, NOW + timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        clinic.open_person(store, physio, jo.person_id, "history", NOW + timedelta(minutes=2))
    assert [line.name for line in clinician_list(store, physio, NOW)] == ["sam.jones"]
    assert [s.stopped_at is not None for s in clinic.shares_of(store, jo.person_id)] == [True]
    assert clinic.shares_of(store, new.person_id)[0].clinician_login == "physio"


def test_codes_are_stored_as_hashes_and_expire_or_are_revoked(store: Store) -> None:
    physio, other, jo = _people(store)
    made = clinic.invite(store, physio, NOW)
    with store.engine.connect() as connection:
        stored = " ".join(str(v) for row in connection.execute(text("SELECT * FROM invitations"))
                          for v in row)  # fmt: skip
    assert made.code not in stored
    late = NOW + clinic.INVITE_LIFETIME
    with pytest.raises(InvalidInput):
        clinic.accept_invite(store, made.code, jo.person_id, late)
    with pytest.raises(InvalidInput):  # a bad code makes no account
        clinic.accept_invite_new(store, made.code, "newbie", PASSWORD, late)
    with store.accounts(read_only=True) as tx:
        assert tx.by_login("newbie") is None
    revoked = clinic.invite(store, physio, NOW)
    assert clinic.clinician_revoke(store, other, NOW, code=revoked.code) == 0  # not theirs
    assert clinic.clinician_revoke(store, physio, NOW, code=revoked.code) == 1
    with pytest.raises(InvalidInput):
        clinic.accept_invite(store, revoked.code, jo.person_id, NOW)
    with pytest.raises(NotAllowed):  # a person's account cannot invite
        clinic.invite(store, jo, NOW)


def test_a_calendar_feed_link_works_until_revoked(store: Store) -> None:
    physio, _, jo = _people(store)
    clinic.accept_invite(store, clinic.invite(store, physio, NOW).code, jo.person_id, NOW)
    link = clinic.create_feed(store, jo.person_id, NOW)
    token = link.removeprefix(clinic.FEED_PATH)
    assert clinic.feed_calendar(store, token) is None  # nothing prescribed yet
    clinic.prescribe(store, physio, jo.person_id, **RX, start_day=NOW.date(), now=NOW)
    ics = clinic.feed_calendar(store, token)
    assert ics is not None and b"BEGIN:VCALENDAR" in ics and b"RRULE:FREQ=WEEKLY;COUNT=4" in ics
    assert clinic.revoke_feeds(store, jo.person_id, NOW) == 1
    assert clinic.feed_calendar(store, token) is None
    found = clinic.prescription_of(store, jo.person_id)
    assert found is not None and found.prescription.sessions_per_week == 3


def test_the_invitation_qr_code_is_an_svg() -> None:
    svg = clinic.invite_qr_svg("https://clinic.example/invite/ABCD2345")
    assert svg.startswith("<svg") and "Invitation link" in svg


def test_not_allowed_is_exit_4_and_http_403() -> None:
    from calfcare.cli.errors import exit_code_for
    from calfcare.web.errors import status_for

    refused = NotAllowed()
    assert (exit_code_for(refused), status_for(refused)) == (4, 403)
    assert "not yours" in refused.message


@pytest.mark.parametrize("coins", [False, True])
def test_a_line_read_from_the_window_is_the_line_from_every_record(
    store: Store, coins: bool
) -> None:
    from bench.seed import daily_use
    from calfcare.core.clinic_list import summarise
    from calfcare.services.safety import state_of

    physio, _, jo = _people(store)
    clinic.accept_invite(store, clinic.invite(store, physio, NOW).code, jo.person_id, NOW)
    records = daily_use(years=0.5, last_day=NOW.date())
    if not coins:
        records = replace(records, split_leg_days=())
    start = NOW.date() - timedelta(weeks=11)  # before the trends' window
    found = clinic.prescribe(store, physio, jo.person_id, **RX, start_day=start, now=NOW)
    mine = store.for_person(jo.person_id)
    with mine.transaction() as tx:
        tx.add_all(records)
    with mine.reading() as tx:
        everything = tx.records()
    expected = summarise(jo.person_id, "jo.smith", everything, state_of(everything, NOW),
                         found.prescription, NOW.date())  # fmt: skip
    clinician_list(store, physio, NOW)  # a split-leg line is computed after the list
    assert background.wait_idle()
    assert clinician_list(store, physio, NOW) == [expected]
