"""Fixtures for the storage tests: an empty database URL and an open store, per backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from calfcare.services import background
from calfcare.storage import Store, open_store
from tests.storage.backends import BACKENDS, database_url, migrated_sqlite

SQLITE = "sqlite:///"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    if db_url.startswith(SQLITE):  # at the newest schema already: the upgrade is not tested here
        migrated_sqlite(Path(db_url.removeprefix(SQLITE)))
    opened = open_store(db_url)
    yield opened
    background.wait_idle()  # its jobs (a clinician's list's lines) done before it closes
    opened.close()
