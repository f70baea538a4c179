"""Every record has an owner: people, a person on every record, a data version per person.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Every record of a database from before this revision belongs to the implicit person of
personal mode (`calfcare.storage.tables.PERSONAL`), and that person's data version is the
database's old one, so no cache keyed on it is wrongly kept. Record ids stay unique in the
whole database (they are random, minted by calfcare or a client); the split-leg coin, keyed
by its day, becomes one per person and day. The session's parts (calves, holds, tender spots)
belong to their session and carry no owner of their own.

On SQLite the tables are copied (batch mode) with foreign keys off, checked before the
commit (`calfcare.storage.migrate`), so that copying a session does not cascade to its parts.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

PERSONAL = 1
RECORDS = {  # table: the column its old index was on (and the new one is by person and)
    "screenings": "taken_at",
    "sessions": "day",
    "soreness": "day",
    "mobility": "day",
    "notes": "day",
    "split_leg_experiments": "day",
    "clearances": "day",
    "pain_checks": "day",
}


def upgrade() -> None:
    """Add the people and the implicit person; give every record to it."""
    people = op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.bulk_insert(people, [{"id": PERSONAL, "created_at": datetime.now(UTC)}])
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":  # the next person is 2, not 1 again
        op.execute("SELECT setval(pg_get_serial_sequence('people', 'id'), 1)")
    for table, column in RECORDS.items():
        _own(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("person_id", server_default=None)
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_person_id_people"), "people", ["person_id"], ["id"]
            )
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
            batch_op.create_index(
                batch_op.f(f"ix_{table}_person_id"), ["person_id", column], unique=False
            )
    _own("split_leg_days")
    with op.batch_alter_table("split_leg_days", schema=None) as batch_op:
        batch_op.alter_column("person_id", server_default=None)
        batch_op.create_foreign_key(
            batch_op.f("fk_split_leg_days_person_id_people"), "people", ["person_id"], ["id"]
        )
        batch_op.drop_constraint("pk_split_leg_days", type_="primary")
        batch_op.create_primary_key("pk_split_leg_days", ["person_id", "day"])
    version = connection.execute(sa.text("SELECT version FROM data_version")).scalar()
    op.drop_table("data_version")
    versions = op.create_table(
        "data_version",
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_data_version_person_id_people")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(versions, [{"person_id": PERSONAL, "version": int(version or 0)}])


def _own(table: str) -> None:
    """Add the owner column, every existing row the implicit person's (the default is
    dropped again right after: a write must always say whose record it is)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "person_id", sa.Integer(), nullable=False, server_default=sa.text(str(PERSONAL))
            )
        )


def downgrade() -> None:
    """Back to one person's database; refused when another person has records (they would
    be lost, or mixed into the implicit person's)."""
    connection = op.get_bind()
    for table in (*RECORDS, "split_leg_days"):
        others = connection.execute(
            sa.text(f"SELECT 1 FROM {table} WHERE person_id <> :p LIMIT 1"), {"p": PERSONAL}
        ).first()
        if others is not None:
            raise RuntimeError(
                f"Cannot go back before revision 0006: {table} holds records of several "
                "people. Export each person's records first."
            )
    version = connection.execute(
        sa.text("SELECT version FROM data_version WHERE person_id = :p"), {"p": PERSONAL}
    ).scalar()
    op.drop_table("data_version")
    old = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(old, [{"id": 1, "version": int(version or 0)}])
    with op.batch_alter_table("split_leg_days", schema=None) as batch_op:
        batch_op.drop_constraint("pk_split_leg_days", type_="primary")
        batch_op.create_primary_key("pk_split_leg_days", ["day"])
        batch_op.drop_constraint("fk_split_leg_days_person_id_people", type_="foreignkey")
        batch_op.drop_column("person_id")
    for table, column in RECORDS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_person_id"))
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
            batch_op.drop_constraint(f"fk_{table}_person_id_people", type_="foreignkey")
            batch_op.drop_column("person_id")
    op.drop_table("people")
