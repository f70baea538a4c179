"""Use cases that need the core and storage together: one transaction each.

The CLI, the terminal coach and the web app call these same functions, so a check-in is
validated, safety-checked and saved the same way whichever face it came through. Each one
validates everything first (raising `InvalidInput` naming every bad field), then writes in
a single `Store.transaction`, so nothing is ever partly saved. ``now`` is always passed in
(aware datetime); "today" is its local calendar date.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from calfcare.core import export_format
from calfcare.core.answers import parse_answers
from calfcare.core.client_ids import (
    client_id_problems,
    follow_up_id,
    leg_id,
    same_follow_up,
    same_logged,
    same_note,
)
from calfcare.core.days import day_problems
from calfcare.core.errors import (
    ClientIdConflict,
    InvalidInput,
    Problem,
    SessionConflict,
    StorageError,
)
from calfcare.core.followup import FollowUpAnswers, check_followup
from calfcare.core.levels import Leg, Level
from calfcare.core.plan_json import plan_to_json
from calfcare.core.records import (
    CalfRecord,
    Hold,
    Logged,
    Note,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    TenderSpot,
    note,
    parse_tender_spot,
    session_id_problems,
)
from calfcare.core.routine import Plan, Tool
from calfcare.core.screening import screen
from calfcare.core.screening_rules import CONTRACT_VERSION
from calfcare.core.session_effort import mostly_skipped
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import (
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    mobility_test,
    soreness_check_in,
)
from calfcare.storage import Store

if TYPE_CHECKING:
    from calfcare.core.period_report import PeriodReport

Progress = Callable[[int, int], None]
"""Called with (records written so far, total) during a large import."""


def new_id() -> str:
    return uuid.uuid4().hex


def today_of(now: datetime) -> date:
    """The person's calendar day at ``now`` (local time)."""
    return now.astimezone().date()


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
    with store.transaction() as tx:
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
    if moment == SorenessMoment.NEXT_DAY and followup is None:
        problems.append(
            Problem(
                "followup",
                "a next-day check-in asks about new swelling, redness or warmth, and about "
                "breathlessness or chest pain (pe_signs)",
            )
        )
    if problems:
        raise InvalidInput(problems, _CHECK_IN_REFUSED)
    report = followup_report(followup) if followup is not None else None
    items = tuple(Logged(_record_id(client_id, r.leg), now, r) for r in records)
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

    stored = _save_once(store, client_id, stored_of, write)
    if stored is None:
        return SorenessLogged(items, report)
    found, stored_follow = stored
    if not (same_logged(found, items) and same_follow_up(stored_follow, follow)):
        raise _conflict(client_id, "check-in")
    found.sort(key=lambda i: [r.leg for r in records].index(i.record.leg))
    return SorenessLogged(
        tuple(found), None if stored_follow is None else dict(stored_follow.report), False
    )


_CHECK_IN_REFUSED = "The check-in is not valid; nothing was saved."


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
    problems: list[Problem] = []
    records: list[SorenessCheckIn] = []
    problems += session_id_problems(session_id)
    if not scores:  # (the day is checked with each rating; without one, here)
        problems.append(Problem("score", "give a rating for at least one calf (--left, --right)"))
        problems += day_problems(day, today)
    for leg, score in scores.items():
        try:
            records.append(
                soreness_check_in(
                    day=day, leg=leg, moment=moment, score=score, today=today, session_id=session_id
                )
            )
        except InvalidInput as error:
            problems += [_for_leg(p, leg) for p in error.problems]
    if problems:
        raise InvalidInput(_unique(problems), _CHECK_IN_REFUSED)
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
    problems += session_id_problems(session_id)
    if not distances:
        problems.append(
            Problem("distance_cm", "give at least one leg's distance (--left, --right)")
        )
        problems += day_problems(day, today)
    for leg, distance in distances.items():
        try:
            records.append(
                mobility_test(
                    day=day,
                    leg=leg,
                    moment=moment,
                    distance_cm=distance,
                    today=today,
                    session_id=session_id,
                )
            )
        except InvalidInput as error:
            problems += [_for_leg(p, leg) for p in error.problems]
    if problems:
        raise InvalidInput(_unique(problems), "The test is not valid; nothing was saved.")
    items = tuple(Logged(_record_id(client_id, r.leg), now, r) for r in records)

    def write(tx: Any) -> None:
        for item in items:
            tx.add_mobility(item)

    def stored_of(tx: Any) -> list[Logged[MobilityTest]]:
        assert client_id is not None
        return list(tx.by_ids("mobility", [leg_id(client_id, leg) for leg in Leg]))

    found = _save_once(store, client_id, stored_of, write)
    if found is None:
        return items
    if not same_logged(found, items):
        raise _conflict(client_id, "knee-to-wall test")
    return tuple(sorted(found, key=lambda i: [r.leg for r in records].index(i.record.leg)))


