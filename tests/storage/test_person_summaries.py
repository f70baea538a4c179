"""The clinician's list's stored lines (migration 0009), on both backends: a stored line is
what computing it again gives, on the day it was computed for and on the days after it it
was computed ahead for; it is read instead of computed (by any process), and a write, a new
prescription, a day past those computed or a bad row makes it computed again and replaced
(by the list itself, within its budget, or in the background: `_settled` waits for it)."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from calfcare import services
from calfcare.core.accounts import Role
from calfcare.core.clinic_list import summarise
from calfcare.core.followup import followup_answers
from calfcare.core.levels import Leg
from calfcare.core.prescription import prescription
from calfcare.core.records import Note, RecordSet
from calfcare.core.routine import Intensity, Tool
from calfcare.core.tracking import SplitLegDay
from calfcare.services import background, clinic_list, person_lines
from calfcare.services.clinic_list import clinician_list
from calfcare.services.person_lines import AHEAD, AHEAD_AFTER_WRITE, lines_ahead
from calfcare.services.safety import state_of
from calfcare.storage import Store, open_store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import SummaryKey
from tests.conftest import screening_answers
from tests.storage.backends import migrated_sqlite
from tests.storage.strategies import TODAY, record_sets

NOW = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=12)
RX = prescription(calves=["left", "right"], tools=[Tool.FOAM_ROLLER],
                  intensity_cap=Intensity.GENTLE, seconds_per_calf=150, sessions_per_week=3,
                  weeks=6, start_day=TODAY - timedelta(weeks=2))  # fmt: skip


@pytest.fixture(autouse=True)
def _inline_whatever_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list computes its budget of lines however long its reads took (they take longer
    on a loaded machine: these tests count what is computed where)."""
    monkeypatch.setattr(clinic_list, "INLINE_MS", float("inf"))


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The people whose lines were computed (rather than read back), by the list or in the
    background."""
    seen: list[int] = []
    real = lines_ahead

    def counting(person_id: int, *args: Any) -> Any:
        seen.append(person_id)
        return real(person_id, *args)

    monkeypatch.setattr(clinic_list, "lines_ahead", counting)
    monkeypatch.setattr(person_lines, "lines_ahead", counting)
    return seen


def _settled(store: Store, clinician: Account, now: datetime) -> Any:
    """The list once the lines it found stale were computed (in the list or after it)."""
    clinician_list(store, clinician, now)
    assert background.wait_idle()
    return clinician_list(store, clinician, now)


def _shared(store: Store, clinician: Account, login: str, records: RecordSet,
            prescribed: bool = True) -> Account:  # fmt: skip
    with store.accounts() as tx:
        person = tx.add_account(login, "not-a-hash", Role.PERSON, NOW)
    with store.clinic() as tx:
        tx.add_share(clinician.id, person.person_id, NOW)
        if prescribed:
            tx.add_prescription(person.person_id, clinician.id, RX, NOW)
    with store.for_person(person.person_id).transaction() as tx:
        tx.add_all(records)
    return person


def _clinician(store: Store, login: str = "physio") -> Account:
    with store.accounts() as tx:
        return tx.add_account(login, "not-a-hash", Role.CLINICIAN, NOW)


def _fresh(store: Store, person: Account, now: datetime = NOW) -> Any:
    """The person's line computed from every record, as if nothing were stored."""
    mine = store.for_person(person.person_id)
    with mine.reading() as tx:
        everything = tx.records()
    with store.clinic(read_only=True) as tx:
        found = tx.prescriptions([person.person_id]).get(person.person_id)
    rx = None if found is None else found.prescription
    return summarise(person.person_id, person.login, everything, state_of(everything, now), rx,
                     now.date())  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets, st.booleans(), st.lists(st.integers(0, AHEAD + 3), max_size=3))
def test_any_history_gives_a_stored_line_equal_to_a_fresh_one_on_any_later_day(
    records: RecordSet, prescribed: bool, later_days: list[int]
) -> None:
    # SQLite only, a database per example (record ids are unique in a whole database); the
    # tests below run on both backends
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(migrated_sqlite(Path(folder) / "db.sqlite3"))
        try:
            physio = _clinician(store)
            person = _shared(store, physio, "jo", records, prescribed)
            expected = [_fresh(store, person)]
            assert _settled(store, physio, NOW) == expected  # computed and stored
            assert clinician_list(store, physio, NOW) == expected  # read back
            for n in sorted(later_days):  # read from the days computed ahead, or computed
                later = NOW + timedelta(days=n)
                assert _settled(store, physio, later) == [_fresh(store, person, later)]
        finally:
            background.wait_idle()
            store.close()


