"""a village's former names: renaming one (as many were in 2025) keeps the old name and
when it changed

Revision ID: 9e3f6a1c2b7d
Revises: 4b8d2e6f1a09
Create Date: 2026-12-04 21:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9e3f6a1c2b7d"
down_revision: str | None = "4b8d2e6f1a09"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "village_former_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["app_user.id"],
            name=op.f("fk_village_former_name_changed_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_village_former_name_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_former_name")),
    )
    with op.batch_alter_table("village_former_name", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_village_former_name_village_id"), ["village_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("village_former_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_village_former_name_village_id"))
    op.drop_table("village_former_name")
