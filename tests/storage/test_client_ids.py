"""Client ids on both backends (issue 13): saved once, a clash refused, and two requests with
one new id at the same moment end as one record and one replay (never a 503)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from calfcare import services
from calfcare.core.errors import ClientIdConflict
from calfcare.storage import Store
from calfcare.storage.store import Transaction

NOW = datetime(2026, 1, 2, 12, tzinfo=UTC)
DAY = date(2026, 1, 1)


def test_each_kind_is_saved_once_per_client_id(store: Store) -> None:
    note = services.add_note(store, day=DAY, text="hi", now=NOW, client_id="n-1")
    later = NOW + timedelta(minutes=5)
    assert services.add_note(store, day=DAY, text="hi", now=later, client_id="n-1") == note
    with pytest.raises(ClientIdConflict):
        services.add_note(store, day=DAY, text="other", now=later, client_id="n-1")
    tests = services.log_mobility(
        store, day=DAY, distances={"right": 8, "left": 9}, moment="other", now=NOW, client_id="m"
    )
    again = services.log_mobility(
        store, day=DAY, distances={"right": 8, "left": 9}, moment="other", now=later, client_id="m"
    )
    assert again == tests and [i.id for i in again] == ["m-right", "m-left"]
    with pytest.raises(ClientIdConflict):  # one calf of the two is another test
        services.log_mobility(
            store, day=DAY, distances={"left": 9}, moment="other", now=later, client_id="m"
        )
    with store.reading() as tx:
        assert tx.counts()["notes"] == 1 and tx.counts()["mobility"] == 2


def test_two_requests_with_one_new_id_at_once_give_one_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request looked before the first wrote: its insert fails on the id, and it
    then finds the first one's note (the same), so it answers with it."""
    services.add_note(store, day=DAY, text="hi", now=NOW, client_id="race")
    real = Transaction.by_ids
    looks: list[str] = []

    def late_look(self: Transaction, name: str, ids: Any) -> list[Any]:
        looks.append(name)
        return [] if len(looks) == 1 else real(self, name, ids)

    monkeypatch.setattr(Transaction, "by_ids", late_look)
    later = NOW + timedelta(seconds=1)
    replay = services.add_note(store, day=DAY, text="hi", now=later, client_id="race")
    assert replay.written_at == NOW and len(looks) == 2
    with store.reading() as tx:
        assert tx.counts()["notes"] == 1