def add_note(
    store: Store, *, day: object, text: object, now: datetime, client_id: str | None = None
) -> Note:
    """Save a note; with a ``client_id`` (its id), once (a repeat returns the stored note)."""
    _raise_if(client_id_problems(client_id), "The note is not valid; nothing was saved.")
    record = note(id=client_id or new_id(), day=day, text=text, now=now, today=today_of(now))

    def stored_of(tx: Any) -> list[Note]:
        return list(tx.by_ids("notes", [record.id]))

    found = _save_once(store, client_id, stored_of, lambda tx: tx.add_note(record))
    if found is None:
        return record
    if not same_note(found[0], record):
        raise _conflict(client_id, "note")
    return found[0]


def _record_id(client_id: str | None, leg: Leg) -> str:
    return new_id() if client_id is None else leg_id(client_id, leg)


S = TypeVar("S")


def _save_once(
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


def _conflict(client_id: str | None, what: str) -> ClientIdConflict:
    return ClientIdConflict(
        f"The client id {client_id!r} is stored with a different {what}: "
        "an id names one record forever; send a new id for a new record."
    )


def _raise_if(problems: list[Problem], message: str) -> None:
    if problems:
        raise InvalidInput(problems, message)


def _for_leg(problem: Problem, leg: str) -> Problem:
    """Name which calf a per-calf problem is about (the leg itself keeps its own field)."""
    if problem.field in ("score", "distance_cm"):
        return Problem(f"{leg}.{problem.field}", problem.message)
    return problem


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# -- sessions --------------------------------------------------------------------------------


def record_session(
    store: Store,
    plan: Plan,
    result: Mapping[str, Any],
    now: datetime,
    tender_spot_locations: Sequence[TenderSpot] = (),
    *,
    screening_id: str | None = None,
    session_id: str | None = None,
) -> SessionRecord:
    """Save a session the coach ran: ``result`` is the routine contract's session JSON
    (`calfcare.core.replay.replay_json(engine)`), ``now`` the moment it ended, and the tender
    spots are where the person said the holds were.

    ``session_id`` is the id a client gave the session (the web coach names it before the
    upload, so that a retried upload is recognised); without it a new id is made. Saved by
    `save_session`: a repeat of a stored session saves nothing, a different session under
    a stored id is a `SessionConflict`."""
    record = session_from_result(
        plan,
        result,
        now,
        tender_spot_locations,
        screening_id=screening_id,
        session_id=session_id,
    )
    save_session(store, record)
    return record


def session_from_result(
    plan: Plan,
    result: Mapping[str, Any],
    now: datetime,
    tender_spot_locations: Sequence[TenderSpot] = (),
    *,
    screening_id: str | None = None,
    session_id: str | None = None,
) -> SessionRecord:
    """The record `record_session` saves, built and not saved; `InvalidInput` when
    ``result`` is not a session result."""
    try:
        duration = float(result["duration_seconds"])
        calves = tuple(
            CalfRecord(
                leg=Leg(c["leg"]),
                planned_seconds=c.get("planned_seconds"),
                active_seconds=float(c["active_seconds"]),
                holds=tuple(
                    Hold(h["start"], h["end"], h.get("seconds", h["end"] - h["start"]))
                    for h in c.get("holds", [])
                ),
            )
            for c in result["calves"]
        )
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


def save_session(store: Store, record: SessionRecord) -> bool:
    """Store ``record`` in one transaction; True if it was added, False if this very session
    was already stored (a retried upload: nothing is written). A different session under its
    id is a `SessionConflict`, on any day; a ``screening_id`` that names no stored safety
    check is `InvalidInput`."""
    with store.transaction() as tx:
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
) -> SessionRecord:
    """Save a session done without the coach (the person says what they did). Tender spots
    may be given as ``leg:height:side`` text; every bad field is named at once."""
    problems: list[Problem] = []
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
        id=new_id(),
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
    with store.transaction() as tx:
        tx.add_session(record)
    return record


