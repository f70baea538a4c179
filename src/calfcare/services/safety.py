"""Screening and the safety state's use cases: keep a screening (and the next-day
follow-up's report), read the state, record a clearance, confirm a pain check. One
transaction each, so the state a write is checked against and the write are one step.

The rules are pure (`calfcare.core.screening`, `calfcare.core.safety_state`); this module
reads only what they need (every screening and follow-up, clearance and pain check, and the
sessions stopped for sharp pain; not years of other records), applies them and writes. The
CLI, the web pages and the API call these, and every plan, session and page asks
`safety_state` (issue 11).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from calfcare.core.answers import parse_answers
from calfcare.core.client_ids import client_id_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.followup import FollowUpAnswers, check_followup
from calfcare.core.levels import Leg
from calfcare.core.pain_stops import open_stops, stop_end
from calfcare.core.records import (
    Clearance,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    clearance,
    pain_check,
)
from calfcare.core.safety_state import HoldSpan, SafetyState, hold_on, safety_json
from calfcare.core.screening import screen
from calfcare.core.screening_rules import CONTRACT_VERSION
from calfcare.services.cache import ReadCache
from calfcare.services.common import client_id_conflict, new_id, today_of, zone_of
from calfcare.services.common import state_of as state_of  # its home before the list needed it
from calfcare.services.person_lines import writing
from calfcare.storage import Store, Transaction

# -- screenings and the next-day follow-up ---------------------------------------------------


def record_screening(
    store: Store,
    report: Mapping[str, Any],
    now: datetime,
    *,
    kind: ScreeningKind = ScreeningKind.SCREENING,
) -> ScreeningRecord:
    """Keep a screening in the audit trail: the report of `calfcare.core.report.screening_report`
    (answers included), checked again against the rules so the trail cannot disagree with them."""
    answers = parse_answers(report.get("answers"))
    verdict = screen(answers).verdict
    if report.get("verdict") != verdict.value:
        raise InvalidInput(
            [Problem("verdict", f"does not match the screening rules ({verdict.value})")]
        )
    record = ScreeningRecord(
        new_id(), kind, now, CONTRACT_VERSION, verdict, answers.to_json(), dict(report)
    )
    with writing(store, now) as tx:
        tx.add_screening(record)
    return record


def stored_report(record: ScreeningRecord) -> dict[str, Any]:
    """A stored screening's report to show: made again from its answers by today's rules
    and wording (the report is derived data; one stored by an older calfcare, or damaged,
    must not decide what a page says)."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.report import screening_report

    return screening_report(screen(parse_answers(dict(record.answers))), load_screening_text())


