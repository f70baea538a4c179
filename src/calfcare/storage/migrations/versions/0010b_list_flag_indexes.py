"""Two indexes for the red flags: a person's sessions by outcome (stopped for sharp pain) and
screenings by verdict (urgent or emergency), so that the safety state and the clinician's
list find them without reading a person's every session and screening.

Revision ID: 0010b
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0010b"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the indexes (the rows stay as they are)."""
    op.create_index("ix_sessions_outcome", "sessions", ["person_id", "outcome"])
    op.create_index("ix_screenings_verdict", "screenings", ["person_id", "verdict"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_screenings_verdict", table_name="screenings")
    op.drop_index("ix_sessions_outcome", table_name="sessions")
