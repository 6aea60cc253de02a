"""the data-quality list (Đề án 06): each child's stored problem flags with copies of its
commune, village and merged state (child_quality, filled as children are saved and by the
housekeeping tick) and the daily figure of clean records per village
(data_quality_snapshot), unique even when several processes take it at once

Revision ID: fdd639899848
Revises: 1f76110e886f
Create Date: 2026-12-04 18:34:43.794989
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "fdd639899848"
down_revision: str | None = "1f76110e886f"
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

    op.create_table(
        "child_quality",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["child.id"],
            name=op.f("fk_child_quality_child_id_child"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_child_quality")),
    )
    with op.batch_alter_table("child_quality", schema=None) as batch_op:
        batch_op.create_index(
            "ix_child_quality_counts", ["commune_id", "merged", "village_id", "flags"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("child_quality", schema=None) as batch_op:
        batch_op.drop_index("ix_child_quality_counts")

    op.drop_table("child_quality")
    with op.batch_alter_table("data_quality_snapshot", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_data_quality_snapshot_no_village",
            sqlite_where=sa.text("village_id IS NULL"),
            postgresql_where=sa.text("village_id IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_data_quality_snapshot_commune_id"))

    op.drop_table("data_quality_snapshot")
