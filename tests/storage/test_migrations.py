"""Migrations on both backends: empty to head, down to base and up again, and the migrated
schema is exactly the models (Alembic's autogenerate finds nothing to do)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from calfcare.storage import StorageError, open_store
from calfcare.storage.engine import make_engine
from calfcare.storage.migrate import HEAD, alembic_config, current_revision, downgrade, upgrade
from calfcare.storage.tables import METADATA

TABLES = {table.name for table in METADATA.sorted_tables}


def test_head_constant_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD
    assert [r.revision for r in script.walk_revisions()][-1] == "0001"  # the first migration


def test_upgrade_from_empty_to_head_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD
        assert set(inspect(engine).get_table_names()) >= TABLES
        downgrade(engine, "base")
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_migrated_schema_equals_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, METADATA)
    finally:
        engine.dispose()
    assert diff == []


def test_opening_upgrades_automatically_and_only_once(db_url: str) -> None:
    open_store(db_url).close()
    store = open_store(db_url)  # the fast path: already at HEAD
    with store.engine.connect() as connection:
        assert current_revision(connection) == HEAD
    store.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    open_store(url).close()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StorageError, match="newer calfcare"):
        open_store(url)
