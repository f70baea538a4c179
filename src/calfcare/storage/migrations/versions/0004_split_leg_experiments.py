"""Pre-registered split-leg experiments; each coin's draw time, experiment and reported calves.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-05

Coins stored before this revision keep null ``drawn_at`` and ``experiment_id``: the analysis
treats them as one finished experiment that was not pre-registered, whose allocation cannot
be verified (docs/insights.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the experiments table and the coin's new columns (all nullable)."""
    op.create_table(
        "split_leg_experiments",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("planned_days", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_split_leg_experiments")),
    )
    with op.batch_alter_table("split_leg_experiments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_split_leg_experiments_day"), ["day"], unique=False)
    with op.batch_alter_table("split_leg_days", schema=None) as batch_op:
        batch_op.add_column(sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("experiment_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("reported", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Drop them again (the coins keep their day and calf)."""
    with op.batch_alter_table("split_leg_days", schema=None) as batch_op:
        batch_op.drop_column("reported")
        batch_op.drop_column("experiment_id")
        batch_op.drop_column("drawn_at")
    with op.batch_alter_table("split_leg_experiments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_split_leg_experiments_day"))
    op.drop_table("split_leg_experiments")
