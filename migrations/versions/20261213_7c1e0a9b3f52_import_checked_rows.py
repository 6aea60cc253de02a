"""what an import's dry run found valid, kept for the import so the file is read and
checked once (deleted with the file when the job ends)

Revision ID: 7c1e0a9b3f52
Revises: d342fa3ce942
Create Date: 2026-12-04 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1e0a9b3f52"
down_revision: str | None = "d342fa3ce942"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_checked",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["import_job.id"], name=op.f("fk_import_checked_job_id_import_job")
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_import_checked")),
    )


def downgrade() -> None:
    op.drop_table("import_checked")
