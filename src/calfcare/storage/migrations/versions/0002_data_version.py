"""A data version: one row whose number every committed write increases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Caches of derived results key on it (`calfcare.services.ReadCache`). A database that already
holds records starts at 1 and an empty one at 0, so that the first write of a new database
and "there was data before this column existed" never share a number.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

RECORD_TABLES = ("screenings", "sessions", "soreness", "mobility", "notes", "split_leg_days")


def upgrade() -> None:
    """Create the one-row table and start its version at 1 when there is data already."""
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    connection = op.get_bind()
    has_data = any(
        connection.execute(sa.text(f"SELECT 1 FROM {name} LIMIT 1")).first() is not None
        for name in RECORD_TABLES
    )
    op.bulk_insert(table, [{"id": 1, "version": 1 if has_data else 0}])


def downgrade() -> None:
    """Drop the table (0001 never had it)."""
    op.drop_table("data_version")
