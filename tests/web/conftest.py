"""Fixtures for the web tests: an app on a temporary data dir, and a TestClient for it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from calfcare.settings import Settings
from calfcare.web.app import create_app
from tests.storage.backends import migrated_sqlite

with warnings.catch_warnings():
    # Starlette 1.10 asks for httpx2 instead of httpx in its TestClient; same API.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient as TestClient

BASE_URL = "http://127.0.0.1"
TOKEN_RE = re.compile(r'name="csrftoken" value="([^"]+)"')
OFFLINE_HELPER = '<script type="module" src="/static/offline.js"></script>'
"""The one script of the pages other than the live session: it installs the service worker
and sends check-ins kept offline (docs/pwa.md). The pages work without it."""


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    migrated_sqlite(tmp_path / "calfcare.sqlite3")  # the upgrade is test_migrations.py's
    return create_app(Settings(data_dir=tmp_path))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


def csrf_token(html: str) -> str:
    """The CSRF token a rendered form carries."""
    match = TOKEN_RE.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)