# -- reading, export and import --------------------------------------------------------------


def load_records(
    store: Store,
    since: date | None = None,
    until: date | None = None,
    *,
    kinds: Sequence[str] | None = None,
) -> RecordSet:
    """Every record between two days (inclusive; None is open), in one read-only snapshot;
    with ``kinds`` (names of `RecordSet` fields) only those kinds, the others left empty."""
    with store.reading() as tx:
        return tx.records(since, until, kinds=kinds)


INSIGHT_KINDS = ("sessions", "soreness", "mobility", "split_leg_days", "split_leg_experiments")
"""The kinds of record `calfcare.core.insight_report.analyse_records` reads."""
T = TypeVar("T")
MISSING: Any = object()
"""`ReadCache.peek`'s answer when nothing is cached for the key."""


class ReadCache:
    """Results derived from the records (insights, stats, history rows, export bytes), kept
    for as long as the database's data version (`Store.data_version`) stays the same.

    Records are only ever added and every write adds one to the version in its own
    transaction, so a result computed at version *v* is right until the version moves. The
    version is read from the database on every `get` (one small query), so a write from
    another process, such as the CLI beside the web app, invalidates the cache as surely as
    a write from this one. When it moves, every entry is dropped: only one version's results
    are ever held. At most ``max_entries`` are kept, and encoded bodies (``bytes``) of at
    most ``max_bytes`` in all (an unfiltered export of five years is 5.5 MB, and a query
    string can ask for many different row sets); the least recently used goes first.

    Thread-safe (the web app's sync routes run in a thread pool), and one computation per
    key: when 32 requests miss the same key at once, one computes and the others wait for its
    result instead of loading five years of records 32 times. Values are shared between
    callers: treat them as read-only. No globals: the web app keeps one on ``app.state``.
    """

    def __init__(self, store: Store, max_entries: int = 64, max_bytes: int = 64 * 2**20) -> None:
        self.store = store
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._version: int | None = None
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._pending: dict[Hashable, Future[object]] = {}
        self.hits = 0
        self.misses = 0

    def peek(self, key: Hashable) -> tuple[int, Any]:
        """``(data version, the cached value or MISSING)``, computing nothing: an async web
        route answers a hit without a thread hop and sends a miss to a worker thread."""
        version = self.store.data_version()
        with self._lock:
            self._move_to(version)
            value = self._entries.get((version, key), MISSING)
            if value is not MISSING:
                self._entries.move_to_end((version, key))
                self.hits += 1
        return version, value

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key`` at the current data version, or ``compute()``'s."""
        return self.get_at(key, compute)[1]

    def get_at(self, key: Hashable, compute: Callable[[], T]) -> tuple[int, T]:
        """`get`, with the data version the value is kept under (for a page cache that
        must vary with it)."""
        version = self.store.data_version()
        full_key = (version, key)
        with self._lock:
            self._move_to(version)
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return version, cast(T, self._entries[full_key])
            self.misses += 1
            waiting = self._pending.get(full_key)
            if waiting is None:
                future: Future[object] = Future()
                self._pending[full_key] = future
        if waiting is not None:
            return version, cast(T, waiting.result())
        try:
            value = compute()
        except BaseException as error:
            with self._lock:
                self._pending.pop(full_key, None)
            future.set_exception(error)
            raise
        with self._lock:
            self._pending.pop(full_key, None)
            if self._version == version and full_key not in self._entries:
                self._entries[full_key] = value
                self._bytes += _size(value)
                while self._entries and (
                    len(self._entries) > self.max_entries or self._bytes > self.max_bytes
                ):
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= _size(dropped)
        future.set_result(value)
        return version, value

    def _move_to(self, version: int) -> None:
        """Drop everything kept for another version (call with the lock held)."""
        if version != self._version:
            self._version = version
            self._entries.clear()
            self._bytes = 0
            self._pending.clear()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._version = None