def test_a_stored_line_is_read_by_another_process(db_url: str, computed: list[int]) -> None:
    first = open_store(db_url)
    physio = _clinician(first)
    jo, sam = (_shared(first, physio, name, RecordSet()) for name in ("jo", "sam"))
    lines = _settled(first, physio, NOW)
    first.close()
    assert sorted(computed) == sorted([jo.person_id, sam.person_id])
    second = open_store(db_url)  # a restart, or another worker: nothing in its memory
    try:
        assert clinician_list(second, physio, NOW) == lines
        assert len(computed) == 2  # nothing computed again
    finally:
        second.close()


def test_a_write_a_prescription_or_a_day_past_those_computed_makes_the_line_stale(
    store: Store, computed: list[int]
) -> None:
    physio = _clinician(store)
    jo, sam = (_shared(store, physio, name, RecordSet()) for name in ("jo", "sam"))
    _settled(store, physio, NOW)
    computed.clear()
    with store.for_person(jo.person_id).transaction() as tx:
        tx.add_note(Note("n1", TODAY, NOW, "A note."))
    assert clinician_list(store, physio, NOW)
    assert computed == [jo.person_id]  # only the writer's line
    with store.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT data_version FROM person_summaries WHERE person_id = :p"),
            {"p": jo.person_id},
        ).scalar_one()
    assert stored == store.for_person(jo.person_id).data_version()  # replaced, not added
    computed.clear()
    with store.clinic() as tx:
        tx.add_prescription(sam.person_id, physio.id, RX, NOW)
    clinician_list(store, physio, NOW)
    assert computed == [sam.person_id]
    computed.clear()
    for n in range(1, AHEAD_AFTER_WRITE + 1):  # computed ahead with today's: read
        later = NOW + timedelta(days=n)
        assert clinician_list(store, physio, later) == _fresh_lines(store, [jo, sam], later)
    assert computed == []
    after = AHEAD_AFTER_WRITE + 1  # past them: computed, for the whole week ahead (idle)
    assert _settled(store, physio, NOW + timedelta(days=after)) == _fresh_lines(
        store, [jo, sam], NOW + timedelta(days=after)
    )
    assert sorted(computed) == sorted([jo.person_id, sam.person_id])
    computed.clear()
    for n in range(after, after + AHEAD + 1):
        later = NOW + timedelta(days=n)
        assert clinician_list(store, physio, later) == _fresh_lines(store, [jo, sam], later)
    assert computed == []
    _settled(store, physio, NOW + timedelta(days=after + AHEAD + 1))
    assert len(computed) == 2


def _fresh_lines(store: Store, people: list[Account], now: datetime) -> list[Any]:
    return sorted([_fresh(store, p, now) for p in people], key=lambda s: s.name)


@pytest.mark.parametrize(
    "body",
    ['{"format": 0}', "not json", '{"format": 1, "person_id": 1}', "[]", "{}",
     '{"format": 2, "days": []}', '{"format": 2, "days": [{"person_id": 1}]}'],
)  # fmt: skip
def test_a_bad_or_old_row_is_computed_again_never_trusted(
    store: Store, computed: list[int], body: str
) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    right = clinician_list(store, physio, NOW)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE person_summaries SET body = :b"), {"b": body})
    computed.clear()
    assert clinician_list(store, physio, NOW) == right
    assert computed == [jo.person_id]
    computed.clear()
    assert clinician_list(store, physio, NOW) == right and computed == []  # replaced


def test_another_persons_line_is_never_read(store: Store, computed: list[int]) -> None:
    physio = _clinician(store)
    jo, sam = (_shared(store, physio, name, RecordSet()) for name in ("jo", "sam"))
    right = _settled(store, physio, NOW)
    with store.engine.begin() as connection:  # jo's row holds sam's line
        body = connection.execute(
            text("SELECT body FROM person_summaries WHERE person_id = :p"), {"p": sam.person_id}
        ).scalar_one()
        connection.execute(
            text("UPDATE person_summaries SET body = :b WHERE person_id = :p"),
            {"b": body, "p": jo.person_id},
        )
    computed.clear()
    assert clinician_list(store, physio, NOW) == right and computed == [jo.person_id]


def test_the_key_is_the_day_asked(store: Store) -> None:
    physio = _clinician(store)
    _shared(store, physio, "jo", RecordSet())
    clinician_list(store, physio, NOW)
    with store.engine.connect() as connection:
        day = connection.execute(text("SELECT day FROM person_summaries")).scalar_one()
    assert str(day) == date.isoformat(NOW.date())


def test_a_day_before_the_stored_run_is_computed(store: Store, computed: list[int]) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    clinician_list(store, physio, NOW + timedelta(days=3))
    computed.clear()
    assert clinician_list(store, physio, NOW) == [_fresh(store, jo)]  # a clock set back
    assert computed == [jo.person_id]


