"""province administrators: an account may belong to a province instead of a commune

Revision ID: 2a6c8e4f0b13
Revises: 9e3f6a1c2b7d
Create Date: 2026-12-05 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "2a6c8e4f0b13"
down_revision: str | None = "9e3f6a1c2b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True)
        )
        batch_op.alter_column("commune_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM app_user WHERE commune_id IS NULL")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("province_code")