def _size(value: object) -> int:
    """What a cached value counts against ``max_bytes``: encoded bodies only."""
    return len(value) if isinstance(value, bytes) else 0


def export_document(store: Store) -> dict[str, Any]:
    """Everything, as the canonical export document (`calfcare.core.export_format`)."""
    return export_format.to_document(load_records(store))


EXPORT_FORMATS = ("json", "csv", "fhir")
"""What `export_text` writes: calfcare's own JSON, a CSV table, or a FHIR R4 bundle."""
EXPORT_MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "fhir": "application/fhir+json",
}
EXPORT_SUFFIXES = {"json": "json", "csv": "csv", "fhir": "fhir.json"}


def export_text(records: RecordSet, fmt: str) -> str:
    """The export file's text: ``json`` (canonical, re-importable), ``csv``, or ``fhir``
    (an R4 bundle for a clinic's system, docs/fhir.md; export only)."""
    from calfcare.core.record_views import to_csv

    if fmt == "json":
        return export_format.dumps(export_format.to_document(records))
    if fmt == "csv":
        return to_csv(records)
    if fmt == "fhir":
        return fhir_text(records)
    raise InvalidInput([Problem("format", f"{fmt!r}: use json, csv or fhir")])


def fhir_text(records: RecordSet) -> str:
    """The records as a FHIR R4 bundle (compact JSON, sorted keys: equal records, equal
    bytes)."""
    from calfcare.content.screening import load_screening_text
    from calfcare.core.fhir_export import dumps, to_bundle

    return dumps(to_bundle(records, load_screening_text()))


def export_bytes(store: Store, fmt: str) -> bytes:
    """Every record as the export file's bytes (UTF-8), as ``calfcare export`` writes them."""
    return export_text(load_records(store), fmt).encode("utf-8")


@dataclass(frozen=True, slots=True)
class ImportSummary:
    added: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)


def import_file(
    store: Store, path: Path, now: datetime, progress: Progress | None = None
) -> ImportSummary:
    """Import an export file (JSON); see `import_document`."""
    try:
        size = path.stat().st_size
        if size > export_format.MAX_BYTES:
            raise InvalidInput(
                [Problem("FILE", f"{size} bytes; at most {export_format.MAX_BYTES}")],
                "The import file is too large; nothing was imported.",
            )
        data = export_format.loads(path.read_bytes())
    except FileNotFoundError:
        raise InvalidInput([Problem("FILE", f"no such file: {path}")]) from None
    except (IsADirectoryError, PermissionError, OSError) as error:
        raise InvalidInput([Problem("FILE", f"cannot read {path}: {error}")]) from None
    return import_document(store, data, now, progress)


def import_document(
    store: Store, data: object, now: datetime, progress: Progress | None = None
) -> ImportSummary:
    """Add a document's records: all of them or, on any problem, none.

    Idempotent: a record already stored with the same id and content is skipped; the same id
    with different content is refused (naming the field), as is a session whose screening is
    in neither the file nor the database.
    """
    from calfcare.content.screening import load_screening_text

    wording = load_screening_text()
    parsed = export_format.from_document(data, today=today_of(now), wording=wording)
    with store.transaction() as tx:
        stored = tx.records()
        new, problems, skipped = _new_records(parsed, stored)
        if problems:
            raise InvalidInput(problems[: export_format.MAX_PROBLEMS], _IMPORT_REFUSED)
        total = sum(new.counts().values())
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        tx.add_all(new, step)
    return ImportSummary(new.counts(), skipped)


