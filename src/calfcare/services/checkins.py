"""Check-ins: soreness ratings (with the next-day follow-up), knee-to-wall tests and notes.
One transaction each; with a client id, saved once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from calfcare.core.client_ids import (
    client_id_problems,
    follow_up_id,
    leg_id,
    same_follow_up,
    same_logged,
    same_note,
)
from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.followup import FollowUpAnswers, missing_followup_problems
from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    Logged,
    Note,
    ScreeningKind,
    ScreeningRecord,
    note,
    session_id_problems,
)
from calfcare.core.screening_rules import CONTRACT_VERSION
from calfcare.core.tracking import (
    MobilityTest,
    SorenessCheckIn,
    mobility_test,
    soreness_check_in,
)
from calfcare.services.common import (
    client_id_conflict,
    for_leg,
    leg_record_id,
    new_id,
    raise_if,
    save_once,
    today_of,
    unique,
)
from calfcare.services.person_lines import refresh_later
from calfcare.services.safety import followup_report
from calfcare.storage import Store

# -- check-ins, knee-to-wall tests, notes ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SorenessLogged:
    """What `log_soreness` saved, and the follow-up's report on a next-day check-in."""

    items: tuple[Logged[SorenessCheckIn], ...]
    followup: dict[str, Any] | None = None
    created: bool = True
    """False when a client id's records were already stored (a replay: nothing written)."""

    @property
    def escalated(self) -> bool:
        return self.followup is not None and Level(self.followup["verdict"]) >= Level.URGENT


def log_soreness(
    store: Store,
    *,
    day: object,
    scores: Mapping[str, object],
    moment: object,
    now: datetime,
    session_id: object = None,
    followup: FollowUpAnswers | None = None,
    client_id: str | None = None,
) -> SorenessLogged:
    """Save soreness for one or both calves (``{"left": 3, "right": 5}``).

    A next-day check-in must come with the follow-up answers (new swelling, redness or
    warmth); they are screened by the real rules and kept in the audit trail with the
    ratings, in the same transaction. An urgent result is returned for the caller to show.
    With a ``client_id`` a repeat of a stored check-in writes nothing and returns it
    (`calfcare.core.client_ids`; ``created`` is False), and other content is a conflict.
    """
    problems: list[Problem] = client_id_problems(client_id)
    records: list[SorenessCheckIn] = []
    try:
        records = soreness_records(
            day=day, scores=scores, moment=moment, now=now, session_id=session_id
        )
    except InvalidInput as error:
        problems += error.problems
    problems += missing_followup_problems(moment, followup)
    if problems:
        raise InvalidInput(problems, _CHECK_IN_REFUSED)
    report = followup_report(followup) if followup is not None else None
    items = tuple(Logged(leg_record_id(client_id, r.leg), now, r) for r in records)
    follow = None
    if report is not None:
        fid = new_id() if client_id is None else follow_up_id(client_id)
        follow = _followup_record(followup, report, now, fid)

    def stored_of(tx: Any) -> tuple[list[Logged[SorenessCheckIn]], ScreeningRecord | None]:
        assert client_id is not None
        found = tx.by_ids("soreness", [leg_id(client_id, leg) for leg in Leg])
        return found, tx.screening(follow_up_id(client_id))

    def write(tx: Any) -> None:
        for item in items:
            tx.add_soreness(item)
        if follow is not None:
            tx.add_screening(follow)

    stored = save_once(store, client_id, stored_of, write)
    if stored is None:
        refresh_later(store, now)
        return SorenessLogged(items, report)
    found, stored_follow = stored
    if not (same_logged(found, items) and same_follow_up(stored_follow, follow)):
        raise client_id_conflict(client_id, "check-in")
    found.sort(key=lambda i: [r.leg for r in records].index(i.record.leg))
    return SorenessLogged(
        tuple(found), None if stored_follow is None else dict(stored_follow.report), False
    )


_CHECK_IN_REFUSED = "The check-in is not valid; nothing was saved."
_TEST_REFUSED = "The test is not valid; nothing was saved."
R = TypeVar("R")


