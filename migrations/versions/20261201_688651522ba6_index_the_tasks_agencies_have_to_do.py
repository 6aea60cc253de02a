"""index the tasks agencies still have to do (Nhiệm vụ của tôi, the dashboard's counters)

An agency's done and cancelled tasks pile up over the years; its pages read only the open
and accepted ones, by due time, through this partial index.

Revision ID: 688651522ba6
Revises: ed304cb52fda
Create Date: 2026-12-01 03:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "688651522ba6"
down_revision: str | None = "ed304cb52fda"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TO_DO = "status IN ('open', 'accepted')"


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_to_do",
            ["agency_id", "due_at"],
            unique=False,
            sqlite_where=sa.text(TO_DO),
            postgresql_where=sa.text(TO_DO),
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_to_do")
