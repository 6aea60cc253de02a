"""village merges: a village merged into another (as many were in 2025) is kept for its
history and no longer listed

Revision ID: 5d1f3b7a9c20
Revises: 2a6c8e4f0b13
Create Date: 2026-12-05 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5d1f3b7a9c20"
down_revision: str | None = "2a6c8e4f0b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("merged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_village_merged_into_id_village"), "village", ["merged_into_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_village_merged_into_id_village"), type_="foreignkey"
        )
        batch_op.drop_column("merged_at")
        batch_op.drop_column("merged_into_id")
