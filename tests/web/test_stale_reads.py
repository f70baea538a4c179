"""A write that lands between a page's snapshot and the read cache's data version must not
keep the state from before it under the version after it: the home page read the month and
the safety state's records in one snapshot, then kept the safety state under the version it
read next, so an urgent check recorded in between left every later page (home, plan,
session, `/api/safety`) without the hold until the next write. Seen once in CI: the phone's
service worker fetched the home page while the next-day check was saved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI

from calfcare import services
from calfcare.services import reads
from calfcare.web import deps, tracking_pages
from tests.conftest import screening_answers
from tests.web.conftest import TestClient


def _write_after_the_snapshot(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`page_reads` as the home page calls it, with an urgent check recorded (as another
    request would) right after its snapshot, once."""
    real = reads.page_reads
    done: list[str] = []

    def page_reads(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if not done:
            store = deps.base_store(app)
            answers = screening_answers(clot_suspected=True)
            services.record_screening_answers(store, answers, datetime.now(UTC))
            done.append("written")
        return found

    monkeypatch.setattr(tracking_pages, "page_reads", page_reads)
    return done


def test_a_write_between_the_snapshot_and_the_cache_is_never_hidden(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 'id="hold"' not in client.get("/").text  # nothing recorded: no hold, cached
    store = deps.base_store(app)
    now = datetime.now(UTC)
    services.add_note(store, day=now.date(), text="tight after a run", now=now)
    written = _write_after_the_snapshot(app, monkeypatch)
    client.get("/")  # read before the urgent check landed: may still show no hold
    assert written == ["written"]
    assert client.get("/api/safety").json()["hold"]["level"] == "urgent"
    assert 'id="hold"' in client.get("/").text
    assert "a hold on massage" in client.get("/plan").text.lower()
