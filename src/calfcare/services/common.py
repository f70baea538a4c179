"""Helpers every use case shares: new ids, the person's day, the safety state of some
records, saving once under a client id, and the shape of a refusal.

Each use case validates everything first (raising `InvalidInput` naming every bad field),
then writes in a single `Store.transaction`, so nothing is ever partly saved. ``now`` is
always passed in (aware datetime); "today" is its local calendar date.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from calfcare.core.client_ids import leg_id
from calfcare.core.errors import ClientIdConflict, InvalidInput, Problem, StorageError
from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet
from calfcare.core.safety_state import SafetyState
from calfcare.core.safety_state import safety_state as build_state
from calfcare.storage import Store

Progress = Callable[[int, int], None]
"""Called with (records written so far, total) during a large import."""


def new_id() -> str:
    return uuid.uuid4().hex


def today_of(now: datetime) -> date:
    """The person's calendar day at ``now`` (local time)."""
    return now.astimezone().date()


def zone_of(now: datetime) -> tzinfo:
    """The person's time zone at ``now`` (the one `today_of` takes the day in)."""
    zone = now.astimezone().tzinfo
    assert zone is not None
    return zone


def state_of(records: RecordSet, now: datetime) -> SafetyState:
    """The safety state today from ``records`` (``RecordSet()``: nothing recorded yet):
    here, below `calfcare.services.safety`, because the clinician's list computes it too."""
    from calfcare.content.safety import load_safety_wording

    return build_state(records, today_of(now), zone=zone_of(now), wording=load_safety_wording())


def leg_record_id(client_id: str | None, leg: Leg) -> str:
    return new_id() if client_id is None else leg_id(client_id, leg)


S = TypeVar("S")


def save_once(
    store: Store,
    client_id: str | None,
    stored_of: Callable[[Any], S],
    write: Callable[[Any], None],
) -> S | None:
    """``write`` in one transaction; with a ``client_id``, only when nothing is stored under
    it (``stored_of`` gives what is: falsy parts for nothing), returning what is stored
    instead for the caller to compare. Two requests with one new id at once: the second
    insert fails on the id, and the second look then finds the first one's records."""
    for attempt in (1, 2):
        try:
            with store.transaction() as tx:
                stored = stored_of(tx) if client_id is not None else None
                if stored is None or not any(_as_parts(stored)):
                    write(tx)
                    return None
            return stored
        except StorageError:
            if client_id is None or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _as_parts(stored: object) -> tuple[object, ...]:
    return stored if isinstance(stored, tuple) else (stored,)


def client_id_conflict(client_id: str | None, what: str) -> ClientIdConflict:
    return ClientIdConflict(
        f"The client id {client_id!r} is stored with a different {what}: "
        "an id names one record forever; send a new id for a new record."
    )


def raise_if(problems: list[Problem], message: str) -> None:
    if problems:
        raise InvalidInput(problems, message)


def for_leg(problem: Problem, leg: str) -> Problem:
    """Name which calf a per-calf problem is about (the leg itself keeps its own field)."""
    if problem.field in ("score", "distance_cm"):
        return Problem(f"{leg}.{problem.field}", problem.message)
    return problem


def unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
