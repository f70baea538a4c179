"""The safety state's own records: clearances (a clinician ruled out a clot) and pain checks.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Screenings, follow-ups and sharp-pain stops are already stored (``screenings``,
``sessions.outcome``); these two tables hold what only the safety state needs (issue 11).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the two tables, empty."""
    op.create_table(
        "clearances",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clearances_day"), ["day"], unique=False)
    op.create_table(
        "pain_checks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("leg", sa.String(length=5), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_checks")),
    )
    with op.batch_alter_table("pain_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pain_checks_day"), ["day"], unique=False)


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("pain_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_checks_day"))
    op.drop_table("pain_checks")
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clearances_day"))
    op.drop_table("clearances")
