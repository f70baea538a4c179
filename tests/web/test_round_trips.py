"""How many times the home page asks the database, for a signed-in person after a write
(server mode): pinned so that it cannot silently grow. On PostgreSQL each statement, and
each transaction's BEGIN and COMMIT, is a round trip that may wait to be scheduled on a
loaded machine (issue 15's p99 tail; docs/performance.md, "Many people")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event

from calfcare.core.answers import parse_answers
from calfcare.core.screening import screen
from calfcare.services import background, record_screening
from calfcare.storage import Store
from calfcare.web import deps
from tests.web.server_helpers import Browser, make_account, server_app

VIGNETTES = Path(__file__).parents[1] / "data" / "screening_vignettes.json"

HOME_STATEMENTS = 14
"""A month of records (9: six kinds, a session's three parts), the safety state (4:
screenings, sessions stopped for pain, clearances, pain checks; the screening it names is
among them, not read again) and the prescription (1)."""
HOME_TRANSACTIONS = 3
"""The month, the safety state and the prescription: one snapshot each."""


@contextmanager
def counted(store: Store) -> Iterator[dict[str, int]]:
    counts = {"statements": 0, "transactions": 0}

    def statement(*_: object) -> None:
        counts["statements"] += 1

    def transaction(*_: object) -> None:
        counts["transactions"] += 1

    engine = store.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", transaction)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", transaction)


def test_the_home_page_after_a_write_asks_the_database_a_pinned_number_of_times(
    tmp_path: Path,
) -> None:
    app = server_app(tmp_path)
    person = make_account(app, "ada")
    answers = json.loads(VIGNETTES.read_text())["cases"][0]["input"]
    report = {"verdict": screen(parse_answers(answers)).verdict.value, "answers": answers}
    store = deps.base_store(app)
    record_screening(store.for_person(person), report, datetime.now(UTC))  # the gate names it
    browser = Browser(app)
    try:
        assert browser.sign_in("ada").status_code == 303
        mobility = {"left": 9.5, "right": 10, "moment": "before"}
        assert browser.client.post("/api/checkins/mobility", json=mobility).status_code == 201
        assert background.wait_idle()  # the write's after-response work is not the page's
        with counted(store) as counts:
            page = browser.client.get("/")
        assert page.status_code == 200
        assert counts["statements"] <= HOME_STATEMENTS, counts
        assert counts["transactions"] <= HOME_TRANSACTIONS, counts
    finally:
        browser.close()
