"""The export document (format ``calfcare-export``, version 2): records to JSON and back.

Version 2 added the split-leg experiments (``split_leg_experiments``) and, on each coin,
when it was drawn, its experiment and the calves the person said they massaged; and the
safety state's own records, ``clearances`` and ``pain_checks`` (optional: a version 2
document without them still reads). Version 1 documents (exports made before that) are
still read: their coins have none of these and are analysed as one finished experiment that
was not pre-registered.

Pure: text or parsed JSON in, a `RecordSet` (or `InvalidInput` naming every bad field by its
dotted path, e.g. ``soreness.3.score``) out. An import file may come from anywhere, so it is
treated as hostile: its size, nesting, list lengths and string lengths are bounded before
anything is built, every record goes through the same validating builders the CLI uses, and
a screening's stored verdict must be the one the screening rules give for its answers.

The document is canonical: records in `RecordSet.sorted` order, times in UTC ISO 8601 with
microseconds, knee-to-wall in cm at 0.1 cm. So export, import into an empty database and
export again gives the same bytes (with ``sort_keys``), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar

from calfcare.core.answers import parse_answers
from calfcare.core.days import FIRST_DAY, day_problems, day_start_utc, time_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.json_input import MAX_DEPTH, depth, parse_json
from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    ID_PATTERN,
    CalfRecord,
    Clearance,
    Hold,
    Logged,
    Note,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
    session_id_problems,
)
from calfcare.core.report import ScreeningWording, screening_report
from calfcare.core.routine import Intensity, Tool
from calfcare.core.screening import screen
from calfcare.core.screening_rules import CONTRACT_VERSION
from calfcare.core.split_leg_design import SplitLegExperiment, experiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import mobility_test, soreness_check_in, split_leg_day

FORMAT = "calfcare-export"
VERSION = 2
READS = (1, 2)
"""The versions this calfcare reads."""
SECTIONS = (
    "screenings",
    "sessions",
    "soreness",
    "mobility",
    "notes",
    "split_leg_days",
    "split_leg_experiments",
    "clearances",
    "pain_checks",
)
SECTIONS_V1 = SECTIONS[:6]
"""The sections of a version 1 document."""
SPLIT_LEG_FIELDS_V2 = ("drawn_at", "experiment_id", "reported")
MAX_BYTES = 64 * 1024 * 1024
MAX_RECORDS = 200_000
"""Per section: decades of daily records, far below what would exhaust memory."""
MAX_ITEMS = 100
"""Calves, holds and tender spots per session."""
MAX_BLOB_NODES = 5_000
"""Values inside one stored JSON object (screening answers or report, session plan)."""
MAX_STRING = 10_000
MAX_PROBLEMS = 50
"""Problems listed before "... and N more": enough to fix a file, not a wall of text."""

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MESSAGE = "The import file is not valid; nothing was imported."
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A valid document: its records, and where each id first appears (for messages)."""

    records: RecordSet
    where: dict[tuple[str, str], str] = field(default_factory=dict)


# -- records to JSON -------------------------------------------------------------------------


