"""The two storage backends for tests: SQLite in tmp_path always; PostgreSQL when
CALFCARE_TEST_POSTGRES_URL is set (each test gets its own schema, dropped afterwards, so
tests can run repeatedly and in any order), otherwise a visible skip.

`migrated_sqlite`: a SQLite file already at the newest schema, for a test about something
else than the upgrade (a web page, a record's round trip). Running the nine migrations on a
new file costs about 0.2 s (migration 0006 rebuilds tables one by one), so it is done once
per test process and the result copied; tests/storage/test_migrations.py and every test that
opens a database of its own still run the migrations themselves.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "CALFCARE_TEST_POSTGRES_URL"
BACKENDS: list[Any] = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SKIP_REASON = f"PostgreSQL storage tests skipped: {PG_ENV} not set"


_TEMPLATE: list[Path] = []
"""The migrated file this process copies (made on first use, gone with the process's tmp)."""


def migrated_sqlite(path: Path) -> str:
    """Put an empty SQLite database at the newest schema at ``path`` (its folder is made),
    unless a file is there already; the SQLAlchemy URL for it. A copy of one file migrated
    by `open_store`, the real path."""
    if not _TEMPLATE:
        from calfcare.storage import open_store

        folder = Path(tempfile.mkdtemp(prefix="calfcare-template-"))
        built, template = folder / "built.sqlite3", folder / "template.sqlite3"
        open_store(f"sqlite:///{built}").close()
        with sqlite3.connect(built) as source:  # one self-contained file, whatever the WAL held
            source.execute("VACUUM INTO ?", (str(template),))
        source.close()
        _TEMPLATE.append(template)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_TEMPLATE[0], path)
    return f"sqlite:///{path}"


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
