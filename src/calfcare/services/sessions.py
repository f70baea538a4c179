"""Sessions: one the coach ran (built by `session_from_result`, saved by `save_session`)
and one the person reports (`log_session`). One transaction each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from calfcare.core.client_ids import client_id_problems, same_session
from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput, Problem, SessionConflict
from calfcare.core.levels import Leg
from calfcare.core.plan_json import plan_to_json
from calfcare.core.records import (
    CalfRecord,
    SessionRecord,
    SessionSource,
    TenderSpot,
    calf_record,
    parse_tender_spot,
)
from calfcare.core.routine import Plan, Tool
from calfcare.core.timeline import Outcome
from calfcare.services.common import client_id_conflict, new_id, save_once, today_of
from calfcare.services.person_lines import refresh_later, writing
from calfcare.storage import Store

# -- sessions --------------------------------------------------------------------------------


def session_from_result(
    plan: Plan,
    result: Mapping[str, Any],
    now: datetime,
    tender_spot_locations: Sequence[TenderSpot] = (),
    *,
    screening_id: str | None = None,
    session_id: str | None = None,
) -> SessionRecord:
    """The record of a session the coach ran, to save with `save_session`: ``result`` is the
    routine contract's session JSON (`calfcare.core.replay.replay_json(engine)`), ``now`` the
    moment it ended, and the tender spots are where the person said the holds were;
    `InvalidInput` when ``result`` is not a session result.

    ``session_id`` is the id a client gave the session (the web coach names it before the
    upload, so that a retried upload is recognised); without it a new id is made."""
    try:
        duration = float(result["duration_seconds"])
        calves = tuple(calf_record(c) for c in result["calves"])
        outcome = Outcome(result["outcome"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(
            [Problem("result", f"not a session result: {error!r}")],
            "The session result is not valid; nothing was saved.",
        ) from None
    started_at = now - timedelta(seconds=duration)
    return SessionRecord(
        id=new_id() if session_id is None else session_id,
        day=today_of(started_at),
        started_at=started_at,
        source=SessionSource.COACH,
        tool=plan.tool,
        intensity=plan.intensity,
        outcome=outcome,
        duration_seconds=duration,
        calves=calves,
        tender_spots=tuple(tender_spot_locations),
        plan=plan_to_json(plan),
        screening_id=screening_id,
    )


def save_session(store: Store, record: SessionRecord, now: datetime | None = None) -> bool:
    """Store ``record`` in one transaction; True if it was added, False if this very session
    was already stored (a retried upload: nothing is written). A different session under its
    id is a `SessionConflict`, on any day; a ``screening_id`` that names no stored safety
    check is `InvalidInput`. ``now`` (the session's start when not given) is the moment the
    person's line on a clinician's list is refreshed for (`refresh_later`)."""
    now = record.started_at if now is None else now
    with writing(store, now) as tx:
        if record.screening_id is not None and tx.screening(record.screening_id) is None:
            raise InvalidInput(
                [Problem("screening_id", "no stored safety check has this id")],
                "The session is not valid; nothing was saved.",
            )
        stored = tx.session(record.id)
        if stored is None:
            tx.add_session(record)
            return True
    if stored != record:
        raise SessionConflict(f"The session id {record.id!r} is stored with a different session.")
    return False


def log_session(
    store: Store,
    *,
    day: object,
    tool: object,
    legs: Sequence[object],
    seconds_per_calf: object,
    now: datetime,
    tender_spots: Sequence[TenderSpot | str] = (),
    client_id: str | None = None,
) -> SessionRecord:
    """Save a session done without the coach (the person says what they did). Tender spots
    may be given as ``leg:height:side`` text; every bad field is named at once. With a
    ``client_id`` (the session's id), once: a repeat returns the stored session, other
    content under the id is a `ClientIdConflict` (`calfcare.core.client_ids`)."""
    problems: list[Problem] = client_id_problems(client_id)
    spots: list[TenderSpot] = []
    for i, raw in enumerate(tender_spots):
        try:
            spots.append(
                raw if isinstance(raw, TenderSpot) else parse_tender_spot(raw, f"tender.{i}")
            )
        except InvalidInput as error:
            problems += error.problems
    problems += day_problems(day, today_of(now))
    if tool not in [t.value for t in Tool]:
        problems.append(Problem("tool", f"{tool!r} is not one of: foam-roller, ball, hands"))
    parsed_legs = []
    for leg in legs:
        if leg not in [v.value for v in Leg] or Leg(str(leg)) in parsed_legs:
            problems.append(Problem("legs", f"{leg!r}: name left and/or right, once each"))
        else:
            parsed_legs.append(Leg(str(leg)))
    if not legs:
        problems.append(Problem("legs", "name at least one calf"))
    if (
        isinstance(seconds_per_calf, bool)
        or not isinstance(seconds_per_calf, int | float)
        or not 0 < seconds_per_calf <= 180
    ):
        problems.append(Problem("seconds", "seconds per calf: more than 0, at most 180"))
    for i, spot in enumerate(spots):
        if parsed_legs and spot.leg not in parsed_legs:
            problems.append(Problem(f"tender_spot.{i}", f"{spot.label}: not a calf you massaged"))
    if problems:
        raise InvalidInput(problems, "The session is not valid; nothing was saved.")
    assert isinstance(day, date) and isinstance(seconds_per_calf, int | float)
    record = SessionRecord(
        id=client_id or new_id(),
        day=day,
        started_at=now,
        source=SessionSource.MANUAL,
        tool=Tool(str(tool)),
        intensity=None,
        outcome=Outcome.COMPLETED,
        duration_seconds=float(seconds_per_calf) * len(parsed_legs),
        calves=tuple(CalfRecord(leg, None, float(seconds_per_calf)) for leg in parsed_legs),
        tender_spots=tuple(spots),
    )

    def stored_of(tx: Any) -> SessionRecord | None:
        stored: SessionRecord | None = tx.session(record.id)
        return stored

    found = save_once(store, client_id, stored_of, lambda tx: tx.add_session(record))
    if found is None:
        refresh_later(store, now)
        return record
    if not same_session(found, record):
        raise client_id_conflict(client_id, "session")
    return found
