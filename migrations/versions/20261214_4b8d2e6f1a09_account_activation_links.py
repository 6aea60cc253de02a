"""one-time activation links: a new person sets their own password from a link sent by
e-mail or SMS (single use, expiring; only the token's hash is kept)

Revision ID: 4b8d2e6f1a09
Revises: 7c1e0a9b3f52
Create Date: 2026-12-04 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "4b8d2e6f1a09"
down_revision: str | None = "7c1e0a9b3f52"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_activation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_account_activation_created_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_account_activation_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_activation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_activation_token_hash")),
    )
    with op.batch_alter_table("account_activation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_activation_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("account_activation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_activation_user_id"))
    op.drop_table("account_activation")
