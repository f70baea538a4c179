"""The import reader's builders: one per section of the export document, each adding
problems or returning a record, through the same validating builders the CLI uses (a
screening's stored verdict must be the one the screening rules give for its answers)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

from calfcare.core.answers import parse_answers
from calfcare.core.days import FIRST_DAY, day_start_utc
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.export_fields import FieldReader
from calfcare.core.export_shape import DAY_PATTERN, SPLIT_LEG_FIELDS_V2
from calfcare.core.levels import Leg, Level
from calfcare.core.records import (
    ID_PATTERN,
    CalfRecord,
    Clearance,
    Hold,
    Logged,
    Note,
    PainCheck,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
    session_id_problems,
)
from calfcare.core.report import screening_report
from calfcare.core.routine import Intensity, Tool
from calfcare.core.screening import screen
from calfcare.core.screening_rules import CONTRACT_VERSION
from calfcare.core.split_leg_design import experiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import mobility_test, soreness_check_in, split_leg_day


class RecordReader(FieldReader):
    """Collects problems while turning each section's entries into records."""

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
        if isinstance(raw, str) and DAY_PATTERN.fullmatch(raw):
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
