"""Initial schema: screenings, sessions, check-ins, mobility, notes, split-leg days.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "mobility",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("leg", sa.String(length=5), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("distance_mm", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "distance_mm >= 0 AND distance_mm <= 300", name=op.f("ck_mobility_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility")),
    )
    with op.batch_alter_table("mobility", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mobility_day"), ["day"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_day"), ["day"], unique=False)

    op.create_table(
        "screenings",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("contract_version", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screenings_taken_at"), ["taken_at"], unique=False)

    op.create_table(
        "soreness",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("leg", sa.String(length=5), nullable=False),
        sa.Column("moment", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=100), nullable=True),
        sa.CheckConstraint("score >= 0 AND score <= 10", name=op.f("ck_soreness_score_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_soreness")),
    )
    with op.batch_alter_table("soreness", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_soreness_day"), ["day"], unique=False)

    op.create_table(
        "split_leg_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("massaged", sa.String(length=5), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_split_leg_days")),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("tool", sa.String(length=16), nullable=False),
        sa.Column("intensity", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("screening_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["screening_id"], ["screenings.id"], name=op.f("fk_sessions_screening_id_screenings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_day"), ["day"], unique=False)

    op.create_table(
        "session_calves",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("leg", sa.String(length=5), nullable=False),
        sa.Column("planned_seconds", sa.Integer(), nullable=True),
        sa.Column("active_seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_calves_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "position", name=op.f("pk_session_calves")),
    )
    op.create_table(
        "session_holds",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("calf_position", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_holds_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "session_id", "calf_position", "position", name=op.f("pk_session_holds")
        ),
    )
    op.create_table(
        "tender_spots",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("leg", sa.String(length=5), nullable=False),
        sa.Column("height", sa.String(length=8), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_tender_spots_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "position", name=op.f("pk_tender_spots")),
    )


def downgrade() -> None:
    """Drop every table."""
    op.drop_table("tender_spots")
    op.drop_table("session_holds")
    op.drop_table("session_calves")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_day"))

    op.drop_table("sessions")
    op.drop_table("split_leg_days")
    with op.batch_alter_table("soreness", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_soreness_day"))

    op.drop_table("soreness")
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screenings_taken_at"))

    op.drop_table("screenings")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_day"))

    op.drop_table("notes")
    with op.batch_alter_table("mobility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mobility_day"))

    op.drop_table("mobility")