def soreness_records(
    *,
    day: object,
    scores: Mapping[str, object],
    moment: object,
    now: datetime,
    session_id: object = None,
) -> list[SorenessCheckIn]:
    """Validate a check-in without saving it (`InvalidInput` names every bad field), so a
    front end can report these problems together with its own."""
    today = today_of(now)
    return _per_calf(
        scores,
        lambda leg, score: soreness_check_in(
            day=day, leg=leg, moment=moment, score=score, today=today, session_id=session_id
        ),
        none_given=Problem("score", "give a rating for at least one calf (--left, --right)"),
        day=day,
        today=today,
        session_id=session_id,
        refused=_CHECK_IN_REFUSED,
    )


def _per_calf(
    values: Mapping[str, object],
    make: Callable[[str, object], R],
    *,
    none_given: Problem,
    day: object,
    today: date,
    session_id: object,
    refused: str,
) -> list[R]:
    """One record per calf named in ``values`` (``{"left": 3}``) made by ``make``, or
    `InvalidInput` naming every bad field, each calf's as ``left.score``: a soreness
    check-in's ratings and a knee-to-wall sitting's distances alike. With no calf, ``day``
    is checked here (it is checked with each calf's record otherwise)."""
    problems = session_id_problems(session_id)
    if not values:
        problems.append(none_given)
        problems += day_problems(day, today)
    records: list[R] = []
    for leg, value in values.items():
        try:
            records.append(make(leg, value))
        except InvalidInput as error:
            problems += [for_leg(p, leg) for p in error.problems]
    if problems:
        raise InvalidInput(unique(problems), refused)
    return records


def _followup_record(
    followup: FollowUpAnswers | None, report: dict[str, Any], now: datetime, record_id: str
) -> ScreeningRecord:
    assert followup is not None
    from calfcare.core.followup import as_screening_answers

    answers = as_screening_answers(followup)
    return ScreeningRecord(
        record_id,
        ScreeningKind.FOLLOW_UP,
        now,
        CONTRACT_VERSION,
        Level(report["verdict"]),
        answers.to_json(),
        report,
    )


def log_mobility(
    store: Store,
    *,
    day: object,
    distances: Mapping[str, object],
    moment: object,
    now: datetime,
    session_id: object = None,
    client_id: str | None = None,
) -> tuple[Logged[MobilityTest], ...]:
    """Save knee-to-wall distances (cm, per calf) from one test sitting; with a
    ``client_id``, once (as `log_soreness`: a repeat returns the stored tests)."""
    today = today_of(now)
    problems: list[Problem] = client_id_problems(client_id)
    records: list[MobilityTest] = []
    try:
        records = _per_calf(
            distances,
            lambda leg, distance: mobility_test(
                day=day,
                leg=leg,
                moment=moment,
                distance_cm=distance,
                today=today,
                session_id=session_id,
            ),
            none_given=Problem("distance_cm", "give at least one leg's distance (--left, --right)"),
            day=day,
            today=today,
            session_id=session_id,
            refused=_TEST_REFUSED,
        )
    except InvalidInput as error:
        problems += error.problems
    raise_if(unique(problems), _TEST_REFUSED)
    items = tuple(Logged(leg_record_id(client_id, r.leg), now, r) for r in records)

    def write(tx: Any) -> None:
        for item in items:
            tx.add_mobility(item)

    def stored_of(tx: Any) -> list[Logged[MobilityTest]]:
        assert client_id is not None
        return list(tx.by_ids("mobility", [leg_id(client_id, leg) for leg in Leg]))

    found = save_once(store, client_id, stored_of, write)
    if found is None:
        refresh_later(store, now)
        return items
    if not same_logged(found, items):
        raise client_id_conflict(client_id, "knee-to-wall test")
    return tuple(sorted(found, key=lambda i: [r.leg for r in records].index(i.record.leg)))


def add_note(
    store: Store, *, day: object, text: object, now: datetime, client_id: str | None = None
) -> Note:
    """Save a note; with a ``client_id`` (its id), once (a repeat returns the stored note)."""
    raise_if(client_id_problems(client_id), "The note is not valid; nothing was saved.")
    record = note(id=client_id or new_id(), day=day, text=text, now=now, today=today_of(now))

    def stored_of(tx: Any) -> list[Note]:
        return list(tx.by_ids("notes", [record.id]))

    found = save_once(store, client_id, stored_of, lambda tx: tx.add_note(record))
    if found is None:
        refresh_later(store, now)
        return record
    if not same_note(found[0], record):
        raise client_id_conflict(client_id, "note")
    return found[0]
