"""The import reader's machinery: each section's entries read one by one, problems collected
under their dotted paths (``soreness.3.score``), repeats checked, and the field readers (ids,
days, times, numbers, choices, lists, stored JSON objects) every record's builder uses. The
builders themselves are `calfcare.core.export_read`."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar

from calfcare.core.days import day_problems, time_problems
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.export_shape import (
    DAY_PATTERN,
    MAX_BLOB_NODES,
    MAX_ITEMS,
    MAX_RECORDS,
    MAX_STRING,
    VERSION,
)
from calfcare.core.records import (
    ID_PATTERN,
)
from calfcare.core.report import ScreeningWording

T = TypeVar("T")


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


class FieldReader:
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
            if isinstance(value, str) and DAY_PATTERN.fullmatch(value):
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