def to_document(records: RecordSet) -> dict[str, Any]:
    """The canonical export document of ``records``."""
    r = records.sorted()
    return {
        "format": FORMAT,
        "version": VERSION,
        "screenings": [_screening_json(s) for s in r.screenings],
        "sessions": [_session_json(s) for s in r.sessions],
        "soreness": [
            {
                "id": item.id,
                "recorded_at": _time(item.recorded_at),
                "day": item.record.day.isoformat(),
                "leg": item.record.leg.value,
                "moment": item.record.moment.value,
                "score": item.record.score,
                "session_id": item.record.session_id,
            }
            for item in r.soreness
        ],
        "mobility": [
            {
                "id": item.id,
                "recorded_at": _time(item.recorded_at),
                "day": item.record.day.isoformat(),
                "leg": item.record.leg.value,
                "moment": item.record.moment.value,
                "distance_cm": item.record.distance_cm,
                "session_id": item.record.session_id,
            }
            for item in r.mobility
        ],
        "notes": [
            {
                "id": n.id,
                "day": n.day.isoformat(),
                "written_at": _time(n.written_at),
                "text": n.text,
            }
            for n in r.notes
        ],
        "split_leg_days": [
            {
                "day": d.day.isoformat(),
                "massaged": d.massaged.value,
                "drawn_at": None if d.drawn_at is None else _time(d.drawn_at),
                "experiment_id": d.experiment_id,
                "reported": None if d.reported is None else d.reported.value,
            }
            for d in r.split_leg_days
        ],
        "split_leg_experiments": [_experiment_json(e) for e in r.split_leg_experiments],
        "clearances": [
            {"id": c.id, "day": c.day.isoformat(), "recorded_at": _time(c.recorded_at)}
            for c in r.clearances
        ],
        "pain_checks": [
            {
                "id": p.id,
                "day": p.day.isoformat(),
                "leg": p.leg.value,
                "recorded_at": _time(p.recorded_at),
            }
            for p in r.pain_checks
        ],
    }


def _experiment_json(e: SplitLegExperiment) -> dict[str, Any]:
    return {
        "id": e.id,
        "registered_at": _time(e.registered_at),
        "start_day": e.start_day.isoformat(),
        "planned_days": e.planned_days,
        "outcome": e.outcome.value,
        "stopped_at": None if e.stopped_at is None else _time(e.stopped_at),
    }


