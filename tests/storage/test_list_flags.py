"""The clinician's list never trusts a stale line for what must be current (issue 16): red
flags and this week's adherence come from the records on every list; a stale line's trends
are shown as of their day, or "being worked out"; the stale lines are computed after the
list, in the background, and stored; and the list computes at most its budget itself."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from calfcare import services
from calfcare.core.accounts import Role
from calfcare.core.clinic_list import Flag
from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet
from calfcare.core.tracking import SplitLegDay
from calfcare.services import background, person_lines
from calfcare.services.clinic_list import clinician_list
from calfcare.services.person_lines import AHEAD
from calfcare.storage import Store, open_store
from calfcare.storage.accounts import Account
from calfcare.storage.clinic import SummaryKey
from tests.storage.strategies import TODAY, record_sets
from tests.storage.test_person_summaries import (  # noqa: F401  (its fixture too)
    NOW,
    URGENT,
    _clinician,
    _fresh,
    _inline_whatever_the_load,
    _shared,
    _stored_version,
)


def _current_parts(line: Any) -> tuple[Any, ...]:
    return (line.person_id, line.name, line.flags, line.week, line.prescribed)


def _raw_add(store: Store, person: Account, records: RecordSet) -> None:
    """Records written straight through the store: no refresh of the person's line."""
    with store.for_person(person.person_id).transaction() as tx:
        tx.add_all(records)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets, st.booleans(), st.integers(0, AHEAD + 3))
def test_red_flags_and_the_week_are_current_whatever_line_is_stored(
    records: RecordSet, prescribed: bool, later: int
) -> None:
    # a line stored before the records were written (or for an earlier day) is never trusted
    # for the red flags or the week: they equal a fresh line's; its trends are labelled
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'db.sqlite3'}")
        try:
            physio = _clinician(store)
            jo = _shared(store, physio, "jo", RecordSet(), prescribed)
            clinician_list(store, physio, NOW)  # jo's line, from no records, stored
            before = clinician_list(store, physio, NOW)[0]
            _raw_add(store, jo, records)
            when = NOW + timedelta(days=later)
            [line] = clinician_list(store, physio, when, inline=0)
            fresh = _fresh(store, jo, when)
            assert _current_parts(line) == _current_parts(fresh)
            if line.as_of is None:  # nothing written, a day computed ahead: current
                assert line == fresh
            else:  # the older line's trends (none were written into it)
                assert not line.pending and line.split_leg is None
                assert TODAY <= line.as_of <= TODAY + timedelta(days=1)
                assert line.trends == before.trends or line.as_of > TODAY
            assert background.wait_idle()
            assert clinician_list(store, physio, when, inline=0) == [fresh]  # then computed
        finally:
            background.wait_idle()
            store.close()


def test_a_new_hold_shows_on_a_stale_line_and_sorts_it_first(store: Store) -> None:
    # fails if the list shows a stored line's flags once the person wrote since
    physio = _clinician(store)
    amy, jo = (_shared(store, physio, name, RecordSet()) for name in ("amy", "jo"))
    clinician_list(store, physio, NOW)
    assert background.wait_idle()
    assert [s.flags for s in clinician_list(store, physio, NOW)] == [(), ()]
    with background.deferred():  # jo's follow-up, and nothing refreshed before the list
        services.log_soreness(store.for_person(jo.person_id), day=TODAY - timedelta(days=1),
                              scores={"left": 2}, moment="next_day", now=NOW,
                              followup=URGENT)  # fmt: skip
        lines = clinician_list(store, physio, NOW, inline=0)
        assert _stored_version(store, jo) != store.for_person(jo.person_id).data_version()
    assert [s.name for s in lines] == ["jo", "amy"]  # red flags first
    assert lines[0].flags == (Flag.URGENT_HOLD,) and lines[0].as_of == TODAY
    assert lines[1].as_of is None  # amy's line is current: shown whole
    assert background.wait_idle()
    assert clinician_list(store, physio, NOW) == [_fresh(store, jo), _fresh(store, amy)]