_IMPORT_REFUSED = "The import file disagrees with what is stored; nothing was imported."


def _same_stored(stored: object, record: object) -> bool:
    """Whether an imported record is the stored one. A screening's report is derived from
    its answers (and made again on import), so it is not compared: the same screening
    exported by an older calfcare, with other wording, is still the same record."""
    if isinstance(stored, ScreeningRecord) and isinstance(record, ScreeningRecord):
        return dataclasses.replace(stored, report={}) == dataclasses.replace(record, report={})
    return stored == record


def _new_records(
    parsed: export_format.Parsed, stored: RecordSet
) -> tuple[RecordSet, list[Problem], dict[str, int]]:
    problems: list[Problem] = []
    new: dict[str, list[Any]] = {}
    skipped: dict[str, int] = {}
    for name in export_format.SECTIONS:
        key_of: Callable[[Any], str] = (
            (lambda r: r.day.isoformat()) if name == "split_leg_days" else (lambda r: r.id)
        )
        have = {key_of(r): r for r in getattr(stored, name)}
        new[name] = []
        skipped[name] = 0
        for record in getattr(parsed.records, name):
            key = key_of(record)
            if key not in have:
                new[name].append(record)
            elif _same_stored(have[key], record):
                skipped[name] += 1
            else:
                where = parsed.where[(name, key)]
                field_name = "day" if name == "split_leg_days" else "id"
                problems.append(
                    Problem(f"{where}.{field_name}", f"{key!r} is stored with different content")
                )
    screening_ids = {r.id for r in stored.screenings} | {r.id for r in parsed.records.screenings}
    for s in parsed.records.sessions:
        if s.screening_id is not None and s.screening_id not in screening_ids:
            problems.append(
                Problem(
                    f"{parsed.where[('sessions', s.id)]}.screening_id",
                    f"{s.screening_id!r} is neither in the file nor stored",
                )
            )
    experiments = {e.id for e in stored.split_leg_experiments}
    experiments |= {e.id for e in parsed.records.split_leg_experiments}
    for d in parsed.records.split_leg_days:
        if d.experiment_id is not None and d.experiment_id not in experiments:
            problems.append(
                Problem(
                    f"{parsed.where[('split_leg_days', d.day.isoformat())]}.experiment_id",
                    f"{d.experiment_id!r} is neither in the file nor stored",
                )
            )
    records = RecordSet(**{name: tuple(items) for name, items in new.items()})
    return records, problems, skipped


# -- stats -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stats:
    """A summary for `calfcare stats` and the web app's overview."""

    counts: dict[str, int]
    first_day: date | None
    last_day: date | None
    sessions_per_week: dict[str, int]
    """Sessions done per ISO week: a mostly skipped session is not counted
    (`calfcare.core.session_effort`; ``mostly_skipped_sessions`` counts those)."""
    soreness_mean: dict[str, dict[str, float]]
    mobility: dict[str, dict[str, float]]
    tender_spots: dict[str, int]
    urgent_followups: int
    mostly_skipped_sessions: int = 0

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["first_day"] = self.first_day.isoformat() if self.first_day else None
        out["last_day"] = self.last_day.isoformat() if self.last_day else None
        return out


