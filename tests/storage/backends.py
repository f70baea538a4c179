"""The two storage backends for tests: SQLite in tmp_path always; PostgreSQL when
CALFCARE_TEST_POSTGRES_URL is set (each test gets its own schema, dropped afterwards, so
tests can run repeatedly and in any order), otherwise a visible skip."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "CALFCARE_TEST_POSTGRES_URL"
BACKENDS: list[Any] = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SKIP_REASON = f"PostgreSQL storage tests skipped: {PG_ENV} not set"


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a URL to an empty database on ``backend``; clean up after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'calfcare.sqlite3'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(SKIP_REASON)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