def test_an_unanswered_follow_up_shows_on_a_day_past_those_computed(store: Store) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    clinician_list(store, physio, NOW - timedelta(days=AHEAD + 2))  # stored long before
    assert background.wait_idle()
    services.log_session(store.for_person(jo.person_id), day=TODAY - timedelta(days=1),
                         tool="ball", legs=["left"], seconds_per_calf=120, now=NOW)  # fmt: skip
    with store.engine.begin() as connection:  # the refresh lost: the old row is back
        connection.execute(text("UPDATE person_summaries SET data_version = 0"))
    [line] = clinician_list(store, physio, NOW, inline=0)
    assert Flag.FOLLOWUP_MISSING in line.flags and line.as_of is not None
    assert line.flags == _fresh(store, jo).flags


def test_nothing_stored_is_being_worked_out_then_computed_in_the_background(
    store: Store,
) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    [line] = clinician_list(store, physio, NOW, inline=0)
    fresh = _fresh(store, jo)
    assert line.pending and line.as_of is None and not line.trends
    assert _current_parts(line) == _current_parts(fresh)
    assert background.wait_idle()
    assert _stored_version(store, jo) == store.for_person(jo.person_id).data_version()
    assert clinician_list(store, physio, NOW, inline=0) == [fresh]


def test_the_list_computes_at_most_its_budget_and_never_a_split_leg_line(
    store: Store, monkeypatch: Any
) -> None:
    physio = _clinician(store)
    coin = SplitLegDay(TODAY - timedelta(days=1), Leg.LEFT)
    people = [_shared(store, physio, f"p{n}", RecordSet()) for n in range(3)]
    kim = _shared(store, physio, "kim", RecordSet(split_leg_days=(coin,)))
    computed: list[int] = []
    real = person_lines.line_records

    def counting(s: Store, *args: Any) -> Any:
        computed.append(s.person_id)
        return real(s, *args)

    monkeypatch.setattr("calfcare.services.clinic_list.line_records", counting)
    with background.deferred():  # held: what the list computed itself
        lines = clinician_list(store, physio, NOW)
    assert len(computed) == 1 and computed[0] != kim.person_id
    assert sum(not s.pending for s in lines) == 1
    assert background.wait_idle()
    assert clinician_list(store, physio, NOW) == sorted(
        (_fresh(store, p) for p in [*people, kim]), key=lambda s: s.name
    )


def test_a_prescription_and_a_new_share_refresh_the_line_and_stopping_deletes_it(
    store: Store,
) -> None:
    physio = _clinician(store)
    with store.accounts() as tx:
        jo = tx.add_account("jo", "not-a-hash", Role.PERSON, NOW)
    made = services.invite(store, physio, NOW)
    services.accept_invite(store, made.code, jo.person_id, NOW)
    assert background.wait_idle()
    assert _stored_version(store, jo) is not None  # ready for the first list
    services.prescribe(store, physio, jo.person_id, calves=["left"], tools=["ball"],
                       intensity_cap="gentle", seconds_per_calf=150, sessions_per_week=3,
                       weeks=4, start_day=TODAY, now=NOW)  # fmt: skip
    assert background.wait_idle()
    [line] = clinician_list(store, physio, NOW, inline=0)
    assert line == _fresh(store, jo) and line.prescribed  # stored under the prescription
    services.stop_sharing(store, jo.person_id, physio.id, NOW)
    assert _stored_version(store, jo) is None


def test_a_stale_line_keeps_its_older_trends_labelled(store: Store) -> None:
    physio = _clinician(store)
    jo = _shared(store, physio, "jo", RecordSet())
    clinician_list(store, physio, NOW)
    assert background.wait_idle()
    old = clinician_list(store, physio, NOW)[0]
    fake = dataclasses.replace(old, trends=("Soreness: an older reading.",))
    with store.clinic() as tx:  # the stored line, with a trend to carry over
        key = SummaryKey(0, None, TODAY)  # an older data version
        tx.keep_summaries({jo.person_id: (key, (fake,))})
    [line] = clinician_list(store, physio, NOW + timedelta(days=1), inline=0)
    assert line.trends == fake.trends and line.as_of == TODAY and not line.pending
    assert _current_parts(line) == _current_parts(_fresh(store, jo, NOW + timedelta(days=1)))