def stats(records: RecordSet) -> Stats:
    """Counts, sessions per ISO week, mean soreness per calf and moment, knee-to-wall first,
    latest and change per leg, where the tender spots were. Pure: no store needed."""
    days = [r.day for r in records.sessions] + [i.record.day for i in records.soreness]
    days += [i.record.day for i in records.mobility] + [n.day for n in records.notes]
    weeks: Counter[str] = Counter()
    for s in records.sessions:
        if s.done:  # a mostly skipped session is kept, not counted (core/session_effort.py)
            year, week, _ = s.day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for item in records.soreness:
        scores[item.record.leg.value][item.record.moment.value].append(item.record.score)
    mobility: dict[str, dict[str, float]] = {}
    for leg in Leg:
        tests = [i.record for i in records.mobility if i.record.leg is leg]
        if tests:
            first, last = tests[0].distance_cm, tests[-1].distance_cm
            mobility[leg.value] = {
                "first_cm": first,
                "latest_cm": last,
                "change_cm": round(last - first, 1),
                "tests": len(tests),
            }
    spots = Counter(t.label for s in records.sessions for t in s.tender_spots)
    return Stats(
        counts=records.counts(),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        sessions_per_week=dict(sorted(weeks.items())),
        soreness_mean={
            leg: {m: round(sum(v) / len(v), 2) for m, v in sorted(by.items())}
            for leg, by in sorted(scores.items())
        },
        mobility=mobility,
        tender_spots=dict(spots.most_common()),
        urgent_followups=sum(
            1
            for r in records.screenings
            if r.kind is ScreeningKind.FOLLOW_UP and r.verdict >= Level.URGENT
        ),
        mostly_skipped_sessions=sum(s.mostly_skipped for s in records.sessions),
    )


def read_stats(store: Store, since: date | None = None, until: date | None = None) -> Stats:
    """`stats` of the records between two days, read as a few aggregates in one snapshot
    instead of loading every record (the first read after a write on five years took
    0.18 s): counts, sums and spans in SQL, only session days, spot labels, screening
    verdicts and each leg's first and last knee-to-wall day as rows. The same `Stats`
    `stats(load_records(store, since, until))` gives (a test compares them)."""
    with store.reading() as tx:
        counts = tx.counts(since, until)
        span = tx.day_range(("sessions", "soreness", "mobility", "notes"), since, until)
        session_days = tx.session_days(since, until)
        soreness = tx.soreness_totals(since, until)
        tests, ends = tx.mobility_ends(since, until)
        spots = Counter(tx.tender_spot_labels(since, until))
        verdicts = tx.screening_verdicts(since, until)
    weeks: Counter[str] = Counter()
    for day, calves in session_days:
        if not mostly_skipped(calves):
            year, week, _ = day.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
    by_leg: dict[str, dict[str, float]] = defaultdict(dict)
    for (leg, moment), (total, n) in sorted(soreness.items()):
        by_leg[leg][moment] = round(total / n, 2)
    ordered = sorted(ends, key=lambda i: (i.record.day, i.recorded_at, i.id))
    mobility: dict[str, dict[str, float]] = {}
    for leg in Leg:
        own = [i.record for i in ordered if i.record.leg is leg]
        if own:
            first, last = own[0].distance_cm, own[-1].distance_cm
            mobility[leg.value] = {
                "first_cm": first,
                "latest_cm": last,
                "change_cm": round(last - first, 1),
                "tests": tests[leg.value],
            }
    return Stats(
        counts=counts,
        first_day=None if span is None else span[0],
        last_day=None if span is None else span[1],
        sessions_per_week=dict(sorted(weeks.items())),
        soreness_mean=dict(by_leg),
        mobility=mobility,
        tender_spots=dict(spots.most_common()),
        urgent_followups=sum(
            1
            for kind, verdict in verdicts
            if kind is ScreeningKind.FOLLOW_UP and verdict >= Level.URGENT
        ),
        mostly_skipped_sessions=sum(mostly_skipped(calves) for _, calves in session_days),
    )


# -- history rows, newest first (the history page and ``limit``) ----------------------------


@dataclass(frozen=True, slots=True)
class HistoryRows:
    """The newest history rows for a filter set, and how many rows match in all."""

    rows: list[dict[str, Any]]
    """The last rows (oldest first), as `calfcare.core.record_views.history_rows` gives them."""
    total: int | None
    """How many rows match the filters (None when not asked for)."""


