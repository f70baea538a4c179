"""The safety state's records in one statement (`Transaction.safety_records`, a UNION ALL
built once in `calfcare.storage.statements`) are exactly what the four separate reads give,
on both backends: every screening, clearance and pain check, and the sessions stopped for
sharp pain with their parts; nobody else's."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcare.core.records import RecordSet
from calfcare.core.timeline import Outcome
from calfcare.storage import Store
from tests.storage import strategies
from tests.storage.test_store import fresh_id

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
FEW = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=8, deadline=None
)
STOPPED = Outcome.STOPPED_SHARP_PAIN
OWN_IDS = (
    *("screenings", "sessions", "soreness", "mobility", "notes"),
    *("split_leg_experiments", "clearances", "pain_checks"),
)

# Half the sessions stopped for sharp pain: the branch the state reads of the sessions.
sessions = strategies.sessions().flatmap(
    lambda s: st.sampled_from([s, dataclasses.replace(s, outcome=STOPPED)])
)
record_sets = st.builds(
    lambda records, stopped: dataclasses.replace(
        records, sessions=tuple({s.id: s for s in (*records.sessions, *stopped)}.values())
    ).sorted(),
    strategies.record_sets,
    st.lists(sessions, max_size=3),
)


def _separately(store: Store) -> RecordSet:
    """The four reads the one statement replaced."""
    with store.reading() as tx:
        return RecordSet(
            screenings=tuple(tx.screenings()),
            sessions=tuple(tx.sessions_stopped_for_pain()),
            clearances=tuple(tx.clearances()),
            pain_checks=tuple(tx.pain_checks()),
        ).sorted()


def _fresh(records: RecordSet) -> RecordSet:
    """``records`` under new ids (a record id is unique across people)."""
    return dataclasses.replace(
        records,
        **{name: tuple(fresh_id(r) for r in getattr(records, name)) for name in OWN_IDS},
    )


@FEW
@given(mine=record_sets, theirs=record_sets)
def test_one_statement_reads_what_the_four_reads_did(
    store: Store, mine: RecordSet, theirs: RecordSet
) -> None:
    me, other = (store.for_person(store.add_person(NOW)) for _ in range(2))
    with other.transaction() as tx:
        tx.add_all(_fresh(theirs))
    with me.reading() as tx:
        assert tx.safety_records() == RecordSet()  # another person's records are not read
    ours = _fresh(mine)
    with me.transaction() as tx:
        tx.add_all(ours)
    with me.reading() as tx:
        together = tx.safety_records()
    assert together == _separately(me)
    stopped = tuple(s for s in ours.sessions if s.outcome is STOPPED)
    expected = RecordSet(
        screenings=ours.screenings,
        sessions=stopped,
        clearances=ours.clearances,
        pain_checks=ours.pain_checks,
    ).sorted()
    assert together == expected
