"""a report received long before it was recorded says the recorder confirmed it was passed
on late (report.late_report_confirmed)

Revision ID: 5d2e7b9c41a8
Revises: 3f1a9c2b7d40
Create Date: 2026-12-04 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2e7b9c41a8"
down_revision: str | None = "3f1a9c2b7d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "late_report_confirmed", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("late_report_confirmed")
