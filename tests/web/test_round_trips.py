"""How many times a request asks the database, for a signed-in person after a write (server
mode): pinned so that it cannot silently grow. On PostgreSQL each statement, each
transaction's BEGIN and COMMIT, and each sign-in or data-version read is a round trip that
may wait to be scheduled on a loaded machine (issue 15's p99 tail; docs/performance.md,
"Many people")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from calfcare.core.answers import parse_answers
from calfcare.core.screening import screen
from calfcare.services import background, record_screening
from calfcare.storage import Store
from calfcare.storage.version import VersionReader
from calfcare.web import deps
from tests.web.server_helpers import Browser, make_account, server_app

VIGNETTES = Path(__file__).parents[1] / "data" / "screening_vignettes.json"

HOME = {"statements": 9, "transactions": 1, "quick": 1}
"""In ONE snapshot (SQLite counts its ``BEGIN`` as a statement): a month of records (6: one
statement per kind it shows; a session's three parts too when the month has sessions), the
safety state (1: one statement for its four tables; the screening it names is among them)
and the prescription (1); the sign-in lookup brings the person's data version with it."""
SAFETY = {"statements": 2, "transactions": 1, "quick": 1}
"""``/api/safety`` after a write: ``BEGIN`` and the safety state's one statement."""
PLAN_AFTER_SAFETY = {"statements": 2, "transactions": 1, "quick": 1}
"""The plan page after ``/api/safety``: the prescription only; the safety state is the one
``/api/safety`` computed at this data version (one cache key for both)."""
STATS = {"statements": 10, "transactions": 1, "quick": 1}
"""``/api/stats`` after a write: its aggregates in one snapshot (counts, spans, session
days, soreness, two knee-to-wall reads, spots, verdicts)."""


@contextmanager
def counted(store: Store) -> Iterator[dict[str, Any]]:
    """Statements and transactions on the store's engine, and the quick reader's single
    statements (`VersionReader.one`: the sign-in lookup, the data version); ``sql``: the
    statements' first words, for the failure message."""
    counts: dict[str, Any] = {"statements": 0, "transactions": 0, "quick": 0, "sql": []}

    def statement(_connection: object, _cursor: object, sql: str, *_: object) -> None:
        counts["statements"] += 1
        counts["sql"].append(" ".join(sql.split())[:90])

    def transaction(*_: object) -> None:
        counts["transactions"] += 1

    one = VersionReader.one

    def quick(reader: VersionReader, *args: Any, **kwargs: Any) -> Any:
        counts["quick"] += 1
        return one(reader, *args, **kwargs)

    engine = store.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", transaction)
    VersionReader.one = quick  # type: ignore[method-assign,assignment]
    try:
        yield counts
    finally:
        VersionReader.one = one  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", transaction)


@pytest.fixture
def after_a_write(tmp_path: Path) -> Iterator[tuple[Browser, Store]]:
    """A signed-in person with a recorded safety check (the gate names it), just after a
    knee-to-wall test was recorded, its after-response work done."""
    app = server_app(tmp_path)
    person = make_account(app, "ada")
    answers = json.loads(VIGNETTES.read_text())["cases"][0]["input"]
    report = {"verdict": screen(parse_answers(answers)).verdict.value, "answers": answers}
    store = deps.base_store(app)
    record_screening(store.for_person(person), report, datetime.now(UTC))
    browser = Browser(app)
    try:
        assert browser.sign_in("ada").status_code == 303
        mobility = {"left": 9.5, "right": 10, "moment": "before"}
        assert browser.client.post("/api/checkins/mobility", json=mobility).status_code == 201
        assert background.wait_idle()  # the write's after-response work is not the page's
        yield browser, store
    finally:
        browser.close()


def _asked(browser: Browser, store: Store, path: str) -> dict[str, Any]:
    with counted(store) as counts:
        assert browser.client.get(path).status_code == 200
    return counts


def _within(counts: dict[str, Any], pinned: dict[str, int]) -> bool:
    return all(counts[k] <= pinned[k] for k in pinned)


@pytest.mark.parametrize(
    "steps",
    [
        [("/", HOME)],
        [("/api/stats", STATS)],
        [("/api/safety", SAFETY), ("/plan", PLAN_AFTER_SAFETY)],
    ],
    ids=["home", "stats", "safety-then-plan"],
)
def test_a_request_after_a_write_asks_the_database_a_pinned_number_of_times(
    after_a_write: tuple[Browser, Store], steps: list[tuple[str, dict[str, int]]]
) -> None:
    """The last case: ``/api/safety`` and the plan page compute the safety state once."""
    for path, pinned in steps:
        counts = _asked(*after_a_write, path)
        assert _within(counts, pinned), (path, counts)