def test_a_split_leg_experiments_line_is_computed_ahead_too(
    store: Store, computed: list[int]
) -> None:
    # its analysis is most of a line's cost, and the same (remembered) on every day of a run
    physio = _clinician(store)
    coin = SplitLegDay(TODAY - timedelta(days=1), Leg.LEFT)
    jo = _shared(store, physio, "jo", RecordSet(split_leg_days=(coin,)))
    sam = _shared(store, physio, "sam", RecordSet())
    _settled(store, physio, NOW)
    computed.clear()
    later = NOW + timedelta(days=AHEAD_AFTER_WRITE)
    assert clinician_list(store, physio, later) == _fresh_lines(store, [jo, sam], later)
    assert computed == []


# -- a sharing person's write refreshes their line (`services.person_lines`) -------------

URGENT = followup_answers(
    {"left": {"swelling": False, "redness": False, "warmth": "unsure"},
     "right": {"swelling": False, "redness": False, "warmth": False}, "pe_signs": False}
)  # fmt: skip
WRITES: dict[str, Any] = {
    "soreness": lambda s: services.log_soreness(
        s, day=TODAY, scores={"left": 3}, moment="before", now=NOW
    ),
    "next_day_follow_up": lambda s: services.log_soreness(
        s,
        day=TODAY - timedelta(days=1),
        scores={"left": 2},
        moment="next_day",
        now=NOW,
        followup=URGENT,
    ),
    "knee_to_wall": lambda s: services.log_mobility(
        s, day=TODAY, distances={"left": 9}, moment="other", now=NOW
    ),
    "note": lambda s: services.add_note(s, day=TODAY, text="Stiff.", now=NOW),
    "session": lambda s: services.log_session(
        s, day=TODAY, tool="ball", legs=["left"], seconds_per_calf=120, now=NOW
    ),
    "screening": lambda s: services.record_screening_answers(s, screening_answers(), NOW),
}


def _stored_version(store: Store, person: Account) -> int | None:
    with store.engine.connect() as connection:
        return connection.execute(
            text("SELECT data_version FROM person_summaries WHERE person_id = :p"),
            {"p": person.person_id},
        ).scalar_one_or_none()


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_sharing_persons_write_stores_their_fresh_line(
    store: Store, computed: list[int], write: str
) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    mine = store.for_person(jo.person_id)
    WRITES[write](mine)
    assert background.wait_idle()  # the refresh runs after the write, in the background
    assert computed == [jo.person_id]
    computed.clear()
    assert _stored_version(store, jo) == mine.data_version()
    assert clinician_list(store, physio, NOW) == [_fresh(store, jo)]
    tomorrow = NOW + timedelta(days=1)
    assert clinician_list(store, physio, tomorrow) == [_fresh(store, jo, tomorrow)]
    assert computed == []  # both read back: computed when jo wrote


def test_a_person_who_shares_with_nobody_stores_nothing(store: Store) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet(), prescribed=False)
    with store.accounts() as tx:
        sam = tx.add_account("sam", "not-a-hash", Role.PERSON, NOW)
    with store.clinic() as tx:
        tx.stop_share(physio.id, jo.person_id, NOW)
    for person in (jo, sam):  # stopped sharing; never shared
        WRITES["note"](store.for_person(person.person_id))
        assert background.wait_idle()
        assert _stored_version(store, person) is None


def test_a_refresh_that_fails_loses_no_write(
    store: Store, computed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    mine = store.for_person(jo.person_id)

    def broken(*_: Any) -> Any:
        raise RuntimeError("the refresh broke")

    with monkeypatch.context() as patched:
        patched.setattr(person_lines, "line_records", broken)
        saved = services.add_note(mine, day=TODAY, text="Stiff.", now=NOW)
        assert background.wait_idle()
    with mine.reading() as tx:
        assert tx.notes() == [saved]
    assert _stored_version(store, jo) is None
    assert clinician_list(store, physio, NOW) == [_fresh(store, jo)]
    assert computed == [jo.person_id]  # the list computed what the refresh missed


def test_an_older_line_never_replaces_a_newer_one(store: Store, computed: list[int]) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    mine = store.for_person(jo.person_id)
    clinician_list(store, physio, NOW)  # stored for jo's version before the note
    with store.clinic(read_only=True) as tx:
        key = SummaryKey(tx.versions([jo.person_id])[jo.person_id], None, TODAY)
    old = lines_ahead(jo.person_id, "jo", RecordSet(), None, NOW, 0)
    WRITES["note"](mine)  # refreshed: the newer version's line
    assert background.wait_idle()
    with store.clinic() as tx:  # a slower refresh that read before the note lands last
        tx.keep_summaries({jo.person_id: (key, old)})
    assert _stored_version(store, jo) == mine.data_version()
    computed.clear()
    clinician_list(store, physio, NOW)
    assert computed == []


def test_a_refresh_for_a_store_closed_since_opens_nothing(db_url: str) -> None:
    store = open_store(db_url)
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    mine = store.for_person(jo.person_id)
    store.close()
    assert mine.closed and store.closed
    assert person_lines.refresh_lines(mine, NOW) is False  # no query: the engine stays shut
    pool = mine.engine.pool
    assert isinstance(pool, QueuePool) and pool.checkedin() == 0
