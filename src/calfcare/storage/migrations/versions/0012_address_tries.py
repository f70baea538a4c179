"""Address tries (server mode): each request counted against its address by a limit on
what anyone may do without signing in (a passkey sign-in begun, an account made by
sign-up), kept only while a window can count it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the table, empty."""
    op.create_table(
        "address_tries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_tries")),
    )
    with op.batch_alter_table("address_tries", schema=None) as batch_op:
        batch_op.create_index("ix_address_tries_address", ["address", "kind", "at"], unique=False)
        batch_op.create_index("ix_address_tries_at", ["at"], unique=False)


def downgrade() -> None:
    """Drop it again (the counts start afresh)."""
    with op.batch_alter_table("address_tries", schema=None) as batch_op:
        batch_op.drop_index("ix_address_tries_at")
        batch_op.drop_index("ix_address_tries_address")
    op.drop_table("address_tries")
