"""the daily figure of clean child records per village (Đề án 06 data cleaning): one row
per commune, village and day, unique even when several processes take it at once

Revision ID: fdd639899848
Revises: 3fe7570ef33a
Create Date: 2026-12-04 17:45:51.474584
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "fdd639899848"
down_revision: str | None = "3fe7570ef33a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_quality_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("clean", sa.Integer(), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_data_quality_snapshot_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_data_quality_snapshot_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_quality_snapshot")),
        sa.UniqueConstraint(
            "commune_id",
            "day",
            "village_id",
            name=op.f("uq_data_quality_snapshot_commune_id_day_village_id"),
        ),
    )
    with op.batch_alter_table("data_quality_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_quality_snapshot_commune_id"), ["commune_id"], unique=False
        )
        batch_op.create_index(
            "uq_data_quality_snapshot_no_village",
            ["commune_id", "day"],
            unique=True,
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("data_quality_snapshot", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_data_quality_snapshot_no_village",
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_data_quality_snapshot_commune_id"))

    op.drop_table("data_quality_snapshot")