def followup_report(followup: FollowUpAnswers) -> dict[str, Any]:
    """The follow-up screened by the contract's rules, worded as the screening is."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.report import screening_report

    return screening_report(check_followup(followup), load_screening_text())


# -- the safety state ---------------------------------------------------------------------


def safety_records(tx: Transaction) -> RecordSet:
    """What the safety state reads: every screening and follow-up, clearance and pain
    check, and the sessions stopped for sharp pain (whatever their day), in one statement."""
    return tx.safety_records()


def _state(tx: Transaction, now: datetime) -> SafetyState:
    return state_of(safety_records(tx), now)


@dataclass(frozen=True, slots=True)
class SafetyRead:
    """Today's safety state, the stored screening it names (None when it names none) and
    the state as canonical JSON (``key``: what a cached page that shows it varies on)."""

    state: SafetyState
    screening: ScreeningRecord | None
    key: str


def read_of(records: RecordSet, now: datetime) -> SafetyRead:
    """The `SafetyRead` of ``records`` (the safety state's, `safety_records`) at ``now``:
    the screening it names is among them, so it costs no second read."""
    state = state_of(records, now)
    named = (s for s in records.screenings if s.id == state.screening_id)
    screening = None if state.screening_id is None else next(named, None)
    key = json.dumps(safety_json(state), sort_keys=True, separators=(",", ":"))
    return SafetyRead(state, screening, key)


def safety_key(now: datetime) -> tuple[str, date, str]:
    """The read cache's one key for the safety state at ``now`` (its day and time zone),
    shared by every path that reads it (`/api/safety`, the pages' gate, the clinician's
    pages): whichever comes first computes it, the others reuse it at that data version."""
    return ("safety", today_of(now), str(zone_of(now)))


def safety_read(
    store: Store,
    now: datetime,
    cache: ReadCache | None = None,
    *,
    records: RecordSet | None = None,
    read_at: int | None = None,
) -> SafetyRead:
    """Today's `SafetyRead` (kept in ``cache``, when given, until the data changes), from
    ``records`` when a caller read them already in its own snapshot (`safety_records`),
    else in a read of its own. With a ``cache``, ``records`` are used only when read at
    the data version the state is kept under (``read_at``, read before their snapshot):
    a write between that snapshot and this read would otherwise keep the state from before
    it (a hold missing) under the version after it."""

    def compute(version: int | None = None) -> SafetyRead:
        if records is not None and (cache is None or read_at == version):
            return read_of(records, now)
        with store.reading() as tx:
            return read_of(safety_records(tx), now)

    return compute() if cache is None else cache.get_for_version(safety_key(now), compute)[1]


def safety_state(store: Store, now: datetime, cache: ReadCache | None = None) -> SafetyState:
    """The safety state today (kept in ``cache``, when given, until the data changes)."""
    return safety_read(store, now, cache).state


@dataclass(frozen=True, slots=True)
class AfterScreening:
    """What is in force after a screening is recorded, without the wording (so that
    `calfcare screen` need not load it): the hold on today, and the day of each calf's
    sharp-pain stop still to be answered."""

    hold: HoldSpan | None
    pain_stops: Mapping[Leg, date]


def after_screening(store: Store, now: datetime) -> AfterScreening:
    """The `AfterScreening` at ``now``: the same records and walk as the safety state."""
    with store.reading() as tx:
        records = safety_records(tx)
    today, zone = today_of(now), zone_of(now)
    stops = open_stops(records, today, zone)
    days = {leg: stop_end(stop).astimezone(zone).date() for leg, stop in stops.items()}
    return AfterScreening(hold_on(records, today, zone=zone), days)


def state_with_screening(store: Store, now: datetime) -> tuple[SafetyState, ScreeningRecord | None]:
    """The safety state today and the stored screening it names (None when it names none),
    in one read (`safety_read`)."""
    read = safety_read(store, now)
    return read.state, read.screening


def safety_document(store: Store, now: datetime, cache: ReadCache | None = None) -> dict[str, Any]:
    """The state as the fixed JSON object (`calfcare.core.safety_state.safety_json`)."""
    return safety_json(safety_state(store, now, cache))


_CLEARANCE_REFUSED = "The clearance was not recorded; nothing was saved."
_PAIN_CHECK_REFUSED = "The pain check was not recorded; nothing was saved."


def record_clearance(
    store: Store, *, day: object, now: datetime, client_id: str | None = None
) -> tuple[Clearance, bool]:
    """Record that a clinician ruled out a clot on ``day`` (not after today): it lifts the
    hold that is on, when ``day`` is on or after the hold began. Refused when no hold is on
    or the day is before it. The clearance, and True when it was written now: with a
    ``client_id`` a repeat returns the stored clearance and False."""
    problems = client_id_problems(client_id)
    with writing(store, now) as tx:
        stored: Clearance | None = _stored(tx, "clearances", client_id, problems, day=day)
        if stored is not None:
            return stored, False
        state = _state(tx, now)
        try:
            record = clearance(id=client_id or new_id(), day=day, now=now, today=today_of(now))
        except InvalidInput as error:
            problems += error.problems
            record = None
        hold = state.hold
        if hold is None:
            problems.append(
                Problem("hold", "no hold on massage is on, so there is nothing to clear")
            )
        elif record is not None and record.day < hold.since:
            problems.append(
                Problem(
                    "day",
                    f"{record.day.isoformat()} is before the hold began "
                    f"({hold.since.isoformat()}); give the day the clinician ruled out a clot",
                )
            )
        if problems or record is None:
            raise InvalidInput(problems, _CLEARANCE_REFUSED)
        tx.add_clearance(record)
    return record, True


def confirm_pain_checked(
    store: Store, *, leg: object, now: datetime, client_id: str | None = None
) -> tuple[PainCheck, bool]:
    """Record the person's word that a calf's sharp pain has gone or been checked; refused
    when no sharp-pain stop of that calf waits for it. The record, and True when written
    now (with a ``client_id`` a repeat returns the stored one and False)."""
    problems = client_id_problems(client_id)
    with writing(store, now) as tx:
        check: PainCheck | None = _stored(tx, "pain_checks", client_id, problems, leg=leg)
        if check is not None:
            return check, False
        try:
            record = pain_check(id=client_id or new_id(), leg=leg, now=now, today=today_of(now))
        except InvalidInput as error:
            raise InvalidInput(problems + error.problems, _PAIN_CHECK_REFUSED) from None
        state = _state(tx, now)
        if state.legs[record.leg].pain_check is None:
            problems.append(
                Problem("leg", f"no session stopped for sharp pain in the {record.leg} calf waits")
            )
        if problems:
            raise InvalidInput(problems, _PAIN_CHECK_REFUSED)
        tx.add_pain_check(record)
    return record, True


def record_screening_answers(
    store: Store, answers: object, now: datetime
) -> tuple[ScreeningRecord, dict[str, Any]]:
    """Screen ``answers`` (the screening contract's input) and keep the screening: how
    ``calfcare screen --answers`` and ``POST /api/screenings`` record one. `InvalidInput`
    names every bad answer (nothing is saved)."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.answers import parse_answers
    from calfcare.core.report import screening_report
    from calfcare.core.screening import screen

    report = screening_report(screen(parse_answers(answers)), load_screening_text())
    return record_screening(store, report, now), report


_WHAT = {"clearances": "clearance", "pain_checks": "pain check"}


def _stored(
    tx: Transaction, name: str, client_id: str | None, problems: list[Problem], **given: object
) -> Any:
    """The record of kind ``name`` stored under a valid ``client_id`` (None: no id, a bad
    one, or none stored), when it has the ``given`` values; another record under the id is
    a `ClientIdConflict`."""
    if client_id is None or problems:
        return None
    found = tx.by_ids(name, [client_id])
    if not found:
        return None
    if any(getattr(found[0], key) != value for key, value in given.items()):
        raise client_id_conflict(client_id, _WHAT[name])
    return found[0]
