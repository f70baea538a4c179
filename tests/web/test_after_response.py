"""Work after the answer (`services.background`, `web.after_response`): a request's jobs are
held until its response went out, then run in the worker thread; a sharing person's write
through the web refreshes their clinician's-list line that way; the list page says in words
when a line's trends are older or still being worked out."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from calfcare.core.records import Note
from calfcare.services import background
from calfcare.web import deps
from calfcare.web.after_response import AfterResponse
from tests.web.server_helpers import server_app
from tests.web.test_clinic_pages import Clinic, make_clinic, text_of


def test_a_requests_jobs_wait_for_its_response_then_run() -> None:
    ran: list[str] = []
    sent: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        background.later("k", lambda: ran.append("first"))
        background.later("k", lambda: ran.append("second"))  # the same key: replaced
        time.sleep(0.05)  # held: it cannot run while the request runs, however long
        assert ran == []
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def send(message: Any) -> None:
        sent.append(message["type"])

    async def receive() -> Any:
        return {"type": "http.request"}

    # In a thread of its own: a browser test's Playwright (session-wide, sync API) keeps an
    # event loop running in this process's main thread, where asyncio.run would refuse.
    worker = threading.Thread(
        target=asyncio.run, args=(AfterResponse(inner)({"type": "http"}, receive, send),)
    )
    worker.start()
    worker.join()
    assert sent == ["http.response.start", "http.response.body"]
    assert background.wait_idle()
    assert ran == ["second"]


def test_a_failing_job_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture) -> None:
    done = threading.Event()

    def broken() -> None:
        raise RuntimeError("broken job")

    with caplog.at_level(logging.ERROR, logger="calfcare.services.background"):
        with background.deferred():
            background.later("a", broken)
            background.later("b", done.set)
        assert background.wait_idle()
    assert done.is_set()
    assert "A background job ('a') failed" in caplog.text


@pytest.fixture
def kim(tmp_path: Path) -> Any:
    yield from make_clinic(server_app(tmp_path))


def _stored_version(c: Clinic, name: str) -> int | None:
    store = deps.base_store(c.app)
    with store.engine.connect() as connection:
        return connection.execute(
            text("SELECT data_version FROM person_summaries WHERE person_id = :p"),
            {"p": c.ids[name]},
        ).scalar_one_or_none()


def test_a_sharing_persons_write_refreshes_their_line_after_the_response(kim: Clinic) -> None:
    anna = kim.browser("anna")
    assert background.wait_idle()
    before = _stored_version(kim, "anna")
    saved = anna.client.post("/api/notes", json={"text": "Stiff this morning."})
    assert saved.status_code == 201, saved.text
    assert background.wait_idle()
    after = _stored_version(kim, "anna")
    assert after is not None and after != before
    assert after == deps.base_store(kim.app).for_person(kim.ids["anna"]).data_version()


def test_the_page_says_when_trends_are_older_or_being_worked_out(
    kim: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calfcare.services import clinic_list

    assert background.wait_idle()
    with deps.base_store(kim.app).engine.begin() as connection:
        connection.execute(text("DELETE FROM person_summaries"))
    monkeypatch.setattr(clinic_list, "INLINE", 0)
    with background.deferred():  # nothing computed until the test lets it
        page = text_of(kim.page("/clinic"))
    assert page.count("Being worked out — reload in a moment.") == 2
    assert background.wait_idle()
    mine = deps.base_store(kim.app).for_person(kim.ids["anna"])
    with mine.transaction() as tx:  # a write whose refresh was lost: anna's line is older
        tx.add_note(Note("lost", date.today(), datetime.now(UTC), "Stiff."))
    page = text_of(kim.page("/clinic"))
    assert page.count("being brought up to date") == 1 and "Being worked out" not in page
