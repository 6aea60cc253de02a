"""child merges: two records of one child made one, with what moved and what was
replaced, so the supervisor's undo is exact

Revision ID: 1f76110e886f
Revises: 94f3bcce51e8
Create Date: 2026-12-04 17:45:04.178208
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "1f76110e886f"
down_revision: str | None = "94f3bcce51e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "child_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("kept_before", sa.JSON(), nullable=False),
        sa.Column("kept_after", sa.JSON(), nullable=False),
        sa.Column("merged_before", sa.JSON(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("undone_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_child_merge_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["kept_id"], ["child.id"], name=op.f("fk_child_merge_kept_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["merged_by_id"], ["app_user.id"], name=op.f("fk_child_merge_merged_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["merged_id"], ["child.id"], name=op.f("fk_child_merge_merged_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["app_user.id"], name=op.f("fk_child_merge_undone_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_merge")),
    )
    with op.batch_alter_table("child_merge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_merge_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_merge_kept_id"), ["kept_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_merge_merged_id"), ["merged_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("child_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_merge_merged_id"))
        batch_op.drop_index(batch_op.f("ix_child_merge_kept_id"))
        batch_op.drop_index(batch_op.f("ix_child_merge_commune_id"))

    op.drop_table("child_merge")