def dumps(document: dict[str, Any]) -> str:
    """The document as canonical JSON text (sorted keys, so equal data gives equal bytes)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _screening_json(s: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind.value,
        "taken_at": _time(s.taken_at),
        "contract_version": s.contract_version,
        "verdict": s.verdict.value,
        "answers": dict(s.answers),
        "report": dict(s.report),
    }


def _session_json(s: SessionRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "day": s.day.isoformat(),
        "started_at": _time(s.started_at),
        "source": s.source.value,
        "tool": s.tool.value,
        "intensity": s.intensity.value if s.intensity else None,
        "outcome": s.outcome.value,
        "duration_seconds": s.duration_seconds,
        "calves": [
            {
                "leg": c.leg.value,
                "planned_seconds": c.planned_seconds,
                "active_seconds": c.active_seconds,
                "holds": [{"start": h.start, "end": h.end, "seconds": h.seconds} for h in c.holds],
            }
            for c in s.calves
        ],
        "tender_spots": [
            {"leg": t.leg.value, "height": t.height.value, "side": t.side.value}
            for t in s.tender_spots
        ],
        "plan": dict(s.plan) if s.plan is not None else None,
        "screening_id": s.screening_id,
    }


# -- JSON to records -------------------------------------------------------------------------


def loads(text: str | bytes) -> object:
    """Parse an import file's text, refusing oversized, unreadable or absurdly nested
    documents (`calfcare.core.json_input.parse_json`, with this format's depth limit)."""
    if len(text) > MAX_BYTES:
        raise _invalid([Problem("(file)", f"larger than {MAX_BYTES // 2**20} MB")])
    return parse_json(text, field="(file)", source="The import file", max_depth=MAX_DEPTH)


def from_document(data: object, *, today: date, wording: ScreeningWording | None = None) -> Parsed:
    """Check a parsed export document; return its records or raise `InvalidInput`.

    Records repeated within the document with identical content count once; the same id with
    different content is a problem at both places. A screening's ``report`` is derived data:
    with ``wording`` (an import always passes it) it is made again from the answers, so a
    report that is empty, malformed or says something else than its verdict can never be
    stored or shown; the file's report must still be a JSON object.
    """
    if not isinstance(data, dict):
        raise _invalid([Problem("(root)", "expected a JSON object (a calfcare export)")])
    if depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise _invalid([Problem("(root)", f"nested deeper than {MAX_DEPTH} levels")])
    head: list[Problem] = []
    if data.get("format") != FORMAT:
        head.append(Problem("format", f'must be "{FORMAT}"'))
    version = data.get("version")
    if type(version) is not int or version not in READS:
        head.append(Problem("version", f"unknown version {version!r}; this calfcare reads 1 or 2"))
    if head:
        raise _invalid(head)
    assert isinstance(version, int)
    reader = _Reader(today, version, wording)
    sections = SECTIONS if version >= 2 else SECTIONS_V1
    for key in data:
        if key not in (*sections, "format", "version"):
            reader.problems.append(Problem(str(key), "unknown field"))
    result = {name: reader.section(data, name) for name in sections}
    if reader.problems:
        raise _invalid(reader.problems)
    records = RecordSet(**{name: tuple(items) for name, items in result.items()})
    return Parsed(records.sorted(), reader.where)


def _invalid(problems: list[Problem]) -> InvalidInput:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(Problem("(more)", f"... and {len(problems) - MAX_PROBLEMS} more problems"))
    return InvalidInput(shown, _MESSAGE)


def _size(value: object) -> int:
    count = 0
    stack = [value]
    while stack and count <= MAX_BLOB_NODES:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
            count += len(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item) > MAX_STRING:
            return MAX_BLOB_NODES + 1
    return count


class _Reader:
    """Collects problems while turning each section's entries into records."""

    def __init__(
        self, today: date, version: int = VERSION, wording: ScreeningWording | None = None
    ) -> None:
        self.today = today
        self.version = version
        self.wording = wording
        self.problems: list[Problem] = []
        self.where: dict[tuple[str, str], str] = {}

    def section(self, data: dict[str, Any], name: str) -> list[Any]:
        raw = data.get(name, [])
        if not isinstance(raw, list):
            self.problems.append(Problem(name, "must be a list"))
            return []
        if len(raw) > MAX_RECORDS:
            self.problems.append(Problem(name, f"{len(raw)} entries; at most {MAX_RECORDS}"))
            return []
        build: Callable[[dict[str, Any], str], Any] = getattr(self, f"_{name}")
        seen: dict[str, tuple[Any, str]] = {}
        out = []
        for i, entry in enumerate(raw):
            path = f"{name}.{i}"
            if not isinstance(entry, dict):
                self.problems.append(Problem(path, "must be an object"))
                continue
            record = self._guard(path, partial(build, entry, path))
            if record is None:
                continue
            key = record.day.isoformat() if name == "split_leg_days" else record.id
            if key in seen:
                earlier, earlier_path = seen[key]
                if earlier != record:
                    self.problems.append(
                        Problem(
                            f"{path}.{'day' if name == 'split_leg_days' else 'id'}",
                            f"{key!r} also at {earlier_path} with different content",
                        )
                    )
                continue
            seen[key] = (record, path)
            self.where[(name, key)] = path
            out.append(record)
        return out

    def _guard(self, path: str, build: Callable[[], T]) -> T | None:
        before = len(self.problems)
        try:
            record = build()
        except InvalidInput as error:
            self.problems += [Problem(f"{path}.{p.field}", p.message) for p in error.problems]
            return None
        return None if len(self.problems) > before else record

    # -- one builder per section; each adds problems or returns a record ------------------

    def _fields(self, entry: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
        for key in entry:
            if key not in allowed:
                self.problems.append(Problem(f"{path}.{key}", "unknown field"))

    def _screenings(self, e: dict[str, Any], path: str) -> ScreeningRecord | None:
        allowed = ("id", "kind", "taken_at", "contract_version", "verdict", "answers", "report")
        self._fields(e, path, allowed)
        sid = self._id(e, path)
        kind = self._enum(e, "kind", ScreeningKind, path)
        taken_at = self._time(e, "taken_at", path)
        verdict = self._enum(e, "verdict", Level, path)
        version = e.get("contract_version")
        if type(version) is not int or version != CONTRACT_VERSION:
            self.problems.append(
                Problem(f"{path}.contract_version", f"unknown contract version {version!r}")
            )
        answers = None
        try:
            answers = parse_answers(e.get("answers"))
        except InvalidInput as error:
            self.problems += [
                Problem(f"{path}.answers.{p.field}", p.message) for p in error.problems
            ]
        report = self._blob(e, "report", path, required=True)
        if answers is not None and verdict is not None and screen(answers).verdict != verdict:
            self.problems.append(
                Problem(
                    f"{path}.verdict",
                    f"{verdict.value!r} is not what the screening rules give for these answers "
                    f"({screen(answers).verdict.value!r})",
                )
            )
        if sid is None or kind is None or taken_at is None or verdict is None:
            return None  # each problem is already listed
        if answers is None or report is None:  # (a report that is not an object, or too big)
            return None
        if self.wording is not None:  # derived data: made again from the answers
            report = screening_report(screen(answers), self.wording)
        return ScreeningRecord(
            sid, kind, taken_at, CONTRACT_VERSION, verdict, answers.to_json(), report
        )

    def _sessions(self, e: dict[str, Any], path: str) -> SessionRecord | None:
        allowed = (
            "id", "day", "started_at", "source", "tool", "intensity", "outcome",
            "duration_seconds", "calves", "tender_spots", "plan", "screening_id",
        )  # fmt: skip
        self._fields(e, path, allowed)
        sid = self._id(e, path)
        day = self._day(e, path)
        started_at = self._time(e, "started_at", path)
        source = self._enum(e, "source", SessionSource, path)
        tool = self._enum(e, "tool", Tool, path)
        intensity = None
        if e.get("intensity") is not None:
            intensity = self._enum(e, "intensity", Intensity, path)
        outcome = self._enum(e, "outcome", Outcome, path)
        duration = self._number(e, "duration_seconds", path)
        calves = self._list(e, "calves", path, self._calf)
        spots = self._list(e, "tender_spots", path, self._spot)
        plan = self._blob(e, "plan", path, required=False)
        screening_id = e.get("screening_id")
        if screening_id is not None and (
            not isinstance(screening_id, str) or not ID_PATTERN.fullmatch(screening_id)
        ):
            self.problems.append(Problem(f"{path}.screening_id", "not a valid id"))
        parts = (sid, day, started_at, source, tool, outcome, duration, calves, spots)
        if any(p is None for p in parts):
            return None
        assert sid and day and started_at and source and tool and outcome
        assert duration is not None and calves is not None and spots is not None
        return SessionRecord(
            sid, day, started_at, source, tool, intensity, outcome, duration,
            tuple(calves), tuple(spots), plan, screening_id,
        )  # fmt: skip

    def _calf(self, e: dict[str, Any], path: str) -> CalfRecord | None:
        self._fields(e, path, ("leg", "planned_seconds", "active_seconds", "holds"))
        leg = self._enum(e, "leg", Leg, path)
        planned = e.get("planned_seconds")
        if planned is not None and (type(planned) is not int or not 0 <= planned <= 86_400):
            self.problems.append(Problem(f"{path}.planned_seconds", "a whole number of seconds"))
            planned = None
        active = self._number(e, "active_seconds", path)
        holds = self._list(e, "holds", path, self._hold)
        if leg is None or active is None or holds is None:
            return None
        return CalfRecord(leg, planned, active, tuple(holds))

    def _hold(self, e: dict[str, Any], path: str) -> Hold | None:
        self._fields(e, path, ("start", "end", "seconds"))
        start, end, seconds = (self._number(e, k, path) for k in ("start", "end", "seconds"))
        if start is None or end is None or seconds is None:
            return None
        return Hold(start, end, seconds)

    def _spot(self, e: dict[str, Any], path: str) -> TenderSpot | None:
        self._fields(e, path, ("leg", "height", "side"))
        leg = self._enum(e, "leg", Leg, path)
        height = self._enum(e, "height", SpotHeight, path)
        side = self._enum(e, "side", SpotSide, path)
        if leg is None or height is None or side is None:
            return None
        return TenderSpot(leg, height, side)

    def _soreness(self, e: dict[str, Any], path: str) -> Logged[Any] | None:
        return self._logged(e, path, "score", soreness_check_in)

    def _mobility(self, e: dict[str, Any], path: str) -> Logged[Any] | None:
        return self._logged(e, path, "distance_cm", mobility_test)

    def _logged(
        self, e: dict[str, Any], path: str, value: str, build: Callable[..., Any]
    ) -> Logged[Any] | None:
        """A check-in or knee-to-wall entry: id, time, day, and the core's own validation."""
        self._fields(e, path, ("id", "recorded_at", "day", "leg", "moment", value, "session_id"))
        sid = self._id(e, path)
        at = self._time(e, "recorded_at", path)
        day = self._day(e, path)
        self.problems += session_id_problems(e.get("session_id"), f"{path}.session_id")
        record = self._guard(
            path,
            lambda: build(
                day=day or FIRST_DAY, leg=e.get("leg"), moment=e.get("moment"),
                today=self.today, session_id=e.get("session_id"), **{value: e.get(value)},
            ),
        )  # fmt: skip
        if sid is None or at is None or day is None or record is None:
            return None
        return Logged(sid, at, record)

    def _notes(self, e: dict[str, Any], path: str) -> Note | None:
        self._fields(e, path, ("id", "day", "written_at", "text"))
        sid = self._id(e, path)
        day = self._day(e, path)
        at = self._time(e, "written_at", path)
        text = e.get("text")
        if sid is None or day is None or at is None:
            return None
        return self._guard(path, lambda: Note(sid, day, at, text))  # type: ignore[arg-type]

    def _split_leg_days(self, e: dict[str, Any], path: str) -> Any:
        more = SPLIT_LEG_FIELDS_V2 if self.version >= 2 else ()
        self._fields(e, path, ("day", "massaged", *more))
        day = self._day(e, path)
        drawn = None if e.get("drawn_at") is None else self._time(e, "drawn_at", path)
        experiment_id = e.get("experiment_id")
        if experiment_id is not None and (
            not isinstance(experiment_id, str) or not ID_PATTERN.fullmatch(experiment_id)
        ):
            self.problems.append(
                Problem(f"{path}.experiment_id", "an id is 1 to 64 letters, digits, - or _")
            )
            experiment_id = None
        return self._guard(
            path,
            lambda: split_leg_day(
                day=day or date.min,
                massaged=e.get("massaged"),
                today=self.today,
                drawn_at=drawn,
                experiment_id=experiment_id,
                reported=e.get("reported"),
            ),
        )

    def _split_leg_experiments(self, e: dict[str, Any], path: str) -> Any:
        allowed = ("id", "registered_at", "start_day", "planned_days", "outcome", "stopped_at")
        self._fields(e, path, allowed)
        sid = self._id(e, path)
        at = self._time(e, "registered_at", path)
        raw = e.get("start_day")
        start: object = raw
        if isinstance(raw, str) and _DAY.fullmatch(raw):
            with contextlib.suppress(ValueError):
                start = date.fromisoformat(raw)
        if raw is None:  # (left out, `experiment` would start it today)
            self.problems.append(Problem(f"{path}.start_day", "give a date as YYYY-MM-DD"))
            start = self.today
        stopped = None if e.get("stopped_at") is None else self._time(e, "stopped_at", path)
        try:
            record = experiment(
                id=sid or "x",
                days=e.get("planned_days"),
                outcome=e.get("outcome"),
                now=at or day_start_utc(self.today),  # (no time: refused above; no clock)
                today=self.today,
                stopped_at=stopped,
                start_day=start,
            )
        except InvalidInput as error:
            renamed = {"days": "planned_days"}
            self.problems += [
                Problem(f"{path}.{renamed.get(p.field, p.field)}", p.message)
                for p in error.problems
            ]
            return None
        return record if sid is not None and at is not None else None

    def _clearances(self, e: dict[str, Any], path: str) -> Clearance | None:
        self._fields(e, path, ("id", "day", "recorded_at"))
        sid = self._id(e, path)
        day = self._day(e, path)
        at = self._time(e, "recorded_at", path)
        if sid is None or day is None or at is None:
            return None
        return Clearance(sid, day, at)

    def _pain_checks(self, e: dict[str, Any], path: str) -> PainCheck | None:
        self._fields(e, path, ("id", "day", "leg", "recorded_at"))
        sid = self._id(e, path)
        day = self._day(e, path)
        at = self._time(e, "recorded_at", path)
        leg = self._enum(e, "leg", Leg, path)
        if sid is None or day is None or at is None or leg is None:
            return None
        return PainCheck(sid, leg, day, at)

    # -- field readers ----------------------------------------------------------------------

    def _id(self, e: dict[str, Any], path: str) -> str | None:
        value = e.get("id")
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.problems.append(Problem(f"{path}.id", "an id is 1 to 64 letters, digits, - or _"))
            return None
        return value

    def _day(self, e: dict[str, Any], path: str) -> date | None:
        value = e.get("day")
        try:
            if isinstance(value, str) and _DAY.fullmatch(value):
                day = date.fromisoformat(value)
                problems = day_problems(day, self.today, f"{path}.day")
                self.problems += problems
                return None if problems else day
        except ValueError:
            pass
        self.problems.append(Problem(f"{path}.day", "give a date as YYYY-MM-DD"))
        return None

    def _time(self, e: dict[str, Any], key: str, path: str) -> datetime | None:
        value = e.get(key)
        try:
            if isinstance(value, str) and len(value) <= 40:
                moment = datetime.fromisoformat(value)
                if moment.utcoffset() is not None:
                    problems = time_problems(moment, self.today, f"{path}.{key}")
                    self.problems += problems
                    return None if problems else moment.astimezone(UTC)
        except ValueError:
            pass
        self.problems.append(
            Problem(f"{path}.{key}", "give an ISO 8601 time with a zone, e.g. 2026-11-24T08:00Z")
        )
        return None

    def _number(self, e: dict[str, Any], key: str, path: str) -> float | None:
        value = e.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(Problem(f"{path}.{key}", "must be a number of seconds"))
            return None
        if not math.isfinite(value) or not 0 <= value <= 86_400:
            self.problems.append(Problem(f"{path}.{key}", "must be 0 to 86400 seconds"))
            return None
        return float(value)

    def _enum(self, e: dict[str, Any], key: str, kind: type[Any], path: str) -> Any:
        value = e.get(key)
        allowed = [m.value for m in kind]
        if not isinstance(value, str) or value not in allowed:
            shown = "missing" if key not in e else f"{str(value)[:40]!r} is not allowed"
            self.problems.append(Problem(f"{path}.{key}", f"{shown}; use one of {allowed}"))
            return None
        return kind(value)

    def _list(
        self,
        e: dict[str, Any],
        key: str,
        path: str,
        build: Callable[[dict[str, Any], str], T | None],
    ) -> list[T] | None:
        value = e.get(key, [])
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            self.problems.append(Problem(f"{path}.{key}", f"must be a list of at most {MAX_ITEMS}"))
            return None
        out: list[T] = []
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.problems.append(Problem(f"{path}.{key}.{i}", "must be an object"))
                ok = False
                continue
            built = build(item, f"{path}.{key}.{i}")
            ok = ok and built is not None
            if built is not None:
                out.append(built)
        return out if ok else None

    def _blob(
        self, e: dict[str, Any], key: str, path: str, *, required: bool
    ) -> dict[str, Any] | None:
        value = e.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.problems.append(Problem(f"{path}.{key}", "must be a JSON object"))
            return None
        if _size(value) > MAX_BLOB_NODES:
            self.problems.append(Problem(f"{path}.{key}", "too large"))
            return None
        return value