def newest_history_rows(
    store: Store,
    since: date | None,
    until: date | None,
    kinds: set[str],
    leg: str | None,
    count: int | None,
    *,
    total: bool = False,
) -> HistoryRows:
    """The last ``count`` history rows (every row when None), exactly as the tail of
    `history_rows` over `load_records`, but reading only the newest days they need.

    Five years are 22,000 rows and a page shows 50: loading them all made the first read
    after a write take 0.3 s. So the read starts with a window of recent days sized from
    the rows per day, and doubles it until it holds ``count`` rows or reaches the first
    stored day, all in one snapshot. A window starting on day *W* reads every record with a
    stored day from *W* on; a screening's row shows its local day, which is at most one day
    from the UTC day it is stored by, so the rows shown on days after *W* are exactly all
    the rows on those days, and they come last in the order. ``total`` counts the matching
    rows in SQL (`Transaction.counts`, the calf filter included) instead of loading them."""
    from calfcare.core.record_views import history_rows, record_kinds

    wanted = record_kinds(kinds)
    with store.reading() as tx:
        matching = sum(tx.counts(since, until, kinds=wanted, leg=leg).values()) if total else None
        if count is None or (matching is not None and count >= matching):
            rows = history_rows(tx.records(since, until, kinds=wanted), kinds, leg)
            return HistoryRows(rows[-count:] if count else rows, matching)
        span = tx.day_range(wanted, since, until)
        if span is None:
            return HistoryRows([], matching)
        first, last = span
        stored = matching if leg is None and matching is not None else None
        if stored is None:
            stored = sum(tx.counts(since, until, kinds=wanted).values())
        days = (last - first).days + 1
        width = 1 + (count * days * 5) // (4 * max(stored, 1))
        while True:
            if width >= (last - first).days:  # the window holds every day: read them all
                rows = history_rows(tx.records(since, until, kinds=wanted), kinds, leg)
                return HistoryRows(rows[-count:], matching)
            start = last - timedelta(days=width)
            after = start.isoformat()
            rows = [
                row
                for row in history_rows(tx.records(start, until, kinds=wanted), kinds, leg)
                if row["day"] > after
            ]
            if len(rows) >= count:
                return HistoryRows(rows[-count:], matching)
            width *= 2


__all__ = [
    "MISSING",
    "HistoryRows",
    "ImportSummary",
    "ReadCache",
    "SorenessLogged",
    "Stats",
    "add_note",
    "export_bytes",
    "export_document",
    "export_text",
    "followup_report",
    "import_document",
    "import_file",
    "load_records",
    "log_mobility",
    "log_session",
    "log_soreness",
    "newest_history_rows",
    "read_stats",
    "record_screening",
    "record_session",
    "save_session",
    "session_from_result",
    "stats",
]


# -- the one-page report (issue 17) ----------------------------------------------------------

REPORT_KINDS = ("screenings", "sessions", "soreness", "mobility")
"""The kinds of record the one-page report reads for its period (`calfcare.core.period_report`);
the split-leg experiments and coins are read whole."""


def period_report(
    store: Store,
    *,
    since: date | None,
    until: date | None,
    name: object = None,
    now: datetime,
) -> PeriodReport:
    """The one-page report for a period (default: the 28 days up to today). The name or
    alias is only printed, never stored. A day of margin is read on both sides because the
    store files screenings by UTC day and the report by the person's. The split-leg
    experiments that ran in the period are analysed whole, so the days of their coins are
    read too (`calfcare.core.report_split_leg.split_leg_span`)."""
    from calfcare.core.period_report import build_report, clean_name, period_of
    from calfcare.core.report_split_leg import split_leg_span
    from calfcare.safety_services import safety_records

    today = today_of(now)
    first, last = period_of(since, until, today=today)
    person = clean_name(name)
    zone = now.astimezone().tzinfo
    assert zone is not None
    margin = timedelta(days=1)
    with store.reading() as tx:
        experiments = tuple(tx.split_leg_experiments())
        coins = tuple(tx.split_leg_days())
        span = split_leg_span(experiments, coins, first, last, zone=zone)
        low, high = first - margin, last + margin
        if span is not None:
            low, high = min(low, span[0]), max(high, span[1])
        records = tx.records(low, high, kinds=REPORT_KINDS)
        safety = safety_records(tx)
    records = dataclasses.replace(records, split_leg_days=coins, split_leg_experiments=experiments)
    return build_report(records, first, last, person, zone=zone, today=today, safety_records=safety)
