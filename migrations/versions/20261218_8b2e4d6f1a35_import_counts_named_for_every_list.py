"""import counts named for every list: an import makes children, accounts, villages or
schools, not only children

Revision ID: 8b2e4d6f1a35
Revises: 5d1f3b7a9c20
Create Date: 2026-12-05 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8b2e4d6f1a35"
down_revision: str | None = "5d1f3b7a9c20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.alter_column(
            "created_children", new_column_name="created_records", existing_type=sa.Integer()
        )
        batch_op.alter_column(
            "linked_children", new_column_name="linked_records", existing_type=sa.Integer()
        )


def downgrade() -> None:
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.alter_column(
            "created_records", new_column_name="created_children", existing_type=sa.Integer()
        )
        batch_op.alter_column(
            "linked_records", new_column_name="linked_children", existing_type=sa.Integer()
        )
