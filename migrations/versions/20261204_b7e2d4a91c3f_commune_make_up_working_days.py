"""a commune's own calendar also holds its make-up working days (ngày làm bù)

``commune_day_off`` rows were extra days off only; ``make_up`` marks a day the commune
works though it is a weekend day or a holiday, which working-day deadlines then count.
Existing rows are days off.

Revision ID: b7e2d4a91c3f
Revises: 5d2e7b9c41a8
Create Date: 2026-12-04 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2d4a91c3f"
down_revision: str | None = "5d2e7b9c41a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commune_day_off", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("make_up", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("commune_day_off", schema=None) as batch_op:
        batch_op.alter_column("make_up", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("commune_day_off", schema=None) as batch_op:
        batch_op.drop_column("make_up")
